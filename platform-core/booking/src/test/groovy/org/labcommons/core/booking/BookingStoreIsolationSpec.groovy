package org.labcommons.core.booking

import io.micronaut.data.exceptions.DataAccessException
import io.micronaut.transaction.TransactionOperations
import jakarta.inject.Inject
import org.labcommons.core.tenancy.TenantTransactions
import spock.lang.Shared

import java.sql.Connection
import java.time.Instant

/**
 * The booking stores (Micronaut Data repositories) join the transaction TenantTransactions opened,
 * so the RLS policies apply to them as to plain JDBC: with no tenant bound a read of A's booking,
 * its instrument's calendar, the waitlist or the staff's queue returns nothing; bound to B, it
 * returns nothing of A's either, whatever ids are asked for, and a change to A's booking changes
 * nothing.
 */
class BookingStoreIsolationSpec extends BookingSpec {
    static final Instant FROM = Instant.parse('2030-03-01T00:00:00Z')
    static final Instant TO = Instant.parse('2030-04-01T00:00:00Z')

    @Inject TenantTransactions tenants
    @Inject TransactionOperations<Connection> transactions
    @Inject BookingRows rows
    @Inject WaitlistRows waitlistRows
    @Inject UsageRecordRows usageRows
    @Inject MaintenanceWindowRows windowRows
    @Shared UUID nmr, booking, alice, bob

    @Override
    void arrangeOnce() {
        nmr = f.instrument()
        f.openRules(nmr)
        def made = f.book('alice', nmr, '2030-03-05T10:00:00+08:00', '2030-03-05T11:00:00+08:00')
        assert made.status == 201: made.body
        booking = UUID.fromString(made.body.id as String)
        def waiting = f.send('POST', "/api/v1/instruments/${nmr}/waitlist", 'bob',
                [start: '2030-03-05T10:00:00+08:00', end: '2030-03-05T11:00:00+08:00'])
        assert waiting.status == 201: waiting.body
        def window = f.send('POST', "/api/v1/instruments/${nmr}/maintenance", 'staff',
                [start: '2030-03-09T08:00:00+08:00', end: '2030-03-09T12:00:00+08:00'])
        assert window.status == 201: window.body
        alice = f.users.alice
        bob = f.users.bob
    }

    def "the rows exist: tenant A reads its booking, calendar, waitlist and windows through the stores"() {
        expect:
        tenants.inTenant(f.tenantA) { c -> reads() } == [true, [booking], [booking], ['booking', 'maintenance'],
                                                        1L, [booking], 1, 1]
    }

    def "a booking repository read with no tenant bound returns nothing (#how)"() {
        expect:
        (inTransaction ? transactions.executeRead { reads() } : reads()) == [false, [], [], [], 0L, [], 0, 0]

        where:
        how                                       | inTransaction
        'no transaction: a connection of its own' | false
        'a transaction with no tenant bound'      | true
    }

    def "inside tenant B's transaction a read of A's booking returns nothing, even asked for by its ids"() {
        expect:
        tenants.inTenant(f.tenantB) { c -> reads() } == [false, [], [], [], 0L, [], 0, 0]
        tenants.inTenant(f.tenantB) { c -> [rows.findForUpdate(booking).isPresent(), rows.lockInstrumentShared(nmr).isPresent()] } ==
                [false, false]
    }

    def "inside tenant B's transaction a change to A's booking changes nothing"() {
        when:
        long changed = tenants.inTenant(f.tenantB) { c -> rows.cancel(booking, bob, 'taken by B', NOW) }

        then:
        changed == 0L
        tenants.inTenant(f.tenantA) { c -> rows.findById(booking).get().status() } == 'approved'
    }

    def "a write with no tenant bound is refused"() {
        when:
        waitlistRows.join(UUID.randomUUID(), nmr, bob, f.tenantA.value(), NOW.plusSeconds(86400), NOW.plusSeconds(90000),
                null, null, false, NOW)

        then:
        thrown(DataAccessException)
        tenants.inTenant(f.tenantA) { c -> waitlistRows.entries(bob, null, rows.zone()).size() } == 1
    }

    /** What the stores read of A's data: the booking, the calendar, the waitlist, the staff's queue, the windows. */
    private List reads() {
        [rows.findById(booking).isPresent(),
         rows.forInstrument(nmr, null, FROM, TO)*.id(),
         rows.mine(alice, FROM, TO)*.id(),
         rows.busy(nmr, FROM, TO)*.kind(),
         rows.countRequested([nmr]) + rows.upcoming([nmr], FROM, TO).size(),
         rows.upcoming([nmr], FROM, TO)*.id(),
         waitlistRows.entryRows(bob, null).size(),
         windowRows.list(nmr, null, FROM, TO).size()]
    }
}

package org.labcommons.core.booking

import io.micronaut.transaction.TransactionOperations
import org.labcommons.core.tenancy.TenantId
import spock.lang.Specification
import spock.lang.Tag

import java.sql.SQLException

/**
 * One offer that cannot be expired must not stop the sweep from expiring the others, whatever it
 * throws: the transaction manager rethrows a checked SQLException of the work as it is, so a sweep
 * that caught only RuntimeException let it escape and abandoned the rest of the batch, every round.
 */
@Tag('fast')
class WaitlistSweepIsolationSpec extends Specification {

    def "an offer failing with a SQLException is logged and skipped; the next one is still expired"() {
        given: 'two due offers; expiring the first fails as PostgreSQL would (a checked exception)'
        def first = new WaitlistRows.DueOffer(UUID.randomUUID(), UUID.randomUUID())
        def second = new WaitlistRows.DueOffer(UUID.randomUUID(), UUID.randomUUID())
        def due = [execute: { definition, callback -> [first, second] }] as TransactionOperations
        List<UUID> expired = []
        def waitlist = new Waitlist(null, null, null, new BookingClock(), null) {
            @Override
            boolean expireIfDue(TenantId tenant, UUID offerId) {
                if (offerId == first.offerId()) {
                    throw new SQLException('deadlock detected', '40P01')
                }
                expired << offerId
                true
            }
        }
        def sweep = new WaitlistSweep(due, waitlist, new BookingClock(), true, null)

        when:
        int count = sweep.expireDue()

        then:
        notThrown(Exception)
        count == 1
        expired == [second.offerId()]
    }
}

package org.labcommons.core.booking

import io.micronaut.json.JsonMapper
import jakarta.inject.Inject
import org.labcommons.core.tenancy.TenantTransactions
import org.labcommons.testkit.IsolationProbe

/**
 * Staff book on behalf of someone ({@code onBehalfOf} on {@code POST …/bookings}): the booking is the
 * person's (requester, home tenant, their authorisation and limits), approved by the staff member
 * at once, and the audit entry names the staff member; only the instrument's staff may do it, only
 * for people of the institution (members, or outside users holding a role there); another
 * institution's staff reach nothing of it.
 */
class StaffOnBehalfApiSpec extends BookingSpec {
    @Inject TenantTransactions tenants
    @Inject JsonMapper json

    /** Audit entries of A for a booking: [action, actor subject, details]. */
    List<Map> audit(String bookingId) {
        tenants.inTenant(f.tenantA) { c ->
            def ps = c.prepareStatement('select action, actor_subject, details::text from audit_event where target_id = ? order by occurred_at')
            ps.setString(1, bookingId)
            def rs = ps.executeQuery()
            List<Map> out = []
            while (rs.next()) { out << [action: rs.getString(1), subject: rs.getString(2), details: json.readValue(rs.getString(3), Map)] }
            out
        } as List<Map>
    }

    def "staff book for a member: the booking is the member's, approved by the staff member, and the audit names the staff member"() {
        given: 'rules that want approval for everyone and an authorisation for unattended use'
        def nmr = f.instrument()
        f.openRules(nmr, [approvalPolicy: 'always', qualificationRequired: true])
        f.send('PUT', "/api/v1/instruments/${nmr}/authorisations/${f.users.alice}", 'staff', [note: 'trained'])

        when: 'the lab staff book for alice, choosing the consortium rate'
        def r = f.book('staff', nmr, '2030-03-05T10:00:00+08:00', '2030-03-05T12:00:00+08:00',
                [onBehalfOf: f.users.alice.toString(), rateGroup: 'consortium', accountCode: 'GRANT-7', purpose: 'phone request'])

        then:
        r.status == 201
        r.body.requesterUserId == f.users.alice.toString()
        r.body.requesterTenantId == f.tenantA.toString()
        r.body.status == 'approved'
        r.body.decidedBy == f.users.staff.toString()
        r.body.rateGroup == 'consortium'
        r.body.accountCode == 'GRANT-7'

        and: 'alice sees it among her bookings; staff do not have it as theirs'
        f.send('GET', '/api/v1/bookings?from=2030-03-05T00:00:00Z&to=2030-03-06T00:00:00Z', 'alice').body.items*.id == [r.body.id]
        (f.send('GET', '/api/v1/bookings?from=2030-03-05T00:00:00Z&to=2030-03-06T00:00:00Z', 'staff').body.items ?: []) == []

        and: 'the audit entry is the staff member acting for alice; the event says so too'
        def entries = audit(r.body.id as String)
        entries.size() == 1
        entries[0].action == 'booking.requested'
        entries[0].subject == "staff-${f.run}".toString()
        entries[0].details.onBehalfOf == f.users.alice.toString()
        entries[0].details.approvedBy == f.users.staff.toString()
        def events = f.events(r.body.id as String)
        events*.type == ['booking.requested']
        events[0].payload.onBehalfOf == true
        events[0].payload.approvalRequired == false
    }

    def "the person's own qualification, limits and home count; an outside user books as external; assisted needs no authorisation"() {
        given:
        def tem = f.instrument()
        f.openRules(tem, [qualificationRequired: true, maxFutureBookings: 1])

        when: 'bob has no authorisation and the session is unattended'
        def refused = f.book('staff', tem, '2030-03-05T10:00:00+08:00', '2030-03-05T11:00:00+08:00', [onBehalfOf: f.users.bob.toString()])

        then:
        refused.status == 422
        refused.body.code == 'booking_not_allowed'
        refused.body.errors*.code == ['not_authorised']
        refused.body.errors*.field == ['requester']

        when: 'the same session assisted by staff'
        def assisted = f.book('staff', tem, '2030-03-05T10:00:00+08:00', '2030-03-05T11:00:00+08:00', [onBehalfOf: f.users.bob.toString(), assisted: true])

        then: 'allowed, and approved at once although assisted sessions otherwise wait for approval'
        assisted.status == 201
        assisted.body.requesterUserId == f.users.bob.toString()
        assisted.body.assisted == true
        assisted.body.status == 'approved'

        when: "bob's limit of one future booking is his, not the staff member's"
        def second = f.book('staff', tem, '2030-03-06T10:00:00+08:00', '2030-03-06T11:00:00+08:00', [onBehalfOf: f.users.bob.toString(), assisted: true])

        then:
        second.status == 422
        second.body.errors*.code == ['too_many_future_bookings']

        when: 'carol, an outside user with a role in A'
        def outside = f.book('staff', tem, '2030-03-07T10:00:00+08:00', '2030-03-07T11:00:00+08:00', [onBehalfOf: f.users.carol.toString(), assisted: true])

        then:
        outside.status == 201
        outside.body.requesterUserId == f.users.carol.toString()
        outside.body.requesterTenantId == f.tenantB.toString()
        outside.body.rateGroup == 'external'

        and: 'the slot is held for everyone: a conflicting booking by anyone is the usual 409'
        f.book('alice', tem, '2030-03-07T10:30:00+08:00', '2030-03-07T11:30:00+08:00', [assisted: true]).status == 409
    }

    def "only the instrument's staff may book for others, only for people of the institution"() {
        given:
        def afm = f.instrument()
        f.openRules(afm)
        String slot1 = '2030-03-05T10:00:00+08:00'

        when: 'a member asks to book for another member'
        def notStaff = f.book('alice', afm, slot1, '2030-03-05T11:00:00+08:00', [onBehalfOf: f.users.bob.toString()])

        then:
        notStaff.status == 403
        f.count('select count(*) from booking where instrument_id = ?', afm) == 0

        when: 'for an account that does not exist'
        def unknown = f.book('staff', afm, slot1, '2030-03-05T11:00:00+08:00', [onBehalfOf: UUID.randomUUID().toString()])

        then: 'a field problem, in the language asked for'
        unknown.status == 400
        unknown.body.code == 'validation_failed'
        unknown.body.errors*.field == ['onBehalfOf']
        unknown.body.errors*.code == ['unknown']
        f.send('POST', "/api/v1/instruments/${afm}/bookings", 'staff', [start: slot1, end: '2030-03-05T11:00:00+08:00',
                onBehalfOf: UUID.randomUUID().toString()], ['Accept-Language': 'zh-CN']).body.errors[0].message == '所引用的对象不存在'

        when: "for B's admin, who exists but is no one at A: the same answer as for a missing account"
        def foreign = f.book('staff', afm, slot1, '2030-03-05T11:00:00+08:00', [onBehalfOf: f.users.adminB.toString()])

        then:
        foreign.status == 400
        foreign.body.errors*.field == ['onBehalfOf']
        foreign.body.errors*.code == ['unknown']

        when: 'a malformed id'
        def malformed = f.book('staff', afm, slot1, '2030-03-05T11:00:00+08:00', [onBehalfOf: 'not-an-id'])

        then:
        malformed.status == 400

        when: 'the waitlist cannot be joined for someone else'
        def waitlist = f.send('POST', "/api/v1/instruments/${afm}/waitlist", 'staff', [start: slot1, end: '2030-03-05T11:00:00+08:00',
                onBehalfOf: f.users.alice.toString()])

        then:
        waitlist.status == 400
        waitlist.body.errors*.field == ['onBehalfOf']

        when: 'naming oneself is an ordinary booking'
        def self = f.book('alice', afm, slot1, '2030-03-05T11:00:00+08:00', [onBehalfOf: f.users.alice.toString()])

        then:
        self.status == 201
        self.body.requesterUserId == f.users.alice.toString()
        self.body.decidedBy == null
        f.count('select count(*) from booking where instrument_id = ?', afm) == 1
    }

    def "institution B's staff reach nothing of A through on-behalf booking, and cannot book A's people on B's instruments"() {
        given: "A's instrument, and one of B's own that B's admin manages"
        def sem = f.instrument()
        f.openRules(sem)
        UUID bInstrument = UUID.randomUUID()
        tenants.inTenant(f.tenantB) { c ->
            c.prepareStatement("insert into instrument (tenant_id, id, asset_number, name_zh, name_en, original_value_fen, " +
                    "sharing_scope, status) values (?, ?, ?, '电镜', 'SEM', 100000000, 'tenant', 'in_service')").with {
                setObject(1, f.tenantB.value()); setObject(2, bInstrument); setString(3, "BKB-${bInstrument}".toString()); executeUpdate()
            }
        }
        def snapshotOfA = {
            [f.send('GET', "/api/v1/instruments/${sem}/bookings?from=2030-03-01T00:00:00Z&to=2030-04-01T00:00:00Z", 'admin').body,
             f.count('select count(*) from booking'), f.count('select count(*) from audit_event')]
        }
        String base = "http://localhost:${server.port}"
        def headers = [Authorization: 'Bearer ' + f.tokens.adminB, 'Accept-Language': 'en']
        String slot = '"start":"2030-03-05T12:00:00+08:00","end":"2030-03-05T13:00:00+08:00"'

        when: "B's admin books on behalf of A's member and of B's own people on A's instrument"
        def report = IsolationProbe.against(base, headers)
                .probe('POST', '/api/v1/instruments/{id}/bookings', "{${slot},\"onBehalfOf\":\"${f.users.alice}\"}")
                .probe('POST', '/api/v1/instruments/{id}/bookings', "{${slot},\"onBehalfOf\":\"${f.users.carol}\"}")
                .probe('POST', '/api/v1/instruments/{id}/bookings', "{${slot},\"onBehalfOf\":\"${f.users.adminB}\"}")
                .run([sem.toString()], snapshotOfA)
        println "isolation probe (on behalf): ${report.probesMade()} probes, ${report.leaks().size()} leaks"

        then:
        report.leaks() == []
        !report.dataOfOwnerChanged()
        report.outcomes().every { it.foreignStatus() == 404 }

        when: "on B's own instrument, for A's member who holds no role in B"
        def r = f.send('POST', "/api/v1/instruments/${bInstrument}/bookings", 'adminB',
                [start: '2030-03-05T10:00:00+08:00', end: '2030-03-05T11:00:00+08:00', onBehalfOf: f.users.alice.toString(), assisted: true])

        then: 'no such person at B'
        r.status == 400
        r.body.errors*.field == ['onBehalfOf']

        when: 'for carol, who belongs to B'
        def own = f.send('POST', "/api/v1/instruments/${bInstrument}/bookings", 'adminB',
                [start: '2030-03-05T10:00:00+08:00', end: '2030-03-05T11:00:00+08:00', onBehalfOf: f.users.carol.toString(), assisted: true])

        then: 'allowed in B, and none of it in A'
        own.status == 201
        own.body.requesterTenantId == f.tenantB.toString()
        f.count('select count(*) from booking where id = ?', UUID.fromString(own.body.id as String)) == 0
    }
}

package org.labcommons.core.booking

import io.micronaut.json.JsonMapper
import jakarta.inject.Inject
import org.labcommons.testkit.IsolationProbe

/**
 * Every booking endpoint, probed by institution B's admin with institution A's ids (instrument,
 * booking, waitlist entry, offer, maintenance window, user): each answer must equal the answer
 * for an id that does not exist, and A's data must be unchanged afterwards.
 */
class BookingIsolationSpec extends BookingSpec {
    @Inject JsonMapper json

    def "institution B reaches none of A's booking data: every answer equals the answer for a missing id"() {
        given: "A's instrument with rules, a training, an authorisation, a maintenance window, bookings, a waitlist entry and an offer"
        def nmr = f.instrument()
        f.openRules(nmr, [approvalPolicy: 'always'])
        f.send('POST', "/api/v1/instruments/${nmr}/trainings", 'staff', [userId: f.users.alice.toString(), trainedOn: '2030-03-01', authorise: true])
        def window = f.send('POST', "/api/v1/instruments/${nmr}/maintenance", 'staff', [start: '2030-03-09T08:00:00+08:00', end: '2030-03-09T12:00:00+08:00']).body
        def requested = f.book('alice', nmr, '2030-03-05T10:00:00+08:00', '2030-03-05T11:00:00+08:00').body
        def freed = f.book('alice', nmr, '2030-03-06T10:00:00+08:00', '2030-03-06T11:00:00+08:00').body
        def entry = f.send('POST', "/api/v1/instruments/${nmr}/waitlist", 'bob', [start: '2030-03-06T10:00:00+08:00', end: '2030-03-06T11:00:00+08:00']).body
        def waiting = f.send('POST', "/api/v1/instruments/${nmr}/waitlist", 'bob', [start: '2030-03-07T10:00:00+08:00', end: '2030-03-07T11:00:00+08:00']).body
        f.send('POST', "/api/v1/bookings/${freed.id}/cancel", 'alice')
        def offer = f.send('GET', '/api/v1/waitlist', 'bob').body.items.find { it.id == entry.id }.offer
        assert requested.status == 'requested' && offer.status == 'offered' && window.id

        def snapshotOfA = {
            [f.send('GET', "/api/v1/instruments/${nmr}/booking-rules", 'admin').body,
             f.send('GET', "/api/v1/instruments/${nmr}/bookings?from=2030-03-01T00:00:00Z&to=2030-04-01T00:00:00Z", 'admin').body.items.collect { [it.id, it.status, it.version, it.start] },
             f.send('GET', "/api/v1/instruments/${nmr}/maintenance?from=2030-03-01T00:00:00Z&to=2030-04-01T00:00:00Z", 'admin').body,
             f.send('GET', "/api/v1/instruments/${nmr}/authorisations", 'admin').body,
             f.send('GET', "/api/v1/instruments/${nmr}/trainings", 'admin').body,
             f.send('GET', '/api/v1/waitlist', 'bob').body,
             f.count('select count(*) from usage_record where instrument_id = ?', nmr)]
        }
        def headers = [Authorization: 'Bearer ' + f.tokens.adminB, 'Accept-Language': 'en']
        String base = "http://localhost:${server.port}"
        String slot = '"start":"2030-03-05T12:00:00+08:00","end":"2030-03-05T13:00:00+08:00"'
        String alice = f.users.alice.toString()

        when: 'B probes the instrument endpoints with the instrument id'
        def instrumentReport = IsolationProbe.against(base, headers)
                .probe('GET', '/api/v1/instruments/{id}/booking-rules')
                .probe('PUT', '/api/v1/instruments/{id}/booking-rules', '{"bufferMinutes":5}')
                .probe('GET', '/api/v1/instruments/{id}/trainings')
                .probe('POST', '/api/v1/instruments/{id}/trainings', "{\"userId\":\"${alice}\",\"trainedOn\":\"2030-03-01\",\"authorise\":true}")
                .probe('GET', '/api/v1/instruments/{id}/authorisations')
                .probe('GET', "/api/v1/instruments/{id}/authorisations/${alice}")
                .probe('PUT', "/api/v1/instruments/{id}/authorisations/${alice}", '{"note":"x"}')
                .probe('DELETE', "/api/v1/instruments/{id}/authorisations/${alice}")
                .probe('GET', '/api/v1/instruments/{id}/maintenance')
                .probe('POST', '/api/v1/instruments/{id}/maintenance', "{${slot}}")
                .probe('DELETE', "/api/v1/instruments/{id}/maintenance/${window.id}")
                .probe('GET', '/api/v1/instruments/{id}/bookings')
                .probe('POST', '/api/v1/instruments/{id}/bookings', "{${slot}}")
                .probe('POST', '/api/v1/instruments/{id}/bookings/recurring', "{${slot},\"occurrences\":2}")
                .probe('GET', '/api/v1/instruments/{id}/busy')
                .probe('POST', '/api/v1/instruments/{id}/waitlist', "{${slot}}")
                .run([nmr.toString()], snapshotOfA)

        and: 'the booking endpoints with booking ids'
        def bookingReport = IsolationProbe.against(base, headers)
                .probe('GET', '/api/v1/bookings/{id}')
                .probe('POST', '/api/v1/bookings/{id}/approve', '{"note":"x"}')
                .probe('POST', '/api/v1/bookings/{id}/reject')
                .probe('POST', '/api/v1/bookings/{id}/cancel')
                .probe('POST', '/api/v1/bookings/{id}/reschedule', "{${slot}}")
                .probe('POST', '/api/v1/bookings/{id}/check-in')
                .probe('POST', '/api/v1/bookings/{id}/no-show')
                .probe('POST', '/api/v1/bookings/{id}/no-show/overturn', '{"reason":"x"}')
                .probe('GET', '/api/v1/bookings/{id}/usage')
                .probe('POST', '/api/v1/bookings/{id}/usage', "{${slot}}")
                .run([requested.id as String, freed.id as String], snapshotOfA)

        and: 'the waitlist, maintenance and authorisation endpoints with those ids'
        def otherReport = IsolationProbe.against(base, headers)
                .probe('DELETE', '/api/v1/waitlist/{id}')
                .probe('POST', '/api/v1/waitlist/offers/{id}/accept')
                .probe('POST', '/api/v1/waitlist/offers/{id}/decline')
                .run([waiting.id as String, entry.id as String, offer.id as String], snapshotOfA)
        def windowReport = IsolationProbe.against(base, headers)
                .probe('DELETE', "/api/v1/instruments/${nmr}/maintenance/{id}")
                .probe('GET', "/api/v1/instruments/${nmr}/authorisations/{id}")
                .probe('DELETE', "/api/v1/instruments/${nmr}/authorisations/{id}")
                .run([window.id as String, alice], snapshotOfA)
        and: "the cross-institution routes (B's admin acting from home, naming A) with A's instrument and booking ids"
        String a = "/api/v1/federation/bk-a-${f.run}".toString()
        def outsideInstrumentReport = IsolationProbe.against(base, headers)
                .probe('GET', a + '/instruments/{id}/booking-rules')
                .probe('GET', a + '/instruments/{id}/busy')
                .probe('POST', a + '/instruments/{id}/bookings', "{${slot}}".toString())
                .probe('POST', a + '/instruments/{id}/waitlist', "{${slot}}".toString())
                .run([nmr.toString()], snapshotOfA)
        def outsideBookingReport = IsolationProbe.against(base, headers)
                .probe('GET', a + '/bookings/{id}')
                .probe('POST', a + '/bookings/{id}/cancel')
                .probe('POST', a + '/bookings/{id}/reschedule', "{${slot}}".toString())
                .probe('POST', a + '/bookings/{id}/check-in')
                .run([requested.id as String, freed.id as String], snapshotOfA)
        def all = [instrumentReport, bookingReport, otherReport, windowReport, outsideInstrumentReport, outsideBookingReport]
        println "isolation probe (booking): ${all.sum { it.probesMade() }} probes, ${all.sum { it.leaks().size() }} leaks"

        then:
        all.every { it.leaks() == [] }
        all.every { !it.dataOfOwnerChanged() }
        all.every { r -> r.outcomes().every { it.foreignStatus() in [400, 404] } }

        when: 'the same probe run as A itself tells its own booking from a missing one (the probe can fail)'
        def control = IsolationProbe.against(base, [Authorization: 'Bearer ' + f.tokens.admin])
                .probe('GET', '/api/v1/bookings/{id}')
                .run([requested.id as String], { null })

        then:
        control.leaks().size() == 1
    }
}

package org.labcommons.core.samples

import io.micronaut.json.JsonMapper
import jakarta.inject.Inject
import io.micronaut.transaction.TransactionOperations
import org.labcommons.core.booking.BookingSpec
import org.labcommons.core.booking.notify.NotificationRows
import org.labcommons.core.tenancy.TenantTransactions
import org.labcommons.testkit.IsolationProbe
import spock.lang.Shared

import java.sql.Connection
import java.time.Instant

/**
 * Every sample-request endpoint, probed by institution B's admin and by an outside user acting in
 * her home institution B, with institution A's ids (instrument, requests in every working state,
 * a result file): each answer must equal the answer for an id that does not exist, and A's data
 * must be unchanged afterwards. The stores themselves ({@link SampleRequestRows},
 * {@link NotificationRows}) read nothing of A's with no tenant bound or with B bound.
 */
class SampleRequestIsolationSpec extends BookingSpec {
    /** Sample requests run on the real clock (their history is ordered by time). */
    @Override
    Instant fixedAt() {
        null
    }

    @Inject JsonMapper json
    @Inject TenantTransactions tenants
    @Inject SampleRequestRows requestRows
    @Inject NotificationRows notificationRows
    @Inject TransactionOperations<Connection> transactions
    @Shared SampleFixture s

    @Override
    void arrangeOnce() {
        s = new SampleFixture(f)
    }

    def "institution B reaches none of A's sample requests: every answer equals the answer for a missing id"() {
        given: "A's instrument with requests submitted, accepted, received, in progress and with results"
        def nmr = f.instrument()
        List<String> ids = (1..5).collect { s.submit('alice', nmr).body.id as String }
        ids[1..4].each { assert s.step('staff', it, 'accept').status == 200 }
        ids[2..4].each { assert s.step('staff', it, 'receive', [receivedCount: 3]).status == 200 }
        ids[3..4].each { assert s.step('staff', it, 'start').status == 200 }
        def uploaded = s.upload('staff', ids[4], 'report.pdf', '%PDF-1.7 results'.bytes)
        assert uploaded.status == 201
        String fileId = uploaded.body.files[0].id

        def snapshotOfA = {
            [ids.collect { s.get('staff', it).body.with { [it.status, it.version, it.files*.sha256, it.history.size()] } },
             f.count('select count(*) from sample_request where instrument_id = ?', nmr),
             f.count('select count(*) from sample_result_file'),
             f.count("select count(*) from notification where kind like 'sample.%'")]
        }
        String base = "http://localhost:${server.port}"
        String valid = json.writeValueAsString(SampleFixture.valid())
        String boundary = 'probe0boundary'
        String multipart = "--${boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.pdf\"\r\n" +
                "Content-Type: application/pdf\r\n\r\n%PDF-1.7 taken over\r\n--${boundary}--\r\n"
        def callers = [adminB: [Authorization: 'Bearer ' + f.tokens.adminB, 'Accept-Language': 'en'],
                       carolAtHome: [Authorization: 'Bearer ' + f.tokens.carol, 'Accept-Language': 'en',
                                     'X-LabCommons-Tenant': f.tenantB.toString()]]

        when:
        List<IsolationProbe.Report> all = []
        callers.each { name, headers ->
            all << IsolationProbe.against(base, headers)
                    .probe('POST', '/api/v1/instruments/{id}/sample-requests', valid)
                    .probe('GET', '/api/v1/sample-requests?role=mine&instrument={id}')
                    .probe('GET', '/api/v1/sample-requests?role=staff&instrument={id}')
                    .run([nmr.toString()], snapshotOfA)
            all << IsolationProbe.against(base, headers)
                    .probe('GET', '/api/v1/sample-requests/{id}')
                    .probe('POST', '/api/v1/sample-requests/{id}/accept', '{"note":"x"}')
                    .probe('POST', '/api/v1/sample-requests/{id}/reject', '{"note":"taken over"}')
                    .probe('POST', '/api/v1/sample-requests/{id}/receive', '{"receivedCount":1}')
                    .probe('POST', '/api/v1/sample-requests/{id}/start')
                    .probe('POST', '/api/v1/sample-requests/{id}/close')
                    .probe('POST', '/api/v1/sample-requests/{id}/withdraw')
                    .probe('POST', '/api/v1/sample-requests/{id}/cancel', '{"note":"taken over"}')
                    .probe('GET', "/api/v1/sample-requests/{id}/results/${fileId}")
                    .run(ids, snapshotOfA)
            all << IsolationProbe.against(base, headers + ['Content-Type': "multipart/form-data; boundary=${boundary}".toString()])
                    .probe('POST', '/api/v1/sample-requests/{id}/results', multipart)
                    .run(ids, snapshotOfA)
            all << IsolationProbe.against(base, headers)
                    .probe('GET', "/api/v1/sample-requests/${ids[4]}/results/{id}")
                    .run([fileId], snapshotOfA)
        }
        int probes = all.sum { it.probesMade() } as int
        int leaks = all.sum { it.leaks().size() } as int
        println "isolation probe (sample requests): ${probes} probes, ${leaks} leaks"

        then:
        all.every { it.leaks() == [] }
        all.every { !it.dataOfOwnerChanged() }
        // 200: B's own (empty) lists; 403: a staff list asked by someone who manages nothing in B; else 404
        all.every { r -> r.outcomes().every { it.foreignStatus() in [200, 403, 404] } }
        probes == 2 * 2 * (3 + 9 * 5 + 5 + 1)

        and: 'the lists answer B with B own (empty) lists, never A rows'
        f.send('GET', "/api/v1/sample-requests?role=staff&instrument=${nmr}", 'adminB', null,
                ['X-LabCommons-Tenant': f.tenantB.toString()]).body.total == 0

        when: 'the same probe run as A itself tells its own request from a missing one (the probe can fail)'
        def control = IsolationProbe.against(base, [Authorization: 'Bearer ' + f.tokens.staff])
                .probe('GET', '/api/v1/sample-requests/{id}')
                .run([ids[0]], { null })

        then:
        control.leaks().size() == 1
    }

    def "inside A, a member who neither sent nor manages a request cannot reach it either"() {
        given:
        String id = s.inProgress('alice', f.instrument())
        String fileId = s.upload('staff', id, 'r.pdf', '%PDF-1.7 r'.bytes).body.files[0].id
        String base = "http://localhost:${server.port}"

        when:
        def report = IsolationProbe.against(base, [Authorization: 'Bearer ' + f.tokens.bob, 'Accept-Language': 'en'])
                .probe('GET', '/api/v1/sample-requests/{id}')
                .probe('POST', '/api/v1/sample-requests/{id}/withdraw')
                .probe('POST', '/api/v1/sample-requests/{id}/close')
                .probe('GET', "/api/v1/sample-requests/{id}/results/${fileId}")
                .run([id], { s.get('staff', id).body.with { [it.status, it.version] } })
        println "isolation probe (sample requests, same tenant): ${report.probesMade()} probes, ${report.leaks().size()} leaks"

        then:
        report.leaks() == []
        !report.dataOfOwnerChanged()
        f.send('GET', '/api/v1/sample-requests?role=mine', 'bob').body.items*.id.every { it != id }
    }

    def "the sample-request and notification stores read nothing of A's without A bound (#how)"() {
        given: "a request of A's, with its history, a result file and the notices it owed its requester"
        def nmr = f.instrument()
        UUID id = UUID.fromString(s.inProgress('alice', nmr))
        UUID fileId = UUID.fromString(s.upload('staff', id, 'r.pdf', '%PDF-1.7 r'.bytes).body.files[0].id as String)
        UUID alice = f.users.alice
        String[] none = new String[0]
        def readAll = {
            [requestRows.view(id).isPresent(), requestRows.history(id).size(), requestRows.files(id).size(),
             requestRows.file(id, fileId).isPresent(), requestRows.count(alice, false, none, none, none, nmr),
             requestRows.page(null, true, none, none, none, nmr, 10, 0L)*.id,
             notificationRows.latest(alice, false, 200).findAll { it.params().contains(id.toString()) }*.kind.sort(),
             notificationRows.unread(alice) > 0]
        }

        expect: 'bound to A, the stores read the request and its notices (the check can fail)'
        tenants.inTenant(f.tenantA) { c -> readAll() } ==
                [true, 5, 1, true, 1L, [id], ['sample.accepted', 'sample.results_ready'], true]

        and: 'otherwise they read nothing'
        outsideA(how, readAll) == [false, 0, 0, false, 0L, [], [], false]

        where:
        how << ['no transaction: a connection of its own', 'a transaction with no tenant bound', "B's transaction"]
    }

    private Object outsideA(String how, Closure read) {
        switch (how) {
            case 'no transaction: a connection of its own': return read()
            case 'a transaction with no tenant bound': return transactions.executeRead { read() }
            default: return tenants.inTenant(f.tenantB) { c -> read() }
        }
    }
}

package org.labcommons.core.samples

import io.micronaut.json.JsonMapper
import jakarta.inject.Inject
import org.labcommons.core.booking.BookingSpec
import org.labcommons.core.tenancy.TenantTransactions
import spock.lang.Shared
import spock.lang.Unroll

import java.security.MessageDigest
import java.time.Instant

/**
 * Sample requests through the API: the whole life cycle (with its history, audit entries, outbox
 * events and notices), every step from a state that does not allow it, field-level validation in
 * both languages, the file limits, downloads equal to uploads, who may do what, outside users, lists.
 */
class SampleRequestApiSpec extends BookingSpec {
    /** Sample requests run on the real clock (their history is ordered by time). */
    @Override
    Instant fixedAt() {
        null
    }

    static final int MAX_BYTES = 64 * 1024

    @Inject TenantTransactions tenants
    @Inject JsonMapper json
    @Shared SampleFixture s

    @Override
    Map<String, String> ownProperties() {
        ['labcommons.samples.max-file-bytes': "${MAX_BYTES}".toString()]
    }

    @Override
    void arrangeOnce() {
        s = new SampleFixture(f)
    }

    static byte[] pdf(int size = 2048) {
        byte[] b = new byte[size]
        new Random(size).nextBytes(b)
        System.arraycopy('%PDF-1.7\n'.bytes, 0, b, 0, 9)
        b
    }

    /** The request's audit entries in A (action, tenant), oldest first. */
    List<List<Object>> audit(String id) {
        tenants.inTenant(f.tenantA) { c ->
            def ps = c.prepareStatement("select action, tenant_id from audit_event where target_type = 'sample_request' and target_id = ? order by occurred_at, id")
            ps.setString(1, id)
            def rs = ps.executeQuery()
            List<List<Object>> out = []
            while (rs.next()) { out << [rs.getString(1), rs.getObject(2)] }
            out
        } as List<List<Object>>
    }

    List<String> notices(String user, String requestId) {
        tenants.inTenant(f.tenantA) { c ->
            def ps = c.prepareStatement("select kind, email_status from notification where user_id = ? and sample_request_id = ? order by created_at")
            ps.setObject(1, f.users[user]); ps.setObject(2, UUID.fromString(requestId))
            def rs = ps.executeQuery()
            List<String> out = []
            while (rs.next()) { out << rs.getString(1) }
            out
        } as List<String>
    }

    def "the whole life cycle: submitted, accepted, received, in progress, results ready, closed; the requester downloads the report"() {
        given:
        def nmr = f.instrument()
        def service = s.service(nmr)

        when: 'alice sends three samples for the 1H service'
        def created = s.submit('alice', nmr, SampleFixture.valid(serviceId: service.toString(), hazards: ['toxic', 'flammable'],
                safetyNotes: 'handle in a fume hood'))

        then:
        created.status == 201
        created.body.status == 'submitted'
        created.body.rateGroup == 'internal'
        created.body.requesterTenantId == f.tenantA.toString()
        created.body.serviceNameEn == '1H NMR'
        created.body.items == ['1H NMR', '13C NMR']
        created.body.hazards == ['toxic', 'flammable']
        created.body.version == 1
        created.body.submittedAt.endsWith('+08:00')
        def id = created.body.id as String

        and: 'the staff are told'
        notices('staff', id) == ['sample.submitted']

        when: 'the staff accept, receive (with the arrival condition), start, upload the report and close'
        def accepted = s.step('staff', id, 'accept', [note: 'send them to room B105'])
        def received = s.step('staff', id, 'receive', [receivedCount: 3, note: 'one vial cracked, contents intact'])
        def started = s.step('staff', id, 'start', null, ['If-Match': '"3"'])
        byte[] report = pdf()
        def uploaded = s.upload('staff', id, '测试报告 report.pdf', report, 'application/pdf', [note: 'spectra attached'])
        def closed = s.step('staff', id, 'close', [version: 5])

        then:
        accepted.status == 200 && accepted.body.status == 'accepted' && accepted.body.acceptedAt
        received.status == 200 && received.body.status == 'received' && received.body.receivedCount == 3
        received.body.receiptNote == 'one vial cracked, contents intact'
        started.status == 200 && started.body.status == 'in_progress' && started.body.startedAt
        uploaded.status == 201 && uploaded.body.status == 'results_ready' && uploaded.body.files.size() == 1
        uploaded.body.files[0].fileName == '测试报告 report.pdf'
        uploaded.body.files[0].sizeBytes == report.length
        uploaded.body.files[0].sha256 == MessageDigest.getInstance('SHA-256').digest(report).encodeHex().toString()
        closed.status == 200 && closed.body.status == 'closed' && closed.body.closedAt && closed.body.version == 6

        when: 'alice reads it with its history and downloads the report'
        def seen = s.get('alice', id)
        def download = s.download('alice', id, uploaded.body.files[0].id)

        then:
        seen.status == 200
        seen.body.history.collect { [it.from, it.to] } == [[null, 'submitted'], ['submitted', 'accepted'], ['accepted', 'received'],
                                                           ['received', 'in_progress'], ['in_progress', 'results_ready'], ['results_ready', 'closed']]
        seen.body.history*.actorUserId == [f.users.alice, f.users.staff, f.users.staff, f.users.staff, f.users.staff, f.users.staff]*.toString()
        seen.body.history[1].note == 'send them to room B105'
        seen.body.history[4].note.contains('spectra attached')
        [seen.body.submittedAt, seen.body.acceptedAt, seen.body.receivedAt, seen.body.startedAt, seen.body.resultsReadyAt, seen.body.closedAt].every { it != null }
        download.status == 200
        download.bytes == report
        download.disposition == "attachment; filename*=UTF-8''%E6%B5%8B%E8%AF%95%E6%8A%A5%E5%91%8A%20report.pdf"
        download.type.startsWith('application/pdf')

        and: 'the staff download it too; bob, another member, does not see it'
        s.download('staff', id, uploaded.body.files[0].id).bytes == report
        s.download('bob', id, uploaded.body.files[0].id).status == 404
        s.get('bob', id).status == 404

        and: 'every change was audited and sent as a sample.v1 event in the same transaction, in order'
        audit(id)*.get(0) == ['sample.submitted', 'sample.accepted', 'sample.received', 'sample.started', 'sample.results_ready', 'sample.closed']
        audit(id).every { it[1] == f.tenantA.value() }
        def events = f.events(id)
        events*.type == ['sample.submitted', 'sample.accepted', 'sample.received', 'sample.started', 'sample.results_ready', 'sample.closed']
        events.every { it.topic == 'sample.v1' }
        events*.payload*.status == ['submitted', 'accepted', 'received', 'in_progress', 'results_ready', 'closed']
        events*.payload*.version == [1, 2, 3, 4, 5, 6]
        events[2].payload.receivedCount == 3
        events[4].payload.fileCount == 1

        and: 'alice was told of the acceptance and the results'
        notices('alice', id) == ['sample.accepted', 'sample.results_ready']
    }

    @Unroll
    def "from #state, #action is refused with 409 wrong_state naming the state"() {
        given:
        def id = inState(state)

        when:
        def r = action == 'results' ? s.upload('staff', id, 'r.pdf', pdf())
                : s.step(action == 'withdraw' ? 'alice' : 'staff', id, action,
                action == 'receive' ? [receivedCount: 1] : action in ['reject', 'cancel'] ? [note: 'a reason'] : null)

        then:
        r.status == 409
        r.body.code == 'wrong_state'
        r.body.detail == "The current state is: ${state}".toString()
        s.get('staff', id).body.status == state

        where:
        [state, action] << wrongSteps()
    }

    static List<List<String>> wrongSteps() {
        Map<String, List<String>> allowed = [submitted    : ['accept', 'reject', 'withdraw', 'cancel'],
                                             accepted     : ['receive', 'withdraw', 'cancel'],
                                             received     : ['start', 'cancel'],
                                             in_progress  : ['results'],
                                             results_ready: ['close', 'results'],
                                             closed       : [], rejected: [], withdrawn: [], cancelled: []]
        List<String> all = ['accept', 'reject', 'receive', 'start', 'results', 'close', 'withdraw', 'cancel']
        allowed.collectMany { st, ok -> (all - ok).collect { [st, it] } }
    }

    /** A request of alice's moved to {@code state} through the API. */
    String inState(String state) {
        def nmr = f.instrument()
        String id = s.submit('alice', nmr).body.id
        Map<String, List<List<Object>>> path = [
                submitted    : [],
                accepted     : [['staff', 'accept', null]],
                received     : [['staff', 'accept', null], ['staff', 'receive', [receivedCount: 3]]],
                in_progress  : [['staff', 'accept', null], ['staff', 'receive', [receivedCount: 3]], ['staff', 'start', null]],
                results_ready: [['staff', 'accept', null], ['staff', 'receive', [receivedCount: 3]], ['staff', 'start', null], ['upload']],
                closed       : [['staff', 'accept', null], ['staff', 'receive', [receivedCount: 3]], ['staff', 'start', null], ['upload'], ['staff', 'close', null]],
                rejected     : [['staff', 'reject', [note: 'not our kind of sample']]],
                withdrawn    : [['alice', 'withdraw', null]],
                cancelled    : [['staff', 'accept', null], ['staff', 'cancel', [note: 'instrument broken']]]]
        path[state].each { step ->
            def r = step[0] == 'upload' ? s.upload('staff', id, 'r.pdf', pdf()) : s.step(step[0] as String, id, step[1] as String, step[2] as Map)
            assert r.status in [200, 201]: r.body
        }
        assert s.get('staff', id).body.status == state
        id
    }

    def "reject and cancel need a reason; withdraw is the requester's until the samples arrive"() {
        given:
        def nmr = f.instrument()
        String id = s.submit('alice', nmr).body.id

        when:
        def noReason = s.step('staff', id, 'reject', [note: '  '])
        def noCancelReason = s.step('staff', id, 'cancel')

        then:
        noReason.status == 400
        noReason.body.errors*.field == ['reason']
        noReason.body.errors[0].message == 'a reason is required'
        noCancelReason.status == 400
        noCancelReason.body.errors*.field == ['reason']

        when: 'the staff may not withdraw for alice, alice may not accept her own'
        def staffWithdraws = s.step('staff', id, 'withdraw')
        def aliceAccepts = s.step('alice', id, 'accept')

        then:
        staffWithdraws.status == 403
        aliceAccepts.status == 403

        when: 'a stale version is refused'
        def stale = s.step('staff', id, 'accept', null, ['If-Match': '"7"'])
        def staleBody = s.step('staff', id, 'accept', [version: 9])

        then:
        stale.status == 409 && stale.body.code == 'version_conflict'
        stale.body.detail.contains('1')
        staleBody.status == 409 && staleBody.body.code == 'version_conflict'

        when: 'rejected with a reason'
        def rejected = s.step('staff', id, 'reject', [note: 'we do not test radioactive material'])

        then:
        rejected.status == 200
        rejected.body.reason == 'we do not test radioactive material'
        rejected.body.rejectedAt
        f.events(id)*.type == ['sample.submitted', 'sample.rejected']
        notices('alice', id) == ['sample.rejected']
    }

    def "withdrawn while accepted; cancelled by the staff after arrival; both recorded"() {
        given:
        def nmr = f.instrument()
        String a = s.submit('alice', nmr).body.id
        String b = s.submit('alice', nmr).body.id
        s.step('staff', a, 'accept')
        s.step('staff', b, 'accept')
        s.step('staff', b, 'receive', [receivedCount: 2])

        when:
        def withdrawn = s.step('alice', a, 'withdraw', [note: 'samples degraded'])
        def cancelled = s.step('staff', b, 'cancel', [note: 'the detector failed'])

        then:
        withdrawn.body.status == 'withdrawn' && withdrawn.body.withdrawnAt
        cancelled.body.status == 'cancelled' && cancelled.body.reason == 'the detector failed' && cancelled.body.cancelledAt
        f.events(a)*.type.last() == 'sample.withdrawn'
        f.events(b)*.type.last() == 'sample.cancelled'
        audit(b)*.get(0).last() == 'sample.cancelled'
    }

    def "bad input is answered field by field, in English and in Chinese"() {
        given:
        def nmr = f.instrument()
        def other = f.instrument()
        def foreignService = s.service(other)

        when:
        def r = s.submit('alice', nmr, [sampleCount: 0, items: [' '], sampleInfo: '', hazards: ['toxic', 'none'], accountCode: 'x' * 65])

        then:
        r.status == 400
        r.body.code == 'validation_failed'
        r.body.errors*.field.toSet() == ['sampleCount', 'items', 'sampleInfo', 'hazards', 'accountCode'] as Set
        r.body.errors.find { it.field == 'sampleCount' }.message == 'must be a whole number from 1 to 1000'
        r.body.errors.find { it.field == 'hazards' }.message == '"none" cannot be combined with a hazard'

        when:
        def zh = s.submit('alice', nmr, SampleFixture.valid(sampleCount: 1001, hazards: ['radioactive']), ['Accept-Language': 'zh-CN'])

        then:
        zh.status == 400
        zh.body.errors*.field.toSet() == ['sampleCount', 'safetyNotes'] as Set
        zh.body.errors.find { it.field == 'safetyNotes' }.message == '请说明危险样品的安全处理方法'
        zh.body.errors.find { it.field == 'sampleCount' }.message == '必须是 1 到 1000 之间的整数'

        when:
        def unknownHazard = s.submit('alice', nmr, SampleFixture.valid(hazards: ['cursed']))
        def noHazards = s.submit('alice', nmr, SampleFixture.valid(hazards: []))
        def wrongService = s.submit('alice', nmr, SampleFixture.valid(serviceId: foreignService.toString()))
        def missing = s.submit('alice', nmr, [:])

        then:
        unknownHazard.body.errors*.field == ['hazards']
        unknownHazard.body.errors[0].message.startsWith('must be some of: none, toxic')
        noHazards.body.errors*.field == ['hazards']
        wrongService.status == 400 && wrongService.body.errors*.field == ['serviceId']
        missing.status == 400 && missing.body.errors*.field.toSet() == ['sampleCount', 'items', 'sampleInfo', 'hazards'] as Set

        and: 'nothing was stored'
        f.count('select count(*) from sample_request where instrument_id = ?', nmr) == 0

        when: 'a receipt without a count, list parameters out of range'
        String id = s.submit('alice', nmr).body.id
        s.step('staff', id, 'accept')
        def noCount = s.step('staff', id, 'receive', [note: 'fine'])
        def badList = f.send('GET', '/api/v1/sample-requests?role=boss&status=lost&size=1000', 'alice')

        then:
        noCount.status == 400 && noCount.body.errors*.field == ['receivedCount']
        badList.status == 400
        badList.body.errors*.field.toSet() == ['role', 'status', 'size'] as Set
    }

    def "result files: at most the size limit (413), not empty, at most ten per request; only the staff upload"() {
        given:
        String id = s.inProgress('alice', f.instrument(), 3)

        when:
        def tooLarge = s.upload('staff', id, 'big.bin', new byte[MAX_BYTES + 1], 'application/octet-stream')
        def empty = s.upload('staff', id, 'empty.txt', new byte[0], 'text/plain')
        def byAlice = s.upload('alice', id, 'mine.pdf', pdf())

        then:
        tooLarge.status == 413
        tooLarge.body.code == 'too_large'
        tooLarge.body.errors*.field == ['file']
        empty.status == 400 && empty.body.errors*.field == ['file']
        byAlice.status == 403
        s.get('staff', id).body.status == 'in_progress'

        when: 'exactly the limit, then nine more, then one too many'
        def atLimit = s.upload('staff', id, 'limit.bin', new byte[MAX_BYTES], 'application/octet-stream')
        def more = (2..10).collect { s.upload('staff', id, "part-${it}.csv".toString(), "a,b\n${it},2\n".toString().bytes, 'text/csv') }
        def eleventh = s.upload('staff', id, 'part-11.csv', 'a\n'.bytes, 'text/csv')

        then:
        atLimit.status == 201 && atLimit.body.status == 'results_ready'
        more.every { it.status == 201 }
        eleventh.status == 400
        eleventh.body.errors*.field == ['file']
        eleventh.body.errors[0].code == 'too_many'
        s.get('alice', id).body.files.size() == 10
        f.events(id)*.type.count { it == 'sample.results_ready' } == 10
    }

    def "a result file is typed by its bytes, never by the declared type: HTML and SVG are never served as a page or an image"() {
        given:
        String id = s.inProgress('alice', f.instrument(), 3)
        byte[] html = '<!DOCTYPE html>\n<html><head><title>report</title></head><body><script>fetch("/api/v1/me")</script></body></html>\n'
                .getBytes('UTF-8')
        byte[] svg = '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.domain)"><rect width="1" height="1"/></svg>\n'
                .getBytes('UTF-8')
        byte[] report = pdf()

        when: 'the staff upload them, each declared as something else'
        def uploads = [s.upload('staff', id, 'spectrum.png', html, 'image/png'),
                       s.upload('staff', id, 'notes.txt', html, 'text/plain'),
                       s.upload('staff', id, 'chart.png', svg, 'image/png'),
                       s.upload('staff', id, 'scan-0001', report, 'application/octet-stream')]
        Map<String, Map> files = s.get('alice', id).body.files.collectEntries { [(it.fileName): it] }
        List<String> names = ['spectrum.png', 'notes.txt', 'chart.png', 'scan-0001']
        def downloads = names.collect { s.download('alice', id, files[it].id) }

        then: 'the stored type is the detected one'
        uploads*.status == [201, 201, 201, 201]
        files.keySet() == names as Set
        names.collect { files[it].contentType } == ['text/html', 'text/html', 'image/svg+xml', 'application/pdf']

        and: 'pages and images a browser would run script in come back as plain bytes; the PDF as a PDF; all as attachments, not sniffed'
        downloads*.status == [200, 200, 200, 200]
        downloads*.type == ['application/octet-stream', 'application/octet-stream', 'application/octet-stream', 'application/pdf']
        downloads.every { it.disposition.startsWith('attachment;') && it.nosniff == 'nosniff' }
        downloads*.bytes == [html, html, svg, report]

        when: 'rows stored with the type a client declared (as before detection) are served by their bytes as well'
        f.tenants.inTenant(f.tenantA) { c ->
            def ps = c.prepareStatement("update sample_result_file set content_type = case when file_name = 'scan-0001' " +
                    "then 'application/octet-stream' else 'image/png' end where request_id = ?::uuid")
            ps.setString(1, id)
            assert ps.executeUpdate() == 4
        }
        def again = names.collect { s.download('alice', id, files[it].id) }

        then:
        again*.type == ['application/octet-stream', 'application/octet-stream', 'application/octet-stream', 'application/pdf']
    }

    def "an outside user sends samples at the external rate; lists are paged and filtered"() {
        given:
        def nmr = f.instrument()

        when:
        def carol = s.submit('carol', nmr)

        then:
        carol.status == 201
        carol.body.rateGroup == 'external'
        carol.body.requesterTenantId == f.tenantB.toString()
        f.send('GET', '/api/v1/sample-requests', 'carol').body.items*.id.contains(carol.body.id)

        when: 'alice sends three more; her list in pages of two'
        3.times { s.submit('alice', nmr) }
        def page0 = f.send('GET', "/api/v1/sample-requests?role=mine&instrument=${nmr}&size=2", 'alice')
        def page1 = f.send('GET', "/api/v1/sample-requests?role=mine&instrument=${nmr}&size=2&page=1", 'alice')

        then:
        page0.status == 200
        page0.body.total == 3 && page0.body.items.size() == 2 && page0.body.page == 0 && page0.body.size == 2
        page1.body.items.size() == 1
        (page0.body.items*.id + page1.body.items*.id).toSet().size() == 3
        page0.body.items.every { it.requesterUserId == f.users.alice.toString() }

        when: 'the staff queue holds all four; filtered by status'
        String first = page0.body.items[0].id
        s.step('staff', first, 'accept')
        def queue = f.send('GET', "/api/v1/sample-requests?role=staff&instrument=${nmr}", 'staff')
        def accepted = f.send('GET', "/api/v1/sample-requests?role=staff&instrument=${nmr}&status=accepted", 'staff')
        def submitted = f.send('GET', "/api/v1/sample-requests?role=staff&instrument=${nmr}&status=submitted,accepted", 'staff')
        def adminQueue = f.send('GET', "/api/v1/sample-requests?role=staff&instrument=${nmr}", 'admin')

        then:
        queue.body.total == 4
        accepted.body.items*.id == [first]
        submitted.body.total == 4
        adminQueue.body.total == 4

        and: 'a member who manages nothing has no queue'
        f.send('GET', '/api/v1/sample-requests?role=staff', 'alice').status == 403
    }

    def "a retired instrument takes no samples; an unknown one is 404"() {
        given:
        def retired = f.instrument('tenant', 'retired')

        expect:
        with(s.submit('alice', retired)) {
            status == 400
            body.errors*.field == ['instrumentId']
        }
        s.submit('alice', UUID.randomUUID()).status == 404
    }
}

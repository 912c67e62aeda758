package org.labcommons.core.reports.ratings

import org.labcommons.core.booking.BookingClock
import org.labcommons.core.reports.RatingFixture
import org.labcommons.core.tenancy.TenantId
import org.labcommons.testkit.IsolationProbe
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld
import spock.lang.Shared

import java.time.Clock
import java.time.Duration
import java.time.LocalDate
import java.time.ZoneId

import static org.labcommons.testkit.TenantWorld.*

/**
 * Users' ratings through /api/v1/reports/ratings: the holder of a completed booking or sample request rates it once,
 * changes it within the window as a new version, not after; staff reply once and edit the reply, audited; the
 * aggregate (count, mean to one decimal, distribution) and the staff's view never carry the rater; a Xiling
 * researcher rates a booking at Donghu and the rating lives in Donghu's tenant; problem+json field errors; the
 * evaluation's yearly figure; another institution finds nothing.
 */
class RatingsApiSpec extends PlatformSpec {
    static final String BASE = '/api/v1/reports/ratings'
    @Shared TenantWorld world
    @Shared String nmr
    @Shared String xrd
    @Shared String proton
    @Shared UUID donghu
    @Shared UUID xiling

    def setup() {
        if (world != null) {
            return
        }
        world = TenantWorld.build(ctx) {
            institution('rat-donghu') {
                rateGroup('internal')
                unit('rat-lab')
                person('rat-manager', INSTRUMENT_ADMIN, unit: 'rat-lab')
                person('rat-ann', USER)
                person('rat-bob', USER)
                person('rat-cy', USER)
                instrument('NMR rated', unit: 'rat-lab', body: [services: [[nameZh: '氢谱', nameEn: '1H spectrum']]])
                instrument('XRD rated', unit: 'rat-lab')
            }
            institution('rat-xiling') {
                rateGroup('internal')
                person('rat-xi', USER)
                person('rat-xadmin', INSTITUTION_ADMIN)
            }
        }
        nmr = world.instrument('NMR rated').id
        xrd = world.instrument('XRD rated').id
        proton = world.instrument('NMR rated').services[0].id
        donghu = world.tenant('rat-donghu').id
        xiling = world.tenant('rat-xiling').id
    }

    def cleanup() {
        ctx.getBean(BookingClock).set(null)
    }

    UUID user(String who) {
        world.person(who).userId as UUID
    }

    Map rate(String who, UUID subject, int score, String comment = null, String kind = 'booking', String owner = null) {
        api.post(BASE, world.token(who), [subjectKind: kind, subjectId: subject.toString(), score: score, comment: comment, owner: owner])
    }

    long audited(UUID tenant, String id, String action) {
        RatingFixture.count(tenant, "select count(*) from audit_event where target_type = 'rating' and target_id = ? and action = ?", [id, action])
    }

    /** The rating's events (read as the owner: the runtime role may not read the outbox): type to payloads. */
    Map<String, List<String>> events(String id) {
        PlatformSpec.ownerConnection().withCloseable { c ->
            def ps = c.prepareStatement("select type, payload::text from outbox_event where topic = 'reports.rating.v1' and aggregate_id = ? order by seq")
            ps.setString(1, id)
            def rs = ps.executeQuery()
            Map<String, List<String>> out = [:]
            while (rs.next()) { out.computeIfAbsent(rs.getString(1)) { [] } << rs.getString(2) }
            out
        }
    }

    def "the holder rates a completed booking once, changes it within the window as a new version, and not after it"() {
        given:
        UUID b = RatingFixture.booking(donghu, nmr, user('rat-ann'))

        when:
        def made = rate('rat-ann', b, 4, '  谱图清晰，老师很耐心  ')
        String id = made.body.id
        def again = rate('rat-ann', b, 5)
        def changed = api.put("${BASE}/${id}", world.token('rat-ann'), [score: 5, comment: '又测了一次，很好'])
        def own = api.get("${BASE}/mine/${id}", world.token('rat-ann'))

        then:
        made.status == 201
        made.body.score == 4
        made.body.comment == '谱图清晰，老师很耐心'
        made.body.subjectId == b.toString()
        made.body.changeable
        again.status == 409
        again.body.code == 'already_rated'
        changed.status == 200
        changed.body.version == 2
        own.body.versions*.score == [4, 5]
        own.body.versions*.comment == ['谱图清晰，老师很耐心', '又测了一次，很好']
        audited(donghu, id, 'rating.created') == 1
        audited(donghu, id, 'rating.changed') == 1
        events(id).collectEntries { k, v -> [k, v.size()] } == ['rating.created': 1, 'rating.changed': 1]
        events(id)['rating.changed'][0].contains('"score": 5') || events(id)['rating.changed'][0].contains('"score":5')
        !events(id).values().flatten().any { it.contains(user('rat-ann').toString()) || it.contains(b.toString()) || it.contains('耐心') }

        when: 'the window of 30 days has passed'
        ctx.getBean(BookingClock).set(Clock.offset(Clock.systemUTC(), Duration.ofDays(31)))
        def late = api.put("${BASE}/${id}", world.token('rat-ann'), [score: 1])

        then:
        late.status == 409
        late.body.code == 'change_window_passed'
        api.get("${BASE}/mine/${id}", world.token('rat-ann')).body.with { it.score == 5 && !it.changeable }
    }

    def "only a completed booking or a sample request with results can be rated, only by who held it"() {
        given:
        UUID future = RatingFixture.booking(donghu, nmr, user('rat-ann'), future: true)
        UUID cancelled = RatingFixture.booking(donghu, nmr, user('rat-ann'), status: 'cancelled')
        UUID noShow = RatingFixture.booking(donghu, nmr, user('rat-ann'), status: 'no_show')
        UUID bobs = RatingFixture.booking(donghu, nmr, user('rat-bob'))
        UUID running = RatingFixture.sampleRequest(donghu, nmr, proton, user('rat-ann'), 'in_progress')
        UUID ready = RatingFixture.sampleRequest(donghu, nmr, proton, user('rat-ann'))
        UUID old = RatingFixture.booking(donghu, nmr, user('rat-ann'), endedAgo: Duration.ofDays(400))

        expect:
        rate('rat-ann', future, 5).with { it.status == 409 && it.body.code == 'not_completed' }
        rate('rat-ann', cancelled, 5).with { it.status == 409 && it.body.code == 'not_completed' }
        rate('rat-ann', noShow, 5).with { it.status == 409 && it.body.code == 'not_completed' }
        rate('rat-ann', bobs, 5).status == 404
        rate('rat-ann', running, 5, null, 'sample_request').with { it.status == 409 && it.body.code == 'not_completed' }
        rate('rat-ann', ready, 3, null, 'sample_request').with { it.status == 201 && it.body.subjectKind == 'sample_request' }
        rate('rat-bob', ready, 3, null, 'sample_request').status == 404
        rate('rat-ann', old, 5).with { it.status == 409 && it.body.code == 'rate_window_passed' }
    }

    def "bad input is problem+json with a field error per bad field"() {
        given:
        UUID b = RatingFixture.booking(donghu, nmr, user('rat-ann'))

        when:
        def bad = api.post(BASE, world.token('rat-ann'), [subjectKind: 'session', score: 6, comment: 'x' * 1001])
        def badChange = api.put("${BASE}/${UUID.randomUUID()}", world.token('rat-ann'), [score: 0])
        def badPage = api.get("${BASE}/mine?page=-1&size=1000", world.token('rat-ann'))
        def noInstrument = api.get(BASE, world.token('rat-manager'))

        then:
        bad.status == 400
        bad.body.code == 'validation_failed'
        bad.body.errors*.field as Set == ['subjectKind', 'subjectId', 'score', 'comment'] as Set
        badChange.status == 400
        badChange.body.errors*.field == ['score']
        badPage.body.errors*.field as Set == ['page', 'size'] as Set
        noInstrument.body.errors*.field == ['instrumentId']
        rate('rat-ann', b, 3, null, 'booking', world.tenant('rat-donghu').slug).status == 201   // one's own institution named
    }

    def "the aggregate and the staff's view show count, mean to one decimal and distribution, never who rated; staff reply once and edit it"() {
        given: 'three ratings of the XRD: 5, 4 and 4'
        String a = rate('rat-ann', RatingFixture.booking(donghu, xrd, user('rat-ann')), 5, '很好').body.id
        rate('rat-bob', RatingFixture.booking(donghu, xrd, user('rat-bob')), 4)
        rate('rat-cy', RatingFixture.booking(donghu, xrd, user('rat-cy')), 4, '排队有点久')

        when:
        def summary = api.get("${BASE}?instrumentId=${xrd}", world.token('rat-manager'))
        def comments = api.get("${BASE}?instrumentId=${xrd}&commentsOnly=true&size=1", world.token('rat-bob'))
        def byUser = api.put("${BASE}/${a}/reply", world.token('rat-bob'), [body: '谢谢'])
        def empty = api.put("${BASE}/${a}/reply", world.token('rat-manager'), [body: '  '])
        def replied = api.put("${BASE}/${a}/reply", world.token('rat-manager'), [body: '感谢您的评价'])
        def edited = api.put("${BASE}/${a}/reply", world.token('rat-manager'), [body: '感谢您的评价，欢迎再来'])

        then:
        summary.status == 200
        summary.body.aggregate.count == 3
        summary.body.aggregate.mean == 4.3
        summary.body.aggregate.distribution == [0, 0, 0, 2, 1]
        summary.body.comments.total == 3
        comments.body.comments.total == 2
        comments.body.comments.items.size() == 1
        !summary.body.toString().contains(user('rat-ann').toString())
        !summary.body.toString().contains(user('rat-bob').toString())
        summary.body.comments.items.every { !it.containsKey('raterUserId') && !it.containsKey('subjectId') }
        byUser.status == 403
        empty.status == 400
        empty.body.errors*.field == ['body']
        replied.status == 200
        !replied.body.reply.edited
        edited.body.reply.body == '感谢您的评价，欢迎再来'
        edited.body.reply.edited
        audited(donghu, a, 'rating.replied') == 1
        audited(donghu, a, 'rating.reply_edited') == 1
        api.get("${BASE}/mine", world.token('rat-ann')).body.items.find { it.id == a }.reply.body == '感谢您的评价，欢迎再来'

        and: "the evaluation's figure for this year"
        int year = LocalDate.now(ZoneId.of('Asia/Shanghai')).minusDays(2).year
        def figure = ctx.getBean(Ratings).instrumentYear(new TenantId(donghu), UUID.fromString(xrd), year)
        figure.count() >= 3 || year != LocalDate.now(ZoneId.of('Asia/Shanghai')).year
        ctx.getBean(Ratings).instrumentYear(new TenantId(donghu), UUID.fromString(xrd), 2001).count() == 0
    }

    def "a Xiling researcher rates a booking at Donghu from home: the rating lives in Donghu's tenant"() {
        given:
        UUID b = RatingFixture.booking(donghu, nmr, user('rat-xi'), home: xiling)

        when:
        def withoutOwner = rate('rat-xi', b, 5)
        def made = rate('rat-xi', b, 5, '跨校预约很顺利', 'booking', world.tenant('rat-donghu').slug)
        String id = made.body.id
        def mine = api.get("${BASE}/mine?owner=${world.tenant('rat-donghu').slug}", world.token('rat-xi'))
        def changed = api.put("${BASE}/${id}?owner=${world.tenant('rat-donghu').slug}", world.token('rat-xi'), [score: 4])

        then:
        withoutOwner.status == 404
        made.status == 201
        made.body.tenantId == donghu.toString()
        mine.body.items*.id == [id]
        changed.body.version == 2
        RatingFixture.count(donghu, "select count(*) from rating where id = ? and rater_home_tenant_id = ?", [UUID.fromString(id), xiling]) == 1
        RatingFixture.count(xiling, "select count(*) from rating where id = ?", [UUID.fromString(id)]) == 0
        api.get("${BASE}?instrumentId=${nmr}", world.token('rat-manager')).body.comments.items*.id.contains(id)
    }

    def "another institution's admin neither sees nor changes Donghu's ratings"() {
        given:
        String id = rate('rat-bob', RatingFixture.booking(donghu, nmr, user('rat-bob')), 2, '仪器常坏').body.id
        def snapshot = { api.get("${BASE}?instrumentId=${nmr}&size=100", world.token('rat-manager')).body.comments.items.collect { [it.id, it.score, it.reply?.body] }.sort { it.toString() } }
        def headers = [Authorization: 'Bearer ' + world.token('rat-xadmin'), 'Accept-Language': 'en']

        when:
        def report = IsolationProbe.against(baseUrl, headers)
                .probe('GET', "${BASE}/{id}")
                .probe('PUT', "${BASE}/{id}", '{"score":1}')
                .probe('GET', "${BASE}/mine/{id}")
                .probe('PUT', "${BASE}/{id}/reply", '{"body":"x"}')
                .listing('GET', "${BASE}/mine?size=100")
                .run([id], snapshot)
        def byInstrument = IsolationProbe.against(baseUrl, headers)
                .probe('GET', "${BASE}?instrumentId={id}")
                .run([nmr], snapshot)
        def bySubject = IsolationProbe.against(baseUrl, headers)
                .probe('POST', BASE, '{"subjectKind":"booking","subjectId":"{id}","score":1}')
                .run([RatingFixture.booking(donghu, nmr, user('rat-bob')).toString()], snapshot)

        then:
        report.leaks() == []
        !report.dataOfOwnerChanged()
        byInstrument.leaks() == []
        bySubject.leaks() == []
        !bySubject.dataOfOwnerChanged()
    }
}

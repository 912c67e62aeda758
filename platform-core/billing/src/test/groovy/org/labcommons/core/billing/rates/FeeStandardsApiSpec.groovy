package org.labcommons.core.billing.rates

import org.labcommons.core.booking.BookingClock
import org.labcommons.core.tenancy.TenantId
import org.labcommons.testkit.IsolationProbe
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld
import spock.lang.Shared

import java.time.Clock
import java.time.Duration
import java.time.Instant
import java.time.LocalDate
import java.time.ZoneId

import static org.labcommons.testkit.TenantWorld.*

/**
 * Fee standards through /api/v1/fee-standards: the life cycle draft -> submitted -> department_approved ->
 * committee_approved -> filed, each step by its role and audited; filing sets the catalogue's published price and a
 * card filed for a later day takes effect on that day; problem+json field errors for bad input; steps out of order
 * 409; another institution finds nothing.
 */
class FeeStandardsApiSpec extends PlatformSpec {
    static final String BASE = '/api/v1/fee-standards'
    static final ZoneId SHANGHAI = ZoneId.of('Asia/Shanghai')
    @Shared TenantWorld world
    @Shared UUID nmr
    @Shared UUID proton
    @Shared UUID tenant

    def setup() {
        if (world != null) {
            return
        }
        def made = TenantWorld.build(ctx) {
            institution('fee-donghu') {
                rateGroup('internal')
                rateGroup('consortium')
                rateGroup('external')
                unit('fee-chem')
                person('fee-committee', INSTITUTION_ADMIN)
                person('fee-manager', INSTRUMENT_ADMIN, unit: 'fee-chem')
                person('fee-head', PLATFORM_ADMIN, unit: 'fee-chem')
                person('fee-finance', FINANCE)
                person('fee-user', USER)
                instrument('NMR fees', unit: 'fee-chem', body: [services: [[nameZh: '氢谱', nameEn: '1H spectrum']]])
            }
            institution('fee-xiling') {
                rateGroup('internal')
                person('fee-other', INSTITUTION_ADMIN)
            }
        }
        nmr = UUID.fromString(made.instrument('NMR fees').id as String)
        proton = UUID.fromString(made.instrument('NMR fees').services[0].id as String)
        tenant = made.tenant('fee-donghu').id
        world = made
    }

    def cleanup() {
        ctx.getBean(BookingClock).set(null)
    }

    static LocalDate today() {
        LocalDate.now(SHANGHAI)
    }

    Map draft(Map terms = [:]) {
        [instrumentId: nmr.toString(), rateGroup: 'internal', unit: 'hour', priceFen: 12_000, minimumFen: 3_000,
         rounding: 15, assistedSurchargeFen: 4_000, effectiveFrom: today().toString(),
         timeBands: [[days: [1, 2, 3, 4, 5, 6, 7], from: '22:00', to: '24:00', priceFen: 6_000]]] + terms
    }

    /** Takes a new card of the key through every step up to committee approval; answers its id. */
    String approvedCard(Map terms = [:]) {
        def made = api.post(BASE, world.token('fee-manager'), draft(terms))
        assert made.status == 201
        String id = made.body.id
        assert api.post("${BASE}/${id}/submit", world.token('fee-manager'), [note: 'cost accounting attached']).status == 200
        assert api.post("${BASE}/${id}/approve-department", world.token('fee-head'), [:]).status == 200
        assert api.post("${BASE}/${id}/approve-committee", world.token('fee-committee'), [note: 'meeting 12']).status == 200
        id
    }

    long audited(String id, String action) {
        TenantWorld.inTenant(tenant) { c ->
            def ps = c.prepareStatement("select count(*) from audit_event where target_type = 'fee_standard' and target_id = ? and action = ?")
            ps.setString(1, id)
            ps.setString(2, action)
            ps.executeQuery().with { next(); getLong(1) }
        }
    }

    List prices() {
        api.get("/api/v1/instruments/${nmr}", world.token('fee-committee')).body.prices
                .findAll { it.serviceId == null && it.rateGroup == 'consortium' }
    }

    def "a card goes draft -> submitted -> department -> committee -> filed, each step by its role and audited; filed today it sets the published price"() {
        when:
        def made = api.post(BASE, world.token('fee-manager'), draft(rateGroup: 'consortium', priceFen: 9_000))

        then:
        made.status == 201
        made.body.status == 'draft'
        made.body.version == 1
        made.body.timeBands == [[days: [1, 2, 3, 4, 5, 6, 7], from: '22:00', to: '24:00', priceFen: 6_000]]

        when:
        String id = made.body.id
        def submitted = api.post("${BASE}/${id}/submit", world.token('fee-manager'), [note: 'cost sheet v2'])
        def dept = api.post("${BASE}/${id}/approve-department", world.token('fee-head'), null)
        def committee = api.post("${BASE}/${id}/approve-committee", world.token('fee-committee'), [note: 'fee committee 2026-12'])
        def filed = api.post("${BASE}/${id}/file", world.token('fee-committee'), [filingRef: '鄂价费备〔2026〕17号'])
        def one = api.get("${BASE}/${id}", world.token('fee-finance'))

        then:
        [submitted, dept, committee, filed]*.status == [200, 200, 200, 200]
        [submitted, dept, committee, filed]*.body*.status == ['submitted', 'department_approved', 'committee_approved', 'filed']
        filed.body.filingRef == '鄂价费备〔2026〕17号'
        filed.body.activatedAt != null
        one.body.history*.action == ['created', 'submitted', 'department_approved', 'committee_approved', 'filed', 'activated']
        one.body.history*.actorId == [world.person('fee-manager').userId, world.person('fee-manager').userId,
                                      world.person('fee-head').userId, world.person('fee-committee').userId,
                                      world.person('fee-committee').userId, world.person('fee-committee').userId]*.toString()
        one.body.history[1].note == 'cost sheet v2'
        ['fee_standard.created', 'fee_standard.submitted', 'fee_standard.department_approved',
         'fee_standard.committee_approved', 'fee_standard.filed', 'fee_standard.activated'].every { audited(id, it) == 1 }

        and: "the catalogue's published price follows the filed card"
        prices()*.amountFen == [9_000]
        prices()*.unit == ['hour']

        and: "rating finds it from today"
        def cards = ctx.getBean(RateCards)
        def card = cards.effective(new TenantId(tenant), nmr, null, 'consortium', Instant.now()).orElseThrow()
        card.id().toString() == id
        card.zone() == 'Asia/Shanghai'
        cards.price(card, Duration.ofMinutes(16), false, Instant.now()) >= 3_000
        cards.effective(new TenantId(tenant), nmr, null, 'consortium', today().minusDays(1).atStartOfDay(SHANGHAI).toInstant()).isEmpty()
        cards.effective(new TenantId(tenant), nmr, proton, 'consortium', Instant.now()).isEmpty()
    }

    def "a card filed for a later day charges from that day and sets the published price when the day comes, superseding the older"() {
        given: "version 1 in effect from today"
        String v1 = approvedCard(rateGroup: 'external', serviceId: proton.toString(), unit: 'sample', rounding: 1,
                priceFen: 20_000, timeBands: null)
        assert api.post("${BASE}/${v1}/file", world.token('fee-committee'), [filingRef: 'PF-2026-1']).body.activatedAt != null
        def cards = ctx.getBean(RateCards)
        def t = new TenantId(tenant)
        def external = { api.get("/api/v1/instruments/${nmr}", world.token('fee-committee')).body.prices
                .findAll { it.serviceId == proton.toString() && it.rateGroup == 'external' }*.amountFen }

        when: "version 2 filed to take effect in two days"
        String v2 = approvedCard(rateGroup: 'external', serviceId: proton.toString(), unit: 'sample', rounding: 1,
                priceFen: 25_000, timeBands: null)
        def filed = api.post("${BASE}/${v2}/file", world.token('fee-committee'),
                [filingRef: 'PF-2026-2', effectiveFrom: today().plusDays(2).toString()])
        Instant inThreeDays = Instant.now().plus(Duration.ofDays(3))

        then:
        filed.body.status == 'filed'
        filed.body.version == 2
        filed.body.activatedAt == null
        cards.effective(t, nmr, proton, 'external', Instant.now()).get().version() == 1
        cards.effective(t, nmr, proton, 'external', inThreeDays).get().version() == 2
        external() == [20_000]

        when: "its day comes"
        ctx.getBean(BookingClock).set(Clock.offset(Clock.systemUTC(), Duration.ofDays(3)))
        int took = ctx.getBean(FeeStandards).activateDue(t)
        int again = ctx.getBean(FeeStandards).activateDue(t)

        then:
        took >= 1
        again == 0
        external() == [25_000]
        api.get("${BASE}/${v2}", world.token('fee-committee')).body.history*.action.last() == 'activated'
        api.get("${BASE}/${v1}", world.token('fee-committee')).body.status == 'superseded'
        api.get("${BASE}/${v1}", world.token('fee-committee')).body.history*.action.last() == 'superseded'
        audited(v1, 'fee_standard.superseded') == 1
        cards.effective(t, nmr, proton, 'external', Instant.now()).get().version() == 1   // still version 1 until then

        and: "an activated card can no longer be withdrawn"
        api.post("${BASE}/${v2}/withdraw", world.token('fee-committee'), [note: 'too late']).status == 409
    }

    def "bad input is 400 validation_failed naming each field; nothing is written"() {
        given:
        long before = api.get("${BASE}?instrumentId=${nmr}", world.token('fee-manager')).body.total

        when:
        def r = api.post(BASE, world.token('fee-manager'), draft(terms))

        then:
        r.status == 400
        r.body.code == 'validation_failed'
        r.body.errors*.field as Set == fields as Set
        api.get("${BASE}?instrumentId=${nmr}", world.token('fee-manager')).body.total == before

        where:
        terms                                                          | fields
        [priceFen: -1]                                                 | ['priceFen']
        [priceFen: null]                                               | ['priceFen']
        [minimumFen: -100, assistedSurchargeFen: -5]                   | ['minimumFen', 'assistedSurchargeFen']
        [rateGroup: 'vip']                                             | ['rateGroup']
        [unit: 'minute']                                               | ['unit']
        [unit: 'minute', rounding: 1]                                  | ['unit']
        [unit: 'sample', rounding: 15]                                 | ['rounding']
        [rounding: 0]                                                  | ['rounding']
        [serviceId: UUID.randomUUID().toString()]                      | ['serviceId']
        [effectiveFrom: null]                                          | ['effectiveFrom']
        [effectiveFrom: '2020-01-01']                                  | ['effectiveFrom']
        [timeBands: [[days: [8], from: '25:00', to: '00:00', priceFen: -1]]] | ['timeBands[0].days', 'timeBands[0].from', 'timeBands[0].to', 'timeBands[0].priceFen']
        [timeBands: [[days: [6, 7], from: '00:00', to: '24:00', priceFen: 1], [days: [7], from: '22:00', to: '24:00', priceFen: 2]]] | ['timeBands[1]']
    }

    def "filing needs the authority's reference; steps out of order are 409 wrong_state; a draft is editable only as a draft"() {
        given:
        def made = api.post(BASE, world.token('fee-manager'), draft(rateGroup: 'internal', serviceId: proton.toString(),
                unit: 'item', rounding: 1, priceFen: 1_000))
        String id = made.body.id

        expect: "out of order"
        api.post("${BASE}/${id}/approve-department", world.token('fee-head'), [:]).with { status == 409 && body.code == 'wrong_state' }
        api.post("${BASE}/${id}/approve-committee", world.token('fee-committee'), [:]).status == 409
        api.post("${BASE}/${id}/file", world.token('fee-committee'), [filingRef: 'X-1']).status == 409

        and: "a draft is edited; its key stays"
        def edited = api.put("${BASE}/${id}", world.token('fee-manager'), draft(rateGroup: 'external', unit: 'item', rounding: 1, priceFen: 1_500))
        edited.status == 200
        edited.body.priceFen == 1_500
        edited.body.rateGroup == 'internal'

        when:
        api.post("${BASE}/${id}/submit", world.token('fee-manager'), [:])

        then: "submitted: no more edits, no second submit"
        api.put("${BASE}/${id}", world.token('fee-manager'), draft(unit: 'item', rounding: 1)).status == 409
        api.post("${BASE}/${id}/submit", world.token('fee-manager'), [:]).status == 409

        when:
        api.post("${BASE}/${id}/approve-department", world.token('fee-head'), [:])
        api.post("${BASE}/${id}/approve-committee", world.token('fee-committee'), [:])
        def noRef = api.post("${BASE}/${id}/file", world.token('fee-committee'), [note: 'no reference'])
        def blankRef = api.post("${BASE}/${id}/file", world.token('fee-committee'), [filingRef: '  '])
        def pastDay = api.post("${BASE}/${id}/file", world.token('fee-committee'), [filingRef: 'X-2', effectiveFrom: '2020-01-01'])

        then:
        [noRef, blankRef, pastDay]*.status == [400, 400, 400]
        noRef.body.errors*.field == ['filingRef']
        blankRef.body.errors*.field == ['filingRef']
        pastDay.body.errors*.field == ['effectiveFrom']
        api.get("${BASE}/${id}", world.token('fee-manager')).body.status == 'committee_approved'

        when: "withdrawn before filing"
        def withdrawn = api.post("${BASE}/${id}/withdraw", world.token('fee-committee'), [note: 'price review reopened'])

        then:
        withdrawn.body.status == 'withdrawn'
        audited(id, 'fee_standard.withdrawn') == 1
        api.post("${BASE}/${id}/withdraw", world.token('fee-committee'), [:]).status == 409
    }

    def "each step needs its role, and no one approves their own card"() {
        given:
        String id = api.post(BASE, world.token('fee-manager'), draft(rateGroup: 'internal', unit: 'day', rounding: 1)).body.id
        String own = api.post(BASE, world.token('fee-head'), draft(rateGroup: 'internal', unit: 'day', rounding: 1)).body.id

        expect: "people of the institution without a staff role neither read nor draft"
        api.get(BASE, world.token('fee-user')).status == 403
        api.post(BASE, world.token('fee-user'), draft()).status == 403
        api.post(BASE, world.token('fee-finance'), draft()).status == 403
        api.get(BASE, world.token('fee-finance')).status == 200

        and: "the manager submits but does not approve; the head approves for the department but not for the committee"
        api.post("${BASE}/${id}/submit", world.token('fee-user'), [:]).status == 403
        api.post("${BASE}/${id}/submit", world.token('fee-manager'), [:]).status == 200
        api.post("${BASE}/${id}/approve-department", world.token('fee-manager'), [:]).status == 403
        api.post("${BASE}/${id}/approve-department", world.token('fee-head'), [:]).status == 200
        api.post("${BASE}/${id}/approve-committee", world.token('fee-head'), [:]).status == 403
        api.post("${BASE}/${id}/file", world.token('fee-head'), [filingRef: 'X']).status == 403

        and: "the head drafted the other card: approving it is someone else's"
        api.post("${BASE}/${own}/submit", world.token('fee-head'), [:]).status == 200
        api.post("${BASE}/${own}/approve-department", world.token('fee-head'), [:]).with { status == 403 && body.code == 'same_approver' }
        api.post("${BASE}/${own}/approve-department", world.token('fee-committee'), [:]).status == 200
        api.post("${BASE}/${own}/approve-committee", world.token('fee-committee'), [:]).with { status == 403 && body.code == 'same_approver' }
    }

    def "the list filters by instrument, rate group and status and pages"() {
        given:
        3.times { api.post(BASE, world.token('fee-manager'), draft(rateGroup: 'consortium', serviceId: proton.toString(), unit: 'sample', rounding: 1)) }

        when:
        def first = api.get("${BASE}?instrumentId=${nmr}&serviceId=${proton}&rateGroup=consortium&status=draft&size=2", world.token('fee-manager'))
        def second = api.get("${BASE}?instrumentId=${nmr}&serviceId=${proton}&rateGroup=consortium&status=draft&size=2&page=1", world.token('fee-manager'))
        def bad = api.get("${BASE}?status=approved&size=500&page=-1", world.token('fee-manager'))

        then:
        first.body.total == 3
        first.body.items.size() == 2
        second.body.items.size() == 1
        (first.body.items + second.body.items)*.version as Set == [1, 2, 3] as Set
        (first.body.items + second.body.items).every { it.status == 'draft' && it.rateGroup == 'consortium' && it.history == null }
        bad.status == 400
        bad.body.errors*.field as Set == ['status', 'size', 'page'] as Set
    }

    def "another institution's admin neither sees nor moves Donghu's cards"() {
        given:
        String id = api.post(BASE, world.token('fee-manager'), draft(rateGroup: 'internal', serviceId: proton.toString(), unit: 'sample', rounding: 1)).body.id
        def snapshot = { api.get("${BASE}?instrumentId=${nmr}&size=200", world.token('fee-committee')).body.items.collect { [it.id, it.status, it.priceFen] }.sort { it.toString() } }
        def headers = [Authorization: 'Bearer ' + world.token('fee-other'), 'Accept-Language': 'en']

        when:
        def report = IsolationProbe.against(baseUrl, headers)
                .probe('GET', "${BASE}/{id}")
                .probe('PUT', "${BASE}/{id}", '{"unit":"sample","priceFen":1,"effectiveFrom":"2099-01-01"}')
                .probe('POST', "${BASE}/{id}/submit", '{}')
                .probe('POST', "${BASE}/{id}/approve-department", '{}')
                .probe('POST', "${BASE}/{id}/approve-committee", '{}')
                .probe('POST', "${BASE}/{id}/file", '{"filingRef":"X"}')
                .probe('POST', "${BASE}/{id}/withdraw", '{}')
                .listing('GET', "${BASE}?size=200")
                .run([id], snapshot)
        def byInstrument = IsolationProbe.against(baseUrl, headers)
                .listing('GET', "${BASE}?instrumentId={id}")
                .probe('POST', BASE, '{"instrumentId":"{id}","rateGroup":"internal","unit":"hour","priceFen":1,"effectiveFrom":"2099-01-01"}')
                .run([nmr.toString()], snapshot)

        then:
        report.leaks() == []
        !report.dataOfOwnerChanged()
        byInstrument.leaks() == []
        !byInstrument.dataOfOwnerChanged()
    }
}

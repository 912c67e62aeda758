package org.labcommons.core.billing.charges

import io.micronaut.json.JsonMapper
import org.apache.kafka.clients.consumer.KafkaConsumer
import org.apache.kafka.common.TopicPartition
import org.apache.kafka.common.serialization.StringDeserializer
import org.labcommons.core.billing.BillingTopics
import org.labcommons.core.billing.ledger.Ledger
import org.labcommons.core.billing.ledger.NewAccount
import org.labcommons.core.tenancy.TenantId
import org.labcommons.core.usage.UsageTopics
import org.labcommons.devstack.SharedDevStack
import org.labcommons.testkit.IsolationProbe
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld
import spock.lang.Shared

import java.time.Duration
import java.time.Instant
import java.time.YearMonth
import java.time.ZoneId

import static org.labcommons.testkit.TenantWorld.*

/**
 * Review and posting through /api/v1/charges: approve (single and bulk) posts a balanced transaction (shares, the
 * person's receivable, the lab's revenue); adjust and waive are new linked items and post their deltas once approved;
 * disputes by the user, resolved by staff; the charge policy; problem+json field errors; another institution finds
 * nothing.
 */
class ChargeReviewSpec extends PlatformSpec {
    static final String BASE = '/api/v1/charges'
    @Shared TenantWorld world
    @Shared ChargeFixture fx
    @Shared String nmr
    @Shared String shared
    @Shared String bare
    @Shared UUID user
    @Shared UUID unit
    @Shared TenantId tenant

    def setup() {
        if (world != null) {
            return
        }
        world = TenantWorld.build(ctx) {
            institution('chv-donghu') {
                rateGroup('internal')
                unit('chv-lab')
                person('chv-manager', INSTRUMENT_ADMIN, unit: 'chv-lab')
                person('chv-user', USER)
                person('chv-stranger', USER)
                person('chv-pi', USER)
                person('chv-finance', FINANCE)
                instrument('Reviewed NMR', unit: 'chv-lab')
                instrument('Funded NMR', unit: 'chv-lab')
                instrument('Unrated XRD', unit: 'chv-lab')
            }
            institution('chv-xiling') {
                person('chv-outsider', INSTITUTION_ADMIN)
            }
        }
        tenant = new TenantId(world.tenant('chv-donghu').id)
        fx = new ChargeFixture(ctx, world.tenant('chv-donghu').id)
        nmr = world.instrument('Reviewed NMR').id
        shared = world.instrument('Funded NMR').id
        bare = world.instrument('Unrated XRD').id
        user = world.person('chv-user').userId as UUID
        unit = UUID.fromString(world.instrument('Reviewed NMR').orgUnitId as String)
        fx.card(nmr)
        fx.card(shared)
        TestShares.instrument = UUID.fromString(shared)
        ctx.getBean(Ledger).ensureAccount(tenant, new NewAccount('6601.subsidy.open-testing', 'expense', '开放测试基金',
                'Open-testing fund', null, null))
    }

    def cleanupSpec() {
        TestShares.instrument = null
    }

    /** A pending charge of a measured session of {@code minutes} on {@code instrument}; answers its id. */
    String charge(String instrument = nmr, int minutes = 60, Instant start = Instant.now().minus(Duration.ofDays(2))) {
        UUID session = UUID.randomUUID()
        fx.deliver(UsageTopics.USAGE_SESSION, fx.envelope('usage.session.closed', 'usage_session', session.toString(), 1,
                fx.sessionPayload(session, instrument, start, start.plus(Duration.ofMinutes(minutes)), [userId: user.toString()])))
        fx.charges(session)[0].id.toString()
    }

    String token(String who) { world.token(who) }

    long balance(String code) {
        ctx.getBean(Ledger).accounts(tenant, code, 0, 1).items().any { it.code() == code } ? ctx.getBean(Ledger).balance(tenant, code) : 0L
    }

    def "approval posts a balanced transaction to the person's receivable and the lab's revenue; later adjustments and a waiver post their deltas as new items"() {
        given:
        String id = charge(nmr, 60)
        long receivable = balance("1122.person.${user}")
        long revenue = balance("6001.lab.${unit}")

        when:
        def approved = api.post("${BASE}/${id}/approve", token('chv-manager'), null)

        then:
        approved.status == 200
        approved.body.status == 'approved'
        approved.body.postedFen == 12_000
        approved.body.payerKind == 'person'
        approved.body.payerLedgerCode == "1122.person.${user}".toString()
        balance("1122.person.${user}") - receivable == 12_000
        balance("6001.lab.${unit}") - revenue == -12_000
        api.post("${BASE}/${id}/approve", token('chv-manager'), null).status == 409

        when: 'staff adjust it down by 2,000 with a reason, then waive it'
        def before = api.get("${BASE}/${id}", token('chv-manager')).body.items
        def adjusted = api.post("${BASE}/${id}/adjust", token('chv-manager'), [deltaFen: -2_000, reason: 'ran 10 minutes on a test sample'])
        def waived = api.post("${BASE}/${id}/waive", token('chv-manager'), [reason: 'instrument fault'])

        then:
        adjusted.status == 200
        adjusted.body.amountFen == 10_000
        balance("1122.person.${user}") - receivable == 0
        waived.status == 200
        waived.body.status == 'waived'
        waived.body.amountFen == 0
        waived.body.postedFen == 0
        waived.body.items*.kind == ['rated', 'adjustment', 'waiver']
        waived.body.items*.deltaFen == [12_000, -2_000, -10_000]
        waived.body.items[1].reason == 'ran 10 minutes on a test sample'
        waived.body.items[1].correctsSeq == 1
        waived.body.items[0] == before[0]   // the rated item was never touched
        balance("6001.lab.${unit}") - revenue == 0
        ctx.getBean(Ledger).trialBalance(tenant).values().sum() == 0
        audited(id, 'charge.approved') == 1 && audited(id, 'charge.adjusted') == 1 && audited(id, 'charge.waived') == 1
    }

    def "shares are debited first, the payer the rest, and stored per item; a downward adjustment posts the same lines negated"() {
        given:
        String id = charge(shared, 120)   // 24,000
        long fund = balance('6601.subsidy.open-testing')

        when:
        api.post("${BASE}/${id}/approve", token('chv-manager'), null)
        def adjusted = api.post("${BASE}/${id}/adjust", token('chv-manager'), [newTotalFen: 14_000, reason: 'half the time was calibration'])

        then:
        adjusted.status == 200
        adjusted.body.amountFen == 14_000
        adjusted.body.shares*.amountFen == [7_200, -3_000]
        adjusted.body.shares*.kind == ['subsidy', 'subsidy']
        adjusted.body.shares*.itemSeq == [1, 2]
        balance('6601.subsidy.open-testing') - fund == 4_200
        ctx.getBean(Ledger).trialBalance(tenant).values().sum() == 0
    }

    def "bulk approval answers per charge; an unrated charge waits until staff set its amount"() {
        given:
        String a = charge()
        String b = charge()
        String unrated = charge(bare)

        when:
        def bulk = api.post("${BASE}/approve", token('chv-manager'), [ids: [a, b, unrated]])

        then:
        bulk.status == 200
        bulk.body.results*.result == ['approved', 'approved', 'charge_unrated']

        when:
        def set = api.post("${BASE}/${unrated}/adjust", token('chv-manager'), [newTotalFen: 5_000, reason: 'priced by hand: no card yet'])
        def ok = api.post("${BASE}/${unrated}/approve", token('chv-manager'), null)

        then:
        set.body.unrated
        set.body.amountFen == 5_000
        ok.status == 200
        ok.body.postedFen == 5_000
        ok.body.payerLedgerCode == "1122.person.${user}".toString()
    }

    def "without review a charge is approved and posted as it is rated"() {
        given:
        def put = api.put("/api/v1/instruments/${shared}/charge-policy", token('chv-manager'), [reviewRequired: false])

        when:
        String id = charge(shared, 30)
        def one = api.get("${BASE}/${id}", token('chv-manager')).body

        then:
        put.status == 200
        put.body.reviewRequired == false
        put.body.noShowFeeBp == 10_000
        one.status == 'approved'
        one.postedFen == 6_000

        cleanup:
        api.put("/api/v1/instruments/${shared}/charge-policy", token('chv-manager'), [reviewRequired: true])
    }

    def "the user sees and disputes their charge; staff accept with an adjustment that posts, or reject with a note"() {
        given:
        String id = charge(nmr, 90)   // 18,000
        api.post("${BASE}/${id}/approve", token('chv-manager'), null)

        when:
        def mine = api.get("/api/v1/me/charges?size=200", token('chv-user'))
        def theirs = api.get("/api/v1/me/charges", token('chv-stranger'))
        def disputed = api.post("${BASE}/${id}/disputes", token('chv-user'), [reason: 'I used it for 60 minutes only'])
        def open = api.get("${BASE}/disputes", token('chv-manager'))

        then:
        mine.body.items*.id.contains(id)
        !theirs.body.items
        api.post("${BASE}/${id}/disputes", token('chv-stranger'), [reason: 'not mine']).status == 404
        disputed.status == 201
        disputed.body.status == 'disputed'
        open.body.items*.chargeId.contains(id)

        when:
        String dispute = disputed.body.disputes[0].id
        def noNote = api.post("${BASE}/${id}/disputes/${dispute}/resolve", token('chv-manager'), [resolution: 'rejected'])
        def accepted = api.post("${BASE}/${id}/disputes/${dispute}/resolve", token('chv-manager'),
                [resolution: 'accepted', newTotalFen: 12_000, note: 'the log shows 60 minutes'])

        then:
        noNote.status == 400
        noNote.body.errors*.field == ['note']
        accepted.status == 200
        accepted.body.status == 'approved'
        accepted.body.amountFen == 12_000
        accepted.body.postedFen == 12_000
        accepted.body.items*.kind == ['rated', 'adjustment']
        accepted.body.disputes[0].status == 'accepted'
        accepted.body.disputes[0].itemSeq == 2

        when: 'a second dispute is rejected with a note'
        def again = api.post("${BASE}/${id}/disputes", token('chv-user'), [reason: 'still too much'])
        def rejected = api.post("${BASE}/${id}/disputes/${again.body.disputes[1].id}/resolve", token('chv-manager'),
                [resolution: 'rejected', note: 'the minimum applies'])

        then:
        rejected.body.status == 'approved'
        rejected.body.amountFen == 12_000
        rejected.body.disputes*.status == ['accepted', 'rejected']
    }

    def "bad input is problem+json with field errors"() {
        given:
        String id = charge()

        expect:
        api.post("${BASE}/${id}/adjust", token('chv-manager'), [deltaFen: 100]).body.errors*.field == ['reason']
        api.post("${BASE}/${id}/adjust", token('chv-manager'), [deltaFen: 100, newTotalFen: 5, reason: 'x']).body.errors*.field == ['newTotalFen']
        api.post("${BASE}/${id}/adjust", token('chv-manager'), [deltaFen: -50_000, reason: 'x']).body.errors*.field == ['deltaFen']
        api.post("${BASE}/${id}/waive", token('chv-manager'), [reason: ' ']).body.errors*.field == ['reason']
        api.get("${BASE}?status=paid&period=2026-13&size=0", token('chv-manager')).body.errors*.field.sort() == ['period', 'size', 'status']
        with(api.put("/api/v1/instruments/${nmr}/charge-policy", token('chv-manager'), [basis: 'guessed', cancelFeeBp: 10_001, cancelFreeHours: -1])) {
            status == 400
            body.errors*.field.sort() == ['basis', 'cancelFeeBp', 'cancelFreeHours']
        }
        api.get("/api/v1/instruments/${bare}/charge-policy", token('chv-manager')).body.basis == 'measured'
        api.get("/api/v1/instruments/${bare}/charge-policy", token('chv-user')).status == 403
        api.post("${BASE}/${id}/approve", token('chv-user'), null).status == 404
        api.get(BASE, token('chv-user')).status == 403
    }

    def "lists filter by status, instrument, user, account and month in the tenant's zone"() {
        given:
        Instant march = YearMonth.of(2026, 3).atDay(1).atStartOfDay(ZoneId.of('Asia/Shanghai')).toInstant()   // 2026-02-28T16:00Z
        String id = charge(bare, 60, march)

        expect:
        api.get("${BASE}?period=2026-03&instrumentId=${bare}", token('chv-manager')).body.items*.id == [id]
        api.get("${BASE}?period=2026-02&instrumentId=${bare}", token('chv-manager')).body.total == 0
        api.get("${BASE}?userId=${user}&status=pending&unrated=true&size=200", token('chv-manager')).body.items*.id.contains(id)
        ctx.getBean(Charges).list(tenant, new ChargeView.Filter(null, null, user, null, '2026-03', null), 0, 10).total == 1
    }

    def "each change is emitted on billing.charge.v1: created, adjusted, approved, posted with the payer and the period"() {
        given:
        String id = charge(shared, 60)   // 12,000; the test fund pays 30 %
        api.post("${BASE}/${id}/adjust", token('chv-manager'), [deltaFen: 1_000, reason: 'assisted'])
        api.post("${BASE}/${id}/approve", token('chv-manager'), null)
        def consumer = new KafkaConsumer<String, String>(['bootstrap.servers': SharedDevStack.get().properties()['labcommons.kafka.bootstrap'],
                'isolation.level': 'read_committed', 'key.deserializer': StringDeserializer.name, 'value.deserializer': StringDeserializer.name])
        def partitions = consumer.partitionsFor(BillingTopics.CHARGE, Duration.ofSeconds(30)).collect { new TopicPartition(it.topic(), it.partition()) }
        consumer.assign(partitions)
        consumer.seekToBeginning(partitions)

        when:
        List<Map> events = []
        long deadline = System.currentTimeMillis() + 60_000
        while (!events.any { it.type == 'charge.posted' } && System.currentTimeMillis() < deadline) {
            consumer.poll(Duration.ofMillis(500)).each { r ->
                if (r.key() == id) {
                    events << ctx.getBean(JsonMapper).readValue(r.value(), Map)
                }
            }
        }
        def posted = events.find { it.type == 'charge.posted' }
        String personCode = "1122.person.${user}"
        String home = tenant.toString()

        then:
        events*.type == ['charge.created', 'charge.adjusted', 'charge.approved', 'charge.posted']
        events*.aggregateVersion == events*.aggregateVersion.sort()
        with(posted.payload) {
            it.postedFen == 13_000
            it.amountFen == 13_000
            it.payerKind == 'person'
            it.payerLedgerCode == personCode
            it.shares == [[kind: 'subsidy', amountFen: 3_900, reference: 'test-fund']]
            it.period ==~ /\d{4}-\d{2}/
            it.requesterTenantId == home
            it.status == 'approved'
            it.sourceType == 'usage_session'
        }

        cleanup:
        consumer?.close()
    }

    def "another institution's caller gets 404 for every charge id and instrument, and changes nothing"() {
        given:
        String id = charge()
        String dispute = UUID.randomUUID().toString()
        def headers = ['Authorization': "Bearer ${token('chv-outsider')}".toString()]
        def snapshot = { api.get("${BASE}/${id}", token('chv-manager')).body.subMap('status', 'amountFen', 'version') }

        when:
        def report = IsolationProbe.against(baseUrl, headers)
                .probe('GET', "${BASE}/{id}")
                .probe('POST', "${BASE}/{id}/approve", '{}')
                .probe('POST', "${BASE}/{id}/adjust", '{"deltaFen":1,"reason":"x"}')
                .probe('POST', "${BASE}/{id}/waive", '{"reason":"x"}')
                .probe('POST', "${BASE}/{id}/disputes", '{"reason":"x"}')
                .probe('POST', "${BASE}/{id}/disputes/${dispute}/resolve", '{"resolution":"rejected","note":"x"}')
                .probe('POST', "${BASE}/approve", '{"ids":["{id}"]}')
                .listing('GET', "/api/v1/me/charges")
                .run([id], snapshot)
        def byInstrument = IsolationProbe.against(baseUrl, headers)
                .probe('GET', "/api/v1/instruments/{id}/charge-policy")
                .probe('PUT', "/api/v1/instruments/{id}/charge-policy", '{"reviewRequired":false}')
                .run([nmr], snapshot)

        then:
        report.leaks() == []
        !report.dataOfOwnerChanged()
        byInstrument.leaks() == []
        !byInstrument.dataOfOwnerChanged()
    }

    long audited(String id, String action) {
        TenantWorld.inTenant(tenant.value()) { c ->
            def ps = c.prepareStatement("select count(*) from audit_event where target_type = 'charge' and target_id = ? and action = ?")
            ps.setString(1, id)
            ps.setString(2, action)
            ps.executeQuery().with { next(); getLong(1) }
        }
    }

    def "a month is not closed while a charge of it waits for review or a dispute's answer; approved, it no longer holds the close"() {
        given:
        Instant start = Instant.now().minus(Duration.ofDays(2))
        String id = charge(nmr, 30, start)
        YearMonth month = YearMonth.from(start.atZone(ZoneId.of('Asia/Shanghai')))
        def blocker = ctx.getBean(PendingChargesBlocker)
        def tenants = ctx.getBean(org.labcommons.core.tenancy.TenantTransactions)
        def blocking = { ->
            tenants.inTenant(tenant, { c -> blocker.blockers(c, tenant, month) } as org.labcommons.core.tenancy.TenantTransactions.TenantWork)
        }

        expect:
        blocking().find { it.reference() == id }?.code() == 'charges_pending'

        when: 'the user disputes it'
        def disputed = api.post("${BASE}/${id}/disputes", token('chv-user'), [reason: 'I used it 20 minutes'])

        then:
        disputed.status == 201
        blocking().find { it.reference() == id }?.code() == 'charges_disputed'

        when: 'staff answer the dispute (rejected) and approve the charge'
        def dispute = api.get("${BASE}/${id}", token('chv-manager')).body.disputes[0]
        def resolved = api.post("${BASE}/${id}/disputes/${dispute.id}/resolve", token('chv-manager'),
                [resolution: 'rejected', note: 'the log shows 30 minutes'])
        def approved = api.post("${BASE}/${id}/approve", token('chv-manager'), null)

        then:
        resolved.status == 200
        approved.status == 200
        !blocking().any { it.reference() == id }
    }


    def "the PI of the account a charge is charged to lists, reads and disputes it; nobody else who is not its user does"() {
        given: 'a project account led by chv-pi, and a charge of a booked session of chv-user charged to it'
        String code = "CHV-${UUID.randomUUID().toString().substring(0, 6)}".toString()
        def account = api.post('/api/v1/payer-accounts', token('chv-finance'), [kind: 'project', code: code,
                nameZh: '课题经费', nameEn: 'Project grant', settlement: 'monthly',
                piUserId: world.person('chv-pi').userId.toString()])
        def booking = fx.booking([accountCode: code, endedAgo: Duration.ofDays(1)], nmr, user)
        UUID session = UUID.randomUUID()
        fx.deliver(UsageTopics.USAGE_SESSION, fx.envelope('usage.session.closed', 'usage_session', session.toString(), 1,
                fx.sessionPayload(session, nmr, booking.start as Instant, (booking.start as Instant).plus(Duration.ofMinutes(45)),
                        [userId: user.toString(), bookingId: booking.id.toString(), link: 'booked'])))
        String id = fx.charges(session)[0].id.toString()

        when:
        def listed = api.get("/api/v1/me/charges?accountCode=${code}", token('chv-pi'))
        def listedByStranger = api.get("/api/v1/me/charges?accountCode=${code}", token('chv-stranger'))
        def read = api.get("${BASE}/${id}", token('chv-pi'))
        def readByStranger = api.get("${BASE}/${id}", token('chv-stranger'))
        def disputed = api.post("${BASE}/${id}/disputes", token('chv-pi'), [reason: 'not our project'])
        def disputedByStranger = api.post("${BASE}/${id}/disputes", token('chv-stranger'), [reason: 'why not'])

        then:
        account.status == 201
        read.body.accountCode == code
        listed.status == 200
        listed.body.items*.id == [id]
        listedByStranger.status == 403
        read.status == 200
        readByStranger.status == 404
        disputed.status == 201
        disputed.body.status == 'disputed'
        disputedByStranger.status == 404
    }

}

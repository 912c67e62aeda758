package org.labcommons.federation.charges

import io.micronaut.json.JsonMapper
import jakarta.inject.Inject
import org.apache.kafka.clients.consumer.ConsumerConfig
import org.apache.kafka.clients.consumer.KafkaConsumer
import org.apache.kafka.clients.producer.KafkaProducer
import org.apache.kafka.clients.producer.ProducerConfig
import org.apache.kafka.clients.producer.ProducerRecord
import org.apache.kafka.common.serialization.StringDeserializer
import org.apache.kafka.common.serialization.StringSerializer
import org.labcommons.core.billing.interinst.HomePayables
import org.labcommons.core.billing.ledger.Ledger
import org.labcommons.core.tenancy.TenantId
import org.labcommons.devstack.SharedDevStack
import org.labcommons.federation.FederationFixture
import org.labcommons.testkit.IsolationProbe
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld
import spock.lang.Shared

import java.nio.charset.StandardCharsets
import java.time.Duration
import java.time.Instant

import static org.labcommons.testkit.TenantWorld.FINANCE
import static org.labcommons.testkit.TenantWorld.INSTITUTION_ADMIN
import static org.labcommons.testkit.TenantWorld.USER

/**
 * The home side of cross-institution charges on the real stack: {@code charge.posted} events written to
 * {@code billing.charge.v1} (in the shape of the issue 17 contract) become, through federation's
 * {@link ChargePostedConsumer}, one posting in the home's ledger (the user's receivable against the payable to the
 * provider) and one payable row, however often delivered; the provider's own people's charges and other types post
 * nothing; a malformed event is dead-lettered; the payables API shows what the home owes, to its finance only.
 */
class InterinstChargesSpec extends PlatformSpec {
    @Inject JsonMapper json
    @Inject Ledger ledger
    @Inject ChargePostedConsumer consumer

    @Shared TenantWorld world
    @Shared TenantId home
    @Shared TenantId provider
    @Shared UUID alice
    @Shared String bootstrap

    def setup() {
        if (world != null) {
            return
        }
        bootstrap = SharedDevStack.get().properties()['labcommons.kafka.bootstrap']
        world = TenantWorld.build(ctx) {
            institution('ii-home', nameZh: '南屏学院', nameEn: 'Nanping College') {
                person('financeH', FINANCE)
                person('alice', USER)
            }
            institution('ii-provider', nameZh: '北山大学', nameEn: 'Beishan University') {
                person('adminP', INSTITUTION_ADMIN)
                person('bob', USER)
            }
        }
        home = new TenantId(world.tenant('ii-home').id)
        provider = new TenantId(world.tenant('ii-provider').id)
        alice = world.person('alice').userId
    }

    Map posted(UUID chargeId, long version, long postedFen, Map overrides = [:]) {
        Map payload = [id               : chargeId.toString(), tenant: provider.toString(), sourceType: 'usage_session',
                       sourceId         : UUID.randomUUID().toString(), kind: 'usage', instrumentId: UUID.randomUUID().toString(),
                       serviceId        : null, orgUnitId: UUID.randomUUID().toString(), userId: alice.toString(),
                       requesterTenantId: home.toString(), accountCode: 'GRANT-7', rateGroup: 'consortium',
                       feeStandardId    : UUID.randomUUID().toString(), feeStandardVersion: 1,
                       serviceStart     : '2033-03-02T01:00:00Z', serviceEnd: '2033-03-02T03:00:00Z', quantity: 2.00, unit: 'hour',
                       amountFen        : 24_000, status: 'approved', createdAt: '2033-03-02T04:00:00Z', version: version,
                       postedFen        : postedFen, payerKind: 'tenant', payerLedgerCode: "1122.tenant.${home}".toString(),
                       shares           : [], period: '2033-03']
        payload.putAll(overrides)
        [eventId      : UUID.randomUUID().toString(), type: 'charge.posted', schemaVersion: 1, tenantId: provider.toString(),
         aggregateType: 'charge', aggregateId: chargeId.toString(), aggregateVersion: version,
         occurredAt   : Instant.now().toString(), payload: payload]
    }

    void publish(List<Map> envelopes, String tenantHeader = provider.toString()) {
        new KafkaProducer<String, String>([(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG): bootstrap,
                (ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG): StringSerializer.name,
                (ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG): StringSerializer.name] as Map<String, Object>).withCloseable { p ->
            envelopes.each { e ->
                def record = new ProducerRecord<String, String>(ChargePostedConsumer.CHARGE_TOPIC, e.aggregateId as String,
                        json.writeValueAsString(e))
                record.headers().add('tenant-id', tenantHeader.getBytes(StandardCharsets.UTF_8))
                p.send(record).get()
            }
        }
    }

    long balance(TenantId t, String code) {
        ledger.trialBalance(t).getOrDefault(code, 0L)
    }

    def "a charge.posted delivered five times posts once at home: the user's receivable against the payable to the provider"() {
        given:
        UUID chargeId = UUID.randomUUID()
        def event = posted(chargeId, 3, 24_000, [shares: [[kind: 'subsidy', amountFen: 4_000, reference: 'fund']]])
        long handledBefore = consumer.handled()

        when: "the same event is on the topic five times"
        publish((1..5).collect { event })

        then: "all five were handled, and the home posted once: 24,000 less the 4,000 the provider's fund paid"
        FederationFixture.eventually { consumer.handled() >= handledBefore + 5 && balance(home, "2202.tenant.${provider}") == -20_000L } >= 0
        balance(home, "1122.person.${alice}") == 20_000L
        ledger.trialBalance(home).values().sum() == 0
        def page = world.api().get("/api/v1/interinst/payables?provider=${provider}", world.token('financeH'))
        page.status == 200
        page.body.total == 1
        page.body.items[0].chargeId == chargeId.toString()
        page.body.items[0].seq == 3
        page.body.items[0].amountFen == 20_000
        page.body.items[0].payerLedgerCode == "1122.person.${alice}".toString()
        page.body.items[0].providerNameEn == 'Beishan University'
        page.body.providers*.amountFen == [20_000]
        page.body.totalFen == 20_000

        when: "a later waiver of part of it (version 4, a negative delta) comes twice"
        def waiver = posted(chargeId, 4, -6_000)
        publish([waiver, waiver])

        then: "it posts once more, negated"
        FederationFixture.eventually { balance(home, "2202.tenant.${provider}") == -14_000L } >= 0
        consumer.apply(json.readValue(json.writeValueAsString(waiver), org.labcommons.core.events.EventEnvelope)) == HomePayables.Outcome.REPLAYED
        balance(home, "1122.person.${alice}") == 14_000L
        world.api().get('/api/v1/interinst/payables', world.token('financeH')).body.total == 2
    }

    def "the provider's own people's charges, charges billed to someone else and other event types post nothing at home"() {
        given:
        long before = balance(home, "2202.tenant.${provider}")
        def own = posted(UUID.randomUUID(), 1, 9_000, [requesterTenantId: provider.toString(), userId: world.person('bob').userId.toString(),
                                                       payerLedgerCode: "1122.person.${world.person('bob').userId}".toString()])
        def deposit = posted(UUID.randomUUID(), 1, 9_000, [payerKind: 'deposit', payerLedgerCode: "2203.deposit.${UUID.randomUUID()}".toString()])
        def created = posted(UUID.randomUUID(), 1, 9_000)
        created.type = 'charge.created'
        def marker = posted(UUID.randomUUID(), 1, 1_00)
        long handledBefore = consumer.handled()

        when:
        publish([own, deposit, created, marker])

        then: "only the marker behind them posted"
        FederationFixture.eventually { consumer.handled() >= handledBefore + 4 && balance(home, "2202.tenant.${provider}") == before - 100 } >= 0
        ledger.trialBalance(provider).keySet().every { !it.startsWith('2202.') }
    }

    def "a malformed charge event goes to billing.charge.v1.dlq with its error"() {
        given:
        def bad = posted(UUID.randomUUID(), 1, 5_000)
        bad.payload.remove('userId')
        long deadBefore = consumer.deadLettered()

        when:
        publish([bad])

        then:
        FederationFixture.eventually { consumer.deadLettered() > deadBefore } >= 0
        def dead = readDlq(bad.aggregateId as String)
        dead != null
        new String(dead.headers().lastHeader('dlq-error').value(), StandardCharsets.UTF_8).contains('userId')
    }

    def "the payables are the home finance office's only: others are refused, another institution sees none"() {
        expect:
        world.api().get('/api/v1/interinst/payables', world.token('alice')).status == 403
        world.api().get('/api/v1/interinst/payables?size=0', world.token('financeH')).body.errors*.field == ['size']

        when:
        def probe = IsolationProbe.against(world.api().base, ['Authorization': "Bearer ${world.token('adminP')}".toString()])
                .listing('GET', '/api/v1/interinst/payables')
                .listing('GET', '/api/v1/interinst/payables?provider={id}')
                .run([provider.toString(), alice.toString()], ['1122.person.' + alice], { ledger.trialBalance(home) })

        then:
        probe.probesMade() > 0
        probe.leaks() == []
        !probe.dataOfOwnerChanged()
    }

    private def readDlq(String key) {
        new KafkaConsumer<String, String>([(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG): bootstrap,
                (ConsumerConfig.GROUP_ID_CONFIG): "dlq-reader-${UUID.randomUUID()}".toString(),
                (ConsumerConfig.AUTO_OFFSET_RESET_CONFIG): 'earliest',
                (ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG): StringDeserializer.name,
                (ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG): StringDeserializer.name] as Map<String, Object>).withCloseable { c ->
            c.subscribe([ChargePostedConsumer.CHARGE_TOPIC + '.dlq'])
            long until = System.currentTimeMillis() + 20_000
            while (System.currentTimeMillis() < until) {
                for (def r : c.poll(Duration.ofMillis(500))) {
                    if (r.key() == key) {
                        return r
                    }
                }
            }
            null
        }
    }
}

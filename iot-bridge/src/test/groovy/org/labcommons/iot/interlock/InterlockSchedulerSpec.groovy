package org.labcommons.iot.interlock

import com.fasterxml.jackson.databind.ObjectMapper
import com.hivemq.client.mqtt.MqttGlobalPublishFilter
import com.hivemq.client.mqtt.datatypes.MqttQos
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client
import com.networknt.schema.JsonSchema
import com.networknt.schema.JsonSchemaFactory
import com.networknt.schema.SchemaLocation
import com.networknt.schema.SchemaValidatorsConfig
import com.networknt.schema.SpecVersion
import groovy.json.JsonSlurper
import org.labcommons.devstack.mqtt.EmbeddedMqttBroker
import org.labcommons.devstack.mqtt.MqttGrant
import org.labcommons.devstack.mqtt.StaticMqttAccessPolicy
import org.labcommons.iot.protocol.Topic
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.util.concurrent.PollingConditions

import java.nio.file.Path
import java.time.Duration
import java.time.Instant
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.TimeUnit

import static org.labcommons.iot.interlock.SpecView.booking
import static org.labcommons.iot.interlock.SpecView.grants

/**
 * The end of bookings through the real broker (dev-stack's embedded HiveMQ CE): the scheduler, with a clock the
 * specification moves and a view held in memory, publishes down/cmd with the bridge's kind of account; a subscriber
 * on every downlink sees what the controllers would get, checked against LC-IC/1's down-cmd schema.
 */
@Tag('integration')
class InterlockSchedulerSpec extends Specification {
    static final UUID TENANT = UUID.randomUUID()
    static final UUID ALICE = UUID.randomUUID()
    static final UUID BOB = UUID.randomUUID()
    @Shared @TempDir Path brokerDir
    @Shared StaticMqttAccessPolicy policy = new StaticMqttAccessPolicy()
    @Shared EmbeddedMqttBroker broker
    @Shared Mqtt5AsyncClient watcher
    @Shared DownlinkSender sender
    @Shared List<Map> seen = new CopyOnWriteArrayList<>()
    @Shared JsonSchema downCmd = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012) {
        it.schemaMappers { it.mapPrefix('https://labcommons.org/lc-ic/1/', 'classpath:lc-ic/1/') }
    }.getSchema(SchemaLocation.of('https://labcommons.org/lc-ic/1/down-cmd.schema.json'),
            SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build())

    PollingConditions within = new PollingConditions(timeout: 10, delay: 0.05)
    SpecView view = new SpecView()
    SpecClock clock = new SpecClock('2026-12-05T10:00:00Z')
    UUID instrument = UUID.randomUUID()
    UUID relay = UUID.randomUUID()
    UUID meter = UUID.randomUUID()
    InstrumentControllers controllers = { UUID t, UUID i ->
        i == instrument ? [new InstrumentControllers.Controller(relay, 'power_interlock'),
                           new InstrumentControllers.Controller(meter, 'power_meter')] : []
    } as InstrumentControllers
    InterlockScheduler scheduler = new InterlockScheduler(view, controllers, sender, new InterlockOfflineSettings(), clock)

    def setupSpec() {
        policy.account('bridge', 'bridge-secret', new MqttGrant('bridge', ['lc/v1/+/+/down/#'], ['lc/v1/+/+/up/#']))
        policy.account('watcher', 'watcher-secret', new MqttGrant('watcher', [], ['lc/v1/+/+/down/#']))
        broker = new EmbeddedMqttBroker(brokerDir, 0, false, policy, 'labcommons-bridge', 'unused')
        broker.start()
        watcher = Mqtt5Client.builder().identifier('watcher-' + UUID.randomUUID()).serverHost('127.0.0.1')
                .serverPort(broker.port()).buildAsync()
        watcher.publishes(MqttGlobalPublishFilter.SUBSCRIBED) { p ->
            seen << [topic: Topic.parse(p.topic.toString()).orElseThrow(), text: new String(p.payloadAsBytes, 'UTF-8')]
        }
        watcher.connectWith().simpleAuth().username('watcher').password('watcher-secret'.bytes).applySimpleAuth()
                .send().get(30, TimeUnit.SECONDS)
        watcher.subscribeWith().topicFilter('lc/v1/+/+/down/#').qos(MqttQos.AT_LEAST_ONCE).send().get(30, TimeUnit.SECONDS)
        sender = new DownlinkSender(URI.create(broker.url()), 'bridge', 'bridge-secret', 'interlock-spec')
        sender.open().get(30, TimeUnit.SECONDS)
        new PollingConditions(timeout: 30).eventually { assert sender.connected() }
    }

    def cleanupSpec() {
        sender?.close()
        watcher?.disconnect()?.get(5, TimeUnit.SECONDS)
        broker?.close()
    }

    def setup() {
        seen.clear()
    }

    /** The commands the watcher saw for a device, parsed. */
    List<Map> commands(UUID device) {
        seen.findAll { it.topic.deviceId() == device && it.topic.channel() == 'cmd' }.collect { new JsonSlurper().parseText(it.text) as Map }
    }

    boolean valid(Map cmd) {
        downCmd.validate(new ObjectMapper().valueToTree(cmd)).isEmpty()
    }

    void at(String time) {
        clock.now = Instant.parse(time)
        scheduler.tick()
    }

    def "at a booking's end the relay gets warn (bilingual, minutesLeft = end grace), at end + grace lock; each once"() {
        given: 'Alice books 08:00-10:00, end grace 10 min'
        def b = UUID.randomUUID()
        view.put(grants(tenant: TENANT, instrument: instrument, bookings: [booking(b, ALICE, TENANT, '2026-12-05T08:00:00Z', '2026-12-05T10:00:00Z')]))

        when: 'during the booking'
        at('2026-12-05T09:59:00Z')

        then:
        Thread.sleep(300)
        commands(relay).isEmpty()

        when: 'at its end, and again on the next ticks'
        at('2026-12-05T10:00:00Z')
        at('2026-12-05T10:00:30Z')
        at('2026-12-05T10:05:00Z')

        then:
        within.eventually { assert commands(relay).size() == 1 }
        def warn = commands(relay)[0]
        warn.type == 'warn'
        warn.body.minutesLeft == 10
        warn.body.message.contains('分钟') && warn.body.message.contains('minutes')
        warn.cmdId ==~ /[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/
        Instant.parse(warn.expiresAt) == Instant.parse(warn.issuedAt).plus(Duration.ofMinutes(5))
        valid(warn)
        commands(meter).isEmpty()   // a power meter has no relay

        when: 'end + grace, then later ticks'
        at('2026-12-05T10:10:00Z')
        at('2026-12-05T10:10:30Z')
        at('2026-12-05T10:20:00Z')

        then:
        within.eventually { assert commands(relay).size() == 2 }
        Thread.sleep(300)
        commands(relay)*.type == ['warn', 'lock']
        commands(relay)[1].body == [reason: InterlockScheduler.LOCK_TEXT, graceS: 0]
        valid(commands(relay)[1])
        commands(relay)*.cmdId.toSet().size() == 2
    }

    def "no warn and no lock when the same person's next booking starts by then; someone else's next booking does not stop it"() {
        given: 'Alice 08-10 then Alice 10:05-11; Bob has 10:00 on another day'
        def first = UUID.randomUUID()
        def second = UUID.randomUUID()
        view.put(grants(tenant: TENANT, instrument: instrument, bookings: [
                booking(first, ALICE, TENANT, '2026-12-05T08:00:00Z', '2026-12-05T10:00:00Z'),
                booking(second, ALICE, TENANT, '2026-12-05T10:05:00Z', '2026-12-05T11:00:00Z'),
                booking(UUID.randomUUID(), BOB, TENANT, '2026-12-05T11:00:00Z', '2026-12-05T12:00:00Z')]))

        when:
        at('2026-12-05T10:00:00Z')
        at('2026-12-05T10:10:00Z')

        then: 'Alice goes on'
        Thread.sleep(300)
        commands(relay).isEmpty()

        when: 'her second booking ends; Bob is next at 11:00: she is warned and locked out all the same'
        at('2026-12-05T11:00:00Z')
        at('2026-12-05T11:10:00Z')

        then:
        within.eventually { assert commands(relay)*.type == ['warn', 'lock'] }
    }

    def "an override extend holds the lock until its until (warned end-grace minutes before); unlock and lock overrides are sent once"() {
        given:
        def b = UUID.randomUUID()
        def extend = new InstrumentGrants.Override(UUID.randomUUID(), 'extend', Instant.parse('2026-12-05T11:00:00Z'), 'long acquisition')
        view.put(grants(tenant: TENANT, instrument: instrument, overrides: [extend],
                bookings: [booking(b, ALICE, TENANT, '2026-12-05T08:00:00Z', '2026-12-05T10:00:00Z')]))

        when: 'the booking ends and its grace passes'
        at('2026-12-05T10:00:00Z')
        at('2026-12-05T10:10:00Z')
        at('2026-12-05T10:45:00Z')

        then: 'the extension covers it'
        Thread.sleep(300)
        commands(relay).isEmpty()

        when: 'the extension nears its end, then ends'
        at('2026-12-05T10:50:00Z')
        at('2026-12-05T11:00:00Z')

        then:
        within.eventually { assert commands(relay)*.type == ['warn', 'lock'] }

        when: 'staff unlock now, then lock now (each seen on three ticks)'
        seen.clear()
        def unlock = new InstrumentGrants.Override(UUID.randomUUID(), 'unlock', Instant.parse('2026-12-05T13:00:00Z'), 'service check')
        view.put(grants(tenant: TENANT, instrument: instrument, overrides: [unlock]))
        3.times { at('2026-12-05T12:00:0' + it + 'Z') }
        def lock = new InstrumentGrants.Override(UUID.randomUUID(), 'lock', null, 'spill on the bench')
        view.put(grants(tenant: TENANT, instrument: instrument, overrides: [unlock, lock]))
        3.times { at('2026-12-05T12:10:0' + it + 'Z') }

        then:
        within.eventually { assert commands(relay).size() == 2 }
        Thread.sleep(300)
        commands(relay)*.type == ['unlock', 'lock']
        commands(relay)[0].body == [until: '2026-12-05T13:00:00Z']
        commands(relay)[1].body == [reason: 'spill on the bench', graceS: 0]
        commands(relay).every { valid(it) }
    }

    def "the cache publisher sends each device asking for access its signed cache once, and again when its grants change"() {
        given:
        def key = new InterlockKey('')
        def publisher = new GrantCachePublisher(view, controllers, sender, key, new InterlockOfflineSettings(), clock)
        view.credentials[[TENANT, ALICE]] = ['04A1B2C3D4']
        view.put(grants(tenant: TENANT, instrument: instrument, now: clock.instant(),
                bookings: [booking(UUID.randomUUID(), ALICE, TENANT, '2026-12-05T12:00:00Z', '2026-12-05T13:00:00Z')]))

        when:
        publisher.tick()
        publisher.tick()

        then: 'the relay gets it once; the power meter asks for nothing'
        within.eventually { assert commands(relay).size() == 1 }
        Thread.sleep(300)
        commands(meter).isEmpty()
        def cache = commands(relay)[0]
        cache.type == 'grants'
        valid(cache)
        GrantCache.verify(cache.body, key.publicKey())
        cache.body.entries == [[cred: GrantCache.credentialHash(relay, '04A1B2C3D4'), from: '2026-12-05T11:45:00Z', to: '2026-12-05T13:00:00Z']]

        when: 'Bob is booked too'
        view.credentials[[TENANT, BOB]] = ['04FFEE']
        view.put(grants(tenant: TENANT, instrument: instrument, now: clock.instant(), bookings: [
                booking(UUID.randomUUID(), ALICE, TENANT, '2026-12-05T12:00:00Z', '2026-12-05T13:00:00Z'),
                booking(UUID.randomUUID(), BOB, TENANT, '2026-12-05T14:00:00Z', '2026-12-05T15:00:00Z')]))
        publisher.tick()

        then:
        within.eventually { assert commands(relay).size() == 2 }
        commands(relay)[1].body.entries.size() == 2
    }
}

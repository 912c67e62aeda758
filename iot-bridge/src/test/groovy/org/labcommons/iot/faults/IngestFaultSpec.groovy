package org.labcommons.iot.faults

import com.hivemq.client.mqtt.datatypes.MqttQos
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld
import spock.lang.Shared
import spock.lang.Tag

import java.nio.charset.StandardCharsets
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths
import java.nio.file.StandardOpenOption
import java.time.Duration
import java.time.Instant
import java.time.temporal.ChronoUnit
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicLong

/**
 * The faults of issue 15 against the real broker (HiveMQ CE with file persistence), the real Kafka
 * and the bridge in a JVM of its own, with devices provisioned in the database and publishing
 * signed LC-IC/1 envelopes ({@link LeanDevice}). After each fault the topics are read back and
 * reconciled per device by seq ({@link Reconciliation}): every valid message is in Kafka and, after
 * de-duplication by eventId, exactly once (0 lost, 0 duplicates); every bad one is in
 * {@code iot.deadletter.v1} with its reason. Each feature prints one line of counts (also written to
 * {@code target/faults/fault-counts.txt}). iot-bridge/README.md, "Faults", says what each one does.
 */
@Tag('integration')
class IngestFaultSpec extends PlatformSpec {
    static final Path COUNTS = Paths.get('target', 'faults', 'fault-counts.txt')

    @Shared FaultStack stack
    @Shared BridgeProcess bridge
    @Shared UUID tenantA
    @Shared UUID tenantB

    def setup() {
        if (stack != null) {
            return
        }
        def world = TenantWorld.build(ctx) { institution('fault-a'); institution('fault-b') }
        tenantA = world.tenant('fault-a').id
        tenantB = world.tenant('fault-b').id
        stack = new FaultStack(FaultAccess.policy(ctx, baseUrl)).start()
        Files.createDirectories(COUNTS.parent)
        Files.deleteIfExists(COUNTS)
        bridge = new BridgeProcess('fault-bridge', stack.bridgeProperties() + [
                'labcommons.iot.ingest.client-id': 'fault-bridge-1',
                'labcommons.db.migrate'          : 'false']).start().awaitReady()
    }

    def cleanupSpec() {
        bridge?.kill()
        stack?.close()
    }

    private List<LeanDevice> devices(UUID tenant, String name, int count, boolean connect = true) {
        def list = FaultDevices.provision(ctx, tenant, name, count)
        if (connect) {
            list.each { it.connect('127.0.0.1', stack.broker.port()) }
        }
        list
    }

    private Reconciliation reconcile(Collection<LeanDevice> devices) {
        new Reconciliation(stack.bootstrap(), devices*.deviceId)
    }

    private static String report(String fault, Reconciliation r, Map<UUID, Collection<Long>> expected, String extra = '') {
        String line = Reconciliation.summary(fault, r.tallies.values(), expected, extra)
        println line
        Files.writeString(COUNTS, line + '\n', StandardOpenOption.CREATE, StandardOpenOption.APPEND)
        line
    }

    /** Reads the topics until {@code condition} holds or {@code maxWaitMs} passed; whether it held. */
    private static boolean readUntil(Reconciliation r, long maxWaitMs, Closure<Boolean> condition) {
        long deadline = System.currentTimeMillis() + maxWaitMs
        while (!condition.call()) {
            if (System.currentTimeMillis() >= deadline) {
                return false
            }
            r.pollOnce(100)
        }
        true
    }

    private static boolean exactlyOnce(Reconciliation r, Map<UUID, Collection<Long>> expected) {
        expected.every { UUID d, Collection<Long> seqs ->
            def t = r.tally(d)
            t.lost(seqs).isEmpty() && t.duplicatesAfterDedup() == 0 && t.seqs.size() == seqs.size()
        }
    }

    def "the bridge killed abruptly ten times mid-stream loses nothing and duplicates nothing after de-duplication"() {
        given: 'ten devices streaming 150 messages/s (a fifth of them signed usage events)'
        def fleet = devices(tenantA, 'kill', 10)
        def r = reconcile(fleet)
        def stream = new DeviceStream(fleet, 150).start()
        List<Long> ingestedBetweenKills = []

        when: 'ten times: the bridge is seen writing to Kafka, then gets SIGKILL and is started again'
        10.times {
            long before = r.recordsRead
            long deadline = System.currentTimeMillis() + 20_000
            while (r.recordsRead == before && System.currentTimeMillis() < deadline) {
                r.pollOnce(100)
            }
            Thread.sleep(200 + new Random().nextInt(600))
            r.pollOnce(50)
            ingestedBetweenKills << r.recordsRead - before
            bridge.kill()
            // the broker kept the bridge's session, subscription included: UP is enough, and the next round
            // waits until it writes to Kafka again
            bridge.start().awaitReady(120_000, 0)
        }
        stream.finish()
        def expected = stream.expected()
        r.awaitAll(expected, 180_000)
        report('bridge killed 10x', r, expected, "kills ${bridge.kills}, records between kills ${ingestedBetweenKills}")

        then: 'the bridge was writing when each kill came'
        ingestedBetweenKills.size() == 10
        ingestedBetweenKills.every { it > 0 }

        and: 'every valid message is in Kafka once after de-duplication, none in the dead letters'
        exactlyOnce(r, expected)
        fleet.every { r.tally(it.deviceId).deadLetterCount() == 0 }
        fleet.every { r.tally(it.deviceId).tenantsSeen == [tenantA.toString()] as Set }

        cleanup:
        fleet*.close()
        r?.close()
    }

    def "the broker restarted mid-stream: devices and the bridge resume their sessions and nothing is lost"() {
        given:
        def fleet = devices(tenantA, 'broker', 10)
        def r = reconcile(fleet)
        def stream = new DeviceStream(fleet, 300).start()

        when: 'once the bridge writes the stream to Kafka, the broker stops and starts again on the same port, from its persisted sessions and queues'
        readUntil(r, 30_000) { r.recordsRead >= 300 }
        long t0 = System.currentTimeMillis()
        stack.restartBroker()
        long restartMs = System.currentTimeMillis() - t0

        and: 'the stream goes on until every device had 30 more messages acknowledged by the restarted broker'
        Map<LeanDevice, Long> ackedAtRestart = fleet.collectEntries { [(it): it.acked.get()] }
        readUntil(r, 30_000) { fleet.every { it.acked.get() >= ackedAtRestart[it] + 30 } }
        stream.finish()
        def expected = stream.expected()
        r.awaitAll(expected, 120_000)
        long resent = fleet.sum { it.resent.get() } as long
        report('broker restarted', r, expected, "restart ${restartMs} ms, resent by devices ${resent}")

        then:
        exactlyOnce(r, expected)
        fleet.every { r.tally(it.deviceId).deadLetterCount() == 0 }

        cleanup:
        fleet*.close()
        r?.close()
    }

    def "Kafka unavailable for 30 s: the bridge holds its acknowledgements, and everything lands once Kafka is back"() {
        given:
        def fleet = devices(tenantA, 'kafka', 10)
        def r = reconcile(fleet)
        def stream = new DeviceStream(fleet, 200).start()

        when: 'Kafka is stopped for 30 s in the middle of the stream (once the bridge writes it to Kafka)'
        readUntil(r, 30_000) { r.recordsRead >= 200 }
        long before = stream.published
        stack.stopKafka()
        Thread.sleep(30_000)
        long duringOutage = stream.published - before
        stack.startKafka()

        and: 'the stream goes on until the bridge writes to Kafka again (more records than were published before the outage)'
        readUntil(r, 60_000) { r.recordsRead > before + 200 }
        stream.finish(180_000)
        def expected = stream.expected()
        r.awaitAll(expected, 180_000)
        report('Kafka down 30 s', r, expected, "published during the outage ${duringOutage}")

        then:
        duringOutage > 1_000
        exactlyOnce(r, expected)
        fleet.every { r.tally(it.deviceId).deadLetterCount() == 0 }

        cleanup:
        fleet*.close()
        r?.close()
    }

    def "a device offline for a day replays its buffered events with historical=true, then goes on live"() {
        given: 'a device that buffered one message a minute for the past day while offline'
        def device = devices(tenantA, 'replay', 1, false).first()
        Instant dayAgo = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MINUTES)
        def buffered = (0..<1440).collect { int i ->
            long seq = device.nextSeq()
            Instant at = dayAgo.plus(i, ChronoUnit.MINUTES)
            seq % 4 == 0 ? device.event(seq, at, true) : device.telemetry(seq, at, true)
        }
        def r = reconcile([device])

        when: 'it connects, replays the buffer, then publishes 60 live messages'
        device.connect('127.0.0.1', stack.broker.port())
        buffered.each { device.send(it) }
        60.times {
            long seq = device.nextSeq()
            device.send(device.telemetry(seq))
        }
        device.awaitSettled(System.currentTimeMillis() + 60_000)
        def expected = [(device.deviceId): (1L..device.lastSeq()).toList() as Collection<Long>]
        r.awaitAll(expected, 120_000)
        def t = r.tally(device.deviceId)
        report('buffered day replayed', r, expected, "historical ${t.historical}, live ${t.seqs.size() - t.historical}")

        then:
        exactlyOnce(r, expected)
        t.historical == 1440
        t.deadLetterCount() == 0

        cleanup:
        device?.close()
        r?.close()
    }

    def "duplicates and out-of-order delivery: each event once after de-duplication, ordered by seq by the consumer"() {
        given: '300 envelopes of one device, sent shuffled, 60 of them twice with the same bytes'
        def device = devices(tenantA, 'dup', 1).first()
        def messages = (1..300).collect { int i ->
            long seq = device.nextSeq()
            seq % 3 == 0 ? device.event(seq) : device.telemetry(seq)
        }
        def rnd = new Random(15)
        def order = new ArrayList(messages)
        Collections.shuffle(order, rnd)
        def again = (0..<60).collect { messages[rnd.nextInt(messages.size())] }
        def r = reconcile([device])

        when:
        (order + again).each { device.send(it) }
        device.awaitSettled(System.currentTimeMillis() + 60_000)
        def expected = [(device.deviceId): (1L..300L).toList() as Collection<Long>]
        r.awaitAll(expected, 60_000)
        def t = r.tally(device.deviceId)
        report('duplicates + out of order', r, expected, "sent ${device.sent.get()} (60 again), anomalies ${t.anomalyCounts}")

        then: 'every seq once after de-duplication; the re-sent copies are the only extra records'
        exactlyOnce(r, expected)
        t.records - t.seqs.size() <= 60
        t.outOfOrder > 0
        t.deadLetterCount() == 0

        cleanup:
        device?.close()
        r?.close()
    }

    def "a device clock 10 minutes off: its messages are ingested and flagged clock_skew"() {
        given:
        def device = devices(tenantA, 'skew', 1).first()
        device.clockOffsetMs = -Duration.ofMinutes(10).toMillis()
        def r = reconcile([device])

        when:
        50.times {
            long seq = device.nextSeq()
            device.send(seq % 2 == 0 ? device.event(seq) : device.telemetry(seq))
        }
        device.awaitSettled(System.currentTimeMillis() + 30_000)
        def expected = [(device.deviceId): (1L..50L).toList() as Collection<Long>]
        r.awaitAll(expected, 60_000)
        def t = r.tally(device.deviceId)
        report('clock 10 min off', r, expected, "anomalies ${t.anomalyCounts}, skew ms ${t.skewsMs ? t.skewsMs.min() + '..' + t.skewsMs.max() : 'none'}")

        then:
        exactlyOnce(r, expected)
        t.anomalyCounts['clock_skew'] == 50
        t.skewsMs.size() == 50
        t.skewsMs.every { Math.abs(it) > Duration.ofMinutes(9).toMillis() && Math.abs(it) < Duration.ofMinutes(11).toMillis() }

        cleanup:
        device?.close()
        r?.close()
    }

    def "bad input among valid messages goes to the dead letters with its reason, and the stream goes on: #fault"() {
        given: '100 valid messages with 20 bad ones in between'
        def device = devices(tenantA, fault.replace(' ', '-'), 1).first()
        def r = reconcile([device])

        when:
        100.times { int i ->
            long seq = device.nextSeq()
            device.send(seq % 2 == 0 ? device.event(seq) : device.telemetry(seq))
            if (i % 5 == 4) {
                device.send(bad.call(device) as LeanDevice.Outgoing)
            }
        }
        device.awaitSettled(System.currentTimeMillis() + 30_000)
        def expected = [(device.deviceId): (1L..100L).toList() as Collection<Long>]
        r.awaitAll(expected, 60_000).awaitDeadLetters([device.deviceId], 20, 60_000)
        def t = r.tally(device.deviceId)
        report(fault, r, expected)

        then:
        exactlyOnce(r, expected)
        t.deadLetters == [(reason): 20L]

        cleanup:
        device?.close()
        r?.close()

        where:
        fault            | reason          | bad
        'malformed JSON' | 'malformed_json' | { LeanDevice d -> d.raw(d.topic('event'), ('{"v":"LC-IC/1","eventId":"' + LeanDevice.uuidV7() + '","body":{').getBytes(StandardCharsets.UTF_8)) }
        'oversize'       | 'oversize'       | { LeanDevice d -> d.raw(d.topic('telemetry'), d.envelope(0, 'power.sample', '{"note":"' + ('x' * 70_000) + '"}', false, Instant.now(), false)) }
        'bad signature'  | 'bad_signature'  | { LeanDevice d -> d.raw(d.topic('event'), tamper(d.event(d.lastSeq() + 100_000).payload)) }
    }

    def "another tenant's topic: the broker refuses the device, and a broker without ACLs still cannot get it past the bridge"() {
        given: 'a device of tenant A, and a client of a broker without per-device ACLs'
        def device = devices(tenantA, 'foreign', 1).first()
        def r = reconcile([device])
        Mqtt5BlockingClient unrestricted = Mqtt5Client.builder().identifier("acl-less-${UUID.randomUUID()}")
                .serverHost('127.0.0.1').serverPort(stack.broker.port())
                .simpleAuth().username(FaultStack.UNRESTRICTED_USER).password(stack.unrestrictedPassword.bytes).applySimpleAuth()
                .buildBlocking()
        unrestricted.connect()
        String foreignTopic = "lc/v1/${tenantB}/${device.deviceId}/up/event"

        when: 'the device publishes 20 valid events and 10 on an uplink channel LC-IC/1 does not have'
        20.times {
            long seq = device.nextSeq()
            device.send(device.event(seq))
        }
        10.times { device.send(device.raw(device.topic('firmware'), device.event(device.nextSeq()).payload)) }
        device.awaitSettled(System.currentTimeMillis() + 30_000)
        long disconnectsBefore = device.disconnects.get()

        and: 'then 10 events on tenant B\'s topic, one at a time (each refusal costs it its connection)'
        10.times {
            device.send(device.raw(foreignTopic, device.event(device.nextSeq()).payload)).get(30, TimeUnit.SECONDS)
        }
        device.awaitSettled(System.currentTimeMillis() + 30_000)

        and: 'the ACL-less client publishes 10 of its signed events on tenant B\'s topic'
        10.times {
            unrestricted.publishWith().topic(foreignTopic).qos(MqttQos.AT_LEAST_ONCE).payload(device.event(device.nextSeq()).payload).send()
        }
        def expected = [(device.deviceId): (1L..20L).toList() as Collection<Long>]
        r.awaitAll(expected, 60_000).awaitDeadLetters([device.deviceId], 20, 60_000)
        def t = r.tally(device.deviceId)
        long disconnects = device.disconnects.get() - disconnectsBefore
        report("another tenant's topic", r, expected, "refused by the broker ${device.refused.get()}, disconnected by the broker ${disconnects}")

        then: 'the broker refused the device\'s foreign-tenant publishes (PUBACK NOT_AUTHORIZED, then DISCONNECT)'
        device.refused.get() == 10
        disconnects >= 1

        and: 'the bridge dead-lettered the rest with their reasons, each message once; the valid events are there once'
        exactlyOnce(r, expected)
        t.deadLetters == [foreign_topic: 10L, tenant_mismatch: 10L]
        t.deadLetterRecordsByReason == [foreign_topic: 10L, tenant_mismatch: 10L]
        t.tenantsSeen == [tenantA.toString()] as Set

        cleanup:
        device?.close()
        unrestricted?.disconnect()
        r?.close()
    }

    def "a publish the broker refuses costs the device its connection: what it had in flight behind it comes again, and the bridge writes one dead letter per copy"() {
        given: 'a device of tenant A, and a subscriber that counts what the broker delivers on its up/firmware'
        def device = devices(tenantA, 'refused-ahead', 1).first()
        def r = reconcile([device])
        String firmware = device.topic('firmware')
        AtomicLong delivered = new AtomicLong()
        Mqtt5AsyncClient monitor = Mqtt5Client.builder().identifier("firmware-monitor-${UUID.randomUUID()}")
                .serverHost('127.0.0.1').serverPort(stack.broker.port())
                .simpleAuth().username(FaultStack.BRIDGE_USER).password(stack.bridgePassword.bytes).applySimpleAuth()
                .buildAsync()
        monitor.connect().get(30, TimeUnit.SECONDS)
        monitor.subscribeWith().topicFilter(firmware).qos(MqttQos.AT_LEAST_ONCE).callback { delivered.incrementAndGet() }
                .send().get(30, TimeUnit.SECONDS)

        when: 'it publishes 5 events on tenant B\'s topic and, without waiting, 10 messages on up/firmware'
        5.times { device.send(device.raw("lc/v1/${tenantB}/${device.deviceId}/up/event".toString(), device.event(device.nextSeq()).payload)) }
        10.times { device.send(device.raw(firmware, device.event(device.nextSeq()).payload)) }
        device.awaitSettled(System.currentTimeMillis() + 30_000)
        r.awaitDeadLetters([device.deviceId], 10, 60_000)
        long deadline = System.currentTimeMillis() + 20_000
        while (r.tally(device.deviceId).deadLetterRecords < delivered.get() && System.currentTimeMillis() < deadline) {
            r.catchUp(2_000)
            Thread.sleep(200)
        }
        Thread.sleep(1_000)
        r.catchUp(5_000)
        def t = r.tally(device.deviceId)
        report('refused publish ahead', r, [(device.deviceId): [] as Collection<Long>],
                "refused ${device.refused.get()}, device disconnects ${device.disconnects.get()}, resent by the device ${device.resent.get()}, up/firmware copies delivered by the broker ${delivered.get()}")

        then: 'the broker refused the foreign publishes and dropped the connection'
        device.refused.get() == 5
        device.disconnects.get() >= 1

        and: 'the 10 messages are dead-lettered once each after de-duplication, with one record per copy the broker delivered: none is redelivered to the bridge'
        t.deadLetters == [foreign_topic: 10L]
        delivered.get() >= 10
        t.deadLetterRecords == delivered.get()

        cleanup:
        monitor?.disconnect()
        device?.close()
        r?.close()
    }

    def "a revoked device: what it published before is kept, the broker disconnects and refuses it, and what still reaches the bridge is dead-lettered"() {
        given:
        def device = devices(tenantA, 'revoke', 1).first()
        def r = reconcile([device])
        def stream = new DeviceStream([device], 50).start()
        Mqtt5BlockingClient unrestricted = Mqtt5Client.builder().identifier("acl-less-${UUID.randomUUID()}")
                .serverHost('127.0.0.1').serverPort(stack.broker.port())
                .simpleAuth().username(FaultStack.UNRESTRICTED_USER).password(stack.unrestrictedPassword.bytes).applySimpleAuth()
                .buildBlocking()
        unrestricted.connect()

        when: 'it is revoked while it streams (once its messages reach Kafka), and tries to stream on until the broker disconnects it (at most 8 s)'
        readUntil(r, 30_000) { r.tally(device.deviceId).seqs.size() >= 20 }
        FaultDevices.revoke(ctx, device)
        long revokedAt = System.currentTimeMillis()
        while (device.connected() && System.currentTimeMillis() < revokedAt + 8_000) {
            Thread.sleep(50)
        }
        boolean disconnectedByBroker = !device.connected()
        // the bridge asks for revocations every 2 s (labcommons.iot.devices.revocation-check): twice that after
        // the revocation it knows of it, whatever the broker's sweep did first
        Thread.sleep(Math.max(0L, revokedAt + 4_000 - System.currentTimeMillis()))
        stream.stop()
        device.awaitSettled(System.currentTimeMillis() + 2_000)
        def acked = new TreeSet<Long>(device.ackedSeqs)

        and: 'a broker that has not swept yet (no ACL check) still hands the bridge 10 of its signed events'
        def late = (1..10).collect { device.nextSeq() }
        late.each { long seq ->
            unrestricted.publishWith().topic(device.topic('event')).qos(MqttQos.AT_LEAST_ONCE).payload(device.event(seq).payload).send()
        }
        r.awaitDeadLetters([device.deviceId], 10, 60_000)
        // what it streamed after the bridge saw the revocation is dead-lettered too: wait for the late ones themselves
        readUntil(r, 60_000) {
            late.every { long seq -> r.tally(device.deviceId).seqs.containsKey(seq) || r.tally(device.deviceId).deadSeqs.values().any { it.contains(seq) } }
        }
        r.catchUp(5_000)
        def t = r.tally(device.deviceId)
        def valid = acked.findAll { t.seqs.containsKey(it) }
        def deadAfterRevocation = acked.findAll { t.deadSeqs['revoked_device']?.contains(it) }
        report('revoked device', r, [(device.deviceId): valid as Collection<Long>],
                "acknowledged by the broker before it was cut off ${acked.size()} (valid ${valid.size()}, revoked_device ${deadAfterRevocation.size()}), disconnected by the broker within 8 s: ${disconnectedByBroker}")

        and: 'it tries to connect again'
        device.close()
        Mqtt5Client.builder().identifier(device.deviceId.toString()).serverHost('127.0.0.1').serverPort(stack.broker.port())
                .simpleAuth().username(device.deviceId.toString()).password(device.secret.bytes).applySimpleAuth()
                .buildBlocking().connect()

        then: 'every message the broker took from it is in Kafka once (before the bridge saw the revocation) or a dead letter revoked_device (after)'
        !valid.isEmpty()
        acked.every { valid.contains(it) ^ deadAfterRevocation.contains(it) }
        t.duplicatesAfterDedup() == 0

        and: 'the ones the ACL-less broker handed over are dead letters revoked_device'
        late.every { t.deadSeqs['revoked_device']?.contains(it) }
        t.deadLetters.keySet() == ['revoked_device'] as Set

        and: 'the broker disconnected it (revocation sweep) and refuses it'
        disconnectedByBroker
        thrown(Mqtt5ConnAckException)

        cleanup:
        unrestricted?.disconnect()
        r?.close()
    }

    /** An event whose body was changed after it was signed. */
    static byte[] tamper(byte[] signed) {
        new String(signed, StandardCharsets.UTF_8).replaceFirst('"user":"u', '"user":"x').getBytes(StandardCharsets.UTF_8)
    }
}

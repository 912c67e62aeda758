package org.labcommons.iot.interlock

import com.hivemq.client.mqtt.MqttGlobalPublishFilter
import com.hivemq.client.mqtt.datatypes.MqttQos
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client
import groovy.json.JsonOutput
import groovy.transform.CompileStatic
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish
import org.labcommons.iot.protocol.EnvelopeWriter
import org.labcommons.iot.protocol.Uuid7
import jakarta.inject.Inject
import org.apache.kafka.clients.producer.KafkaProducer
import org.apache.kafka.clients.producer.ProducerRecord
import org.apache.kafka.common.serialization.StringSerializer
import org.labcommons.core.audit.AuditEntry
import org.labcommons.core.events.KernelTopics
import org.labcommons.core.tenancy.TenantId
import org.labcommons.devstack.SharedDevStack
import org.labcommons.iot.MqttSettings
import org.labcommons.iot.devices.DeviceRegistry
import org.labcommons.iot.devices.NewDevice
import org.labcommons.iot.faults.CpuMeter
import org.labcommons.iot.ingest.SpecDevice
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld

import java.nio.charset.StandardCharsets
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths
import java.nio.file.StandardOpenOption
import java.time.Duration
import java.time.Instant
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.ConcurrentLinkedQueue
import java.util.concurrent.TimeUnit
import java.util.function.Consumer

/**
 * The load generator behind {@code benchmarks/access-decisions.sh}: devices (each its own MQTT 5 connection with its
 * registry credentials) send {@code up/auth/req} (card swipes, unsigned) at a total rate, in three phases of the same
 * run:
 * <ol>
 *   <li><b>interlock</b>: the context's {@link InterlockResponder} answers from the grant view; latency = request
 *       publish to the {@code down/auth/res} arriving at the device;</li>
 *   <li><b>raw, shared</b>: the responder stopped, an echo client (the bridge's account) in a shared subscription, as
 *       the interlock takes requests so that several bridges share them, answers every request with a fixed payload;
 *       the goal's ratio is against this one;</li>
 *   <li><b>raw, plain</b>: the same echo in a plain subscription: the broker's own round trip at its cheapest.</li>
 * </ol>
 * p50/p99 of each, the ratios, the test JVM's CPU per 1,000 requests by part and the GC pauses of each phase go to
 * stdout and {@code target/benchmarks/access-decisions.txt}. Everything (broker, Kafka, bridge, load driver) shares
 * one JVM and the machine's cores, so the load driver and the echo are compiled statically and do little. In the
 * suite it runs at a smoke size; the script sets {@code labcommons.benchmark.access.*}.
 */
class AccessDecisionBenchmarkSpec extends PlatformSpec {
    static final String P = 'labcommons.benchmark.access.'
    static final Path REPORT = Paths.get('target', 'benchmarks', 'access-decisions.txt')

    @Inject DeviceRegistry registry
    @Inject InterlockResponder responder
    @Inject GrantView view
    @Inject MqttSettings mqtt

    static long percentile(List<Long> sorted, double p) {
        sorted.isEmpty() ? -1 : sorted[Math.min(sorted.size() - 1, Math.max(0, (int) Math.ceil(p * sorted.size()) - 1))]
    }

    private static void out(String line) {
        println line
        Files.createDirectories(REPORT.parent)
        Files.writeString(REPORT, line + '\n', StandardOpenOption.CREATE, StandardOpenOption.APPEND)
    }

    def "access requests at a total rate are answered by the interlock, against the broker's raw round trip"() {
        given:
        int deviceCount = Integer.getInteger(P + 'devices', 10)
        int rate = Integer.getInteger(P + 'rate', 100)
        double seconds = Double.parseDouble(System.getProperty(P + 'seconds', '3'))
        double warmup = Double.parseDouble(System.getProperty(P + 'warmup', '1'))
        def tenant = TenantWorld.build(ctx) { institution('access-bench') }.tenant('access-bench').id
        def instrument = UUID.randomUUID()
        def user = UUID.randomUUID()
        def bootstrap = SharedDevStack.get().properties()['labcommons.kafka.bootstrap']
        new KafkaProducer<String, String>(['bootstrap.servers': bootstrap, 'key.serializer': StringSerializer.name,
                                           'value.serializer': StringSerializer.name]).withCloseable { p ->
            def now = Instant.now()
            p.send(new ProducerRecord(KernelTopics.ACCESS_GRANTS, "$tenant/credential/card/BENCH1".toString(), JsonOutput.toJson(
                    [kind: 'credential', tenantId: "$tenant", credentialKind: 'card', value: 'BENCH1', userId: "$user"]))).get()
            p.send(new ProducerRecord(KernelTopics.ACCESS_GRANTS, "$tenant/instrument/$instrument".toString(), JsonOutput.toJson(
                    [kind: 'instrument', tenantId: "$tenant", instrumentId: "$instrument", version: System.currentTimeMillis(),
                     generatedAt: "$now", validUntil: "${now.plusSeconds(172800)}", tenantActive: true, instrumentStatus: 'in_service',
                     customsSupervised: false, policy: [walkUp: false, failMode: 'closed', earlyGraceMin: 15, endGraceMin: 10, warnBeforeMin: 10],
                     authorised: ["$user"], bookings: [[bookingId: "${UUID.randomUUID()}", userId: "$user", userTenantId: "$tenant",
                                                        start: "${now.minusSeconds(600)}", end: "${now.plusSeconds(7200)}", status: 'approved']],
                     blocks: [], blockedUsers: [], overrides: []]))).get()
        }
        waitFor { view.instrument(tenant, instrument).present }
        List<SpecDevice> devices = []
        List<Mqtt5AsyncClient> clients = []
        List<Mqtt5AsyncClient> echoes = []
        Map<String, Long> sent = new ConcurrentHashMap<>()
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>()
        Map<String, String> decisions = new ConcurrentHashMap<>()
        deviceCount.times { i ->
            def d = new SpecDevice(tenant)
            def made = registry.create(new TenantId(tenant), AuditEntry.Actor.SYSTEM, null,
                    new NewDevice('card_reader', "bench reader ${i}", instrument, null, d.publicKey(), false))
            d.deviceId = made.device().id()
            def c = Mqtt5Client.builder().identifier(d.deviceId.toString()).serverHost('127.0.0.1')
                    .serverPort(SharedDevStack.get().mqtt().port())
                    .simpleAuth().username(d.deviceId.toString()).password(made.secret().getBytes(StandardCharsets.UTF_8))
                    .applySimpleAuth().buildAsync()
            c.publishes(MqttGlobalPublishFilter.ALL, new Answers(sent, latencies, decisions))
            c.connect().get(30, TimeUnit.SECONDS)
            c.subscribeWith().topicFilter("lc/v1/${tenant}/${d.deviceId}/down/#").qos(MqttQos.AT_LEAST_ONCE).send().get(30, TimeUnit.SECONDS)
            devices << d
            clients << c
        }
        waitFor { responder.connected() }

        def run = { double phaseSeconds ->
            sent.clear(); latencies.clear(); decisions.clear()
            long total = (long) (rate * phaseSeconds)
            long intervalNanos = (long) (1_000_000_000d / rate)
            def before = CpuMeter.take(null)
            def gcBefore = gc()
            long start = System.nanoTime()
            Load.offer(devices, clients, sent, total, intervalNanos, start)
            long deadline = System.currentTimeMillis() + 15_000
            while (latencies.size() < total && System.currentTimeMillis() < deadline) {
                Thread.sleep(20)
            }
            def after = CpuMeter.take(null)
            def gcAfter = gc()
            [total: total, answered: latencies.size(), sorted: latencies.toList().sort(), decisions: new HashMap(decisions),
             cpu: cpuParts(before, after), machineBusy: after.machineBusy - before.machineBusy, wall: after.nanoTime - before.nanoTime,
             gcCount: gcAfter[0] - gcBefore[0], gcMillis: gcAfter[1] - gcBefore[1]]
        }

        when: 'the interlock answers (after a warm-up)'
        run(warmup)
        def interlock = run(seconds)

        and: 'an echo client answers instead: in a shared subscription as the interlock, then in a plain one'
        responder.stop()
        Map<String, Map> raws = [:]
        ['shared': '$share/access-bench-echo/lc/v1/+/+/up/auth/req', 'plain': 'lc/v1/+/+/up/auth/req'].each { String kind, String filter ->
            def c = Mqtt5Client.builder().identifier("access-bench-echo-${UUID.randomUUID()}").serverHost('127.0.0.1')
                    .serverPort(SharedDevStack.get().mqtt().port())
                    .simpleAuth().username(mqtt.user).password(mqtt.password.getBytes(StandardCharsets.UTF_8)).applySimpleAuth().buildAsync()
            c.publishes(MqttGlobalPublishFilter.ALL, new Echo(c))
            c.connect().get(30, TimeUnit.SECONDS)
            echoes << c
            c.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send().get(30, TimeUnit.SECONDS)
            run(warmup)
            raws[kind] = run(seconds)
            c.disconnect().get(10, TimeUnit.SECONDS)
        }
        def raw = raws.shared

        then:
        long p50 = percentile(interlock.sorted, 0.50), p99 = percentile(interlock.sorted, 0.99)
        double ratio = percentile(raw.sorted, 0.99) > 0 ? p99 / (double) percentile(raw.sorted, 0.99) : -1
        double ratioPlain = percentile(raws.plain.sorted, 0.99) > 0 ? p99 / (double) percentile(raws.plain.sorted, 0.99) : -1
        out("access decisions: ${deviceCount} devices, ${rate} requests/s offered, ${seconds} s per phase")
        out(String.format('interlock: %d sent, %d answered (%d allow), p50 %.2f ms, p99 %.2f ms', interlock.total, interlock.answered,
                interlock.decisions.values().count { it == 'allow' }, p50 / 1e6, p99 / 1e6))
        raws.each { String kind, Map r ->
            out(String.format('raw MQTT echo (%s subscription): %d sent, %d answered, p50 %.2f ms, p99 %.2f ms', kind, r.total, r.answered,
                    percentile(r.sorted, 0.50) / 1e6, percentile(r.sorted, 0.99) / 1e6))
        }
        out(String.format('ratio p99 interlock / raw: %.2f (against the plain subscription: %.2f)', ratio, ratioPlain))
        [interlock: interlock, 'raw shared': raw, 'raw plain': raws.plain].each { String phase, Map r ->
            Map<String, Long> cpu = r.cpu as Map<String, Long>
            long all = cpu.values().sum() as long
            out(String.format('%s CPU of the test JVM: %.0f ms per 1,000 requests (%s); machine busy %.0f%% of 2 cores; %d GC pauses, %d ms in all', phase,
                    all / 1e6 / (r.total / 1000d), cpu.collect { k, v -> String.format('%s %.0f', k, v / 1e6 / (r.total / 1000d)) }.join(', '),
                    100d * (r.machineBusy as long) / (2d * (r.wall as long)), r.gcCount, r.gcMillis))
        }
        interlock.answered == interlock.total
        interlock.decisions.values().every { it == 'allow' }
        raws.values().every { it.answered == it.total }

        cleanup:
        echoes.each { try { it.disconnect().get(5, TimeUnit.SECONDS) } catch (ignored) { } }
        clients.each { try { it.disconnect().get(5, TimeUnit.SECONDS) } catch (ignored) { } }
        responder.start()
    }

    /**
     * The devices' end of the answers, compiled statically (the load driver shares the 2 cores with what it
     * measures): a {@code down/auth/res} is matched to its request by the {@code requestId} in its canonical JSON;
     * other pushes on {@code down/#} (grant caches, config) are ignored.
     */
    @CompileStatic
    static final class Answers implements Consumer<Mqtt5Publish> {
        private static final String ID = '"requestId":"'
        final Map<String, Long> sent
        final Queue<Long> latencies
        final Map<String, String> decisions

        Answers(Map<String, Long> sent, Queue<Long> latencies, Map<String, String> decisions) {
            this.sent = sent
            this.latencies = latencies
            this.decisions = decisions
        }

        @Override
        void accept(Mqtt5Publish p) {
            long at = System.nanoTime()
            if (!p.topic.toString().endsWith('/down/auth/res')) {
                return
            }
            String text = new String(p.payloadAsBytes, StandardCharsets.UTF_8)
            int i = text.indexOf(ID)
            if (i < 0) {
                return
            }
            String requestId = text.substring(i + ID.length(), text.indexOf('"', i + ID.length()))
            Long t0 = sent.remove(requestId)
            if (t0 != null) {
                latencies.add(at - t0)
                decisions.put(requestId, text.contains('"decision":"allow"') ? 'allow' : 'deny')
            }
        }
    }

    /** The raw round trip's answerer: the request's id taken from its canonical JSON, a fixed allow sent back. */
    @CompileStatic
    static final class Echo implements Consumer<Mqtt5Publish> {
        private static final String ID = '"requestId":"'
        final Mqtt5AsyncClient client

        Echo(Mqtt5AsyncClient client) {
            this.client = client
        }

        @Override
        void accept(Mqtt5Publish p) {
            String topic = p.topic.toString()
            String text = new String(p.payloadAsBytes, StandardCharsets.UTF_8)
            int i = text.indexOf(ID)
            String requestId = text.substring(i + ID.length(), text.indexOf('"', i + ID.length()))
            byte[] answer = ('{"decision":"allow","issuedAt":"' + Instant.now() + '","requestId":"' + requestId + '","v":"LC-IC/1"}')
                    .getBytes(StandardCharsets.UTF_8)
            client.publishWith().topic(topic.substring(0, topic.length() - 'up/auth/req'.length()) + 'down/auth/res')
                    .qos(MqttQos.AT_LEAST_ONCE).payload(answer).send()
        }
    }

    /** The devices' end of the requests: a card swipe every {@code intervalNanos}, round robin over the devices. */
    @CompileStatic
    static final class Load {
        static void offer(List<SpecDevice> devices, List<Mqtt5AsyncClient> clients, Map<String, Long> sent, long total,
                          long intervalNanos, long start) {
            int count = devices.size()
            for (long n = 0; n < total; n++) {
                long wait = start + n * intervalNanos - System.nanoTime()
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait)
                }
                int i = (int) (n % count)
                SpecDevice d = devices.get(i)
                String requestId = UUID.randomUUID().toString()
                d.seq = d.seq + 1
                byte[] payload = EnvelopeWriter.write(Uuid7.next(), d.bootId, d.seq, Instant.now(), false, 'auth.request',
                        [requestId: requestId, method: 'card', credential: 'BENCH1', purpose: 'use'] as Map<String, Object>, null)
                sent.put(requestId, System.nanoTime())
                clients.get(i).publishWith().topic(d.topic('auth/req')).qos(MqttQos.AT_LEAST_ONCE).payload(payload).send()
            }
        }
    }

    /** Collections and milliseconds spent in them so far, over all of the JVM's collectors. */
    static long[] gc() {
        def beans = java.lang.management.ManagementFactory.garbageCollectorMXBeans
        [beans.sum { it.collectionCount } as long, beans.sum { it.collectionTime } as long] as long[]
    }

    /** The test JVM's CPU between two snapshots by part (ns): who does what per request. */
    static Map<String, Long> cpuParts(CpuMeter.Snapshot a, CpuMeter.Snapshot b) {
        Map<String, Long> out = new LinkedHashMap<>()
        ['load driver', 'mqtt broker', 'interlock', 'ingest', 'kafka', 'mqtt clients', 'other threads', 'jvm'].each { out[it] = 0L }
        long threads = 0
        b.threadCpu.each { Long id, Long cpu ->
            long delta = cpu - (a.threadCpu[id] ?: 0L)
            if (delta > 0) {
                String name = b.threadNames[id]
                String p = name.startsWith('interlock') || name.endsWith('-interlock') ? 'interlock'
                        : name.startsWith('iot-ingest') || name.endsWith('-ingest') ? 'ingest'
                        : name.startsWith('RxComputation') || CpuMeter.part(name) == 'spec thread' ? 'load driver'
                        : CpuMeter.part(name) == 'kafka broker' ? 'kafka'
                        : CpuMeter.part(name)
                out[p] = (out[p] ?: 0L) + delta
                threads += delta
            }
        }
        out['jvm'] = Math.max(0L, (b.testJvm - a.testJvm) - threads)
        out
    }

    private static void waitFor(Closure<Boolean> condition) {
        long deadline = System.currentTimeMillis() + 60_000
        while (!condition()) {
            assert System.currentTimeMillis() < deadline
            Thread.sleep(50)
        }
    }
}

package org.labcommons.iot.interlock

import com.hivemq.client.mqtt.MqttGlobalPublishFilter
import com.hivemq.client.mqtt.datatypes.MqttQos
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client
import groovy.json.JsonOutput
import groovy.json.JsonSlurper
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

/**
 * The load generator behind {@code benchmarks/access-decisions.sh}: devices (each its own MQTT 5 connection with its
 * registry credentials) send {@code up/auth/req} (card swipes, unsigned) at a total rate, in two phases of the same
 * run:
 * <ol>
 *   <li><b>interlock</b>: the context's {@link InterlockResponder} answers from the grant view; latency = request
 *       publish to the {@code down/auth/res} arriving at the device;</li>
 *   <li><b>raw</b>: the responder stopped, a plain MQTT client (the bridge's account, a plain subscription on the
 *       same topics) answers every request with a fixed payload: the broker's own round trip.</li>
 * </ol>
 * p50/p99 of both and the ratio go to stdout and {@code target/benchmarks/access-decisions.txt}. In the suite it runs
 * at a smoke size; the script sets {@code labcommons.benchmark.access.*}.
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
            c.publishes(MqttGlobalPublishFilter.ALL) { p ->
                long at = System.nanoTime()
                if (!p.topic.toString().endsWith('/down/auth/res')) {
                    return // the grant cache and config pushes also arrive on down/#; an exception here ends the flow
                }
                def answer = new JsonSlurper().parse(p.payloadAsBytes) as Map
                Long t0 = sent.remove(answer.requestId)
                if (t0 != null) {
                    latencies << (at - t0)
                    decisions[answer.requestId as String] = answer.decision as String
                }
            }
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
            for (long n = 0; n < total; n++) {
                long due = start + n * intervalNanos
                long wait = due - System.nanoTime()
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait)
                }
                int i = (int) (n % deviceCount)
                def d = devices[i]
                def requestId = UUID.randomUUID().toString()
                def msg = d.message('auth.request', [requestId: requestId, method: 'card', credential: 'BENCH1', purpose: 'use'], [signed: false])
                sent[requestId] = System.nanoTime()
                clients[i].publishWith().topic(d.topic('auth/req')).qos(MqttQos.AT_LEAST_ONCE).payload(msg.payload).send()
            }
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

        and: 'a plain echo client answers instead'
        responder.stop()
        def echo = Mqtt5Client.builder().identifier("access-bench-echo-${UUID.randomUUID()}").serverHost('127.0.0.1')
                .serverPort(SharedDevStack.get().mqtt().port())
                .simpleAuth().username(mqtt.user).password(mqtt.password.getBytes(StandardCharsets.UTF_8)).applySimpleAuth().buildAsync()
        echo.publishes(MqttGlobalPublishFilter.ALL) { p ->
            def t = p.topic.toString().split('/')
            def body = new JsonSlurper().parse(p.payloadAsBytes).body as Map
            echo.publishWith().topic("lc/v1/${t[2]}/${t[3]}/down/auth/res").qos(MqttQos.AT_LEAST_ONCE)
                    .payload(JsonOutput.toJson([v: 'LC-IC/1', requestId: body.requestId, issuedAt: Instant.now().toString(), decision: 'allow']).bytes).send()
        }
        echo.connect().get(30, TimeUnit.SECONDS)
        echo.subscribeWith().topicFilter(System.getProperty(P + 'echo-filter', 'lc/v1/+/+/up/auth/req')).qos(MqttQos.AT_LEAST_ONCE).send().get(30, TimeUnit.SECONDS)
        run(warmup)
        def raw = run(seconds)

        then:
        long p50 = percentile(interlock.sorted, 0.50), p99 = percentile(interlock.sorted, 0.99)
        long r50 = percentile(raw.sorted, 0.50), r99 = percentile(raw.sorted, 0.99)
        double ratio = r99 > 0 ? p99 / (double) r99 : -1
        out("access decisions: ${deviceCount} devices, ${rate} requests/s offered, ${seconds} s per phase")
        out(String.format('interlock: %d sent, %d answered (%d allow), p50 %.2f ms, p99 %.2f ms', interlock.total, interlock.answered,
                interlock.decisions.values().count { it == 'allow' }, p50 / 1e6, p99 / 1e6))
        out(String.format('raw MQTT echo: %d sent, %d answered, p50 %.2f ms, p99 %.2f ms', raw.total, raw.answered, r50 / 1e6, r99 / 1e6))
        out(String.format('ratio p99 interlock / raw: %.2f', ratio))
        [interlock: interlock, raw: raw].each { String phase, Map r ->
            Map<String, Long> cpu = r.cpu as Map<String, Long>
            long all = cpu.values().sum() as long
            out(String.format('%s CPU of the test JVM: %.0f ms per 1,000 requests (%s); machine busy %.0f%% of 2 cores; %d GC pauses, %d ms in all', phase,
                    all / 1e6 / (r.total / 1000d), cpu.collect { k, v -> String.format('%s %.0f', k, v / 1e6 / (r.total / 1000d)) }.join(', '),
                    100d * (r.machineBusy as long) / (2d * (r.wall as long)), r.gcCount, r.gcMillis))
        }
        interlock.answered == interlock.total
        interlock.decisions.values().every { it == 'allow' }
        raw.answered == raw.total

        cleanup:
        try { echo?.disconnect()?.get(5, TimeUnit.SECONDS) } catch (ignored) { }
        clients.each { try { it.disconnect().get(5, TimeUnit.SECONDS) } catch (ignored) { } }
        responder.start()
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
                        : name.startsWith('RxComputation') ? 'load driver'
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

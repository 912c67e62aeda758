package org.labcommons.iot.faults

import com.hivemq.client.mqtt.datatypes.MqttQos
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicLong

/**
 * The load generator behind {@code benchmarks/iot-ingest.sh}. A fleet of devices (each its own
 * MQTT 5 session, QoS 1; a tenth of the messages signed usage events, the rest power samples)
 * publishes at a total offered rate:
 * <ol>
 *   <li><b>raw broker</b>: to a plain subscriber of the broker (publish to subscribe, no bridge);</li>
 *   <li><b>bridge</b>: through the broker and the bridge (its own JVM) into Kafka, after a warm-up;
 *       end-to-end latency from each envelope's deviceTime (stamped at publish) to the record's
 *       arrival at a consumer tailing the topics;</li>
 *   <li><b>burst</b>: with the bridge killed, a backlog queues in the broker; the bridge is started
 *       again and drains it; its heap (from its GC log) and resident memory are recorded.</li>
 * </ol>
 * Then every device is reconciled by seq (0 lost, 0 duplicates after de-duplication). Figures go
 * to stdout and {@code target/benchmarks/iot-ingest.txt}. In the suite it runs at a smoke size
 * (a few seconds); the script sets {@code labcommons.benchmark.iot.*}.
 */
class IotIngestBenchmarkSpec extends PlatformSpec {
    static final String P = 'labcommons.benchmark.iot.'
    static final Path REPORT = Paths.get('target', 'benchmarks', 'iot-ingest.txt')

    static long percentile(List<Long> sorted, double p) {
        sorted.isEmpty() ? -1 : sorted[Math.min(sorted.size() - 1, Math.max(0, (int) Math.ceil(p * sorted.size()) - 1))]
    }

    private static void out(String line) {
        println line
        Files.writeString(REPORT, line + '\n', java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND)
    }

    def "thousands of devices publish QoS 1 through the broker and the bridge into Kafka with zero loss, against the raw broker rate"() {
        given: 'a tenant with a fleet of devices in a load generator of its own, connected to the broker'
        int deviceCount = Integer.getInteger(P + 'devices', 20)
        int rate = Integer.getInteger(P + 'rate', 400)
        double seconds = Double.parseDouble(System.getProperty(P + 'seconds', '3'))
        double warmup = Double.parseDouble(System.getProperty(P + 'warmup', '1'))
        int burst = Integer.getInteger(P + 'burst', 1_000)
        String bridgeHeap = System.getProperty(P + 'bridge-heap', '512m')
        String generatorHeap = System.getProperty(P + 'generator-heap', '768m')
        String persistence = System.getProperty(P + 'persistence', 'file')
        stallMs = (long) (Double.parseDouble(System.getProperty(P + 'stall-seconds', '20')) * 1000)
        Files.createDirectories(REPORT.parent)
        Files.deleteIfExists(REPORT)
        String tenantName = "bench-iot-${UUID.randomUUID().toString().take(6)}"
        UUID tenant = TenantWorld.build(ctx) { institution(tenantName) }.tenant(tenantName).id
        def stack = new FaultStack(FaultAccess.policy(ctx, baseUrl), persistence != 'in-memory').start()
        CpuMeter.postgresPort = CpuMeter.portOf(org.labcommons.devstack.SharedDevStack.get().properties()['labcommons.db.url'] ?: '')
        long t0 = System.currentTimeMillis()
        def fleet = appConnection().withCloseable { BenchmarkFleet.provision(it, tenant, deviceCount) }
        List<UUID> deviceIds = fleet*.deviceId
        Path fleetFile = Paths.get('target', 'faults', 'bench-fleet.txt').toAbsolutePath()
        Files.createDirectories(fleetFile.parent)
        LoadGenerator.writeFleet(fleetFile, tenant, fleet)
        generator = new LoadGeneratorProcess('bench-loadgen', fleetFile, '127.0.0.1', stack.broker.port(),
                ["-Xmx${generatorHeap}".toString(), '-XX:+UseSerialGC'])
        CpuMeter.generator = generator
        long setupMs = System.currentTimeMillis() - t0
        out("iot ingest benchmark (${Runtime.runtime.availableProcessors()} cores, load average ${new File('/proc/loadavg').text.split(' ').take(3).join(' ')}, ${java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MINUTES)})")
        out("devices ${deviceCount} (QoS 1, persistent sessions, broker with ${persistence} persistence), offered ${rate} msg/s for ${seconds} s per phase, a tenth signed events; setup ${setupMs} ms")
        out("load generator: a JVM of its own (pid ${generator.pid()}, -Xmx${generatorHeap}), ${generator.pinned ? 'pinned to core ' + generator.core + ' (taskset)' : 'not pinned'}; broker, Kafka, tail consumer in the test JVM; bridge in a JVM of its own")
        Path gcLog = Paths.get('target', 'faults', 'bench-bridge-gc.log').toAbsolutePath()
        Files.createDirectories(gcLog.parent)
        Files.deleteIfExists(gcLog)
        // the bridge's own settings can be tried from the command line: -Dlabcommons.iot.ingest.connections=16 (EXTRA=...)
        Map<String, String> ingestOverrides = System.properties.findAll { k, v -> (k as String).startsWith('labcommons.iot.ingest.') }
                .collectEntries { k, v -> [(k as String): v as String] } as Map<String, String>
        def bridge = new BridgeProcess('bench-bridge', stack.bridgeProperties() + [
                'labcommons.iot.ingest.client-id': 'bench-bridge-1',
                'labcommons.db.migrate'          : 'false'] + ingestOverrides,
                ["-Xmx${bridgeHeap}".toString(), '-XX:+UseSerialGC', "-Xlog:gc:file=${gcLog}".toString()]
                        + (System.getProperty(P + 'bridge-jvm', '').split(' ').findAll { it } as List<String>))
        out("bridge settings: defaults of labcommons.iot.ingest.*${ingestOverrides ? ', with ' + ingestOverrides : ''}")

        when: 'raw broker: the fleet publishes to a plain QoS 1 subscriber'
        def received = new AtomicLong()
        def lastReceivedMs = new AtomicLong()
        Mqtt5AsyncClient raw = Mqtt5Client.builder().identifier("raw-rate-${UUID.randomUUID()}").serverHost('127.0.0.1')
                .serverPort(stack.broker.port()).simpleAuth().username(FaultStack.BRIDGE_USER)
                .password(stack.bridgePassword.bytes).applySimpleAuth().buildAsync()
        raw.connectWith().cleanStart(true).send().get(30, TimeUnit.SECONDS)
        raw.subscribeWith().topicFilter('$share/raw-rate/lc/v1/+/+/up/#').qos(MqttQos.AT_LEAST_ONCE)
                .callback { received.incrementAndGet(); lastReceivedMs.set(System.currentTimeMillis()) }.send().get(30, TimeUnit.SECONDS)
        def rawWarmup = generator.run((int) (rate / 2), warmup)
        long warmedUntil = System.currentTimeMillis() + 60_000
        while (received.get() < rawWarmup.published && System.currentTimeMillis() < warmedUntil) {
            Thread.sleep(20) // the subscriber catches up before the idle measurement
        }
        List<String> idleLines = []
        double rawIdle = CpuMeter.idle('before the raw phase', null, 5, idleLines)
        received.set(0)
        def rawCpu0 = CpuMeter.take(null)
        def rawPhase = generator.run(rate, seconds)
        long waitUntil = System.currentTimeMillis() + 60_000
        while (received.get() < rawPhase.published && System.currentTimeMillis() < waitUntil) {
            Thread.sleep(20)
        }
        def rawCpu1 = CpuMeter.take(null)
        long rawReceived = received.get()
        double rawRate = rawReceived / ((lastReceivedMs.get() - rawPhase.startMs) / 1e3d)
        raw.disconnect().get(10, TimeUnit.SECONDS)
        out(String.format('raw broker (publish -> subscribe, no bridge): %,d messages published, %,d received, %,.0f msg/s (the generator offered %,.0f msg/s, at most 20,000 unacknowledged)',
                rawPhase.published, rawReceived, rawRate, rawPhase.published / ((rawPhase.endMs - rawPhase.startMs) / 1e3d)))
        idleLines.each { out(it) }
        CpuMeter.report('raw broker', rawCpu0, rawCpu1, rawPhase.published, rawIdle).each { out(it) }

        and: 'bridge: the bridge starts, a warm-up, then the same offered rate into Kafka'
        Map<UUID, Long> firstSeq = generator.lastSeqs().collectEntries { k, v -> [(k): v + 1] } as Map<UUID, Long>
        bridge.start().awaitReady()
        def rec = new Reconciliation(stack.bootstrap(), deviceIds)
        def tailing = true
        def tail = Thread.start('bench-tail') { while (tailing) { rec.pollOnce(50) } }
        generator.run((int) (rate / 2), warmup)
        long warmupCount = generator.lastSeqs().collect { k, v -> v - firstSeq[k] + 1 }.sum() as long
        int restarts = awaitFlow(rec, warmupCount, bridge, 'warm-up', 600_000)
        idleLines.clear()
        double bridgeIdle = CpuMeter.idle('before the bridge phase (bridge running)', bridge.pid(), 5, idleLines)
        rec.measureLatency = true
        def bridgeCpu0 = CpuMeter.take(bridge.pid())
        def bridgePhase = generator.run(rate, seconds)
        long phaseTotal = warmupCount + bridgePhase.published
        int phaseRestarts = awaitFlow(rec, phaseTotal, bridge, 'bridge phase', 1_200_000)
        restarts += phaseRestarts
        long doneMs = System.currentTimeMillis()
        def bridgeCpu1 = CpuMeter.take(bridge.pid())
        rec.measureLatency = false
        double bridgeRate = bridgePhase.published / ((doneMs - bridgePhase.startMs) / 1e3d)
        List<Long> latencies = []
        synchronized (rec) {
            rec.tallies.values().each { latencies.addAll(it.latenciesMs) }
        }
        latencies.sort()
        out(String.format('bridge (publish -> broker -> bridge -> Kafka): %,d messages, sustained %,.0f msg/s, end-to-end p50 %d ms, p99 %d ms, max %d ms (device publish -> record at a consumer; %,d measured)%s',
                bridgePhase.published, bridgeRate, percentile(latencies, 0.50), percentile(latencies, 0.99), latencies ? latencies.last() : -1,
                latencies.size(), phaseRestarts ? String.format('; NOT a clean figure: the bridge was restarted %d time(s) after a stall', phaseRestarts) : ''))
        out(String.format('ratio bridge / raw: %.2f', bridgeRate / rawRate))
        out("broker: dropped messages so far ${stack.broker.droppedMessages() ?: 'none'} (queue limit ${org.labcommons.devstack.mqtt.EmbeddedMqttBroker.MAX_QUEUE_SIZE} per client and per shared subscription)")
        idleLines.each { out(it) }
        CpuMeter.report('bridge', bridgeCpu0, bridgeCpu1, bridgePhase.published, bridgeIdle).each { out(it) }

        and: 'burst: the bridge is killed, a backlog queues in the broker, the bridge comes back and drains it'
        bridge.kill()
        long beforeBurst = uniqueIn(rec)
        def burstPhase = generator.run(1_000_000, 600, burst)
        long restartMs = System.currentTimeMillis()
        List<Long> rss = Collections.synchronizedList([])
        bridge.start()
        def drainCpu0 = CpuMeter.take(bridge.pid())
        def sampling = true
        def sampler = Thread.start('bench-rss') {
            while (sampling) {
                try {
                    def line = Files.readAllLines(Paths.get('/proc', bridge.pid().toString(), 'status')).find { it.startsWith('VmRSS:') }
                    if (line) {
                        rss << Long.parseLong(line.replaceAll('[^0-9]', '')) * 1024
                    }
                } catch (IOException ignored) {
                    // not yet or no longer there
                }
                Thread.sleep(200)
            }
        }
        long total = phaseTotal + burstPhase.published
        try {
            bridge.awaitReady(600_000, 0)
        } catch (IllegalStateException notReady) {
            out("the restarted bridge was not ready: ${notReady.message}")
        }
        restarts += awaitFlow(rec, total, bridge, 'burst drain', 1_200_000)
        long drained = uniqueIn(rec)
        long burstInKafka = drained - beforeBurst
        double drainSeconds = (System.currentTimeMillis() - restartMs) / 1e3d
        def drainCpu = CpuMeter.take(bridge.pid())
        sampling = false
        sampler.join()
        Map<UUID, Set<Long>> stillQueued = [:]
        if (drained < total) {
            // what the bridge did not write in time: its sessions, resumed by a reader, hand over what the broker still has
            bridge.kill()
            int connections = Integer.parseInt(ingestOverrides['labcommons.iot.ingest.connections'] ?: '16')
            stillQueued = queuedInBroker(stack, (0..<connections).collect { it == 0 ? 'bench-bridge-1' : "bench-bridge-1-${it}".toString() })
        }
        tailing = false
        tail.join()

        and: 'every device reconciled by seq'
        Map<UUID, Long> lastSeq = generator.lastSeqs()
        Map<UUID, Collection<Long>> expected = deviceIds.collectEntries { [(it): (firstSeq[it]..lastSeq[it]).toList()] }
        rec.awaitAll(expected, stillQueued ? 20_000 : 60_000)
        long queued = expected.collect { d, s -> rec.tally(d).lost(s).count { stillQueued[d]?.contains(it) } }.sum() as long
        long lost = (expected.collect { d, s -> rec.tally(d).lost(s).size() }.sum() as long) - queued
        long dups = rec.tallies.values().sum { it.duplicatesAfterDedup() } as long
        long dead = rec.tallies.values().sum { it.deadLetterCount() } as long
        long redelivered = (rec.tallies.values().sum { it.records } as long) - (rec.tallies.values().sum { it.seqs.size() } as long)
        def heap = GcLog.heapUsedMaxMb(gcLog, 0) // the restarted JVM wrote the log anew: the burst drain only

        out(String.format('burst: %,d messages queued while the bridge was down, %s in %.1f s after its restart (JVM start included), %,.0f msg/s; bridge heap used max %s MB (-Xmx%s), RSS max %d MB',
                burstPhase.published, drained >= total ? 'drained' : String.format('%,d of them in Kafka (the drain stopped making progress or took too long)', burstInKafka),
                drainSeconds, burstInKafka / drainSeconds, heap ?: '?', bridgeHeap, rss ? (rss.max() as long) >> 20 : -1))
        CpuMeter.report('burst drain (bridge JVM start included)', drainCpu0, drainCpu, burstInKafka).each { out(it) }
        out("reconciliation: ${total} valid messages, ${expected.values().sum { it.size() }} expected seqs, lost ${lost}, still queued in the broker ${queued}, duplicates after de-dup ${dups}, redelivered records ${redelivered}, dead letters ${dead}; bridge restarts after a stall ${restarts}; broker dropped ${stack.broker.droppedMessages() ?: 'none'}")

        then: 'zero loss, no duplicate after de-duplication, no dead letter'
        lost == 0
        dups == 0
        dead == 0

        cleanup:
        tailing = false
        sampling = false
        bridge?.kill()
        generator?.close()
        CpuMeter.generator = null
        rec?.close()
        stack?.close()
    }

    /** The load generator's process (a field: the cleanup closes it). */
    LoadGeneratorProcess generator
    /** No new record in Kafka for this long while some are due is a stall ({@link #awaitFlow}). */
    long stallMs = 20_000
    /** How many times one wait restarts a stalled bridge before it gives up (the messages then stay in the broker). */
    static final int MAX_RESTARTS = 2

    /**
     * Waits until {@code target} distinct messages of the fleet are in Kafka, at most {@code ms}. When no new record
     * arrived for {@link #stallMs} while some are due, the bridge is stalled: its threads (jstack) and metrics
     * ({@code /prometheus}: received, in flight) go to {@code target/faults/bench-bridge-stall-<n>.txt}, a line says so,
     * and the bridge is killed and started again (it resumes its persistent sessions: the broker hands it their
     * un-acknowledged messages and the share group's queue); at most {@link #MAX_RESTARTS} times. Returns the restarts.
     */
    private int awaitFlow(Reconciliation rec, long target, BridgeProcess bridge, String what, long ms) {
        int restarts = 0
        long deadline = System.currentTimeMillis() + ms
        long seen = -1
        long since = System.currentTimeMillis()
        while (System.currentTimeMillis() < deadline) {
            long now = uniqueIn(rec)
            if (now >= target) {
                return restarts
            }
            if (now != seen) {
                seen = now
                since = System.currentTimeMillis()
            } else if (System.currentTimeMillis() - since > stallMs) {
                if (restarts >= MAX_RESTARTS) {
                    return restarts
                }
                Path dump = Paths.get('target', 'faults', "bench-bridge-stall-${++stalls}.txt").toAbsolutePath()
                String metrics = diagnose(bridge, dump)
                out(String.format('STALL during the %s: no new record in Kafka for %.0f s (%,d of %,d there); bridge %s; threads and metrics in %s; the bridge is killed and started again',
                        what, stallMs / 1e3d, now, target, metrics, dump))
                bridge.kill()
                bridge.start().awaitReady(600_000, 0)
                restarts++
                since = System.currentTimeMillis()
            }
            Thread.sleep(50)
        }
        restarts
    }

    private int stalls

    /** The stalled bridge's thread dump and iot metrics into {@code dump}; answers a summary of its metrics. */
    private static String diagnose(BridgeProcess bridge, Path dump) {
        StringBuilder text = new StringBuilder()
        String summary = 'metrics unavailable'
        try {
            def c = (HttpURLConnection) new URL("http://127.0.0.1:${bridge.httpPort}/prometheus").openConnection()
            c.connectTimeout = 1000
            c.readTimeout = 10_000
            List<String> iot = c.inputStream.text.readLines().findAll { it.startsWith('labcommons_iot_') }
            text.append(iot.join('\n')).append('\n\n')
            String inflight = iot.find { it.startsWith('labcommons_iot_inflight') }
            double acked = iot.findAll { it.startsWith('labcommons_iot_messages_total') }.sum(0d) { it.split(' ').last() as double } as double
            summary = "in flight ${inflight ? inflight.split(' ').last() : '?'}, acknowledged ${(long) acked}"
        } catch (Exception e) {
            text.append("metrics: ${e}\n\n")
        }
        try {
            def p = new ProcessBuilder(Paths.get(System.getProperty('java.home'), 'bin', 'jstack').toString(), bridge.pid().toString())
                    .redirectErrorStream(true).start()
            text.append(p.inputStream.text)
            p.waitFor(30, TimeUnit.SECONDS)
        } catch (Exception e) {
            text.append("jstack: ${e}\n")
        }
        Files.writeString(dump, text.toString())
        summary
    }

    /**
     * The messages the broker still has for the killed bridge, by device: its persistent sessions (the same client
     * ids, {@code cleanStart=false}) are resumed by a reader, which gets what they had in flight again and the share
     * group's queue, and acknowledges it, until nothing came for 10 s (at most 5 min).
     */
    private static Map<UUID, Set<Long>> queuedInBroker(FaultStack stack, List<String> clientIds) {
        Map<UUID, Set<Long>> queued = new java.util.concurrent.ConcurrentHashMap<>()
        def last = new AtomicLong(System.currentTimeMillis())
        List<Mqtt5AsyncClient> readers = clientIds.collect { String id ->
            Mqtt5AsyncClient reader = Mqtt5Client.builder().identifier(id).serverHost('127.0.0.1')
                    .serverPort(stack.broker.port()).simpleAuth().username(FaultStack.BRIDGE_USER)
                    .password(stack.bridgePassword.bytes).applySimpleAuth().buildAsync()
            reader.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL) { p ->
                last.set(System.currentTimeMillis())
                String json = new String(p.payloadAsBytes, java.nio.charset.StandardCharsets.UTF_8)
                def m = json =~ /"seq":(\d+)/
                String[] levels = p.topic.toString().split('/')
                if (m.find() && levels.length > 3) {
                    queued.computeIfAbsent(UUID.fromString(levels[3])) { java.util.concurrent.ConcurrentHashMap.<Long> newKeySet() }
                            .add(Long.parseLong(m.group(1)))
                }
            }
            reader.connectWith().cleanStart(false).sessionExpiryInterval(3600).send().get(30, TimeUnit.SECONDS)
            reader
        }
        long deadline = System.currentTimeMillis() + 300_000
        while (System.currentTimeMillis() - last.get() < 10_000 && System.currentTimeMillis() < deadline) {
            Thread.sleep(200)
        }
        readers.each { it.disconnect().get(10, TimeUnit.SECONDS) }
        queued
    }

    private static long uniqueIn(Reconciliation rec) {
        rec.tallies.values().sum { it.seqs.size() } as long
    }
}

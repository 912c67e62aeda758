package org.labcommons.iot.faults

import groovy.transform.CompileStatic

import java.lang.management.ManagementFactory
import java.lang.management.ThreadInfo
import java.lang.management.ThreadMXBean
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths

/**
 * CPU time of the benchmark's parts, so a phase can be told in CPU milliseconds per 1,000 messages (on a
 * shared machine the robust figure; the rate depends on what else runs). Snapshots ({@link #take}) of:
 * <ul>
 *   <li>the test JVM from {@code /proc/self/stat} (utime + stime), split by thread-name prefix with the
 *       {@link ThreadMXBean}'s per-thread CPU time ({@link #part}); what no live Java thread accounts for
 *       (GC and JIT threads, threads that ended during the phase) is {@code jvm};</li>
 *   <li>the bridge's JVM from {@code /proc/<pid>/stat};</li>
 *   <li>the test JVM's other child processes (PostgreSQL, Elasticsearch) from {@code /proc};</li>
 *   <li>the whole machine from {@code /proc/stat} (other helpers' builds included).</li>
 * </ul>
 */
@CompileStatic
class CpuMeter {
    /** {@code USER_HZ}: Linux reports process times in 1/100 s. */
    static final long TICK_NANOS = 10_000_000L
    static final List<String> PARTS = ['mqtt broker', 'mqtt clients', 'spec thread', 'kafka broker', 'tail consumer', 'other threads', 'jvm']

    static final ThreadMXBean THREADS = ManagementFactory.threadMXBean

    static {
        if (THREADS.threadCpuTimeSupported && !THREADS.threadCpuTimeEnabled) {
            THREADS.threadCpuTimeEnabled = true
        }
    }

    /** One moment's counters (nanoseconds of CPU). */
    static class Snapshot {
        long nanoTime
        long testJvm
        long bridge = -1
        /** the load generator's JVM ({@link #generator}), and its threads by part (driver, clients, threads) */
        long generator = -1
        Map<String, Long> generatorThreads = [:]
        long postgres
        long otherChildren
        long machineBusy
        Map<Long, Long> threadCpu = [:]
        Map<Long, String> threadNames = [:]
    }

    /** Which part of the test JVM a thread belongs to, by its name. */
    static String part(String name) {
        if (name.startsWith('com.hivemq.client.mqtt')) {
            return 'mqtt clients'          // the devices' and the raw subscriber's MQTT client (Netty)
        }
        if (name.startsWith('hivemq') || name.startsWith('single-writer') || name.contains('persistence')
                || name.startsWith('extension-') || name.startsWith('mqtt-') || name.startsWith('global-traffic')
                || name.startsWith('metrics-meter') || name.startsWith('embedded-hivemq') || name.startsWith('Xodus')
                || name.startsWith('xodus') || name.startsWith('rocksdb') || name.startsWith('jetbrains')) {
            return 'mqtt broker'           // HiveMQ CE: Netty event loops, single writer, persistence, the access extension
        }
        if (name == 'main' || name.startsWith('Test worker')) {
            return 'spec thread'
        }
        if (name.startsWith('bench-tail') || name.contains('reconciliation-')) {
            return 'tail consumer'
        }
        if (name.contains('kafka') || name.startsWith('broker-') || name.startsWith('controller-')
                || name.startsWith('ExpirationReaper') || name.startsWith('quorum-controller') || name.startsWith('group-')
                || name.startsWith('transaction-') || name.startsWith('TxnMarker') || name.startsWith('LogDir')
                || name.startsWith('raft') || name.contains('ThrottledChannelReaper') || name.startsWith('SensorExpiry')
                || name.startsWith('client-metrics') || name.startsWith('share-') || name.startsWith('executor-')) {
            return 'kafka broker'
        }
        'other threads'
    }

    /** The load generator in its own JVM, when the benchmark runs one (its CPU is a part of its own). */
    static LoadGeneratorProcess generator

    /** The port of the PostgreSQL whose processes count (its postmaster and backends: not children of the test JVM). */
    static int postgresPort = -1

    /** The port in a {@code jdbc:postgresql://host:port/db} URL, or -1. */
    static int portOf(String jdbcUrl) {
        def m = jdbcUrl =~ /:(\d+)\//
        m.find() ? Integer.parseInt(m.group(1)) : -1
    }

    static Snapshot take(Long bridgePid) {
        Snapshot s = new Snapshot(nanoTime: System.nanoTime())
        long[] ids = THREADS.allThreadIds
        ThreadInfo[] infos = THREADS.getThreadInfo(ids)
        for (int i = 0; i < ids.length; i++) {
            long cpu = THREADS.getThreadCpuTime(ids[i])
            if (cpu >= 0 && infos[i] != null) {
                s.threadCpu[ids[i]] = cpu
                s.threadNames[ids[i]] = infos[i].threadName
            }
        }
        long self = ProcessHandle.current().pid()
        s.testJvm = processCpu(self)
        if (bridgePid != null) {
            s.bridge = processCpu(bridgePid)
        }
        if (generator != null) {
            s.generatorThreads = generator.threadCpu()
            s.generator = processCpu(generator.pid())
        }
        for (ProcessHandle child : ProcessHandle.current().descendants().toList()) {
            if ((bridgePid != null && child.pid() == bridgePid) || (generator != null && child.pid() == generator.pid())) {
                continue
            }
            long cpu = processCpu(child.pid())
            if (cpu < 0) {
                continue
            }
            if (!comm(child.pid()).startsWith('postgres')) {
                s.otherChildren += cpu
            }
        }
        s.postgres = postgresCpu()
        s.machineBusy = machineBusy()
        s
    }

    /** The PostgreSQL server on {@link #postgresPort}: its postmaster and every process it forked (ns). */
    static long postgresCpu() {
        if (postgresPort < 0) {
            return 0L
        }
        Map<Long, Long> parentOf = [:]
        Long postmaster = null
        Files.list(Paths.get('/proc')).withCloseable { stream ->
            stream.filter { Path d -> d.fileName.toString().isLong() }.forEach { Path d ->
                long pid = Long.parseLong(d.fileName.toString())
                if (comm(pid) != 'postgres') {
                    return
                }
                String[] f = statFields(d.resolve('stat'))
                if (f != null) {
                    parentOf[pid] = Long.parseLong(f[1])
                }
                if (postmaster == null) {
                    try {
                        String cmd = new String(Files.readAllBytes(d.resolve('cmdline'))).replace('\u0000' as char, ' ' as char)
                        if (cmd.contains(' -p ' + postgresPort + ' ')) {
                            postmaster = pid
                        }
                    } catch (IOException ignored) {
                        // gone
                    }
                }
            }
        }
        if (postmaster == null) {
            return 0L
        }
        long total = 0
        parentOf.each { Long pid, Long parent ->
            if (pid == postmaster || parent == postmaster) {
                long cpu = processCpu(pid)
                total += Math.max(0L, cpu)
            }
        }
        total
    }

    /** utime + stime of a process (ns), or -1 when it is gone. */
    static long processCpu(long pid) {
        String[] f = statFields(Paths.get('/proc', Long.toString(pid), 'stat'))
        f == null ? -1L : (Long.parseLong(f[11]) + Long.parseLong(f[12])) * TICK_NANOS
    }

    /** The fields of a /proc stat file after the command name ({@code [0]} is field 3, the state). */
    private static String[] statFields(Path stat) {
        try {
            String text = Files.readString(stat)
            return text.substring(text.lastIndexOf(')') + 2).trim().split(' ')
        } catch (IOException ignored) {
            return null
        }
    }

    private static String comm(long pid) {
        try {
            return Files.readString(Paths.get('/proc', Long.toString(pid), 'comm')).trim()
        } catch (IOException ignored) {
            return ''
        }
    }

    /** CPU time the whole machine spent busy (every process; not idle, not iowait), ns. */
    static long machineBusy() {
        String cpu = Files.readAllLines(Paths.get('/proc/stat')).find { String l -> l.startsWith('cpu ') }
        String[] f = cpu.trim().split(/\s+/)
        long busy = 0
        for (int i = 1; i < f.length && i <= 8; i++) {
            if (i != 4 && i != 5) {
                busy += Long.parseLong(f[i])
            }
        }
        busy * TICK_NANOS
    }

    /** The test JVM's CPU between two snapshots by part (ns); {@code jvm} is what no live Java thread accounts for. */
    static Map<String, Long> parts(Snapshot a, Snapshot b) {
        Map<String, Long> out = new LinkedHashMap<>()
        PARTS.each { String p -> out[p] = 0L }
        long threads = 0
        b.threadCpu.each { Long id, Long cpu ->
            long delta = cpu - (a.threadCpu[id] ?: 0L)
            if (delta > 0) {
                String p = part(b.threadNames[id])
                out[p] = out[p] + delta
                threads += delta
            }
        }
        out['jvm'] = Math.max(0L, (b.testJvm - a.testJvm) - threads)
        out
    }

    /** The benchmark's processes' CPU between two snapshots (ns): test JVM, bridge, PostgreSQL, other children. */
    static long total(Snapshot a, Snapshot b) {
        (b.testJvm - a.testJvm) + (a.bridge >= 0 && b.bridge >= 0 ? b.bridge - a.bridge : 0L) + generatorTotal(a, b) +
                Math.max(0L, b.postgres - a.postgres) + Math.max(0L, b.otherChildren - a.otherChildren)
    }

    /** The load generator JVM's CPU between two snapshots (ns), 0 without one. */
    static long generatorTotal(Snapshot a, Snapshot b) {
        a.generator >= 0 && b.generator >= 0 ? b.generator - a.generator : 0L
    }

    /**
     * The load generator's part of a line: {@code + load generator JVM <total> [driver, mqtt clients, jvm]} scaled by
     * {@code scale} (per 1,000 messages or per second), or empty without a generator.
     */
    static String generatorPart(Snapshot a, Snapshot b, double scale) {
        if (a.generator < 0 || b.generator < 0) {
            return ''
        }
        long total = b.generator - a.generator
        long driver = (b.generatorThreads['driver'] ?: 0L) - (a.generatorThreads['driver'] ?: 0L)
        long clients = (b.generatorThreads['clients'] ?: 0L) - (a.generatorThreads['clients'] ?: 0L)
        long threads = (b.generatorThreads['threads'] ?: 0L) - (a.generatorThreads['threads'] ?: 0L)
        String.format(' + load generator JVM %.0f [driver %.0f, mqtt clients %.0f, other threads %.0f, jvm %.0f]',
                total * scale, driver * scale, clients * scale, Math.max(0L, threads - driver - clients) * scale,
                Math.max(0L, total - threads) * scale)
    }

    /**
     * What the parts use with no message flowing (timers, polling, Kafka's and HiveMQ's housekeeping, JFR if on):
     * one line in CPU ms per second, measured over {@code seconds}. Returns the idle rate (ns per s) for
     * {@link #report}.
     */
    static double idle(String what, Long bridgePid, double seconds, List<String> lines) {
        Snapshot a = take(bridgePid)
        Thread.sleep((long) (seconds * 1000))
        Snapshot b = take(bridgePid)
        double wall = (b.nanoTime - a.nanoTime) / 1e9d
        Map<String, Long> parts = parts(a, b)
        String split = parts.findAll { String k, Long v -> v > 0 }
                .collect { String k, Long v -> k + ' ' + String.format('%.0f', v / 1e6d / wall) }.join(', ')
        long bridge = a.bridge >= 0 && b.bridge >= 0 ? b.bridge - a.bridge : 0L
        double rate = total(a, b) / wall
        lines << String.format('cpu idle %s (ms per second with no message flowing, over %.1f s): total %.0f = test JVM %.0f [%s] + bridge JVM %s%s + PostgreSQL %.0f + other child processes %.0f',
                what, wall, rate / 1e6d, (b.testJvm - a.testJvm) / 1e6d / wall, split, bridgePid != null ? String.format('%.0f', bridge / 1e6d / wall) : '-',
                generatorPart(a, b, 1d / 1e6d / wall),
                Math.max(0L, b.postgres - a.postgres) / 1e6d / wall, Math.max(0L, b.otherChildren - a.otherChildren) / 1e6d / wall)
        rate
    }

    /**
     * Two lines: CPU ms per 1,000 messages of each part between the snapshots, the total of the benchmark's processes
     * (and that total less what the same processes use idle over the phase's duration, {@code idleNanosPerSecond}),
     * and the whole machine's.
     */
    static List<String> report(String phase, Snapshot a, Snapshot b, long messages, double idleNanosPerSecond = -1d) {
        double per = messages > 0 ? 1_000d / messages / 1e6d : 0d
        Map<String, Long> parts = parts(a, b)
        long test = b.testJvm - a.testJvm
        long bridge = a.bridge >= 0 && b.bridge >= 0 ? b.bridge - a.bridge : 0L
        long pg = Math.max(0L, b.postgres - a.postgres)
        long children = Math.max(0L, b.otherChildren - a.otherChildren)
        long total = test + bridge + generatorTotal(a, b) + pg + children
        double wall = (b.nanoTime - a.nanoTime) / 1e9d
        String split = parts.findAll { String k, Long v -> v > 0 }
                .collect { String k, Long v -> k + ' ' + String.format('%.0f', v * per) }.join(', ')
        String aboveIdle = idleNanosPerSecond < 0 ? '' : String.format('; above idle %.0f', Math.max(0d, total - idleNanosPerSecond * wall) * per)
        [String.format('cpu %s (ms per 1,000 messages, %,d messages in %.1f s): total %.0f = test JVM %.0f [%s] + bridge JVM %s%s + PostgreSQL %.0f + other child processes %.0f%s',
                phase, messages, wall, total * per, test * per, split, bridge > 0 ? String.format('%.0f', bridge * per) : '-',
                generatorPart(a, b, per), pg * per, children * per, aboveIdle),
         String.format('cpu %s: the benchmark\'s processes used %.2f of %d cores; the whole machine %.2f cores (%.0f ms per 1,000 messages, other processes included); load average %s',
                 phase, total / 1e9d / wall, Runtime.runtime.availableProcessors(), (b.machineBusy - a.machineBusy) / 1e9d / wall,
                 (b.machineBusy - a.machineBusy) * per, new File('/proc/loadavg').text.split(' ').take(3).join(' '))]
    }
}

package org.labcommons.iot.faults

import groovy.transform.CompileStatic

import java.lang.management.ManagementFactory
import java.lang.management.ThreadMXBean
import java.nio.charset.StandardCharsets
import java.nio.file.Files
import java.nio.file.Paths
import java.security.KeyFactory
import java.security.KeyPair
import java.security.spec.PKCS8EncodedKeySpec

/**
 * The benchmark's simulated devices in a JVM of their own ({@link LoadGeneratorProcess} starts it, pinned to one
 * core with {@code taskset} where the machine has more than one): the fleet of {@link LeanDevice}s (each its own
 * MQTT 5 session) and the {@link LoadDriver}, so that the load generator's CPU is neither the broker's nor the
 * test JVM's and can be told apart.
 * <p>
 * Arguments: the fleet file ({@link #writeFleet}), the broker's host and port. It connects every device, answers
 * {@code LG ready <devices>} and then reads commands from stdin, one a line, each answered by one line beginning
 * with {@code LG } (everything else it prints is log):
 * <ul>
 *   <li>{@code run <rate> <seconds> <max>}: a {@link LoadDriver} phase, waits for every PUBACK; answers
 *       {@code LG done <published> <startEpochMs> <endEpochMs>};</li>
 *   <li>{@code seqs}: {@code LG seqs <deviceId>=<lastSeq>,...};</li>
 *   <li>{@code cpu}: its threads' CPU by part, ns: {@code LG cpu driver=<ns> clients=<ns> threads=<ns>}
 *       (driver: the sending thread, signing and building envelopes; clients: the HiveMQ MQTT client's threads);</li>
 *   <li>{@code quit}: disconnects the devices and exits.</li>
 * </ul>
 */
@CompileStatic
class LoadGenerator {
    static final String PREFIX = 'LG '

    /** The fleet file: the tenant on the first line, then {@code <deviceId> <secret> <base64 PKCS#8 private key>} per device. */
    static void writeFleet(java.nio.file.Path file, UUID tenant, List<LeanDevice> devices) {
        List<String> lines = [tenant.toString()]
        for (LeanDevice d : devices) {
            lines << (d.deviceId.toString() + ' ' + d.secret + ' ' + Base64.encoder.encodeToString(d.keys.private.encoded))
        }
        Files.write(file, lines, StandardCharsets.UTF_8)
    }

    static List<LeanDevice> readFleet(java.nio.file.Path file) {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8)
        UUID tenant = UUID.fromString(lines[0].trim())
        KeyFactory keys = KeyFactory.getInstance('Ed25519')
        List<LeanDevice> devices = []
        for (String line : lines.drop(1)) {
            if (line.isBlank()) {
                continue
            }
            String[] f = line.trim().split(' ')
            def priv = keys.generatePrivate(new PKCS8EncodedKeySpec(Base64.decoder.decode(f[2])))
            devices << new LeanDevice(tenant, UUID.fromString(f[0]), f[1], new KeyPair(null, priv))
        }
        devices
    }

    static void main(String[] args) {
        ThreadMXBean threads = ManagementFactory.threadMXBean
        if (threads.threadCpuTimeSupported && !threads.threadCpuTimeEnabled) {
            threads.threadCpuTimeEnabled = true
        }
        List<LeanDevice> fleet = readFleet(Paths.get(args[0]))
        BenchmarkFleet.connectAll(fleet, args[1], Integer.parseInt(args[2]))
        LoadDriver driver = new LoadDriver(fleet)
        answer('ready ' + fleet.size())
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
        String line
        while ((line = in.readLine()) != null) {
            String[] c = line.trim().split(' ')
            try {
                switch (c[0]) {
                    case 'run':
                        LoadDriver.Phase p = driver.run(Integer.parseInt(c[1]), Double.parseDouble(c[2]), Long.parseLong(c[3]))
                        long endMs = p.startMs + (long) ((p.endNanos - p.startNanos) / 1_000_000L)
                        answer("done ${p.published} ${p.startMs} ${endMs}")
                        break
                    case 'seqs':
                        answer('seqs ' + fleet.collect { LeanDevice d -> d.deviceId.toString() + '=' + d.lastSeq() }.join(','))
                        break
                    case 'cpu':
                        answer(cpu(threads))
                        break
                    case 'quit':
                        fleet.each { LeanDevice d -> d.close() }
                        answer('bye')
                        System.exit(0)
                        break
                    default:
                        answer('error unknown command ' + c[0])
                }
            } catch (Exception e) {
                answer('error ' + e.toString().replace('\n', ' '))
            }
        }
        System.exit(0)
    }

    private static String cpu(ThreadMXBean threads) {
        long driver = 0
        long clients = 0
        long all = 0
        long[] ids = threads.allThreadIds
        def infos = threads.getThreadInfo(ids)
        for (int i = 0; i < ids.length; i++) {
            long t = threads.getThreadCpuTime(ids[i])
            if (t < 0 || infos[i] == null) {
                continue
            }
            all += t
            String name = infos[i].threadName
            if (name == 'main') {
                driver += t
            } else if (name.startsWith('com.hivemq.client.mqtt')) {
                clients += t
            }
        }
        "cpu driver=${driver} clients=${clients} threads=${all}".toString()
    }

    private static synchronized void answer(String s) {
        System.out.println(PREFIX + s)
        System.out.flush()
    }
}

package org.labcommons.iot.faults

import groovy.transform.CompileStatic
import org.labcommons.devstack.FreePorts

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths
import java.util.concurrent.TimeUnit

/**
 * The bridge in a JVM of its own (the test JVM's classpath, {@code labcommons.roles=iot}), so a
 * specification can kill it the way a crash or an OOM killer does ({@link #kill()}: SIGKILL, no
 * shutdown hook, no MQTT DISCONNECT, no producer flush) and start it again. Its output goes to
 * {@code target/faults/<name>.log}.
 */
@CompileStatic
class BridgeProcess implements AutoCloseable {
    /** The child's main class: a Micronaut application on the test classpath. */
    static String mainClass = BridgeMain.name

    final String name
    final Map<String, String> properties
    final List<String> jvmOptions
    final int httpPort = FreePorts.pick(0)
    final Path log
    private Process process
    int starts
    int kills

    BridgeProcess(String name, Map<String, String> properties, List<String> jvmOptions = ['-Xmx384m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1']) {
        this.name = name
        this.properties = new LinkedHashMap<>(properties)
        this.properties['labcommons.roles'] = 'iot'
        this.properties['micronaut.server.port'] = httpPort.toString()
        this.jvmOptions = jvmOptions
        Path dir = Paths.get('target', 'faults')
        Files.createDirectories(dir)
        this.log = dir.resolve(name + '.log')
        Files.deleteIfExists(log)
    }

    /** Starts the JVM (does not wait for it: see {@link #awaitReady}). */
    BridgeProcess start() {
        if (alive()) {
            throw new IllegalStateException("bridge ${name} is already running")
        }
        String java = Paths.get(System.getProperty('java.home'), 'bin', 'java').toString()
        List<String> cmd = [java]
        cmd.addAll(jvmOptions)
        cmd << '-Dfile.encoding=UTF-8'
        properties.each { String k, String v -> cmd << ('-D' + k + '=' + v) }
        cmd.addAll(['-cp', System.getProperty('java.class.path'), mainClass])
        Files.writeString(log, "---- start ${starts + 1}\n".toString(), java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND)
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start()
        starts++
        this
    }

    /**
     * Waits until the bridge answers {@code /health} with UP (its MQTT session and ingestion ready), then
     * {@code subscribeMs} more: the shared subscription follows the CONNACK, so a bridge with a new session
     * takes messages only a moment after it is UP. A restart on a session the broker kept (the subscription is
     * part of it) can pass 0.
     */
    BridgeProcess awaitReady(long timeoutMs = 120_000, long subscribeMs = 500) {
        long deadline = System.currentTimeMillis() + timeoutMs
        URL health = new URL("http://127.0.0.1:${httpPort}/health")
        while (System.currentTimeMillis() < deadline) {
            if (!alive()) {
                throw new IllegalStateException("bridge ${name} exited (${process.exitValue()}); see ${log.toAbsolutePath()}")
            }
            try {
                HttpURLConnection c = (HttpURLConnection) health.openConnection()
                c.connectTimeout = 500
                c.readTimeout = 15_000 // a slow answer is waited for, not asked again (each asks Kafka and the identity provider)
                if (c.responseCode == 200) {
                    if (subscribeMs > 0) {
                        Thread.sleep(subscribeMs)
                    }
                    return this
                }
            } catch (IOException ignored) {
                // not listening yet
            }
            Thread.sleep(100)
        }
        throw new IllegalStateException("bridge ${name} not ready within ${timeoutMs} ms; see ${log.toAbsolutePath()}")
    }

    /** SIGKILL: the process ends at once, mid-stream, with whatever it had in flight. */
    void kill() {
        if (alive()) {
            process.destroyForcibly()
            process.waitFor(30, TimeUnit.SECONDS)
            kills++
        }
    }

    /** A graceful stop (SIGTERM: shutdown hooks run). */
    void stop() {
        if (alive()) {
            process.destroy()
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly()
                process.waitFor(10, TimeUnit.SECONDS)
            }
        }
    }

    boolean alive() {
        process != null && process.alive
    }

    /** The child's process id (for reading its memory from /proc). */
    long pid() {
        process.pid()
    }

    @Override
    void close() {
        stop()
    }
}

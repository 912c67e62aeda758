package org.labcommons.iot.faults

import groovy.transform.CompileStatic

import java.nio.charset.StandardCharsets
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths
import java.util.concurrent.TimeUnit

/**
 * The benchmark's load generator ({@link LoadGenerator}: the simulated devices and the driver) in a JVM of its
 * own, started from the test JVM's classpath and pinned with {@code taskset -c <last core>} when {@code taskset}
 * exists and the machine has more than one core (the rest of the benchmark, broker, Kafka, bridge, PostgreSQL, may
 * use every core, the generator's one included). Its log goes to {@code target/faults/<name>.log}; commands and
 * answers go over its stdin and stdout.
 */
@CompileStatic
class LoadGeneratorProcess implements AutoCloseable {
    final Path log
    final boolean pinned
    final String core
    private final Process process
    private final BufferedReader out
    private final Writer in

    /** A phase as the generator ran it (wall-clock milliseconds: the two JVMs share no nano clock). */
    static class Phase {
        long published
        long startMs
        long endMs
    }

    LoadGeneratorProcess(String name, Path fleetFile, String host, int port, List<String> jvmOptions) {
        Path dir = Paths.get('target', 'faults')
        Files.createDirectories(dir)
        log = dir.resolve(name + '.log')
        Files.deleteIfExists(log)
        int cores = Runtime.runtime.availableProcessors()
        pinned = cores > 1 && Files.isExecutable(Paths.get('/usr/bin/taskset'))
        core = pinned ? String.valueOf(cores - 1) : 'any'
        List<String> cmd = []
        if (pinned) {
            cmd.addAll(['/usr/bin/taskset', '-c', core])
        }
        cmd << Paths.get(System.getProperty('java.home'), 'bin', 'java').toString()
        cmd.addAll(jvmOptions)
        cmd.addAll(['-Dfile.encoding=UTF-8', '-cp', System.getProperty('java.class.path'), LoadGenerator.name,
                    fleetFile.toAbsolutePath().toString(), host, String.valueOf(port)])
        process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start()
        out = new BufferedReader(new InputStreamReader(process.inputStream, StandardCharsets.UTF_8))
        in = new OutputStreamWriter(process.outputStream, StandardCharsets.UTF_8)
        String ready = answer(600_000)
        if (!ready.startsWith('ready')) {
            throw new IllegalStateException("load generator: ${ready}; see ${log.toAbsolutePath()}")
        }
    }

    /** The JVM's pid (taskset execs it, so the pid is the JVM's). */
    long pid() {
        process.pid()
    }

    /** Publishes at {@code rate} for {@code seconds} or {@code max} messages and waits for every PUBACK. */
    Phase run(int rate, double seconds, long max = Long.MAX_VALUE) {
        String[] f = ask("run ${rate} ${seconds} ${max}", (long) (seconds * 1000) + 600_000).split(' ')
        if (f[0] != 'done') {
            throw new IllegalStateException("load generator: ${f.join(' ')}; see ${log.toAbsolutePath()}")
        }
        new Phase(published: Long.parseLong(f[1]), startMs: Long.parseLong(f[2]), endMs: Long.parseLong(f[3]))
    }

    /** Each device's last seq. */
    Map<UUID, Long> lastSeqs() {
        String a = ask('seqs', 60_000)
        Map<UUID, Long> seqs = [:]
        for (String kv : a.substring('seqs '.length()).split(',')) {
            int eq = kv.indexOf('=')
            seqs[UUID.fromString(kv.substring(0, eq))] = Long.parseLong(kv.substring(eq + 1))
        }
        seqs
    }

    /** Its threads' CPU (ns): {@code driver}, {@code clients}, {@code threads} (every live thread). */
    Map<String, Long> threadCpu() {
        String a = ask('cpu', 30_000)
        Map<String, Long> m = [:]
        for (String kv : a.substring('cpu '.length()).split(' ')) {
            int eq = kv.indexOf('=')
            m[kv.substring(0, eq)] = Long.parseLong(kv.substring(eq + 1))
        }
        m
    }

    private synchronized String ask(String command, long timeoutMs) {
        in.write(command + '\n')
        in.flush()
        answer(timeoutMs)
    }

    /** The next protocol line; other output is copied to the log. */
    private String answer(long timeoutMs) {
        long deadline = System.currentTimeMillis() + timeoutMs
        while (System.currentTimeMillis() < deadline) {
            String line = out.readLine()
            if (line == null) {
                throw new IllegalStateException("load generator exited; see ${log.toAbsolutePath()}")
            }
            if (line.startsWith(LoadGenerator.PREFIX)) {
                return line.substring(LoadGenerator.PREFIX.length())
            }
            Files.writeString(log, line + '\n', java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND)
        }
        throw new IllegalStateException("load generator: no answer within ${timeoutMs} ms")
    }

    @Override
    void close() {
        if (process.alive) {
            try {
                ask('quit', 30_000)
            } catch (Exception ignored) {
                // gone already
            }
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly()
            }
        }
    }
}

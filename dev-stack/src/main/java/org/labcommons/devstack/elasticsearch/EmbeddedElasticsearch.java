package org.labcommons.devstack.elasticsearch;

import org.labcommons.devstack.FreePorts;
import org.labcommons.devstack.InfraService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real single-node Elasticsearch 8.19 as a child process: the minimal distribution that the
 * build unpacks into {@code dev-stack/target/elasticsearch} together with the project's
 * {@code search-analysis-plugin} (which supplies the {@code cjk}, {@code english} and
 * {@code smartcn} analyzers that distribution lacks).
 *
 * <p>Everything it writes (config, data, logs, temp files, console log) lives under
 * {@code workDir}. Elasticsearch refuses to run as root, so when this JVM is root the work
 * directory is handed to uid/gid 65534 and the server is launched through
 * {@code setpriv --reuid=65534 --regid=65534 --clear-groups}.
 *
 * <p>No shutdown hook is registered: the caller owns the lifecycle and must {@link #close()}.
 */
public final class EmbeddedElasticsearch implements InfraService {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedElasticsearch.class);

    public static final String DEFAULT_HEAP = "256m";
    /** Overrides the Elasticsearch home recorded by the build (system property). */
    public static final String HOME_PROPERTY = "labcommons.devstack.elasticsearch.home";
    public static final String CLUSTER_NAME = "labcommons-dev";
    /** The plugin directory the build unpacks search-analysis-plugin into. */
    public static final String ANALYSIS_PLUGIN = "labcommons-analysis";

    private static final int UNPRIVILEGED_ID = 65534;
    // generous: on a loaded 2-core machine a cold start has been seen to take over 90 s
    private static final Duration START_TIMEOUT = Duration.ofSeconds(240);
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);
    private static final String SERVER_MAIN = "org.elasticsearch.bootstrap.Elasticsearch";
    private static final int LOG_TAIL_LINES = 60;

    private final Path workDir;
    private final int requestedPort;
    private final String heap;
    private Process process;
    private ProcessHandle server;
    private Path consoleLog;
    private int port;
    private Duration startTime = Duration.ZERO;
    private long serverRssKb = -1;

    public EmbeddedElasticsearch(Path workDir, int httpPort) {
        this(workDir, httpPort, DEFAULT_HEAP);
    }

    /**
     * @param workDir  where config, data and logs go (created if missing)
     * @param httpPort the HTTP port, or 0 for a free one
     * @param heap     the JVM heap, {@code -Xms} = {@code -Xmx}, e.g. {@code 256m}
     */
    public EmbeddedElasticsearch(Path workDir, int httpPort, String heap) {
        if (!heap.matches("\\d+[kKmMgG]")) {
            throw new IllegalArgumentException("heap must look like 256m or 1g, was " + heap);
        }
        this.workDir = workDir.toAbsolutePath();
        this.requestedPort = httpPort;
        this.heap = heap;
    }

    @Override
    public String name() {
        return "elasticsearch";
    }

    @Override
    public synchronized void start() throws Exception {
        if (process != null) {
            throw new IllegalStateException("elasticsearch already started");
        }
        long t0 = System.nanoTime();
        Path home = home();
        Path config = workDir.resolve("config");
        Path data = workDir.resolve("data");
        Path logs = workDir.resolve("logs");
        Path tmp = workDir.resolve("tmp");
        for (Path dir : List.of(config, data, logs, tmp)) {
            Files.createDirectories(dir);
        }
        copyTree(home.resolve("config"), config);
        port = FreePorts.pick(requestedPort);
        Files.writeString(config.resolve("elasticsearch.yml"), elasticsearchYml(data, logs), StandardCharsets.UTF_8);
        consoleLog = workDir.resolve("elasticsearch-console.log");
        Files.deleteIfExists(consoleLog);
        Files.createFile(consoleLog);

        List<String> command = new ArrayList<>();
        boolean root = isRoot();
        if (root) {
            prepareForUnprivilegedUser(home);
            command.addAll(List.of("setpriv", "--reuid=" + UNPRIVILEGED_ID, "--regid=" + UNPRIVILEGED_ID, "--clear-groups"));
        }
        command.add(home.resolve("bin/elasticsearch").toString());
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(consoleLog.toFile()));
        Map<String, String> env = pb.environment();
        // the launcher script warns about (and partly ignores) these; keep the child's JVM our own choice
        for (String v : List.of("JAVA_HOME", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JAVA_OPTS", "ES_HOME")) {
            env.remove(v);
        }
        env.put("ES_JAVA_HOME", System.getProperty("java.home"));
        env.put("ES_PATH_CONF", config.toString());
        env.put("ES_TMPDIR", tmp.toString());
        env.put("ES_JAVA_OPTS", "-Xms" + heap + " -Xmx" + heap);
        if (root) {
            env.put("HOME", workDir.toString());
        }
        LOG.info("starting Elasticsearch from {} on port {} ({}heap {}, console log {})", home, port,
                root ? "as uid " + UNPRIVILEGED_ID + ", " : "", heap, consoleLog);
        process = pb.start();
        try {
            awaitReady();
        } catch (Exception e) {
            close();
            throw e;
        }
        startTime = Duration.ofNanos(System.nanoTime() - t0);
        server = findServer().orElse(null);
        serverRssKb = server == null ? -1 : rssKb(server.pid());
        long cliRssKb = rssKb(process.pid());
        LOG.info("Elasticsearch ready at {} in {} ms; server JVM pid {} RSS {} MB (launcher JVM pid {} RSS {} MB, heap {})",
                url(), startTime.toMillis(), server == null ? "?" : server.pid(), serverRssKb / 1024,
                process.pid(), cliRssKb / 1024, heap);
    }

    /** http://127.0.0.1:port */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** How long {@link #start()} took (zero before it finished). */
    public Duration startTime() {
        return startTime;
    }

    /** Resident memory of the Elasticsearch server JVM in kB, measured right after start (-1 if unknown). */
    public long serverRssKb() {
        return serverRssKb;
    }

    /** The pid of the Elasticsearch server JVM (a child of the launcher JVM), -1 when not running or unknown. */
    public synchronized long serverPid() {
        return server == null ? -1 : server.pid();
    }

    /** The process's combined stdout/stderr (useful in failure messages). */
    public Path consoleLog() {
        return consoleLog;
    }

    @Override
    public Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        // what the search role reads (search-index ElasticsearchClientFactory, LABCOMMONS_ES_URL)
        p.put("labcommons.es.url", url());
        return p;
    }

    @Override
    public Map<String, String> endpoints() {
        return Map.of("elasticsearch", url());
    }

    /**
     * Stops the launcher and the server JVM it spawned: SIGTERM to the whole tree, then SIGKILL to
     * whatever still runs after 15 s. Safe to call more than once.
     */
    @Override
    public synchronized void close() {
        if (process == null) {
            return;
        }
        List<ProcessHandle> tree = new ArrayList<>();
        process.toHandle().descendants().forEach(tree::add);
        if (server != null && !tree.contains(server)) {
            tree.add(server);
        }
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + STOP_GRACE.toNanos();
        for (ProcessHandle h : tree) {
            long left = deadline - System.nanoTime();
            try {
                if (left > 0) {
                    h.onExit().get(left, TimeUnit.NANOSECONDS);
                }
            } catch (Exception e) {
                // timed out or interrupted: forced below
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        for (ProcessHandle h : tree) {
            if (h.isAlive()) {
                LOG.warn("Elasticsearch process {} did not stop within {} s; killing it", h.pid(), STOP_GRACE.toSeconds());
                h.destroyForcibly();
            }
        }
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("Elasticsearch stopped");
        process = null;
        server = null;
    }

    /** The unpacked distribution: {@value #HOME_PROPERTY} or the path the build recorded. */
    static Path home() {
        String override = System.getProperty(HOME_PROPERTY);
        String recorded;
        if (override != null && !override.isBlank()) {
            recorded = override;
        } else {
            Properties props = new Properties();
            try (InputStream in = EmbeddedElasticsearch.class.getResourceAsStream("/org/labcommons/devstack/elasticsearch.properties")) {
                if (in == null) {
                    throw new IllegalStateException("org/labcommons/devstack/elasticsearch.properties is missing from the classpath");
                }
                props.load(new InputStreamReader(in, StandardCharsets.UTF_8)); // the build writes UTF-8
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            recorded = props.getProperty("home");
        }
        Path home = Path.of(recorded);
        if (!Files.isRegularFile(home.resolve("bin/elasticsearch"))) {
            throw new IllegalStateException("no Elasticsearch distribution at " + home
                    + ": build dev-stack (mvn -pl dev-stack -am install -DskipTests) or set -D" + HOME_PROPERTY);
        }
        if (!Files.isDirectory(home.resolve("plugins").resolve(ANALYSIS_PLUGIN))) {
            throw new IllegalStateException("the " + ANALYSIS_PLUGIN + " plugin is not installed in " + home
                    + " (the dev-stack build unpacks search-analysis-plugin there)");
        }
        return home;
    }

    private String elasticsearchYml(Path data, Path logs) {
        return String.join("\n",
                "# written by EmbeddedElasticsearch (dev-stack); rewritten on every start",
                "cluster.name: " + CLUSTER_NAME,
                "node.name: " + CLUSTER_NAME + "-1",
                "discovery.type: single-node",
                "network.host: 127.0.0.1",
                "http.host: 127.0.0.1",
                "http.port: " + port,
                "transport.host: 127.0.0.1",
                "transport.port: 0",
                "path.data: " + yamlString(data),
                "path.logs: " + yamlString(logs),
                // the minimal distribution carries x-pack-core/-security only; no TLS, no users in dev
                "xpack.security.enabled: false",
                // dev machines and CI disks are often nearly full: never turn indices read-only
                "cluster.routing.allocation.disk.threshold_enabled: false",
                "");
    }

    private static String yamlString(Path p) {
        return "\"" + p.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private void awaitReady() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create(url() + "/_cluster/health?wait_for_status=yellow&timeout=1s"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        String last = "no answer yet";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Elasticsearch exited with code " + process.exitValue()
                        + " while starting; last lines of " + consoleLog + ":\n" + tail(consoleLog));
            }
            try {
                HttpResponse<String> r = http.send(health, HttpResponse.BodyHandlers.ofString());
                last = "HTTP " + r.statusCode() + " " + r.body();
                if (r.statusCode() == 200 && r.body().contains("\"timed_out\":false")) {
                    return;
                }
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("Elasticsearch did not become ready within " + START_TIMEOUT.toSeconds()
                + " s (last health answer: " + last + "); last lines of " + consoleLog + ":\n" + tail(consoleLog));
    }

    /** The server JVM among the launcher's descendants (the launcher is a JVM itself). */
    private Optional<ProcessHandle> findServer() {
        List<ProcessHandle> descendants = process.toHandle().descendants().toList();
        return descendants.stream()
                .filter(h -> commandLine(h.pid()).contains(SERVER_MAIN)
                        || h.info().commandLine().orElse("").contains(SERVER_MAIN))
                .findFirst()
                .or(() -> descendants.isEmpty() ? Optional.empty() : Optional.of(descendants.get(descendants.size() - 1)));
    }

    private static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    /** VmRSS from /proc/&lt;pid&gt;/status in kB, -1 when unavailable (not Linux, process gone). */
    static long rssKb(long pid) {
        try (Stream<String> lines = Files.lines(Path.of("/proc", Long.toString(pid), "status"))) {
            return lines.filter(l -> l.startsWith("VmRSS:"))
                    .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
                    .findFirst().orElse(-1L);
        } catch (IOException | UncheckedIOException | NumberFormatException e) {
            return -1;
        }
    }

    private static boolean isRoot() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return uid instanceof Integer i && i == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    /**
     * As root: the work directory becomes uid/gid 65534's, its ancestors and the ES home must be
     * traversable and readable by that user (ES only reads its home; it writes under workDir).
     */
    private void prepareForUnprivilegedUser(Path home) throws IOException {
        try (Stream<Path> all = Files.walk(workDir)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Files.setAttribute(p, "unix:uid", UNPRIVILEGED_ID, LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(p, "unix:gid", UNPRIVILEGED_ID, LinkOption.NOFOLLOW_LINKS);
            }
        }
        makeAncestorsTraversable(workDir);
        makeAncestorsTraversable(home);
        makeWorldReadable(home);
    }

    /** Adds o+x (search, not list) to ancestors that lack it, e.g. a 0700 temporary directory. */
    private static void makeAncestorsTraversable(Path dir) throws IOException {
        for (Path p = dir.getParent(); p != null; p = p.getParent()) {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
            if (!perms.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                perms.add(PosixFilePermission.OTHERS_EXECUTE);
                Files.setPosixFilePermissions(p, perms);
                LOG.info("added o+x to {} so that uid {} can reach Elasticsearch's files", p, UNPRIVILEGED_ID);
            }
        }
    }

    /** The distribution as unpacked by root with a strict umask may not be readable by others. */
    private static void makeWorldReadable(Path home) throws IOException {
        Files.walkFileTree(home, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                add(dir, EnumSet.of(PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_EXECUTE));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile()) {
                    Set<PosixFilePermission> wanted = EnumSet.of(PosixFilePermission.OTHERS_READ);
                    if (Files.getPosixFilePermissions(file).contains(PosixFilePermission.OWNER_EXECUTE)) {
                        wanted.add(PosixFilePermission.OTHERS_EXECUTE);
                    }
                    add(file, wanted);
                }
                return FileVisitResult.CONTINUE;
            }

            private void add(Path p, Set<PosixFilePermission> wanted) throws IOException {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
                if (!perms.containsAll(wanted)) {
                    perms.addAll(wanted);
                    Files.setPosixFilePermissions(p, perms);
                }
            }
        });
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path src : (Iterable<Path>) all::iterator) {
                Path dst = to.resolve(from.relativize(src).toString());
                if (Files.isDirectory(src)) {
                    Files.createDirectories(dst);
                } else {
                    Files.copy(src, dst, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static String tail(Path file) {
        if (file == null || !Files.exists(file)) {
            return "(no log)";
        }
        try {
            List<String> lines = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(log unreadable: " + e + ")";
        }
    }
}

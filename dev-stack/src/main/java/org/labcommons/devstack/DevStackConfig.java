package org.labcommons.devstack;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/**
 * How a {@link DevStack} runs.
 *
 * @param workDir    where every service keeps its files
 * @param persistent dev mode: data survives restarts, fixed ports; otherwise throw-away and free ports
 * @param portOffset added to each service's conventional port in persistent mode (default 10000,
 *                   so PostgreSQL listens on 15432 and does not collide with a system server)
 * @param issuerIds  identity-provider issuers to configure
 * @param elasticsearch whether the stack runs Elasticsearch (a test JVM of a module that does not search
 *                   leaves it out: it is the slowest service to start)
 */
public record DevStackConfig(Path workDir, boolean persistent, int portOffset, List<String> issuerIds,
                             boolean elasticsearch) {
    public static final List<String> DEFAULT_ISSUERS = List.of("consortium", "donghu", "xiling");

    /**
     * The system property that leaves Elasticsearch out of a test JVM's shared stack ({@link SharedDevStack}) when
     * {@code false}; the parent POM sets it from the Maven property {@code labcommons.devstack.elasticsearch}.
     */
    public static final String ELASTICSEARCH_PROPERTY = "labcommons.devstack.elasticsearch";

    public DevStackConfig {
        issuerIds = List.copyOf(issuerIds);
    }

    /** Every service, Elasticsearch included. */
    public DevStackConfig(Path workDir, boolean persistent, int portOffset, List<String> issuerIds) {
        this(workDir, persistent, portOffset, issuerIds, true);
    }

    /** The same stack without Elasticsearch. */
    public DevStackConfig withoutElasticsearch() {
        return new DevStackConfig(workDir, persistent, portOffset, issuerIds, false);
    }

    /** Dev mode: data kept under {@code dir}, ports 15432, 19092, 19200, 11883, 18081, 13025 (SMTP). */
    public static DevStackConfig dev(Path dir) {
        return new DevStackConfig(dir, true, 10000, DEFAULT_ISSUERS);
    }

    /** Tests: a fresh temporary directory and free ports. */
    public static DevStackConfig test() {
        try {
            return new DevStackConfig(Files.createTempDirectory("labcommons-test-"), false, 0, DEFAULT_ISSUERS);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The port a service listens on: conventional + offset in dev mode, 0 (free) otherwise. */
    int port(int conventional) {
        return persistent ? conventional + portOffset : 0;
    }

    /**
     * A credential for an embedded service: random per test run; in dev mode created once and kept
     * in {@code workDir/secrets.properties} so data directories stay usable across restarts.
     */
    String secret(String name) {
        if (!persistent) {
            return random();
        }
        try {
            Path file = workDir.resolve("secrets.properties");
            java.util.Properties props = new java.util.Properties();
            if (Files.exists(file)) {
                try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    props.load(in);
                }
            }
            String value = props.getProperty(name);
            if (value == null) {
                value = random();
                props.setProperty(name, value);
                Files.createDirectories(workDir);
                try (var out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                    props.store(out, "generated dev-mode credentials (loopback-only services)");
                }
            }
            return value;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String random() {
        byte[] b = new byte[16];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}

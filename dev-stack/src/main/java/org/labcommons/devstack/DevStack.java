package org.labcommons.devstack;

import org.labcommons.devstack.elasticsearch.EmbeddedElasticsearch;
import org.labcommons.devstack.kafka.EmbeddedKafka;
import org.labcommons.devstack.mail.DevMailServer;
import org.labcommons.devstack.mqtt.EmbeddedMqttBroker;
import org.labcommons.devstack.mqtt.MqttGrant;
import org.labcommons.devstack.mqtt.StaticMqttAccessPolicy;
import org.labcommons.devstack.oidc.DevIdentityProvider;
import org.labcommons.devstack.postgres.EmbeddedPostgresService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Starts every piece of real infrastructure the platform needs, in parallel, and hands out the
 * application properties that point at them. Used by dev mode (persistent data, fixed ports)
 * and by tests (throw-away directories, free ports).
 *
 * <p>Where a Docker engine exists, a Testcontainers-backed stack can hand out the same
 * properties; the application never knows which one it runs against.
 */
public final class DevStack implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DevStack.class);

    /** The platform's own MQTT account (the iot-bridge's service account). */
    public static final String MQTT_SERVICE_USER = "labcommons-bridge";

    private final DevStackConfig config;
    private final InfraProvider provider;
    private final EmbeddedPostgresService postgres;
    private final EmbeddedKafka kafka;
    private final EmbeddedElasticsearch elasticsearch;
    private final EmbeddedMqttBroker mqtt;
    private final DevIdentityProvider identityProvider;
    private final DevMailServer mail;
    private final List<InfraService> services;
    private Duration startTime = Duration.ZERO;
    private boolean started;

    public DevStack(DevStackConfig config) {
        this(config, InfraProvider.choose(System.getenv(InfraProvider.VARIABLE),
                org.labcommons.devstack.containers.ContainerServices::dockerAvailable));
    }

    public DevStack(DevStackConfig config, InfraProvider provider) {
        this.config = config;
        this.provider = provider;
        Path dir = config.workDir();
        String mqttPassword = config.secret("mqtt-bridge");
        // until the platform's access decision is installed (HttpMqttAccessPolicy): the service account only,
        // with the grant the platform gives it (LC-IC/1: read every uplink, write every downlink)
        StaticMqttAccessPolicy policy = new StaticMqttAccessPolicy()
                .account(MQTT_SERVICE_USER, mqttPassword,
                        new MqttGrant(MQTT_SERVICE_USER, List.of("lc/v1/+/+/down/#"), List.of("#")));
        this.mqtt = new EmbeddedMqttBroker(dir.resolve("mqtt"), config.port(1883), config.persistent(), policy,
                MQTT_SERVICE_USER, mqttPassword, config.secret("mqtt-broker-token"));
        this.identityProvider = new DevIdentityProvider(config.port(8081), config.issuerIds());
        this.mail = new DevMailServer(config.port(3025));
        if (provider == InfraProvider.CONTAINERS) {
            this.postgres = null;
            this.kafka = null;
            this.elasticsearch = null;
            List<InfraService> all = new ArrayList<>(List.of(
                    org.labcommons.devstack.containers.ContainerServices.postgres(config.secret("db-owner"), config.secret("db-app")),
                    org.labcommons.devstack.containers.ContainerServices.kafka()));
            if (config.elasticsearch()) {
                all.add(org.labcommons.devstack.containers.ContainerServices.elasticsearch());
            }
            all.addAll(List.of(mqtt, identityProvider, mail));
            this.services = List.copyOf(all);
        } else {
            this.postgres = new EmbeddedPostgresService(dir.resolve("postgres"), config.port(5432), config.persistent(),
                    config.secret("db-owner"), config.secret("db-app"));
            this.kafka = new EmbeddedKafka(dir.resolve("kafka"), config.port(9092));
            // -Dlabcommons.dev.es-heap=1g for benchmarks with a large index (default 256m)
            this.elasticsearch = config.elasticsearch()
                    ? new EmbeddedElasticsearch(dir.resolve("elasticsearch"), config.port(9200),
                            System.getProperty("labcommons.dev.es-heap", "256m"))
                    : null;
            List<InfraService> all = new ArrayList<>(List.of(postgres, kafka));
            if (elasticsearch != null) {
                all.add(elasticsearch);
            }
            all.addAll(List.of(mqtt, identityProvider, mail));
            this.services = List.copyOf(all);
        }
    }

    /** Which provider this stack uses. */
    public InfraProvider provider() {
        return provider;
    }

    /** Starts all services in parallel; on any failure stops what did start and rethrows. */
    public synchronized DevStack start() throws Exception {
        if (started) {
            return this;
        }
        long t0 = System.nanoTime();
        if (config.persistent()) {
            stopLeftovers(config.workDir());
        }
        ExecutorService pool = Executors.newFixedThreadPool(services.size(), r -> {
            Thread t = new Thread(r, "devstack-start");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (InfraService s : services) {
                futures.add(pool.submit(() -> {
                    long s0 = System.nanoTime();
                    s.start();
                    LOG.info("{} started in {} ms", s.name(), (System.nanoTime() - s0) / 1_000_000);
                    return null;
                }));
            }
            Exception failure = null;
            for (int i = 0; i < futures.size(); i++) {
                try {
                    futures.get(i).get();
                } catch (ExecutionException e) {
                    Exception cause = e.getCause() instanceof Exception ex ? ex : e;
                    if (failure == null) {
                        failure = new IllegalStateException(services.get(i).name() + " failed to start: "
                                + cause.getMessage(), cause);
                    } else {
                        failure.addSuppressed(cause);
                    }
                }
            }
            if (failure != null) {
                close();
                throw failure;
            }
        } finally {
            pool.shutdownNow();
        }
        startTime = Duration.ofNanos(System.nanoTime() - t0);
        started = true;
        LOG.info("dev stack ready in {} ms", startTime.toMillis());
        return this;
    }

    /**
     * A dev JVM that was killed outright (kill -9, a closed terminal) cannot stop its child
     * processes; they would keep the ports and the data directories locked. They are recognised by
     * the data directory in their command line (PostgreSQL's {@code -D}, Elasticsearch's config
     * path) and stopped before anything starts.
     */
    static void stopLeftovers(Path workDir) {
        String marker = workDir.toAbsolutePath().toString() + java.io.File.separator;
        long self = ProcessHandle.current().pid();
        List<ProcessHandle> leftovers = ProcessHandle.allProcesses()
                .filter(p -> p.pid() != self)
                .filter(p -> commandLine(p.pid()).contains(marker))
                .toList();
        if (leftovers.isEmpty()) {
            return;
        }
        LOG.warn("stopping {} process(es) left over from an earlier dev run in {}: {}", leftovers.size(), workDir,
                leftovers.stream().map(ProcessHandle::pid).toList());
        leftovers.forEach(ProcessHandle::destroy);
        long deadline = System.currentTimeMillis() + 15_000;
        for (ProcessHandle p : leftovers) {
            while (p.isAlive() && System.currentTimeMillis() < deadline) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
    }

    /** The command line from /proc (ProcessHandle.Info is empty in some containers). */
    private static String commandLine(long pid) {
        try {
            byte[] raw = java.nio.file.Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return new String(raw, java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (java.io.IOException | RuntimeException e) {
            return "";
        }
    }

    /** Application properties for every service (the same names as the LABCOMMONS_* variables). */
    public Map<String, String> properties() {
        Map<String, String> all = new LinkedHashMap<>();
        services.forEach(s -> all.putAll(s.properties()));
        return all;
    }

    /** Human-facing endpoints for the dev banner. */
    public Map<String, String> endpoints() {
        Map<String, String> all = new LinkedHashMap<>();
        services.forEach(s -> all.putAll(s.endpoints()));
        return all;
    }

    public Duration startTime() {
        return startTime;
    }

    public DevStackConfig config() {
        return config;
    }

    /** The embedded PostgreSQL (tests use its superuser connection); embedded provider only. */
    public EmbeddedPostgresService postgres() {
        return embeddedOnly(postgres);
    }

    public EmbeddedKafka kafka() {
        return embeddedOnly(kafka);
    }

    public EmbeddedElasticsearch elasticsearch() {
        if (!config.elasticsearch()) {
            throw new IllegalStateException("this stack runs without Elasticsearch (" + DevStackConfig.ELASTICSEARCH_PROPERTY + "=false)");
        }
        return embeddedOnly(elasticsearch);
    }

    private <T> T embeddedOnly(T service) {
        if (service == null) {
            throw new IllegalStateException("this stack uses " + provider + " infrastructure; use properties() instead");
        }
        return service;
    }

    public EmbeddedMqttBroker mqtt() {
        return mqtt;
    }

    public DevIdentityProvider identityProvider() {
        return identityProvider;
    }

    /** The SMTP server (GreenMail): what the platform sent can be read back from it. */
    public DevMailServer mail() {
        return mail;
    }

    /** Stops everything in reverse order; safe to call more than once. */
    @Override
    public synchronized void close() {
        List<InfraService> reversed = new ArrayList<>(services);
        java.util.Collections.reverse(reversed);
        for (InfraService s : reversed) {
            try {
                s.close();
            } catch (RuntimeException e) {
                LOG.warn("{} did not stop cleanly", s.name(), e);
            }
        }
        started = false;
        if (!config.persistent()) {
            deleteRecursively(config.workDir());
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!java.nio.file.Files.exists(dir)) {
            return;
        }
        try (var paths = java.nio.file.Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    java.nio.file.Files.deleteIfExists(p);
                } catch (java.io.IOException e) {
                    LOG.debug("could not delete {}: {}", p, e.getMessage());
                }
            });
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            LOG.debug("could not clean up {}: {}", dir, e.getMessage());
        }
    }
}

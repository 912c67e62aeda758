package org.labcommons.devstack.kafka;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.labcommons.devstack.FreePorts;
import org.labcommons.devstack.InfraService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one), in this JVM. It can be
 * stopped ({@link #close()}) and started again on the same ports and log directory, keeping its
 * topics and records: clients see the broker unavailable in between (for fault tests).
 */
public final class EmbeddedKafka implements InfraService {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

    private final Path logDir;
    private final int requestedPort;
    private KafkaRaftServer server;
    private int port;
    private int controllerPort;

    public EmbeddedKafka(Path logDir, int port) {
        this.logDir = logDir;
        this.requestedPort = port;
    }

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public synchronized void start() throws Exception {
        Files.createDirectories(logDir);
        // a restart of this instance reuses the ports of its first start, so clients can reconnect
        if (port == 0) {
            port = FreePorts.pick(requestedPort);
            controllerPort = FreePorts.pick(requestedPort > 0 ? requestedPort + 1 : 0);
        }
        Map<String, Object> cfg = new HashMap<>();
        cfg.put("process.roles", "broker,controller");
        cfg.put("node.id", "1");
        cfg.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        cfg.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        cfg.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        cfg.put("controller.listener.names", "CONTROLLER");
        cfg.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        cfg.put("inter.broker.listener.name", "PLAINTEXT");
        cfg.put("log.dirs", logDir.toString());
        cfg.put("num.partitions", "3");
        cfg.put("default.replication.factor", "1");
        cfg.put("offsets.topic.replication.factor", "1");
        cfg.put("offsets.topic.num.partitions", "5");
        cfg.put("transaction.state.log.replication.factor", "1");
        cfg.put("transaction.state.log.min.isr", "1");
        cfg.put("transaction.state.log.num.partitions", "5");
        cfg.put("min.insync.replicas", "1");
        cfg.put("group.initial.rebalance.delay.ms", "0");
        cfg.put("auto.create.topics.enable", "true");
        cfg.put("log.flush.interval.messages", "10000");
        cfg.put("log.retention.hours", "168");
        cfg.put("num.network.threads", "2");
        cfg.put("num.io.threads", "4");
        cfg.put("background.threads", "4");
        KafkaConfig config = new KafkaConfig(cfg, false);

        if (Files.exists(logDir.resolve("meta.properties"))) {
            LOG.debug("Kafka storage in {} is already formatted; keeping it", logDir);
        } else {
            format();
        }

        server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        LOG.info("Kafka ready on 127.0.0.1:{} (KRaft, logs in {})", port, logDir);
    }

    /** First start only: a later start keeps the cluster id recorded in meta.properties. */
    private void format() throws Exception {
        ByteArrayOutputStream formatOutput = new ByteArrayOutputStream();
        new Formatter()
                .setPrintStream(new PrintStream(formatOutput, true, StandardCharsets.UTF_8))
                .setClusterId(Uuid.randomUuid().toString())
                .setNodeId(1)
                .setControllerListenerName("CONTROLLER")
                .setMetadataLogDirectory(logDir.toString())
                .addDirectory(logDir.toString())
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .run();
        LOG.debug("Kafka storage: {}", formatOutput.toString(StandardCharsets.UTF_8).trim());
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    @Override
    public Map<String, String> properties() {
        return Map.of("labcommons.kafka.bootstrap", bootstrapServers());
    }

    @Override
    public Map<String, String> endpoints() {
        return Map.of("kafka", bootstrapServers());
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            try {
                server.shutdown();
                server.awaitShutdown();
            } catch (RuntimeException e) {
                LOG.warn("Kafka did not stop cleanly", e);
            }
            server = null;
        }
    }
}

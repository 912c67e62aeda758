package org.labcommons.iot.ingest;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The bridge's Kafka producer: idempotent, {@code acks=all}, batching with {@code linger} and
 * {@code compression}; and the creation of the iot.* topics. A send whose callback reports an error is
 * started again by the bridge (never acknowledged to the broker meanwhile).
 */
final class KafkaSink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaSink.class);

    private final String bootstrap;
    private final IngestSettings settings;
    private final KafkaProducer<String, byte[]> producer;

    KafkaSink(String bootstrap, IngestSettings settings, String clientId) {
        this.bootstrap = bootstrap;
        this.settings = settings;
        Map<String, Object> cfg = new HashMap<>();
        cfg.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        cfg.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        cfg.put(ProducerConfig.ACKS_CONFIG, "all");
        cfg.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        cfg.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        cfg.put(ProducerConfig.LINGER_MS_CONFIG, (int) settings.getLinger().toMillis());
        cfg.put(ProducerConfig.BATCH_SIZE_CONFIG, settings.getBatchBytes());
        cfg.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, settings.getCompression());
        int delivery = (int) Math.max(settings.getDeliveryTimeout().toMillis(), settings.getLinger().toMillis() + 10_000);
        cfg.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(10_000, delivery - (int) settings.getLinger().toMillis()));
        cfg.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, delivery);
        // send() waits at most this long for metadata or buffer room (Kafka down): the lane then retries
        cfg.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000);
        cfg.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
        cfg.put(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG, 1_000);
        cfg.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        cfg.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        this.producer = new KafkaProducer<>(cfg);
    }

    /** Creates the iot.* topics that do not exist yet. Throws while Kafka is unreachable. */
    void ensureTopics() throws Exception {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.CLIENT_ID_CONFIG, "labcommons-iot-admin",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000))) {
            Set<String> existing = admin.listTopics().names().get(10, TimeUnit.SECONDS);
            List<NewTopic> create = IotTopics.all().stream().filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, settings.getPartitions(), settings.getReplicationFactor())).toList();
            if (create.isEmpty()) {
                return;
            }
            try {
                admin.createTopics(create).all().get(10, TimeUnit.SECONDS);
                LOG.info("created topics {} ({} partitions)", create.stream().map(NewTopic::name).toList(), settings.getPartitions());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
    }

    void send(ProducerRecord<String, byte[]> record, Callback callback) {
        producer.send(record, callback);
    }

    void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }

    void close(Duration timeout) {
        try {
            producer.close(timeout);
        } catch (RuntimeException e) {
            LOG.debug("closing the bridge's producer: {}", e.toString());
        }
    }
}

package org.labcommons.core.events;

import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.transaction.TransactionOperations;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes committed outbox rows to Kafka, exactly once, on a background thread.
 * <p>
 * Each claimed batch (rows in {@code seq} order, every tenant) is one Kafka transaction of an
 * idempotent, transactional producer; the rows are marked published after the transaction
 * commits. If the relay dies between the two, the next start's recovery reads back the tail of
 * every outbox topic with {@code read_committed} and marks the rows found there (by seq and event
 * id), before claiming anything, so a batch that reached Kafka is never sent again. A batch whose
 * transaction did not commit is aborted by the next producer's {@code initTransactions} and sent
 * again. While Kafka or the database is down it retries with backoff; rows wait in the outbox.
 * See docs/events.md.
 */
@Singleton
@RequiresRole(PlatformRole.CORE)
public class OutboxRelay implements AutoCloseable {
    static final Argument<Map<String, Object>> PAYLOAD = Argument.mapOf(String.class, Object.class);
    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(10);

    /** Where a test can make the relay die. */
    public enum Phase { BEFORE_KAFKA_COMMIT, AFTER_KAFKA_COMMIT }

    /** A test hook called at each {@link Phase} with the batch's seqs; throw {@link Killed} to die there. */
    @FunctionalInterface
    public interface FaultHook {
        void at(Phase phase, List<Long> seqs);
    }

    /** Thrown by a {@link FaultHook}: the relay stops at once, as if its process were killed. */
    public static final class Killed extends RuntimeException {
        public Killed(String message) {
            super(message, null, false, false);
        }
    }

    private final OutboxSettings settings;
    private final String bootstrap;
    private final TransactionOperations<Connection> transactions;
    private final OutboxRows outbox;
    private final JsonMapper json;
    private final List<EventTopics> declared;
    private final Object signal = new Object();
    private final Set<String> knownTopics = new HashSet<>();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile FaultHook faultHook = (phase, seqs) -> { };
    private volatile boolean running;
    private boolean wakeRequested;
    private Thread thread;
    private KafkaProducer<String, String> producer;

    public OutboxRelay(OutboxSettings settings, @Value("${labcommons.kafka.bootstrap}") String bootstrap,
                       TransactionOperations<Connection> transactions, OutboxRows outbox, JsonMapper json,
                       List<EventTopics> declared) {
        this.settings = settings;
        this.bootstrap = bootstrap;
        this.transactions = transactions;
        this.outbox = outbox;
        this.json = json;
        this.declared = List.copyOf(declared);
    }

    @EventListener
    void onStartup(StartupEvent event) {
        if (settings.isEnabled()) {
            start();
        }
    }

    /** Starts the background thread (idempotent). */
    public synchronized void start() {
        if (thread != null && thread.isAlive()) {
            return;
        }
        running = true;
        thread = new Thread(this::run, "outbox-relay");
        thread.setDaemon(true);
        thread.start();
        LOG.info("outbox relay started (kafka {}, transactional id {})", bootstrap, settings.getTransactionalId());
    }

    /** Asks the relay to look for rows now instead of at the next poll. */
    public void wake() {
        synchronized (signal) {
            wakeRequested = true;
            signal.notifyAll();
        }
    }

    /** Stops the thread and closes the producer. */
    @PreDestroy
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            running = false;
            t = thread;
        }
        wake();
        if (t != null) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(15));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether the background thread is alive. */
    public boolean isRunning() {
        Thread t = thread;
        return t != null && t.isAlive();
    }

    /** Rows this instance published and marked since it started. */
    public long publishedCount() {
        return published.get();
    }

    /** Failed attempts (Kafka or the database unavailable) since it started; each is retried. */
    public long failureCount() {
        return failures.get();
    }

    /** For tests only: where to die. */
    public void setFaultHook(FaultHook hook) {
        this.faultHook = hook == null ? (phase, seqs) -> { } : hook;
    }

    private void run() {
        long backoff = settings.getPollInterval().toMillis();
        try {
            while (running) {
                try {
                    if (producer == null) {
                        connect();
                        recover();
                    }
                    int sent = relayBatch();
                    backoff = settings.getPollInterval().toMillis();
                    if (sent < settings.getBatchSize()) {
                        pause(settings.getPollInterval().toMillis());
                    }
                } catch (Killed killed) {
                    LOG.warn("outbox relay killed: {}", killed.getMessage());
                    discardProducer(Duration.ZERO);
                    return;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (Exception e) {
                    if (!running) {
                        break;
                    }
                    failures.incrementAndGet();
                    LOG.warn("outbox relay: {}; retrying in {} ms", e.toString(), backoff);
                    discardProducer(Duration.ofSeconds(1));
                    pause(backoff);
                    backoff = Math.min(backoff * 2, settings.getMaxBackoff().toMillis());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        discardProducer(Duration.ofSeconds(5));
        LOG.info("outbox relay stopped");
    }

    private void pause(long millis) throws InterruptedException {
        synchronized (signal) {
            if (!wakeRequested && running) {
                signal.wait(Math.max(1, millis));
            }
            wakeRequested = false;
        }
    }

    /** A new transactional producer; its initTransactions aborts whatever a previous one left open. */
    private void connect() {
        Map<String, Object> cfg = new HashMap<>();
        cfg.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        cfg.put(ProducerConfig.CLIENT_ID_CONFIG, "labcommons-outbox-relay");
        cfg.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        cfg.put(ProducerConfig.ACKS_CONFIG, "all");
        cfg.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, settings.getTransactionalId());
        cfg.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 30_000);
        cfg.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        cfg.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        cfg.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
        cfg.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        cfg.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
        cfg.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        cfg.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        KafkaProducer<String, String> p = new KafkaProducer<>(cfg);
        try {
            p.initTransactions();
        } catch (RuntimeException e) {
            p.close(Duration.ZERO);
            throw e;
        }
        producer = p;
    }

    private void discardProducer(Duration timeout) {
        if (producer != null) {
            try {
                producer.close(timeout);
            } catch (RuntimeException e) {
                LOG.debug("closing the outbox producer", e);
            }
            producer = null;
        }
    }

    /**
     * Marks published every outbox row whose record is already committed in Kafka: the tail of
     * each partition of every topic with pending rows (and the declared ones), read with
     * read_committed. Only the relay's last transaction can be committed but unmarked, and the
     * window read covers several batches.
     */
    private void recover() throws Exception {
        Set<String> topics = new TreeSet<>();
        declared.forEach(d -> topics.addAll(d.topics()));
        topics.addAll(pendingTopics());
        ensureTopics(topics);
        Map<Long, UUID> inKafka = committedTail(topics, 4L * settings.getBatchSize() + 16);
        int marked = mark(inKafka);
        if (marked > 0) {
            LOG.warn("outbox relay recovery: {} row(s) were already in Kafka; marked published, not sent again", marked);
        }
        LOG.info("outbox relay ready ({} topics checked, {} recent records seen)", topics.size(), inKafka.size());
    }

    private Map<Long, UUID> committedTail(Collection<String> topics, long window) throws TimeoutException {
        Map<String, Object> cfg = new HashMap<>();
        cfg.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        cfg.put(ConsumerConfig.CLIENT_ID_CONFIG, "labcommons-outbox-recovery");
        cfg.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        cfg.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        cfg.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        cfg.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        cfg.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        cfg.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        cfg.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        Map<Long, UUID> found = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(cfg)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                for (PartitionInfo info : consumer.partitionsFor(topic, KAFKA_TIMEOUT)) {
                    partitions.add(new TopicPartition(topic, info.partition()));
                }
            }
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, KAFKA_TIMEOUT);
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, KAFKA_TIMEOUT);
            for (TopicPartition p : partitions) {
                consumer.seek(p, Math.max(begin.get(p), end.get(p) - window));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (partitions.stream().anyMatch(p -> consumer.position(p, KAFKA_TIMEOUT) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("reading the tail of the outbox topics took longer than 30 s");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    String seq = EventHeaders.get(r.headers(), EventHeaders.OUTBOX_SEQ);
                    String id = EventHeaders.get(r.headers(), EventHeaders.EVENT_ID);
                    if (seq != null && id != null) {
                        found.put(Long.parseLong(seq), UUID.fromString(id));
                    }
                }
            }
        }
        return found;
    }

    private int relayBatch() throws Exception {
        List<OutboxRows.Claimed> rows = claim();
        if (rows.isEmpty()) {
            return 0;
        }
        ensureTopics(rows.stream().map(OutboxRows.Claimed::topic).toList());
        List<Long> seqs = rows.stream().map(OutboxRows.Claimed::seq).toList();
        producer.beginTransaction();
        for (OutboxRows.Claimed row : rows) {
            producer.send(record(row));
        }
        faultHook.at(Phase.BEFORE_KAFKA_COMMIT, seqs);
        producer.commitTransaction();
        faultHook.at(Phase.AFTER_KAFKA_COMMIT, seqs);
        Map<Long, UUID> sent = new LinkedHashMap<>();
        rows.forEach(r -> sent.put(r.seq(), r.eventId()));
        mark(sent);
        published.addAndGet(rows.size());
        return rows.size();
    }

    private ProducerRecord<String, String> record(OutboxRows.Claimed row) throws Exception {
        EventEnvelope envelope = new EventEnvelope(row.eventId(), row.type(), row.schemaVersion(), row.tenantId(),
                row.aggregateType(), row.aggregateId(), row.aggregateVersion(), row.occurredAt(),
                json.readValue(row.payload(), PAYLOAD));
        RecordHeaders headers = new RecordHeaders();
        headers.add(EventHeaders.EVENT_ID, utf8(row.eventId().toString()));
        headers.add(EventHeaders.EVENT_TYPE, utf8(row.type()));
        headers.add(EventHeaders.SCHEMA_VERSION, utf8(Integer.toString(row.schemaVersion())));
        headers.add(EventHeaders.TENANT_ID, utf8(row.tenantId().toString()));
        headers.add(EventHeaders.OUTBOX_SEQ, utf8(Long.toString(row.seq())));
        return new ProducerRecord<>(row.topic(), null, row.aggregateId(), json.writeValueAsString(envelope), headers);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private void ensureTopics(Collection<String> topics) throws Exception {
        Set<String> missing = new TreeSet<>(topics);
        missing.removeAll(knownTopics);
        if (missing.isEmpty()) {
            return;
        }
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.CLIENT_ID_CONFIG, "labcommons-outbox-admin",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000))) {
            Set<String> existing = admin.listTopics().names().get(KAFKA_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            List<NewTopic> create = missing.stream().filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, settings.getPartitions(), settings.getReplicationFactor())).toList();
            if (!create.isEmpty()) {
                try {
                    admin.createTopics(create).all().get(KAFKA_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                    LOG.info("created topics {}", create.stream().map(NewTopic::name).toList());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
        knownTopics.addAll(missing);
    }

    private List<OutboxRows.Claimed> claim() {
        return transactions.executeRead(status -> outbox.claim(settings.getBatchSize()));
    }

    private List<String> pendingTopics() {
        return transactions.executeRead(status -> outbox.pendingTopics());
    }

    private int mark(Map<Long, UUID> rows) {
        if (rows.isEmpty()) {
            return 0;
        }
        return transactions.executeWrite(status -> outbox.markPublished(arrayLiteral(rows.keySet()), arrayLiteral(rows.values())));
    }

    /** A PostgreSQL array literal of {@code values} (numbers or UUIDs: nothing to quote). */
    private static String arrayLiteral(Collection<?> values) {
        StringBuilder out = new StringBuilder("{");
        for (Object v : values) {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append(v);
        }
        return out.append('}').toString();
    }
}

package org.labcommons.core.events;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Kafka consumer loop for cross-tenant work such as the federation saga's steps (the model is search-index's InstrumentProjector: a
 * raw {@link KafkaConsumer} on its own thread, {@code read_committed}, manual commits), with the
 * rules every step needs:
 * <ul>
 *   <li>a record's offset is committed only after its handler's database transaction committed
 *       (at least once; handlers are idempotent);</li>
 *   <li>a transient failure (database or Kafka unreachable, a deadlock) rewinds to the failed record
 *       and retries it with backoff, without limit: nothing is skipped while it lasts;</li>
 *   <li>a poison record ({@link PoisonEventException}), or one that keeps failing for another reason
 *       {@code max-attempts} times, is written to {@code <topic>.dlq} with the error in headers, and
 *       only after Kafka acknowledged that write is its offset committed.</li>
 * </ul>
 */
public abstract class ReliableConsumer {
    public static final String DLQ_SUFFIX = ".dlq";
    private final Logger log = LoggerFactory.getLogger(getClass());
    private final String name;
    private final String group;
    private final List<String> topics;
    private final String bootstrap;
    protected final Policy settings;
    private final AtomicLong handled = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final Map<String, Integer> attempts = new HashMap<>();
    private volatile boolean running;
    private volatile KafkaConsumer<String, String> consumer;
    private KafkaProducer<String, String> dlqProducer;
    private Thread thread;

    /**
     * How a consumer retries and creates its topics.
     *
     * @param maxAttempts       tries of a record that fails for a reason that is not transient, before it is dead-lettered
     * @param maxBackoff        the longest pause between retries (from 200 ms, doubling)
     * @param partitions        partitions of the topics the consumer creates when missing
     * @param replicationFactor their replication factor (1 on one broker, 3 on a real cluster)
     */
    public record Policy(int maxAttempts, Duration maxBackoff, int partitions, short replicationFactor) {
        public int getMaxAttempts() { return maxAttempts; }
        public Duration getMaxBackoff() { return maxBackoff; }
        public int getPartitions() { return partitions; }
        public short getReplicationFactor() { return replicationFactor; }
    }

    protected ReliableConsumer(String name, String group, List<String> topics, String bootstrap, Policy settings) {
        this.name = name;
        this.group = group;
        this.topics = List.copyOf(topics);
        this.bootstrap = bootstrap;
        this.settings = settings;
    }

    /**
     * Handles one record; returns normally when it is done with (applied, or nothing to do).
     * Throws {@link PoisonEventException} for a record that can never be handled; any other
     * exception is retried (see the class comment).
     */
    protected abstract void handle(ConsumerRecord<String, String> record) throws Exception;

    /** Topics this consumer needs to exist before it subscribes (created when missing). */
    protected List<String> topicsToCreate() {
        return topics.stream().flatMap(t -> java.util.stream.Stream.of(t, t + DLQ_SUFFIX)).toList();
    }

    /** Starts the loop when the application has started (every subclass is a bean). */
    @io.micronaut.runtime.event.annotation.EventListener
    public void onStartup(io.micronaut.context.event.StartupEvent event) {
        start();
    }

    /** Stops the loop when the application context closes. */
    @jakarta.annotation.PreDestroy
    public void close() throws InterruptedException {
        stop();
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops the loop; a record being handled finishes (or is rolled back), uncommitted records are read again later. */
    public synchronized void stop() throws InterruptedException {
        running = false;
        KafkaConsumer<String, String> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            thread.join(15_000);
            thread = null;
        }
        if (dlqProducer != null) {
            dlqProducer.close(Duration.ofSeconds(5));
            dlqProducer = null;
        }
    }

    public boolean running() {
        return running;
    }

    /** Records handled (done with, dead letters excluded). */
    public long handled() {
        return handled.get();
    }

    /** Records written to a dead-letter topic. */
    public long deadLettered() {
        return deadLettered.get();
    }

    private void run() {
        long backoff = 200;
        while (running) {
            try {
                ensureTopics();
                break;
            } catch (Exception e) {
                log.warn("{}: cannot create topics ({}); retrying in {} ms", name, e.toString(), backoff);
                sleep(backoff);
                backoff = nextBackoff(backoff);
            }
        }
        while (running) {
            try (KafkaConsumer<String, String> c = new KafkaConsumer<>(properties())) {
                consumer = c;
                c.subscribe(topics);
                backoff = 200;
                while (running) {
                    ConsumerRecords<String, String> records = c.poll(Duration.ofMillis(200));
                    if (records.isEmpty()) {
                        continue;
                    }
                    if (process(c, records)) {
                        backoff = 200;
                    } else {
                        sleep(backoff);
                        backoff = nextBackoff(backoff);
                    }
                }
            } catch (WakeupException e) {
                // stopping
            } catch (Exception e) { // never let the consumer thread end on a checked exception
                log.warn("{}: consumer failed ({}); reconnecting", name, e.toString());
                sleep(1000);
            } finally {
                consumer = null;
            }
        }
    }

    /**
     * Handles a polled batch partition by partition, in offset order. Returns false when a record
     * must be retried: every partition is then rewound to its first record not done, and what was
     * done is committed.
     */
    private boolean process(KafkaConsumer<String, String> c, ConsumerRecords<String, String> records) {
        Map<TopicPartition, OffsetAndMetadata> done = new LinkedHashMap<>();
        boolean retry = false;
        outer:
        for (TopicPartition tp : records.partitions()) {
            for (ConsumerRecord<String, String> record : records.records(tp)) {
                if (!running || !attempt(record)) {
                    retry = true;
                    break outer;
                }
                done.put(tp, new OffsetAndMetadata(record.offset() + 1));
            }
        }
        if (!done.isEmpty()) {
            c.commitSync(done);
        }
        if (retry) {
            for (TopicPartition tp : records.partitions()) {
                OffsetAndMetadata at = done.get(tp);
                c.seek(tp, at != null ? at.offset() : records.records(tp).get(0).offset());
            }
        }
        return !retry;
    }

    /** True when the record is done with (handled or dead-lettered); false: retry it. */
    boolean attempt(ConsumerRecord<String, String> record) {
        String key = record.topic() + "-" + record.partition() + "@" + record.offset();
        try {
            handle(record);
            attempts.remove(key);
            handled.incrementAndGet();
            return true;
        } catch (PoisonEventException poison) {
            return deadLetter(record, key, poison);
        } catch (Exception e) {
            if (transientFailure(e)) {
                log.warn("{}: record {} failed transiently ({}); will retry", name, key, e.toString());
                return false;
            }
            int n = attempts.merge(key, 1, Integer::sum);
            if (n < settings.getMaxAttempts()) {
                log.warn("{}: record {} failed (attempt {} of {}): {}", name, key, n, settings.getMaxAttempts(), e.toString());
                return false;
            }
            return deadLetter(record, key, e);
        }
    }

    private boolean deadLetter(ConsumerRecord<String, String> record, String key, Exception error) {
        RecordHeaders headers = new RecordHeaders();
        for (Header h : record.headers()) {
            headers.add(h);
        }
        String message = (error.getClass().getSimpleName() + ": " + error.getMessage());
        if (message.length() > 1000) {
            message = message.substring(0, 1000);
        }
        headers.add("dlq-error", message.getBytes(StandardCharsets.UTF_8));
        headers.add("dlq-consumer", group.getBytes(StandardCharsets.UTF_8));
        headers.add("dlq-source", key.getBytes(StandardCharsets.UTF_8));
        headers.add("dlq-at", Instant.now().toString().getBytes(StandardCharsets.UTF_8));
        try {
            producer().send(new ProducerRecord<>(record.topic() + DLQ_SUFFIX, null, record.key(), record.value(), headers))
                    .get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("{}: cannot write record {} to the dead-letter topic ({}); will retry", name, key, e.toString());
            return false;
        }
        attempts.remove(key);
        deadLettered.incrementAndGet();
        log.error("{}: record {} written to {}{}: {}", name, key, record.topic(), DLQ_SUFFIX, message);
        return true;
    }

    /**
     * Failures that go away by themselves (the database or Kafka unreachable, a deadlock, a lock timeout): retried
     * without limit. Public for the module consumers that keep their own loop (usage's ReadingConsumer).
     */
    public static boolean transientFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException || t instanceof RetriableException
                    || t instanceof IOException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.startsWith("53") || state.startsWith("57") || state.startsWith("40")
                        || "55P03".equals(state)) {
                    return true;
                }
            }
            String type = t.getClass().getName();
            if (type.contains("CannotGetJdbcConnection") || type.contains("ConnectionException")) {
                return true;
            }
        }
        return false;
    }

    private KafkaProducer<String, String> producer() {
        if (dlqProducer == null) {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.CLIENT_ID_CONFIG, group + "-dlq-" + UUID.randomUUID().toString().substring(0, 8));
            p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "10000");
            p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            dlqProducer = new KafkaProducer<>(p);
        }
        return dlqProducer;
    }

    private void ensureTopics() throws InterruptedException, ExecutionException {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            var existing = admin.listTopics().names().get();
            List<NewTopic> missing = topicsToCreate().stream().filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, settings.getPartitions(), settings.getReplicationFactor())).toList();
            if (missing.isEmpty()) {
                return;
            }
            try {
                admin.createTopics(missing).all().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
    }

    private Properties properties() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, group + "-" + UUID.randomUUID().toString().substring(0, 8));
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "200");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return p;
    }

    private long nextBackoff(long backoff) {
        return Math.min(backoff * 2, Math.max(200, settings.getMaxBackoff().toMillis()));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

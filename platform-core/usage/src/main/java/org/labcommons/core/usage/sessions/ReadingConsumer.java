package org.labcommons.core.usage.sessions;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.labcommons.core.events.KernelTopics;
import org.labcommons.core.events.ReliableConsumer;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stores what controllers report and keeps the usage sessions current (docs/usage.md): a raw
 * {@link KafkaConsumer} on {@code iot.telemetry.v1} and {@code iot.events.v1} (group
 * {@code labcommons.usage.readings.group}, usage.readings) on its own thread, like the kernel's
 * {@code ReliableConsumer}, but a batch at a time:
 * <ol>
 *   <li>each polled batch is read ({@link ReadingParser}; a record without {@code lc-tenant} or unreadable is
 *       logged, counted and skipped: it never blocks the stream);</li>
 *   <li>per tenant, one transaction ({@link TenantTransactions#inTenant}, RLS) inserts the tenant's readings
 *       ({@code on conflict do nothing} on (tenant, device, eventId)) and computes again the sessions of the
 *       instruments that got new readings ({@link SessionRecompute}: upserts and {@code usage.session.v1}
 *       events in the same transaction);</li>
 *   <li>only when every tenant's transaction committed are the batch's offsets committed. A transient failure
 *       (database or Kafka away, a deadlock) rewinds to the batch's first records and tries again with backoff
 *       (200 ms doubling to {@code max-backoff}), without limit; a tenant's batch that fails for another reason
 *       is stored record by record, and a record that still fails is logged, counted and skipped.</li>
 * </ol>
 * At least once delivery and idempotent writes: each reading is stored once, and a repeat changes no session.
 */
@Singleton
@RequiresRole(PlatformRole.CORE)
@Requires(property = "labcommons.usage.readings.enabled", notEquals = "false")
public class ReadingConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(ReadingConsumer.class);
    static final List<String> TOPICS = List.of(KernelTopics.IOT_TELEMETRY, KernelTopics.IOT_EVENTS);

    /** Where a test may stop the consumer abruptly ({@link #setFaultHook}). */
    public enum Phase { IN_TRANSACTION, BEFORE_OFFSET_COMMIT }

    /** Thrown by a fault hook: the consumer ends at once, without committing anything more (a crash). */
    public static final class Killed extends RuntimeException {
        public Killed() {
            super("killed by the fault hook", null, false, false);
        }
    }

    /** A test's hook, called at each {@link Phase}. */
    @FunctionalInterface
    public interface FaultHook {
        void at(Phase phase);
    }

    private final TenantTransactions tenants;
    private final SessionRecompute recompute;
    private final SessionInputRows inputs;
    private final ReadingSettings settings;
    private final ReadingParser parser;
    private final String bootstrap;
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong stored = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong recomputed = new AtomicLong();
    private final AtomicLong sessionEvents = new AtomicLong();
    private volatile boolean running;
    private volatile KafkaConsumer<String, String> consumer;
    private volatile FaultHook faultHook;
    private Thread thread;

    public ReadingConsumer(TenantTransactions tenants, SessionRecompute recompute, SessionInputRows inputs,
                           ReadingSettings settings, JsonMapper json, @Value("${labcommons.kafka.bootstrap}") String bootstrap) {
        this.tenants = tenants;
        this.recompute = recompute;
        this.inputs = inputs;
        this.settings = settings;
        this.parser = new ReadingParser(json);
        this.bootstrap = bootstrap;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        start();
    }

    /** Starts the loop (again, after {@link #stop} or a kill): it resumes from the group's committed offsets. */
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::run, "usage-reading-consumer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops the loop; a batch being handled finishes or rolls back, its offsets uncommitted are read again later. */
    @PreDestroy
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
    }

    public boolean running() {
        return running;
    }

    /** Sets (or with null clears) the test hook; throwing {@link Killed} from it crashes the consumer there. */
    public void setFaultHook(FaultHook hook) {
        this.faultHook = hook;
    }

    /** Records done with (stored, repeated or skipped) and committed. */
    public long records() {
        return records.get();
    }

    /** Readings inserted (repeats not counted). */
    public long stored() {
        return stored.get();
    }

    /** Records skipped: no tenant, unreadable, or refused by the database. */
    public long skipped() {
        return skipped.get();
    }

    /** Instrument recomputations run. */
    public long recomputed() {
        return recomputed.get();
    }

    /** {@code usage.session.v1} events written. */
    public long sessionEvents() {
        return sessionEvents.get();
    }

    private void run() {
        long backoff = 200;
        while (running && !topicsExist()) {
            sleep(backoff);
            backoff = nextBackoff(backoff);
        }
        while (running) {
            try (KafkaConsumer<String, String> c = new KafkaConsumer<>(properties())) {
                consumer = c;
                c.subscribe(TOPICS);
                backoff = 200;
                while (running) {
                    ConsumerRecords<String, String> batch = c.poll(Duration.ofMillis(200));
                    if (batch.isEmpty()) {
                        continue;
                    }
                    if (handle(batch)) {
                        hook(Phase.BEFORE_OFFSET_COMMIT);
                        c.commitSync(nextOffsets(batch));
                        records.addAndGet(batch.count());
                        backoff = 200;
                    } else {
                        for (TopicPartition tp : batch.partitions()) {
                            c.seek(tp, batch.records(tp).get(0).offset());
                        }
                        sleep(backoff);
                        backoff = nextBackoff(backoff);
                    }
                }
            } catch (WakeupException e) {
                // stopping
            } catch (Exception e) {
                if (killed(e)) {
                    LOG.warn("usage reading consumer killed by its fault hook (nothing more committed)");
                    running = false;
                    break;
                }
                LOG.warn("usage reading consumer failed ({}); reconnecting", e.toString());
                sleep(1000);
            } finally {
                consumer = null;
            }
        }
    }

    /** Handles a batch; false: a transient failure, try the whole batch again. */
    private boolean handle(ConsumerRecords<String, String> batch) {
        Map<UUID, List<ReadingRows.NewReading>> byTenant = new TreeMap<>();
        for (ConsumerRecord<String, String> r : batch) {
            try {
                ReadingParser.Parsed p = parser.parse(r);
                byTenant.computeIfAbsent(p.tenantId(), t -> new ArrayList<>()).add(p.reading());
            } catch (ReadingParser.Unreadable e) {
                skip(r.topic() + "-" + r.partition() + "@" + r.offset(), e.getMessage());
            }
        }
        for (Map.Entry<UUID, List<ReadingRows.NewReading>> e : byTenant.entrySet()) {
            try {
                tenants.inTenant(new TenantId(e.getKey()), c -> store(c, e.getKey(), e.getValue()));
            } catch (Exception failure) {
                if (killed(failure)) {
                    throw new Killed();
                }
                if (transientFailure(failure)) {
                    LOG.warn("usage reading consumer: tenant {} failed transiently ({}); will retry", e.getKey(), failure.toString());
                    return false;
                }
                LOG.warn("usage reading consumer: tenant {}'s batch failed ({}); storing it record by record",
                        e.getKey(), failure.toString());
                for (ReadingRows.NewReading one : e.getValue()) {
                    try {
                        tenants.inTenant(new TenantId(e.getKey()), c -> store(c, e.getKey(), List.of(one)));
                    } catch (Exception f) {
                        if (killed(f)) {
                            throw new Killed();
                        }
                        if (transientFailure(f)) {
                            return false;
                        }
                        skip(one.deviceId() + "/" + one.eventId(), f.toString());
                    }
                }
            }
        }
        return true;
    }

    /** In the tenant's transaction: the readings, then the sessions of the instruments that got new ones. */
    private Void store(Connection c, UUID tenant, List<ReadingRows.NewReading> readings) throws SQLException {
        List<ReadingRows.Stored> inserted = ReadingRows.insert(c, readings);
        stored.addAndGet(inserted.size());
        Map<UUID, Instant[]> spans = new LinkedHashMap<>();
        for (ReadingRows.Stored s : inserted) {
            if (s.instrumentId() != null) {
                spans.merge(s.instrumentId(), new Instant[]{s.at(), s.at()}, (a, b) -> new Instant[]{
                        a[0].isBefore(b[0]) ? a[0] : b[0], a[1].isAfter(b[1]) ? a[1] : b[1]});
            }
        }
        if (!spans.isEmpty()) {
            Set<UUID> known = Set.copyOf(inputs.instruments(spans.keySet()));
            // in instrument order: two consumers recomputing the same instruments take their locks in one order
            for (UUID instrument : new TreeMap<>(spans).keySet()) {
                if (!known.contains(instrument)) {
                    LOG.debug("readings of tenant {} name instrument {}, which it does not have: no sessions", tenant, instrument);
                    continue;
                }
                Instant[] span = spans.get(instrument);
                SessionRecompute.Outcome o = recompute.recompute(c, tenant, instrument, span[0], span[1]);
                recomputed.incrementAndGet();
                sessionEvents.addAndGet(o.events());
            }
        }
        hook(Phase.IN_TRANSACTION);
        return null;
    }

    private void skip(String what, String why) {
        long n = skipped.incrementAndGet();
        if (n <= 20 || n % 1000 == 0) {
            LOG.warn("usage reading consumer skipped {} ({}); {} skipped so far", what, why, n);
        }
    }

    private void hook(Phase phase) {
        FaultHook h = faultHook;
        if (h != null) {
            h.at(phase);
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<String, String> batch) {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        for (TopicPartition tp : batch.partitions()) {
            List<ConsumerRecord<String, String>> rs = batch.records(tp);
            out.put(tp, new OffsetAndMetadata(rs.get(rs.size() - 1).offset() + 1));
        }
        return out;
    }

    private static boolean killed(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof Killed) {
                return true;
            }
        }
        return false;
    }

    /** Failures that go away by themselves: the kernel's {@link ReliableConsumer#transientFailure} (the same ones). */
    static boolean transientFailure(Throwable failure) {
        return ReliableConsumer.transientFailure(failure);
    }

    private boolean topicsExist() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            return admin.listTopics().names().get().containsAll(TOPICS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
    }

    private Properties properties() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, settings.getGroup());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.getGroup() + "-" + UUID.randomUUID().toString().substring(0, 8));
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(settings.getMaxPollRecords()));
        p.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "65536");
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
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

package org.labcommons.search;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.labcommons.core.catalog.CatalogueTopics;
import org.labcommons.core.events.EventEnvelope;
import org.labcommons.core.events.EventHeaders;
import org.labcommons.core.events.KernelTopics;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.search.TenantRegistry.TenantInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps the instrument index in step with {@code catalog.instrument.v1} and
 * {@code tenant.lifecycle.v1} (docs/events.md).
 *
 * <p>A background thread polls both topics ({@code read_committed}), turns each batch into one bulk
 * write and commits the offsets only after Elasticsearch accepted it (at least once). The consumer
 * assigns itself every partition of both topics ({@code assign}, not {@code subscribe}): it joins no
 * consumer group, so the first poll after start does not wait for a group to form or for the
 * broker to give up on a member of a process that died (which took up to a session timeout, 45 s).
 * The group ({@code projector-group}) only keeps the committed offsets, where a restart resumes.
 * Each process that runs the search role therefore projects every partition; two of them write the
 * same versions, which {@code external_gte} makes harmless (search-index README, "Projector").
 * Partitions are looked up again every {@link #PARTITION_CHECK}. Redelivery and
 * disorder are harmless: within a batch only an aggregate's highest version is written, and every
 * write carries that version with {@code external_gte}, so an older event never overwrites a newer
 * one; withdrawn records become tombstones, never deletions (see {@link InstrumentDocument}).
 *
 * <p>A record whose {@code tenant-id} header differs from its envelope's (or its payload's) tenant is
 * refused and counted. A lifecycle event is applied from the registry's <em>current</em> state
 * (so it is order-safe too): a suspended tenant's documents are deleted, a reactivated tenant's
 * catalogue is projected again from PostgreSQL; while a tenant is suspended its catalogue events
 * are skipped (the reactivation re-reads them all).
 */
@Singleton
@RequiresRole(PlatformRole.SEARCH)
@Requires(property = "labcommons.search.projector-enabled", notEquals = "false")
public class InstrumentProjector {
    private static final Logger LOG = LoggerFactory.getLogger(InstrumentProjector.class);
    private static final List<String> TOPICS = List.of(CatalogueTopics.INSTRUMENT, KernelTopics.TENANT_LIFECYCLE);
    /** How often the topics' partitions are looked up again (partitions added later are projected from then on). */
    static final Duration PARTITION_CHECK = Duration.ofSeconds(30);
    /** … and how soon while a topic has none yet (on a fresh broker, before its first event). */
    static final Duration PARTITION_RETRY = Duration.ofSeconds(1);

    private final InstrumentIndex index;
    private final TenantRegistry registry;
    private final SearchSettings settings;
    private final JsonMapper json;
    private final String bootstrap;
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private volatile boolean running;
    private volatile KafkaConsumer<String, String> consumer;
    private Thread thread;

    public InstrumentProjector(InstrumentIndex index, TenantRegistry registry, SearchSettings settings, JsonMapper json,
                               @Value("${labcommons.kafka.bootstrap}") String bootstrap) {
        this.index = index;
        this.registry = registry;
        this.settings = settings;
        this.json = json;
        this.bootstrap = bootstrap;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        start();
    }

    synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::run, "search-instrument-projector");
        thread.setDaemon(true);
        thread.start();
    }

    /** Events written to the index (tests and metrics). */
    public long applied() {
        return applied.get();
    }

    /** Records refused: not an envelope, or a tenant header that does not match. */
    public long refused() {
        return refused.get();
    }

    @PreDestroy
    synchronized void stop() throws InterruptedException {
        running = false;
        KafkaConsumer<String, String> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            thread.join(10_000);
        }
    }

    private void run() {
        long backoff = 200;
        while (running) {
            try {
                index.ensureReady();
                break;
            } catch (Exception e) { // a rebuild reads PostgreSQL: a checked SQLException may arrive as it is
                LOG.warn("search: index not ready ({}); retrying in {} ms", e.toString(), backoff);
                sleep(backoff);
                backoff = Math.min(backoff * 2, 5000);
            }
        }
        while (running) {
            try (KafkaConsumer<String, String> c = new KafkaConsumer<>(properties())) {
                consumer = c;
                long nextCheck = 0;
                backoff = 200;
                while (running) {
                    if (System.nanoTime() - nextCheck >= 0) {
                        boolean complete = assignAll(c);
                        nextCheck = System.nanoTime() + (complete ? PARTITION_CHECK : PARTITION_RETRY).toNanos();
                    }
                    if (c.assignment().isEmpty()) { // neither topic has a partition yet
                        sleep(PARTITION_RETRY.toMillis());
                        continue;
                    }
                    ConsumerRecords<String, String> records = c.poll(Duration.ofMillis(500));
                    if (records.isEmpty()) {
                        continue;
                    }
                    try {
                        apply(records);
                        backoff = 200;
                    } catch (Exception e) { // also a checked SQLException of the registry, rethrown as it is
                        LOG.warn("search: batch of {} records failed ({}); retrying in {} ms", records.count(), e.toString(), backoff);
                        sleep(backoff);
                        backoff = Math.min(backoff * 2, 5000);
                        rewind(c);
                        continue;
                    }
                    commit(c);
                }
            } catch (WakeupException e) {
                // stopping
            } catch (Exception e) { // never let the consumer thread end on a checked exception
                LOG.warn("search: projector consumer failed ({}); reconnecting", e.toString());
                sleep(1000);
            } finally {
                consumer = null;
            }
        }
    }

    /**
     * Assigns every partition of both topics to this consumer (no group membership, so nothing
     * waits for a rebalance: see the class comment); partitions it had keep their position, new
     * ones start at the group's committed offset, else at the beginning. True when both topics
     * have partitions.
     */
    private boolean assignAll(KafkaConsumer<String, String> c) {
        Set<TopicPartition> all = new HashSet<>(c.assignment()); // partitions are never taken away
        boolean complete = true;
        for (String topic : TOPICS) {
            List<PartitionInfo> partitions = c.partitionsFor(topic, Duration.ofSeconds(5)); // created if missing
            if (partitions == null || partitions.isEmpty()) {
                complete = false;
                continue;
            }
            partitions.forEach(p -> all.add(new TopicPartition(p.topic(), p.partition())));
        }
        if (!all.equals(c.assignment())) {
            c.assign(all);
            LOG.info("search: projecting {} partitions of {}", all.size(), TOPICS);
        }
        return complete;
    }

    /**
     * Commits what the batch's write covered. A commit refused (the group still lists a member of
     * a process that died: the broker refuses commits without membership until that member's
     * session ends) is harmless: the index has the batch, and the next commit covers it.
     */
    private static void commit(KafkaConsumer<String, String> c) {
        try {
            c.commitSync(Duration.ofSeconds(5));
        } catch (WakeupException | InterruptException e) {
            throw e;
        } catch (KafkaException e) {
            LOG.debug("search: offsets not committed ({}); the next commit covers them", e.toString());
        }
    }

    /** Applies one polled batch: catalogue events as one bulk write, lifecycle events in order between them. */
    void apply(Iterable<ConsumerRecord<String, String>> records) {
        Map<String, InstrumentIndex.Write> pending = new LinkedHashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            Optional<EventEnvelope> parsed = envelope(record);
            if (parsed.isEmpty()) {
                continue;
            }
            EventEnvelope event = parsed.get();
            if (KernelTopics.TENANT_LIFECYCLE.equals(record.topic())) {
                flush(pending);
                lifecycle(event.tenantId());
                continue;
            }
            Optional<TenantInfo> owner = registry.find(event.tenantId());
            if (owner.isEmpty() || !owner.get().active()) {
                continue; // hidden while suspended; the reactivation projects the tenant again
            }
            InstrumentIndex.Write previous = pending.get(event.aggregateId());
            if (previous == null || previous.version() < event.aggregateVersion()) {
                pending.put(event.aggregateId(), new InstrumentIndex.Write(event.aggregateId(), event.aggregateVersion(),
                        index.document(event.payload(), event.aggregateVersion(), owner.get())));
            }
        }
        flush(pending);
    }

    private void flush(Map<String, InstrumentIndex.Write> pending) {
        if (!pending.isEmpty()) {
            index.write(new ArrayList<>(pending.values()));
            applied.addAndGet(pending.size());
            pending.clear();
        }
    }

    private void lifecycle(UUID tenant) {
        registry.invalidate();
        Optional<TenantInfo> now = registry.find(tenant);
        if (now.isPresent() && now.get().active()) {
            long n = index.reprojectTenant(now.get());
            LOG.info("search: tenant {} is active, projected its {} records again", now.get().slug(), n);
        } else {
            index.deleteTenant(tenant);
            LOG.info("search: tenant {} is not active, its documents were removed", tenant);
        }
        applied.incrementAndGet();
    }

    private Optional<EventEnvelope> envelope(ConsumerRecord<String, String> record) {
        EventEnvelope event;
        try {
            event = json.readValue(record.value().getBytes(StandardCharsets.UTF_8), EventEnvelope.class);
        } catch (Exception e) {
            refuse(record, "not an event envelope: " + e.getMessage());
            return Optional.empty();
        }
        String header = EventHeaders.get(record.headers(), EventHeaders.TENANT_ID);
        if (header == null || !header.equals(event.tenantId().toString())) {
            refuse(record, "tenant-id header " + header + " differs from the envelope's " + event.tenantId());
            return Optional.empty();
        }
        Object payloadTenant = event.payload().get("tenantId");
        if (CatalogueTopics.INSTRUMENT.equals(record.topic())
                && (!event.tenantId().toString().equals(payloadTenant) || !event.aggregateId().equals(event.payload().get("id")))) {
            refuse(record, "payload tenant/id " + payloadTenant + "/" + event.payload().get("id")
                    + " differs from the envelope's " + event.tenantId() + "/" + event.aggregateId());
            return Optional.empty();
        }
        return Optional.of(event);
    }

    private void refuse(ConsumerRecord<String, String> record, String why) {
        refused.incrementAndGet();
        LOG.warn("search: record {}-{}@{} refused: {}", record.topic(), record.partition(), record.offset(), why);
    }

    private static void rewind(KafkaConsumer<String, String> c) {
        Set<TopicPartition> assigned = c.assignment();
        Map<TopicPartition, OffsetAndMetadata> committed = c.committed(assigned);
        for (TopicPartition tp : assigned) {
            OffsetAndMetadata at = committed.get(tp);
            if (at == null) {
                c.seekToBeginning(List.of(tp));
            } else {
                c.seek(tp, at.offset());
            }
        }
    }

    private Properties properties() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, settings.getProjectorGroup());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.getProjectorGroup() + "-" + UUID.randomUUID().toString().substring(0, 8));
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return p;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

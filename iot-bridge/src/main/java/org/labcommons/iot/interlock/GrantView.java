package org.labcommons.iot.interlock;

import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.labcommons.core.events.KernelTopics;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The interlock's view of {@code access.grants.v1} ({@link KernelTopics#ACCESS_GRANTS}), in memory: a raw
 * {@link KafkaConsumer} with no group, assigned every partition and reading from the beginning on its own thread.
 * It creates the topic (compacted) when missing, so the bridge may start before the usage module's publisher.
 * <p>
 * Records (JSON, contract of issue 16): {@code {tenant}/instrument/{instrument}} (kept when its {@code version} is
 * at least the held one), {@code {tenant}/credential/{kind}/{value}}, {@code {tenant}/tenant} (by {@code version});
 * a tombstone (null value) removes its key. A record that cannot be read is logged and counted, never applied.
 * {@link #ready()} turns true once the consumer reached the end offsets the topic had when it started; until then
 * the view may lack records. No PostgreSQL on this path: the view keeps answering while the database is down.
 */
@Singleton
@RequiresRole(PlatformRole.IOT)
public class GrantView implements InterlockView {
    private static final Logger LOG = LoggerFactory.getLogger(GrantView.class);
    private static final Argument<Map<String, Object>> MAP = Argument.mapOf(String.class, Object.class);

    private record InstrumentKey(UUID tenantId, UUID instrumentId) {
    }

    private record CredentialKey(UUID tenantId, String kind, String value) {
    }

    private record Credential(UUID userId, Instant validUntil) {
    }

    private record TenantState(boolean active, long version) {
    }

    private final ResponderSettings settings;
    private final String bootstrap;
    private final JsonMapper json;
    private final Map<InstrumentKey, InstrumentGrants> instruments = new ConcurrentHashMap<>();
    private final Map<CredentialKey, Credential> credentials = new ConcurrentHashMap<>();
    private final Map<UUID, TenantState> tenants = new ConcurrentHashMap<>();
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong unreadable = new AtomicLong();
    private final CountDownLatch readyLatch = new CountDownLatch(1);
    private volatile boolean running;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile Instant lastAppliedAt;
    private Thread thread;

    public GrantView(ResponderSettings settings, @Value("${labcommons.kafka.bootstrap}") String bootstrap, JsonMapper json) {
        this.settings = settings;
        this.bootstrap = bootstrap;
        this.json = json;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        if (settings.isEnabled()) {
            start();
        }
    }

    /** Starts reading (idempotent). */
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::run, "interlock-grant-view");
        thread.setDaemon(true);
        thread.start();
    }

    @PreDestroy
    public synchronized void stop() {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
    }

    /** True once the view caught up with the topic's end offsets at start. */
    public boolean ready() {
        return readyLatch.getCount() == 0;
    }

    /** Waits up to {@code timeout} for {@link #ready()}. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return readyLatch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Records applied (tombstones included) since start. */
    public long applied() {
        return applied.get();
    }

    /** Records that could not be read (skipped). */
    public long unreadable() {
        return unreadable.get();
    }

    /** When the last record was applied (null before the first). */
    public Instant lastAppliedAt() {
        return lastAppliedAt;
    }

    @Override
    public Optional<InstrumentGrants> instrument(UUID tenantId, UUID instrumentId) {
        return Optional.ofNullable(instruments.get(new InstrumentKey(tenantId, instrumentId)));
    }

    @Override
    public Collection<InstrumentGrants> instruments() {
        return List.copyOf(instruments.values());
    }

    @Override
    public Optional<UUID> userOf(UUID tenantId, String credentialKind, String value) {
        Credential c = credentials.get(new CredentialKey(tenantId, credentialKind, value));
        if (c == null || (c.validUntil() != null && !c.validUntil().isAfter(Instant.now()))) {
            return Optional.empty();
        }
        return Optional.of(c.userId());
    }

    /** Scans the credentials the view holds (the offline caches ask per person every few hours, not per request). */
    @Override
    public List<String> credentialsOf(UUID tenantId, UUID userId) {
        Instant now = Instant.now();
        return credentials.entrySet().stream()
                .filter(e -> e.getKey().tenantId().equals(tenantId) && e.getValue().userId().equals(userId))
                .filter(e -> e.getValue().validUntil() == null || e.getValue().validUntil().isAfter(now))
                .map(e -> e.getKey().value())
                .sorted()
                .toList();
    }

    @Override
    public boolean tenantActive(UUID tenantId) {
        TenantState t = tenants.get(tenantId);
        return t == null || t.active();
    }

    // ---- reading

    private void run() {
        long backoff = 200;
        while (running) {
            try {
                ensureTopic();
                break;
            } catch (Exception e) {
                LOG.warn("grant view: cannot create {} ({}); retrying in {} ms", KernelTopics.ACCESS_GRANTS, e.toString(), backoff);
                sleep(backoff);
                backoff = Math.min(backoff * 2, 5000);
            }
        }
        Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
        while (running) {
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(consumerProperties())) {
                consumer = c;
                List<TopicPartition> partitions = new ArrayList<>();
                for (PartitionInfo p : c.partitionsFor(KernelTopics.ACCESS_GRANTS, Duration.ofSeconds(30))) {
                    partitions.add(new TopicPartition(p.topic(), p.partition()));
                }
                if (partitions.isEmpty()) {
                    throw new IllegalStateException(KernelTopics.ACCESS_GRANTS + " has no partitions yet");
                }
                c.assign(partitions);
                for (TopicPartition tp : partitions) {
                    Long at = positions.get(tp);
                    if (at == null) {
                        c.seekToBeginning(List.of(tp));
                    } else {
                        c.seek(tp, at);
                    }
                }
                Map<TopicPartition, Long> ends = ready() ? Map.of() : c.endOffsets(partitions, Duration.ofSeconds(30));
                checkReady(c, ends);
                while (running) {
                    for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                        apply(r.key(), r.value());
                        positions.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
                    }
                    if (!ready()) {
                        checkReady(c, ends);
                    }
                }
            } catch (WakeupException e) {
                // stopping
            } catch (Exception e) {
                LOG.warn("grant view: consumer failed ({}); reconnecting", e.toString());
                sleep(1000);
            } finally {
                consumer = null;
            }
        }
    }

    private void checkReady(KafkaConsumer<String, byte[]> c, Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
            if (c.position(e.getKey()) < e.getValue()) {
                return;
            }
        }
        if (readyLatch.getCount() > 0) {
            LOG.info("grant view ready: {} instrument(s), {} credential(s), {} tenant record(s)", instruments.size(),
                    credentials.size(), tenants.size());
            readyLatch.countDown();
        }
    }

    /** Applies one record of the topic (public for the fast specification). */
    public void apply(String key, byte[] value) {
        try {
            applyOrThrow(key, value);
            applied.incrementAndGet();
            lastAppliedAt = Instant.now();
        } catch (RuntimeException e) {
            unreadable.incrementAndGet();
            LOG.warn("grant view: record {} skipped: {}", key, e.getMessage());
        }
    }

    private void applyOrThrow(String key, byte[] value) {
        if (key == null) {
            throw new IllegalArgumentException("no key");
        }
        String[] parts = key.split("/", 4);
        UUID tenant = UUID.fromString(parts[0]);
        String kind = parts.length > 1 ? parts[1] : "";
        Map<String, Object> v = value == null ? null : read(value);
        switch (kind) {
            case "instrument" -> {
                if (parts.length != 3) {
                    throw new IllegalArgumentException("instrument key must be {tenant}/instrument/{id}");
                }
                InstrumentKey k = new InstrumentKey(tenant, UUID.fromString(parts[2]));
                if (v == null) {
                    instruments.remove(k);
                } else {
                    InstrumentGrants g = GrantRecords.instrument(v);
                    instruments.merge(k, g, (held, fresh) -> fresh.version() >= held.version() ? fresh : held);
                }
            }
            case "credential" -> {
                if (parts.length != 4) {
                    throw new IllegalArgumentException("credential key must be {tenant}/credential/{kind}/{value}");
                }
                CredentialKey k = new CredentialKey(tenant, parts[2], parts[3]);
                if (v == null) {
                    credentials.remove(k);
                } else {
                    credentials.put(k, new Credential(GrantRecords.uuid(v, "userId"), GrantRecords.instantOrNull(v, "validUntil")));
                }
            }
            case "tenant" -> {
                if (v == null) {
                    tenants.remove(tenant);
                } else {
                    TenantState fresh = new TenantState(Boolean.TRUE.equals(v.get("active")), GrantRecords.longOf(v, "version"));
                    tenants.merge(tenant, fresh, (held, f) -> f.version() >= held.version() ? f : held);
                }
            }
            default -> throw new IllegalArgumentException("unknown record kind '" + kind + "'");
        }
    }

    private Map<String, Object> read(byte[] value) {
        try {
            Map<String, Object> m = json.readValue(value, MAP);
            if (m == null) {
                throw new IllegalArgumentException("not a JSON object");
            }
            return m;
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
    }

    private void ensureTopic() throws InterruptedException, ExecutionException {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");   // at most the API timeout, or the client refuses to start
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
        try (Admin admin = Admin.create(p)) {
            Set<String> names = admin.listTopics().names().get();
            if (names.contains(KernelTopics.ACCESS_GRANTS)) {
                return;
            }
            NewTopic topic = new NewTopic(KernelTopics.ACCESS_GRANTS, settings.getPartitions(), settings.getReplicationFactor())
                    .configs(Map.of("cleanup.policy", "compact"));
            try {
                admin.createTopics(List.of(topic)).all().get();
                LOG.info("created {} (compacted, {} partitions)", KernelTopics.ACCESS_GRANTS, settings.getPartitions());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
    }

    private Properties consumerProperties() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "50");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

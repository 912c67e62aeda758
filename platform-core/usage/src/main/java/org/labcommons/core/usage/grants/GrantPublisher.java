package org.labcommons.core.usage.grants;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.labcommons.core.booking.BookingClock;
import org.labcommons.core.booking.BookingRules;
import org.labcommons.core.booking.BookingRulesService;
import org.labcommons.core.booking.MaintenanceWindowRows;
import org.labcommons.core.booking.Qualifications;
import org.labcommons.core.events.KernelTopics;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;
import org.labcommons.core.usage.credentials.PersonCredentialRows;
import org.labcommons.core.usage.policy.UsagePolicyRows;
import org.labcommons.core.usage.policy.InterlockDefaults;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Writes the access grants the IoT bridge's interlock decides from to the compacted {@code access.grants.v1}
 * (docs/usage.md "Grants and credentials"): per instrument who may use it when ({@link #republish}), per credential
 * whose card or login it is ({@link #credential}), per tenant whether it is active ({@link #tenant}). A record is
 * built inside one tenant-bound transaction and sent with a plain idempotent producer ({@code acks=all}); the call
 * returns when Kafka acknowledged it. An instrument record's {@code version} is strictly increasing per key (the
 * generation's epoch millis, bumped past the last one sent): building and sending a key happen under one lock, so a
 * record read earlier is never sent after one read later.
 */
@Singleton
public class GrantPublisher {
    /** How far back the record lists bookings (one that started up to this long ago may still be running). */
    static final java.time.Duration LOOK_BACK = java.time.Duration.ofHours(12);
    private static final Logger LOG = LoggerFactory.getLogger(GrantPublisher.class);

    private final TenantTransactions tenants;
    private final GrantRows rows;
    private final UsagePolicyRows policies;
    private final InterlockDefaults defaults;
    private final PersonCredentialRows credentials;
    private final Qualifications qualifications;
    private final BookingRulesService rules;
    private final MaintenanceWindowRows maintenance;
    private final BookingClock clock;
    private final JsonMapper json;
    private final GrantSettings settings;
    private final String bootstrap;
    private final Map<String, Long> versions = new ConcurrentHashMap<>();
    private final Set<String> published = ConcurrentHashMap.newKeySet();
    private final Object[] locks = new Object[64];
    private volatile KafkaProducer<String, String> producer;
    private volatile boolean topicReady;

    public GrantPublisher(TenantTransactions tenants, GrantRows rows, UsagePolicyRows policies, InterlockDefaults defaults,
                          PersonCredentialRows credentials, Qualifications qualifications, BookingRulesService rules,
                          MaintenanceWindowRows maintenance, BookingClock clock, JsonMapper json, GrantSettings settings,
                          @Value("${labcommons.kafka.bootstrap}") String bootstrap) {
        this.tenants = tenants;
        this.rows = rows;
        this.policies = policies;
        this.defaults = defaults;
        this.credentials = credentials;
        this.qualifications = qualifications;
        this.rules = rules;
        this.maintenance = maintenance;
        this.clock = clock;
        this.json = json;
        this.settings = settings;
        this.bootstrap = bootstrap;
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
        }
    }

    /** The key of an instrument's record. */
    public static String instrumentKey(TenantId tenant, UUID instrumentId) {
        return tenant + "/instrument/" + instrumentId;
    }

    /** The key of a credential's record. */
    public static String credentialKey(TenantId tenant, String kind, String value) {
        return tenant + "/credential/" + kind + "/" + value;
    }

    /** The key of a tenant's record. */
    public static String tenantKey(TenantId tenant) {
        return tenant + "/tenant";
    }

    /** Builds and sends the instrument's record (a tombstone when the tenant has no such instrument); its value. */
    public @Nullable String republish(TenantId tenant, UUID instrumentId) {
        String key = instrumentKey(tenant, instrumentId);
        synchronized (lock(key)) {
            Instant now = clock.now();
            List<Qualifications.Authorisation> authorisations = qualifications.list(tenant, instrumentId);
            Map<String, Object> record = tenants.inTenant(tenant, c -> build(c, tenant, instrumentId, now, authorisations));
            if (record == null) {
                send(key, null);
                published.remove(key);
                return null;
            }
            long version = nextVersion(key, now);
            record.put("version", version);
            String value = write(record);
            send(key, value);
            versions.put(key, version);
            published.add(key);
            return value;
        }
    }

    /** {@link #republish}, logging instead of throwing: for callers whose own change has committed already. */
    public void republishQuietly(TenantId tenant, UUID instrumentId) {
        if (!settings.isEnabled()) {
            return;
        }
        try {
            republish(tenant, instrumentId);
        } catch (RuntimeException e) {
            LOG.warn("grants: cannot republish instrument {} of {} now ({}); the refresh will", instrumentId, tenant, e.toString());
        }
    }

    /** Sends a credential's record, or its tombstone when {@code userId} is null (the credential was removed). */
    public void credential(TenantId tenant, String kind, String value, @Nullable UUID userId, @Nullable Instant validUntil) {
        String key = credentialKey(tenant, kind, value);
        if (userId == null) {
            send(key, null);
            return;
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("kind", "credential");
        r.put("tenantId", tenant.toString());
        r.put("credentialKind", kind);
        r.put("value", value);
        r.put("userId", userId.toString());
        r.put("validUntil", validUntil == null ? null : validUntil.toString());
        send(key, write(r));
    }

    /** {@link #credential}, logging instead of throwing. */
    public void credentialQuietly(TenantId tenant, String kind, String value, @Nullable UUID userId,
                                  @Nullable Instant validUntil) {
        if (!settings.isEnabled()) {
            return;
        }
        try {
            credential(tenant, kind, value, userId, validUntil);
        } catch (RuntimeException e) {
            LOG.warn("grants: cannot publish credential of {} now ({}); the refresh will", tenant, e.toString());
        }
    }

    /** Sends the tenant's record ({@code active} from the registry); its value. */
    public String tenant(TenantId tenant) {
        String key = tenantKey(tenant);
        synchronized (lock(key)) {
            boolean active = tenants.inTenant(tenant, c -> rows.tenant().map(t -> "active".equals(t.status())).orElse(false));
            long version = nextVersion(key, clock.now());
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("kind", "tenant");
            r.put("tenantId", tenant.toString());
            r.put("active", active);
            r.put("version", version);
            String value = write(r);
            send(key, value);
            versions.put(key, version);
            return value;
        }
    }

    /** Sends every credential of the tenant again; the count sent. */
    public int credentials(TenantId tenant) {
        List<PersonCredentialRows.Row> all = tenants.inTenant(tenant, c -> credentials.all());
        for (PersonCredentialRows.Row r : all) {
            credential(tenant, r.kind(), r.value(), r.userId(), r.validUntil());
        }
        return all.size();
    }

    /**
     * The tenant's instruments the refresh and a tenant's lifecycle event republish: those whose devices reported in
     * the last week, with bookings in the window, with a policy or an override, or with a record this process sent.
     */
    public Set<UUID> instrumentsToRefresh(TenantId tenant) {
        Instant now = clock.now();
        List<UUID> found = tenants.inTenant(tenant, c -> {
            List<UUID> all = new ArrayList<>(rows.reporting(now.minus(java.time.Duration.ofDays(7))));
            all.addAll(rows.booked(now.minus(LOOK_BACK), now.plus(settings.getWindow())));
            all.addAll(rows.configured());
            return all;
        });
        Set<UUID> ids = new java.util.TreeSet<>(found);
        String prefix = tenant + "/instrument/";
        for (String key : published) {
            if (key.startsWith(prefix)) {
                ids.add(UUID.fromString(key.substring(prefix.length())));
            }
        }
        return ids;
    }

    /** The institutions the refresh visits (active and suspended). */
    public List<TenantId> tenantsToRefresh() {
        return rows.tenants().stream().map(TenantId::new).toList();
    }

    /** The instrument's record without its version, or null when the bound tenant has no such instrument. */
    private @Nullable Map<String, Object> build(java.sql.Connection c, TenantId tenant, UUID instrumentId, Instant now,
                                                List<Qualifications.Authorisation> authorisations) {
        var instrument = rows.instrument(instrumentId).orElse(null);
        if (instrument == null) {
            return null;
        }
        Instant from = now.minus(LOOK_BACK);
        Instant until = now.plus(settings.getWindow());
        boolean active = rows.tenant().map(t -> "active".equals(t.status())).orElse(false);
        var policy = policies.find(instrumentId).orElse(null);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("kind", "instrument");
        r.put("tenantId", tenant.toString());
        r.put("instrumentId", instrumentId.toString());
        r.put("version", 0L);
        r.put("generatedAt", now.toString());
        r.put("validUntil", until.toString());
        r.put("tenantActive", active);
        r.put("instrumentStatus", instrument.status());
        r.put("customsSupervised", instrument.customsSupervised());
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("walkUp", policy != null && policy.walkUp() != null ? policy.walkUp() : defaults.isWalkUp());
        p.put("failMode", policy != null && policy.failMode() != null ? policy.failMode() : defaults.getFailMode());
        p.put("earlyGraceMin", policy != null && policy.earlyGraceMin() != null ? policy.earlyGraceMin()
                : (int) defaults.getEarlyGrace().toMinutes());
        p.put("endGraceMin", policy != null && policy.endGraceMin() != null ? policy.endGraceMin()
                : (int) defaults.getEndGrace().toMinutes());
        p.put("warnBeforeMin", policy != null && policy.warnBeforeMin() != null ? policy.warnBeforeMin()
                : (int) defaults.getWarnBefore().toMinutes());
        r.put("policy", p);
        r.put("authorised", authorisations.stream().filter(a -> "valid".equals(a.state()))
                .map(a -> a.userId().toString()).sorted().toList());
        List<Map<String, Object>> bookings = new ArrayList<>();
        for (GrantRows.BookingLine b : rows.bookings(instrumentId, from, until)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("bookingId", b.bookingId().toString());
            m.put("userId", b.userId().toString());
            m.put("userTenantId", b.userTenantId().toString());
            m.put("start", b.startsAt().toString());
            m.put("end", b.endsAt().toString());
            m.put("status", b.status());
            bookings.add(m);
        }
        r.put("bookings", bookings);
        r.put("blocks", blocks(c, instrumentId, now, until));
        List<Map<String, Object>> blocked = new ArrayList<>();
        for (GrantRows.BlockedLine b : rows.blockedUsers(instrumentId, now, until)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("userId", b.userId().toString());
            m.put("until", b.until().toString());
            blocked.add(m);
        }
        r.put("blockedUsers", blocked);
        List<Map<String, Object>> overrides = new ArrayList<>();
        for (GrantRows.OverrideLine o : rows.overrides(instrumentId, now)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", o.id().toString());
            m.put("action", o.action());
            m.put("until", o.until() == null ? null : o.until().toString());
            m.put("reason", o.reason());
            overrides.add(m);
        }
        r.put("overrides", overrides);
        return r;
    }

    /** Maintenance windows and closures (whole local days in the instrument's zone) overlapping [now, until), by start. */
    private List<Map<String, Object>> blocks(java.sql.Connection c, UUID instrumentId, Instant now, Instant until) {
        List<Object[]> found = new ArrayList<>();
        for (MaintenanceWindowRows.Line w : maintenance.list(instrumentId, null, now, until)) {
            found.add(new Object[]{w.startsAt(), w.endsAt(), "maintenance"});
        }
        BookingRules r = rules.rules(c, instrumentId);
        ZoneId zone;
        try {
            zone = ZoneId.of(r.timeZone());
        } catch (RuntimeException e) {
            zone = ZoneId.of("Asia/Shanghai");
        }
        for (BookingRules.Closure closure : r.closures()) {
            Instant start = closure.from().atStartOfDay(zone).toInstant();
            Instant end = closure.to().plusDays(1).atStartOfDay(zone).toInstant();
            if (start.isBefore(until) && end.isAfter(now)) {
                found.add(new Object[]{start, end, "closure"});
            }
        }
        found.sort((a, b) -> ((Instant) a[0]).compareTo((Instant) b[0]));
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object[] f : found) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("start", f[0].toString());
            m.put("end", f[1].toString());
            m.put("reason", f[2]);
            out.add(m);
        }
        return out;
    }

    private long nextVersion(String key, Instant now) {
        Long last = versions.get(key);
        long millis = now.toEpochMilli();
        return last == null || millis > last ? millis : last + 1;
    }

    private Object lock(String key) {
        return locks[Math.floorMod(key.hashCode(), locks.length)];
    }

    private String write(Map<String, Object> record) {
        try {
            return new String(json.writeValueAsBytes(record), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a grant record", e);
        }
    }

    /** Sends one record and waits for Kafka's acknowledgement. */
    void send(String key, @Nullable String value) {
        try {
            producer().send(new ProducerRecord<>(KernelTopics.ACCESS_GRANTS, key, value))
                    .get(settings.getSendTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing " + key, e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot publish " + key + " to " + KernelTopics.ACCESS_GRANTS + ": " + e, e);
        }
    }

    /** Creates {@code access.grants.v1} (compacted) when missing. */
    public void ensureTopic() {
        if (topicReady) {
            return;
        }
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            if (!admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(KernelTopics.ACCESS_GRANTS)) {
                NewTopic topic = new NewTopic(KernelTopics.ACCESS_GRANTS, settings.getPartitions(), settings.getReplicationFactor())
                        .configs(Map.of("cleanup.policy", "compact"));
                try {
                    admin.createTopics(List.of(topic)).all().get(10, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            topicReady = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating " + KernelTopics.ACCESS_GRANTS, e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot create " + KernelTopics.ACCESS_GRANTS + ": " + e, e);
        }
    }

    private KafkaProducer<String, String> producer() {
        KafkaProducer<String, String> p = producer;
        if (p == null) {
            synchronized (this) {
                if (producer == null) {
                    ensureTopic();
                    Properties props = new Properties();
                    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
                    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
                    props.put(ProducerConfig.ACKS_CONFIG, "all");
                    props.put(ProducerConfig.CLIENT_ID_CONFIG, "usage-grants-" + UUID.randomUUID().toString().substring(0, 8));
                    props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
                    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(Math.max(10_000,
                            settings.getSendTimeout().toMillis())));
                    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
                    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
                    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
                    producer = new KafkaProducer<>(props);
                }
                p = producer;
            }
        }
        return p;
    }

    @PreDestroy
    void close() {
        KafkaProducer<String, String> p = producer;
        if (p != null) {
            p.close(java.time.Duration.ofSeconds(5));
        }
    }
}

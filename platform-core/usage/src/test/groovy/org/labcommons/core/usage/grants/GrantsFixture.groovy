package org.labcommons.core.usage.grants

import io.micronaut.context.ApplicationContext
import io.micronaut.json.JsonMapper
import io.micronaut.runtime.server.EmbeddedServer
import org.apache.kafka.clients.consumer.ConsumerConfig
import org.apache.kafka.clients.consumer.KafkaConsumer
import org.apache.kafka.common.TopicPartition
import org.apache.kafka.common.serialization.StringDeserializer
import org.labcommons.core.booking.BookingRules
import org.labcommons.core.events.KernelTopics
import org.labcommons.core.security.Role
import org.labcommons.core.tenancy.TenantId
import org.labcommons.core.tenancy.TenantTransactions
import org.labcommons.testkit.TenantWorld

import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.time.Duration
import java.time.Instant
import java.time.temporal.ChronoUnit

/**
 * Two institutions for the grant and credential specifications (a {@link TenantWorld} recipe). Institution A
 * (Asia/Shanghai) has the lab "LAB" and {@code admin} (institution admin), {@code staff} (instrument admin of the
 * lab), {@code alice} (e-mail alice-RUN@a.example), {@code bob}; institution B has {@code adminB} and {@code carol},
 * an outside user with the user role in A. Instruments are made with plain SQL (the catalogue is not under test).
 */
class GrantsFixture {
    final TenantWorld world
    final String run
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
    final String base
    final String bootstrap
    final JsonMapper json
    final TenantTransactions tenants
    TenantId tenantA, tenantB
    UUID lab
    final Map<String, String> tokens = [:]
    final Map<String, UUID> users = [:]
    final Map<String, String> subjects = [:]
    final Map<String, String> issuerNames = [:]

    GrantsFixture(ApplicationContext ctx) {
        base = "http://localhost:${ctx.getBean(EmbeddedServer).port}"
        bootstrap = ctx.getProperty('labcommons.kafka.bootstrap', String).get()
        json = ctx.getBean(JsonMapper)
        tenants = ctx.getBean(TenantTransactions)
        Map<String, String> rateGroups = ['internal': '校内', 'consortium': '联盟', 'external': '校外']
        world = TenantWorld.build(ctx) {
            institution('gr-a', nameZh: '授权a', nameEn: 'Grants a', timeZone: 'Asia/Shanghai') {
                rateGroups.each { code, zh -> rateGroup(code, nameZh: zh, nameEn: code) }
                unit('LAB', kind: 'lab', nameZh: '实验室', nameEn: 'Lab')
                person('admin', Role.INSTITUTION_ADMIN, expiresIn: 7200)
                person('staff', Role.INSTRUMENT_ADMIN, unit: 'LAB', expiresIn: 7200)
                person('alice', expiresIn: 7200, claims: { s -> [email: "${s}@a.example".toString(), name: 'Alice'] })
                person('bob', expiresIn: 7200, claims: { s -> [email: "${s}@a.example".toString(), name: 'Bob'] })
            }
            institution('gr-b', nameZh: '授权b', nameEn: 'Grants b', timeZone: 'Asia/Shanghai') {
                rateGroups.each { code, zh -> rateGroup(code, nameZh: zh, nameEn: code) }
                person('adminB', Role.INSTITUTION_ADMIN, expiresIn: 7200)
                person('carol', expiresIn: 7200, claims: { s -> [email: "${s}@b.example".toString(), name: 'Carol'] })
            }
            grant('carol', 'gr-a', Role.USER)
        }
        run = world.run
        tenantA = new TenantId(world.tenant('gr-a').id)
        tenantB = new TenantId(world.tenant('gr-b').id)
        issuerNames.a = world.tenant('gr-a').issuerId
        issuerNames.b = world.tenant('gr-b').issuerId
        lab = world.unit('gr-a', 'LAB')
        world.people.each { name, p -> tokens[name] = p.token; users[name] = p.userId; subjects[name] = p.subject }
    }

    /** An instrument of {@code tenant} (A unless told) in the lab when A. */
    UUID instrument(Map opts = [:]) {
        TenantId tenant = (opts.tenant ?: tenantA) as TenantId
        UUID id = UUID.randomUUID()
        tenants.inTenant(tenant) { c ->
            c.prepareStatement("insert into instrument (tenant_id, id, asset_number, name_zh, name_en, original_value_fen, " +
                    "org_unit_id, sharing_scope, status, customs_supervised) values (?, ?, ?, '核磁', 'NMR', 100000000, ?, 'tenant', ?, ?)").with {
                setObject(1, tenant.value()); setObject(2, id); setString(3, "GR-${id}".toString())
                setObject(4, tenant == tenantA ? lab : null); setString(5, (opts.status ?: 'in_service') as String)
                setBoolean(6, (opts.customs ?: false) as boolean); executeUpdate()
            }
        }
        id
    }

    /** Rules open around the clock, with {@code overrides}. */
    Map openRules(UUID instrument, Map overrides = [:]) {
        Map hours = BookingRules.WEEKDAYS.collectEntries { [(it): [[from: '00:00', to: '24:00']]] }
        Map body = [weeklyHours: hours, minSlotMinutes: 30, maxSlotMinutes: 600, horizonDays: 60, minNoticeMinutes: 0,
                    bufferMinutes: 0, maxFutureBookings: 50, approvalPolicy: 'outside_users', cancellationDeadlineHours: 0,
                    noShowThreshold: 2, noShowBlockDays: 30, qualificationRequired: false, authorisationExpiryDays: 180,
                    waitlistOfferMinutes: 120] + overrides
        def r = send('PUT', "/api/v1/instruments/${instrument}/booking-rules", 'admin', body)
        assert r.status == 200: r.body
        r.body
    }

    /** The next whole hour from now plus {@code hours}. */
    static Instant hourFromNow(int hours) {
        Instant.now().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(hours + 1))
    }

    /** {@code who} sends a request; carol acts in A unless told otherwise. */
    Map send(String method, String path, String who, Object body = null, Map<String, String> headers = [:]) {
        def b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header('Authorization', 'Bearer ' + tokens[who]).header('Accept-Language', headers['Accept-Language'] ?: 'en')
        if (who == 'carol' && !headers.containsKey('X-LabCommons-Tenant')) {
            b.header('X-LabCommons-Tenant', tenantA.toString())
        }
        headers.findAll { it.key != 'Accept-Language' }.each { k, v -> b.header(k, v) }
        if (body != null) { b.header('Content-Type', 'application/json') }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body instanceof String ? body : json.writeValueAsString(body)))
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString())
        [status: r.statusCode(), body: r.body() ? json.readValue(r.body(), Object) : [:], type: r.headers().firstValue('Content-Type').orElse('')]
    }

    /** Posts {@code bytes} as the multipart field {@code file} (what a browser's upload sends). */
    Map upload(String path, String who, byte[] bytes, String filename = 'cards.csv') {
        String boundary = 'lc' + UUID.randomUUID().toString().replace('-', '')
        def out = new ByteArrayOutputStream()
        out.write(("--${boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"${filename}\"\r\n" +
                "Content-Type: text/csv\r\n\r\n").getBytes('UTF-8'))
        out.write(bytes)
        out.write("\r\n--${boundary}--\r\n".getBytes('UTF-8'))
        def b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header('Authorization', 'Bearer ' + tokens[who]).header('Accept-Language', 'en')
                .header('Content-Type', "multipart/form-data; boundary=${boundary}")
                .POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray()))
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString())
        [status: r.statusCode(), body: r.body() ? json.readValue(r.body(), Object) : [:], type: r.headers().firstValue('Content-Type').orElse('')]
    }

    /** Runs SQL in {@code tenant}'s transaction. */
    void sql(TenantId tenant, String statement, Object... args) {
        tenants.inTenant(tenant) { c ->
            def ps = c.prepareStatement(statement)
            args.eachWithIndex { a, i -> ps.setObject(i + 1, a instanceof Instant ? java.sql.Timestamp.from(a) : a) }
            ps.executeUpdate()
        }
    }

    /** A reader of {@code access.grants.v1} from its beginning (every partition). */
    GrantTopic topic() {
        new GrantTopic(bootstrap, json)
    }

    /** Reads the compacted grant topic: the latest value per key, as the bridge's view keeps it. */
    static class GrantTopic implements Closeable {
        final KafkaConsumer<String, String> consumer
        final JsonMapper json
        final Map<String, String> latest = [:]

        GrantTopic(String bootstrap, JsonMapper json) {
            this.json = json
            Properties p = new Properties()
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap)
            p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.name)
            p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.name)
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, 'false')
            consumer = new KafkaConsumer<>(p)
            def partitions = consumer.partitionsFor(KernelTopics.ACCESS_GRANTS).collect { new TopicPartition(it.topic(), it.partition()) }
            consumer.assign(partitions)
            consumer.seekToBeginning(partitions)
        }

        /** {@link #await(String, Duration, Closure)} within 30 seconds. */
        Map await(String key, Closure<Boolean> ok) {
            await(key, Duration.ofSeconds(30), ok)
        }

        /** The record of {@code key} once it satisfies {@code ok} (parsed; null for a tombstone), within {@code timeout}. */
        Map await(String key, Duration timeout, Closure<Boolean> ok) {
            long end = System.nanoTime() + timeout.toNanos()
            while (System.nanoTime() < end) {
                consumer.poll(Duration.ofMillis(50)).each { latest[it.key()] = it.value() }
                if (latest.containsKey(key)) {
                    Map parsed = latest[key] == null ? null : json.readValue(latest[key], Map)
                    if (ok(parsed)) {
                        return parsed
                    }
                }
            }
            throw new AssertionError("no record of ${key} as expected within ${timeout}: ${latest[key]}")
        }

        @Override
        void close() {
            consumer.close()
        }
    }
}

package org.labcommons.core.booking

import io.micronaut.context.ApplicationContext
import io.micronaut.json.JsonMapper
import io.micronaut.runtime.server.EmbeddedServer
import org.labcommons.core.security.Role
import org.labcommons.core.tenancy.TenantId
import org.labcommons.core.tenancy.TenantTransactions
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld

import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.time.Duration

/**
 * Two institutions for the booking specifications (a {@link TenantWorld} recipe). Institution A owns the instruments (in its
 * lab "LAB", time zone Asia/Shanghai, rate groups internal/consortium/external); its people:
 * {@code admin} (institution admin), {@code staff} (instrument admin of the lab), {@code alice}
 * and {@code bob} (plain members). Institution B has {@code adminB} (its institution admin) and
 * {@code carol}, an outside user who holds the user role in A (she acts there with the
 * {@code X-LabCommons-Tenant} header).
 */
class BookingFixture {
    final TenantWorld world
    final String run
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
    final String base
    final JsonMapper json
    final TenantTransactions tenants
    TenantId tenantA, tenantB
    UUID lab
    final Map<String, String> tokens = [:]
    final Map<String, UUID> users = [:]
    final Map<String, String> issuerNames = [:]

    BookingFixture(ApplicationContext ctx) {
        base = "http://localhost:${ctx.getBean(EmbeddedServer).port}"
        json = ctx.getBean(JsonMapper)
        tenants = ctx.getBean(TenantTransactions)
        Map<String, String> rateGroups = ['internal': '校内', 'consortium': '联盟', 'external': '校外']
        world = TenantWorld.build(ctx) {
            institution('bk-a', nameZh: '预约a', nameEn: 'Booking a', timeZone: 'Asia/Shanghai') {
                rateGroups.each { code, zh -> rateGroup(code, nameZh: zh, nameEn: code) }
                unit('LAB', kind: 'lab', nameZh: '实验室', nameEn: 'Lab')
                person('admin', Role.INSTITUTION_ADMIN, expiresIn: 7200)
                person('staff', Role.INSTRUMENT_ADMIN, unit: 'LAB', expiresIn: 7200)
                person('alice', expiresIn: 7200)
                person('bob', expiresIn: 7200)
            }
            institution('bk-b', nameZh: '预约b', nameEn: 'Booking b', timeZone: 'Asia/Shanghai') {
                rateGroups.each { code, zh -> rateGroup(code, nameZh: zh, nameEn: code) }
                person('adminB', Role.INSTITUTION_ADMIN, expiresIn: 7200)
                person('carol', expiresIn: 7200)
            }
            grant('carol', 'bk-a', Role.USER)      // an outside user of A
        }
        run = world.run
        tenantA = new TenantId(world.tenant('bk-a').id)
        tenantB = new TenantId(world.tenant('bk-b').id)
        issuerNames.a = world.tenant('bk-a').issuerId
        issuerNames.b = world.tenant('bk-b').issuerId
        lab = world.unit('bk-a', 'LAB')
        world.people.each { name, p -> tokens[name] = p.token; users[name] = p.userId }
    }

    /** One more person of institution {@code key} ('a' or 'b'), with no role. */
    void person(String name, String key) {
        def p = world.and { within("bk-${key}") { person(name, expiresIn: 7200) } }.person(name)
        tokens[name] = p.token
        users[name] = p.userId
    }

    /** An instrument of A in the lab (plain SQL: the catalogue is not under test here). */
    UUID instrument(String scope = 'tenant', String status = 'in_service') {
        UUID id = UUID.randomUUID()
        tenants.inTenant(tenantA) { c ->
            c.prepareStatement("insert into instrument (tenant_id, id, asset_number, name_zh, name_en, original_value_fen, " +
                    "org_unit_id, sharing_scope, status) values (?, ?, ?, '核磁', 'NMR', 100000000, ?, ?, ?)").with {
                setObject(1, tenantA.value()); setObject(2, id); setString(3, "BK-${id}".toString()); setObject(4, lab)
                setString(5, scope); setString(6, status); executeUpdate()
            }
        }
        id
    }

    /** Rules open around the clock (tests of other rules start from these). */
    Map openRules(UUID instrument, Map overrides = [:]) {
        Map hours = BookingRules.WEEKDAYS.collectEntries { [(it): [[from: '00:00', to: '24:00']]] }
        Map body = [weeklyHours: hours, minSlotMinutes: 30, maxSlotMinutes: 600, horizonDays: 60, minNoticeMinutes: 0,
                    bufferMinutes: 0, maxFutureBookings: 50, approvalPolicy: 'outside_users', cancellationDeadlineHours: 24,
                    noShowThreshold: 2, noShowBlockDays: 30, qualificationRequired: false, authorisationExpiryDays: 180,
                    waitlistOfferMinutes: 120] + overrides
        def r = send('PUT', "/api/v1/instruments/${instrument}/booking-rules", 'admin', body)
        assert r.status == 200: r.body
        r.body
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
        [status: r.statusCode(), body: r.body() ? json.readValue(r.body(), Object) : [:]]
    }

    Map book(String who, UUID instrument, String start, String end, Map extra = [:]) {
        send('POST', "/api/v1/instruments/${instrument}/bookings", who, [start: start, end: end] + extra)
    }

    /** Rows of A's outbox for an aggregate, read as the owner: [type, payload map]. */
    List<Map> events(String aggregateId) {
        PlatformSpec.ownerConnection().withCloseable { c ->
            def ps = c.prepareStatement('select type, payload::text, topic from outbox_event where aggregate_id = ? order by seq')
            ps.setString(1, aggregateId)
            def rs = ps.executeQuery()
            List<Map> out = []
            while (rs.next()) { out << [type: rs.getString(1), payload: json.readValue(rs.getString(2), Map), topic: rs.getString(3)] }
            out
        }
    }

    /** A count in tenant A. */
    long count(String sql, Object... args) {
        tenants.inTenant(tenantA) { c ->
            def ps = c.prepareStatement(sql)
            args.eachWithIndex { a, i -> ps.setObject(i + 1, a) }
            def rs = ps.executeQuery(); rs.next(); rs.getLong(1)
        } as long
    }
}

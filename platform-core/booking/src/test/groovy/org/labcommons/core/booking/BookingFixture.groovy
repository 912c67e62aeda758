package org.labcommons.core.booking

import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource
import io.micronaut.json.JsonMapper
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback
import org.labcommons.core.security.Role
import org.labcommons.core.security.RoleAssignments
import org.labcommons.core.security.ScopeType
import org.labcommons.core.tenancy.TenantId
import org.labcommons.core.tenancy.TenantTransactions
import org.labcommons.devstack.SharedDevStack

import javax.sql.DataSource
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.sql.DriverManager
import java.time.Duration

/**
 * Two institutions for the booking specifications. Institution A owns the instruments (in its
 * lab "LAB", time zone Asia/Shanghai, rate groups internal/consortium/external); its people:
 * {@code admin} (institution admin), {@code staff} (instrument admin of the lab), {@code alice}
 * and {@code bob} (plain members). Institution B has {@code adminB} (its institution admin) and
 * {@code carol}, an outside user who holds the user role in A (she acts there with the
 * {@code X-LabCommons-Tenant} header).
 */
class BookingFixture {
    final String run = UUID.randomUUID().toString().substring(0, 8)
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
    final String base
    final JsonMapper json
    final TenantTransactions tenants
    TenantId tenantA, tenantB
    UUID lab
    final Map<String, String> tokens = [:]
    final Map<String, UUID> users = [:]
    final Map<String, String> issuerNames = [:]

    BookingFixture(String base, DataSource dataSource, TenantTransactions tenants, RoleAssignments roles, JsonMapper json) {
        this.base = base
        this.json = json
        this.tenants = tenants
        def idp = SharedDevStack.get().identityProvider()
        ['a', 'b'].each { key ->
            def tenant = new TenantId(UUID.randomUUID())
            String issuerName = "bk-${key}-${run}".toString()
            issuerNames[key] = issuerName
            DelegatingDataSource.unwrapDataSource(dataSource).connection.withCloseable { c ->
                c.createStatement().execute("insert into tenant (id, slug, kind, name_zh, name_en, time_zone) values " +
                        "('${tenant}', 'bk-${key}-${run}', 'institution', '预约${key}', 'Booking ${key}', 'Asia/Shanghai')")
            }
            tenants.inTenant(tenant) { c ->
                c.prepareStatement("insert into trusted_issuer (tenant_id, id, issuer, audience, enabled, algorithms) " +
                        "values (?, ?, ?, 'labcommons', true, array['RS256'])").with {
                    setObject(1, tenant.value()); setObject(2, UUID.randomUUID()); setString(3, idp.issuer(issuerName)); executeUpdate()
                }
                ['internal': '校内', 'consortium': '联盟', 'external': '校外'].each { code, zh ->
                    c.prepareStatement("insert into rate_group (tenant_id, id, code, name_zh, name_en) values (?, ?, ?, ?, ?)").with {
                        setObject(1, tenant.value()); setObject(2, UUID.randomUUID()); setString(3, code); setString(4, zh); setString(5, code); executeUpdate()
                    }
                }
                null
            }
            if (key == 'a') { tenantA = tenant } else { tenantB = tenant }
        }
        lab = UUID.randomUUID()
        tenants.inTenant(tenantA) { c ->
            c.prepareStatement("insert into org_unit (tenant_id, id, kind, code, name_zh, name_en) values (?, ?, 'lab', 'LAB', '实验室', 'Lab')").with {
                setObject(1, tenantA.value()); setObject(2, lab); executeUpdate()
            }
        }
        ['admin', 'staff', 'alice', 'bob'].each { person(it, 'a') }
        ['adminB', 'carol'].each { person(it, 'b') }
        roles.grant(tenantA, users.admin, Role.INSTITUTION_ADMIN, ScopeType.TENANT, null, null)
        roles.grant(tenantA, users.staff, Role.INSTRUMENT_ADMIN, ScopeType.ORG_UNIT, lab, null)
        roles.grant(tenantB, users.adminB, Role.INSTITUTION_ADMIN, ScopeType.TENANT, null, null)
        roles.grant(tenantA, users.carol, Role.USER, ScopeType.TENANT, null, null)
    }

    private void person(String name, String key) {
        String issuerName = issuerNames[key]
        String token = SharedDevStack.get().identityProvider().server().issueToken(issuerName, 'client',
                new DefaultOAuth2TokenCallback(issuerName, "${name}-${run}".toString(), 'JWT', ['labcommons'], [:], 7200)).serialize()
        tokens[name] = token
        String home = (key == 'a' ? tenantA : tenantB).toString()
        def me = send('GET', '/api/v1/me', name, null, ['X-LabCommons-Tenant': home])
        assert me.status == 200: me.body
        users[name] = UUID.fromString(me.body.userId as String)
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
        def p = SharedDevStack.get().properties()
        DriverManager.getConnection(p['labcommons.db.url'], p['labcommons.db.owner-user'], p['labcommons.db.owner-password']).withCloseable { c ->
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

package org.labcommons.federation

import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource
import io.micronaut.json.JsonMapper
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback
import org.labcommons.core.booking.BookingRules
import org.labcommons.core.events.EventEnvelope
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
 * Institutions for the cross-institution booking specifications, each trusting its own issuer:
 * <ul>
 *   <li>A (home): {@code adminA} (institution admin), {@code financeA} (finance), {@code alice} and
 *       {@code ann} (members; both hold the user role in B so they may book there);</li>
 *   <li>B (owner): {@code adminB} (institution admin), {@code staffB} (instrument admin of B's lab);
 *       instruments with published machine-time prices;</li>
 *   <li>C: {@code adminC}, an unrelated institution;</li>
 *   <li>D: {@code dave}, a member of D holding the user role in B (D is suspended in one feature);</li>
 *   <li>E: {@code eve}, likewise (E stops trusting its issuer in one feature).</li>
 * </ul>
 */
class FederationFixture {
    final String run = UUID.randomUUID().toString().substring(0, 8)
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
    final String base
    final JsonMapper json
    final TenantTransactions tenants
    final DataSource dataSource
    final Map<String, TenantId> tenant = [:]
    final Map<String, String> tokens = [:]
    final Map<String, UUID> users = [:]
    final Map<String, String> homeOf = [:]
    final Map<String, String> actsIn = [:]
    UUID labB

    FederationFixture(String base, DataSource dataSource, TenantTransactions tenants, RoleAssignments roles, JsonMapper json) {
        this.base = base
        this.json = json
        this.tenants = tenants
        this.dataSource = dataSource
        ['a', 'b', 'c', 'd', 'e'].each { key -> institution(key) }
        labB = UUID.randomUUID()
        tenants.inTenant(tenant.b) { c ->
            c.prepareStatement("insert into org_unit (tenant_id, id, kind, code, name_zh, name_en) values (?, ?, 'lab', 'LAB', '实验室', 'Lab')").with {
                setObject(1, tenant.b.value()); setObject(2, labB); executeUpdate()
            }
        }
        ['adminA', 'financeA', 'alice', 'ann'].each { person(it, 'a') }
        ['adminB', 'staffB'].each { person(it, 'b') }
        person('adminC', 'c')
        person('dave', 'd')
        person('eve', 'e')
        roles.grant(tenant.a, users.adminA, Role.INSTITUTION_ADMIN, ScopeType.TENANT, null, null)
        roles.grant(tenant.a, users.financeA, Role.FINANCE, ScopeType.TENANT, null, null)
        roles.grant(tenant.b, users.adminB, Role.INSTITUTION_ADMIN, ScopeType.TENANT, null, null)
        roles.grant(tenant.b, users.staffB, Role.INSTRUMENT_ADMIN, ScopeType.ORG_UNIT, labB, null)
        roles.grant(tenant.c, users.adminC, Role.INSTITUTION_ADMIN, ScopeType.TENANT, null, null)
        ['alice', 'ann', 'dave', 'eve'].each { roles.grant(tenant.b, users[it], Role.USER, ScopeType.TENANT, null, null) }
    }

    private void institution(String key) {
        def t = new TenantId(UUID.randomUUID())
        String issuerName = "fed-${key}-${run}".toString()
        DelegatingDataSource.unwrapDataSource(dataSource).connection.withCloseable { c ->
            c.createStatement().execute("insert into tenant (id, slug, kind, name_zh, name_en, time_zone) values " +
                    "('${t}', 'fed-${key}-${run}', 'institution', '联邦${key}大学', 'Federation ${key.toUpperCase()} University', 'Asia/Shanghai')")
        }
        tenants.inTenant(t) { c ->
            c.prepareStatement("insert into trusted_issuer (tenant_id, id, issuer, audience, enabled, algorithms) " +
                    "values (?, ?, ?, 'labcommons', true, array['RS256'])").with {
                setObject(1, t.value()); setObject(2, UUID.randomUUID())
                setString(3, SharedDevStack.get().identityProvider().issuer(issuerName)); executeUpdate()
            }
            ['internal': '校内', 'consortium': '联盟', 'external': '校外'].each { code, zh ->
                c.prepareStatement("insert into rate_group (tenant_id, id, code, name_zh, name_en) values (?, ?, ?, ?, ?)").with {
                    setObject(1, t.value()); setObject(2, UUID.randomUUID()); setString(3, code); setString(4, zh); setString(5, code); executeUpdate()
                }
            }
            null
        }
        tenant[key] = t
    }

    private void person(String name, String key) {
        String issuerName = "fed-${key}-${run}".toString()
        tokens[name] = SharedDevStack.get().identityProvider().server().issueToken(issuerName, 'client',
                new DefaultOAuth2TokenCallback(issuerName, "${name}-${run}".toString(), 'JWT', ['labcommons'],
                        [email: "${name}-${run}@example.org".toString(), name: name], 7200)).serialize()
        homeOf[name] = tenant[key].toString()
        def me = send('GET', '/api/v1/me', name)
        assert me.status == 200: me.body
        users[name] = UUID.fromString(me.body.userId as String)
    }

    /** An instrument of B in its lab with rules open around the clock and the given hourly machine-time prices. */
    UUID instrumentOfB(Map<String, Long> hourlyPrices, Map rules = [:]) {
        UUID id = UUID.randomUUID()
        tenants.inTenant(tenant.b) { c ->
            c.prepareStatement("insert into instrument (tenant_id, id, asset_number, name_zh, name_en, original_value_fen, " +
                    "org_unit_id, sharing_scope, status) values (?, ?, ?, '核磁共振波谱仪', 'NMR spectrometer', 300000000, ?, 'public', 'in_service')").with {
                setObject(1, tenant.b.value()); setObject(2, id); setString(3, "FED-${id}".toString()); setObject(4, labB); executeUpdate()
            }
            hourlyPrices.each { group, fen ->
                c.prepareStatement("insert into instrument_price (tenant_id, id, instrument_id, service_id, rate_group_code, unit, amount_fen) " +
                        "values (?, ?, ?, null, ?, 'hour', ?)").with {
                    setObject(1, tenant.b.value()); setObject(2, UUID.randomUUID()); setObject(3, id); setString(4, group); setLong(5, fen); executeUpdate()
                }
            }
            null
        }
        Map hours = BookingRules.WEEKDAYS.collectEntries { [(it): [[from: '00:00', to: '24:00']]] }
        def r = send('PUT', "/api/v1/instruments/${id}/booking-rules", 'adminB', [weeklyHours: hours, minSlotMinutes: 30,
                maxSlotMinutes: 600, horizonDays: 60, minNoticeMinutes: 0, bufferMinutes: 0, maxFutureBookings: 50,
                approvalPolicy: 'outside_users', cancellationDeadlineHours: 0, qualificationRequired: false] + rules)
        assert r.status == 200: r.body
        id
    }

    /** {@code who} sends a request; A's and D's people act in B unless {@code home} is set. */
    Map send(String method, String path, String who, Object body = null, String actingTenant = null) {
        def b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header('Authorization', 'Bearer ' + tokens[who]).header('Accept-Language', 'en')
        String acting = actingTenant ?: homeOf[who]
        if (acting) {
            b.header('X-LabCommons-Tenant', acting)
        }
        if (body != null) { b.header('Content-Type', 'application/json') }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body instanceof String ? body : json.writeValueAsString(body)))
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString())
        [status: r.statusCode(), body: r.body() ? json.readValue(r.body(), Object) : [:]]
    }

    /** {@code who} (of A or D) books B's instrument, acting in B. */
    Map book(String who, UUID instrument, String start, String end, Map extra = [:]) {
        send('POST', "/api/v1/instruments/${instrument}/bookings", who, [start: start, end: end] + extra, tenant.b.toString())
    }

    /** B's booking as B's staff see it. */
    Map bookingInB(String id) {
        def r = send('GET', "/api/v1/bookings/${id}", 'adminB')
        assert r.status == 200: r.body
        r.body as Map
    }

    /** The home's linked record, read directly in the home tenant (null: none yet). */
    Map row(TenantId home, String bookingId) {
        tenants.inTenant(home) { c ->
            def ps = c.prepareStatement("select status, home_status, refusal_reason, aggregate_version, rate_group, " +
                    "estimated_cost_fen, price_per_hour_fen, account_code, owner_tenant_id, instrument_name_en, updated_at " +
                    "from outside_booking where booking_id = ?")
            ps.setObject(1, UUID.fromString(bookingId))
            def rs = ps.executeQuery()
            rs.next() ? [status: rs.getString(1), homeStatus: rs.getString(2), refusalReason: rs.getString(3),
                         version: rs.getLong(4), rateGroup: rs.getString(5), estimatedCostFen: rs.getObject(6),
                         pricePerHourFen: rs.getObject(7), accountCode: rs.getString(8), ownerTenant: rs.getObject(9).toString(),
                         instrumentNameEn: rs.getString(10), updatedAt: rs.getTimestamp(11)] : null
        } as Map
    }

    /** Rows of a tenant's outside_booking visible to a transaction bound to {@code t}. */
    long rowsIn(TenantId t) {
        tenants.inTenant(t) { c ->
            def rs = c.prepareStatement('select count(*) from outside_booking').executeQuery(); rs.next(); rs.getLong(1)
        } as long
    }

    /** The outbox rows of an aggregate as envelopes (read as the owner role), in seq order. */
    List<EventEnvelope> envelopes(String aggregateId, String topic = 'booking.v1') {
        def p = SharedDevStack.get().properties()
        DriverManager.getConnection(p['labcommons.db.url'], p['labcommons.db.owner-user'], p['labcommons.db.owner-password']).withCloseable { c ->
            def ps = c.prepareStatement('select event_id, type, schema_version, tenant_id, aggregate_type, aggregate_id, ' +
                    'aggregate_version, occurred_at, payload::text from outbox_event where aggregate_id = ? and topic = ? order by seq')
            ps.setString(1, aggregateId)
            ps.setString(2, topic)
            def rs = ps.executeQuery()
            List<EventEnvelope> out = []
            while (rs.next()) {
                out << new EventEnvelope(rs.getObject(1, UUID), rs.getString(2), rs.getInt(3), rs.getObject(4, UUID), rs.getString(5),
                        rs.getString(6), rs.getLong(7), rs.getTimestamp(8).toInstant(), json.readValue(rs.getString(9), Map))
            }
            out
        }
    }

    /** Sets a tenant's registry status (as the bureau's suspension would). */
    void tenantStatus(TenantId t, String status) {
        DelegatingDataSource.unwrapDataSource(dataSource).connection.withCloseable { c ->
            c.createStatement().execute("update tenant set status = '${status}' where id = '${t}'")
        }
    }

    /** Enables or disables every issuer a tenant trusts (its people stop being its members). */
    void issuersEnabled(TenantId t, boolean enabled) {
        tenants.inTenant(t) { c ->
            def ps = c.prepareStatement('update trusted_issuer set enabled = ?'); ps.setBoolean(1, enabled); ps.executeUpdate()
        }
    }

    /** Waits until {@code condition} holds (at most {@code timeoutMs}); returns the milliseconds it took. */
    static long eventually(long timeoutMs = 30_000, Closure<Boolean> condition) {
        long t0 = System.nanoTime()
        while (true) {
            if (condition()) {
                return (System.nanoTime() - t0).intdiv(1_000_000) as long
            }
            if ((System.nanoTime() - t0) / 1_000_000 > timeoutMs) {
                throw new AssertionError("condition not met within ${timeoutMs} ms".toString())
            }
            Thread.sleep(10)
        }
    }
}

package org.labcommons.federation

import io.micronaut.context.ApplicationContext
import io.micronaut.json.JsonMapper
import org.labcommons.core.booking.BookingRules
import org.labcommons.core.events.EventEnvelope
import org.labcommons.core.tenancy.TenantId
import org.labcommons.testkit.Api
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld

import static org.labcommons.testkit.TenantWorld.*

/**
 * The cross-institution booking specifications' world (a {@link TenantWorld} recipe), each
 * institution trusting its own issuer and keeping the three rate groups:
 * <ul>
 *   <li>A (home): {@code adminA} (institution admin), {@code financeA} (finance), {@code alice} and
 *       {@code ann} (members; both hold the user role in B so they may book there);</li>
 *   <li>B (owner): {@code adminB} (institution admin), {@code staffB} (instrument admin of B's lab);
 *       instruments with published machine-time prices;</li>
 *   <li>C: {@code adminC}, an unrelated institution;</li>
 *   <li>D: {@code dave}, a member of D holding the user role in B (D is suspended in one feature);</li>
 *   <li>E: {@code eve}, likewise (E stops trusting its issuer in one feature).</li>
 * </ul>
 * Slugs and issuers are {@code fed-<a…e>-<run>}, subjects {@code <person>-<run>}.
 */
class FederationFixture {
    final TenantWorld world
    final String run
    final String base
    final Api api
    final JsonMapper json
    final Map<String, TenantId> tenant = [:]
    final Map<String, String> tokens = [:]
    final Map<String, UUID> users = [:]
    final Map<String, String> homeOf = [:]
    final UUID labB

    FederationFixture(ApplicationContext ctx) {
        json = ctx.getBean(JsonMapper)
        Map<String, List<String>> members = [a: ['adminA', 'financeA', 'alice', 'ann'], b: ['adminB', 'staffB'],
                                            c: ['adminC'], d: ['dave'], e: ['eve']]
        Map<String, Object> roleOf = [adminA: INSTITUTION_ADMIN, financeA: FINANCE, adminB: INSTITUTION_ADMIN, adminC: INSTITUTION_ADMIN]
        world = TenantWorld.build(ctx) {
            members.each { key, names ->
                institution("fed-${key}".toString(), nameZh: "联邦${key}大学", nameEn: "Federation ${key.toUpperCase()} University") {
                    ['internal', 'consortium', 'external'].each { rateGroup(it, nameEn: it) }
                    if (key == 'b') {
                        unit('lab', kind: 'lab', nameZh: '实验室', nameEn: 'Lab')
                    }
                    names.each { name ->
                        Object[] roles = roleOf[name] ? [roleOf[name]] : []
                        person([expiresIn: 7200, claims: { String subject -> [email: "${subject}@example.org".toString(), name: name] }], name, roles)
                    }
                }
            }
            grant('staffB', 'fed-b', INSTRUMENT_ADMIN, unit: 'lab')
            ['alice', 'ann', 'dave', 'eve'].each { grant(it, 'fed-b', USER) }
        }
        run = world.run
        api = world.api()
        base = api.base
        labB = world.unit('fed-b', 'lab')
        members.each { key, names ->
            tenant[key] = new TenantId(world.tenant("fed-${key}".toString()).id)
            names.each { name ->
                tokens[name] = world.token(name)
                users[name] = world.person(name).userId
                homeOf[name] = tenant[key].toString()
            }
        }
    }

    /** An instrument of B in its lab with rules open around the clock and the given hourly machine-time prices. */
    UUID instrumentOfB(Map<String, Long> hourlyPrices, Map rules = [:]) {
        Map created = null
        world.within('fed-b') {
            created = instrument("NMR ${world.instruments.size() + 1}", unit: 'lab', nameZh: '核磁共振波谱仪', valueFen: 300_000_000L,
                    body: [nameEn: 'NMR spectrometer',
                           prices: hourlyPrices.collect { group, fen -> [rateGroup: group, unit: 'hour', amountFen: fen] }])
        }
        UUID id = UUID.fromString(created.id as String)
        Map hours = BookingRules.WEEKDAYS.collectEntries { [(it): [[from: '00:00', to: '24:00']]] }
        def r = send('PUT', "/api/v1/instruments/${id}/booking-rules", 'adminB', [weeklyHours: hours, minSlotMinutes: 30,
                maxSlotMinutes: 600, horizonDays: 60, minNoticeMinutes: 0, bufferMinutes: 0, maxFutureBookings: 50,
                approvalPolicy: 'outside_users', cancellationDeadlineHours: 0, qualificationRequired: false] + rules)
        assert r.status == 200: r.body
        id
    }

    /**
     * Four bookings of a new instrument of B (consortium 300, external 450 yuan an hour), once A's consumer
     * has them: alice's {@code a1} (5 March 09-10, ACC-1, approved), {@code a2} (6 March 09-11, ACC-1, requested)
     * and {@code a3} (7 March 09-10, cancelled by B), ann's {@code n1} (8 March 09-10, ACC-2); also {@code nmr}.
     */
    Map<String, String> aliceAndAnnAtB() {
        UUID nmr = instrumentOfB([consortium: 30_000L, external: 45_000L])
        Map<String, String> ids = [nmr: nmr.toString()]
        ids.a1 = book('alice', nmr, '2030-03-05T09:00:00+08:00', '2030-03-05T10:00:00+08:00', [accountCode: 'ACC-1']).body.id
        ids.a2 = book('alice', nmr, '2030-03-06T09:00:00+08:00', '2030-03-06T11:00:00+08:00', [accountCode: 'ACC-1']).body.id
        ids.a3 = book('alice', nmr, '2030-03-07T09:00:00+08:00', '2030-03-07T10:00:00+08:00').body.id
        ids.n1 = book('ann', nmr, '2030-03-08T09:00:00+08:00', '2030-03-08T10:00:00+08:00', [accountCode: 'ACC-2']).body.id
        assert send('POST', "/api/v1/bookings/${ids.a1}/approve", 'staffB').status == 200
        assert send('POST', "/api/v1/bookings/${ids.a3}/cancel", 'staffB').status == 200
        eventually {
            row(tenant.a, ids.a1)?.status == 'approved' && row(tenant.a, ids.a3)?.status == 'cancelled' &&
                    row(tenant.a, ids.a2) != null && row(tenant.a, ids.n1) != null
        }
        ids
    }

    /** {@code who} sends a request acting in their home tenant, or in {@code actingTenant}. */
    Map send(String method, String path, String who, Object body = null, String actingTenant = null) {
        api.send(method, path, tokens[who], body, ['X-LabCommons-Tenant': actingTenant ?: homeOf[who]])
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
        TenantWorld.inTenant(home.value()) { c ->
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
        TenantWorld.inTenant(t.value()) { c ->
            def rs = c.prepareStatement('select count(*) from outside_booking').executeQuery(); rs.next(); rs.getLong(1)
        } as long
    }

    /** The outbox rows of an aggregate as envelopes (read as the owner role), in seq order. */
    List<EventEnvelope> envelopes(String aggregateId, String topic = 'booking.v1') {
        PlatformSpec.ownerConnection().withCloseable { c ->
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
        TenantWorld.jdbc { c ->
            def ps = c.prepareStatement('update tenant set status = ? where id = ?')
            ps.setString(1, status); ps.setObject(2, t.value()); ps.executeUpdate()
        }
    }

    /** Enables or disables every issuer a tenant trusts (its people stop being its members). */
    void issuersEnabled(TenantId t, boolean enabled) {
        TenantWorld.inTenant(t.value()) { c ->
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

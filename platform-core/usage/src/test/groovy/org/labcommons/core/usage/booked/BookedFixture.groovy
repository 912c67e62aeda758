package org.labcommons.core.usage.booked

import io.micronaut.context.ApplicationContext
import io.micronaut.json.JsonMapper
import io.micronaut.runtime.server.EmbeddedServer
import org.labcommons.core.booking.BookingRules
import org.labcommons.core.security.Role
import org.labcommons.core.tenancy.TenantId
import org.labcommons.core.tenancy.TenantTransactions
import org.labcommons.testkit.Api
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld

import java.sql.Timestamp
import java.time.Instant

/**
 * Two institutions for the booked-against-used specifications (a {@link TenantWorld} recipe): A ('ub-a', lab LAB)
 * with {@code admin}, {@code staff} (instrument admin of LAB), {@code alice} and {@code bob}; B ('ub-b') with
 * {@code adminB} and {@code staffB} (an instrument admin of all of B). Instruments, device readings and
 * usage sessions are written with plain SQL in the tenant's transaction (another part of the module
 * derives sessions from readings; here they are the given facts).
 */
class BookedFixture {
    final TenantWorld world
    final Api api
    final JsonMapper json
    final TenantTransactions tenants
    final TenantId tenantA, tenantB
    final UUID lab, labB
    final Map<String, String> tokens = [:]
    final Map<String, UUID> users = [:]

    BookedFixture(ApplicationContext ctx) {
        api = new Api("http://localhost:${ctx.getBean(EmbeddedServer).port}".toString(), ctx.getBean(JsonMapper))
        json = ctx.getBean(JsonMapper)
        tenants = ctx.getBean(TenantTransactions)
        world = TenantWorld.build(ctx) {
            institution('ub-a', timeZone: 'Asia/Shanghai') {
                ['internal', 'consortium', 'external'].each { rateGroup(it) }
                unit('LAB', kind: 'lab')
                person('admin', Role.INSTITUTION_ADMIN, expiresIn: 7200)
                person('staff', Role.INSTRUMENT_ADMIN, unit: 'LAB', expiresIn: 7200)
                person('alice', expiresIn: 7200)
                person('bob', expiresIn: 7200)
            }
            institution('ub-b', timeZone: 'Asia/Shanghai') {
                ['internal', 'consortium', 'external'].each { rateGroup(it) }
                unit('LABB', kind: 'lab')
                person('adminB', Role.INSTITUTION_ADMIN, expiresIn: 7200)
                person('staffB', Role.INSTRUMENT_ADMIN, unit: 'LABB', expiresIn: 7200)
            }
        }
        tenantA = new TenantId(world.tenant('ub-a').id)
        tenantB = new TenantId(world.tenant('ub-b').id)
        lab = world.unit('ub-a', 'LAB')
        labB = world.unit('ub-b', 'LABB')
        world.people.each { name, p -> tokens[name] = p.token; users[name] = p.userId }
    }

    /** An instrument of {@code tenant} in {@code unit}, with rules open around the clock (threshold 2). */
    UUID instrument(TenantId tenant = tenantA, UUID unit = lab) {
        UUID id = UUID.randomUUID()
        tenants.inTenant(tenant) { c ->
            c.prepareStatement("insert into instrument (tenant_id, id, asset_number, name_zh, name_en, original_value_fen, " +
                    "org_unit_id, sharing_scope, status) values (?, ?, ?, '核磁', 'NMR', 100000000, ?, 'tenant', 'in_service')").with {
                setObject(1, tenant.value()); setObject(2, id); setString(3, "UB-${id}".toString()); setObject(4, unit)
                executeUpdate()
            }
        }
        Map hours = BookingRules.WEEKDAYS.collectEntries { [(it): [[from: '00:00', to: '24:00']]] }
        def r = send('PUT', "/api/v1/instruments/${id}/booking-rules", tenant == tenantA ? 'admin' : 'adminB',
                [weeklyHours: hours, minSlotMinutes: 30, maxSlotMinutes: 600, horizonDays: 60, minNoticeMinutes: 0,
                 bufferMinutes: 0, maxFutureBookings: 50, approvalPolicy: 'outside_users', cancellationDeadlineHours: 24,
                 noShowThreshold: 2, noShowBlockDays: 30, qualificationRequired: false, authorisationExpiryDays: 180,
                 waitlistOfferMinutes: 120])
        assert r.status == 200: r.body
        id
    }

    /** {@code who} calls the API; a 503 {@code issuer_unavailable} (the dev identity provider slow under load) is retried. */
    Map send(String method, String path, String who, Object body = null) {
        Map r = api.send(method, path, tokens[who], body, ['Accept-Language': 'en'])
        for (int i = 0; i < 5 && r.status == 503 && r.body?.code == 'issuer_unavailable'; i++) {
            Thread.sleep(2000)
            r = api.send(method, path, tokens[who], body, ['Accept-Language': 'en'])
        }
        r
    }

    Map book(String who, UUID instrument, String start, String end) {
        def r = send('POST', "/api/v1/instruments/${instrument}/bookings", who, [start: start, end: end])
        assert r.status == 201: r.body
        r.body
    }

    /** A power reading of a device of the instrument at {@code at} (what the readings consumer stores). */
    void reading(TenantId tenant, UUID instrument, String at) {
        tenants.inTenant(tenant) { c ->
            c.prepareStatement("insert into device_reading (tenant_id, device_id, event_id, instrument_id, boot_id, seq, " +
                    "channel, type, device_time, at, received_at, watts, body) values (?, ?, ?, ?, ?, 1, 'telemetry', " +
                    "'power', ?, ?, ?, 300, '{}'::jsonb)").with {
                Timestamp t = Timestamp.from(Instant.parse(at))
                setObject(1, tenant.value()); setObject(2, UUID.randomUUID()); setObject(3, UUID.randomUUID())
                setObject(4, instrument); setObject(5, UUID.randomUUID()); setTimestamp(6, t); setTimestamp(7, t)
                setTimestamp(8, t); executeUpdate()
            }
        }
    }

    /** A measured session (source device) as the session builder writes it. */
    UUID session(TenantId tenant, UUID instrument, String start, String end, UUID user, UUID booking, String link,
                 String grade = 'B') {
        UUID id = UUID.randomUUID()
        tenants.inTenant(tenant) { c ->
            c.prepareStatement("insert into usage_session (tenant_id, id, instrument_id, source, status, started_at, " +
                    "ended_at, user_id, identified_by, booking_id, link, grade, energy_wh, evidence) values (?, ?, ?, " +
                    "'device', 'closed', ?, ?, ?, ?, ?, ?, ?, 250, " +
                    "'[{\"type\":\"power.on\",\"deviceId\":\"d\",\"eventId\":\"e\",\"seq\":1}]'::jsonb)").with {
                setObject(1, tenant.value()); setObject(2, id); setObject(3, instrument)
                setTimestamp(4, Timestamp.from(Instant.parse(start))); setTimestamp(5, Timestamp.from(Instant.parse(end)))
                setObject(6, user); setString(7, user == null ? null : (booking == null ? 'card' : 'booking'))
                setObject(8, booking); setString(9, link); setString(10, grade); executeUpdate()
            }
        }
        id
    }

    /** A booking's status in A. */
    String status(Object bookingId) {
        tenants.inTenant(tenantA) { c ->
            def ps = c.prepareStatement('select status from booking where id = ?')
            ps.setObject(1, UUID.fromString(bookingId as String))
            def rs = ps.executeQuery(); rs.next(); rs.getString(1)
        }
    }

    /** A count in {@code tenant}. */
    long count(TenantId tenant = tenantA, String sql, Object... args) {
        tenants.inTenant(tenant) { c ->
            def ps = c.prepareStatement(sql)
            args.eachWithIndex { a, i -> ps.setObject(i + 1, a) }
            def rs = ps.executeQuery(); rs.next(); rs.getLong(1)
        } as long
    }

    /** Outbox rows of an aggregate, read as the owner: [type, payload, topic]. */
    List<Map> events(Object aggregateId) {
        PlatformSpec.ownerConnection().withCloseable { c ->
            def ps = c.prepareStatement('select type, payload::text, topic from outbox_event where aggregate_id = ? order by seq')
            ps.setString(1, aggregateId as String)
            def rs = ps.executeQuery()
            List<Map> out = []
            while (rs.next()) { out << [type: rs.getString(1), payload: json.readValue(rs.getString(2), Map), topic: rs.getString(3)] }
            out
        }
    }
}

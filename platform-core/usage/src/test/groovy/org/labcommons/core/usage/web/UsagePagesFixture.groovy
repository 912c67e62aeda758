package org.labcommons.core.usage.web

import io.micronaut.context.ApplicationContext
import org.labcommons.core.tenancy.TenantId
import org.labcommons.core.tenancy.TenantTransactions
import org.labcommons.core.web.auth.WebSessions
import org.labcommons.devstack.SharedDevStack
import org.labcommons.testkit.TenantWorld

import java.sql.Timestamp
import java.time.Duration
import java.time.Instant

/**
 * Two institutions for the usage pages' specifications (a {@link TenantWorld} recipe) and what
 * controllers would have reported, written with plain SQL (the session builder is not under test
 * here). Institution A (Asia/Shanghai) has the lab LAB with {@code staff} (its instrument admin) and
 * the lab LAB2; {@code alice} and {@code bob} are members. Institution B has {@code staffB}. The clock
 * stands at {@link #NOW}, 2030-03-04T02:00Z = Monday 10:00 in Shanghai. A's instruments:
 * <ul>
 * <li>{@code nmr} (LAB): power readings every 5 minutes from 08:00 to 10:00 local (300 W from 08:30 to
 *   09:30 and from 09:50, 5 W otherwise), last at 09:58; alice's booking 08:00-09:30 with her booked session
 *   08:30-09:30 (grade A); bob's open unbooked session since 09:50; bob's approved booking 14:00-16:00;
 *   three unattributed sessions the day before (08:00, 11:00, 15:00 local, 40 minutes each).</li>
 * <li>{@code xrd} (LAB): one reading at 09:30 (so offline at 10:00), no sessions.</li>
 * <li>{@code other} (LAB2): an unattributed session the day before (not the LAB staff's to see).</li>
 * </ul>
 * B's instrument {@code far} belongs to B's own lab.
 */
class UsagePagesFixture {
    static final Instant NOW = Instant.parse('2030-03-04T02:00:00Z')

    final TenantWorld world
    final String run
    final TenantTransactions tenants
    final TenantId tenantA, tenantB
    final Map<String, UUID> instruments = [:]
    final Map<String, UUID> users = [:]
    final Map<String, UUID> sessions = [:]
    final Map<String, UUID> bookings = [:]
    final Map<String, Map> web = [:]
    final ApplicationContext ctx

    UsagePagesFixture(ApplicationContext ctx) {
        this.ctx = ctx
        tenants = ctx.getBean(TenantTransactions)
        world = TenantWorld.build(ctx) {
            institution('us-a', nameZh: '使用a', nameEn: 'Usage a', timeZone: 'Asia/Shanghai') {
                rateGroup('internal', nameZh: '校内', nameEn: 'internal')
                unit('LAB', kind: 'lab', nameZh: '核磁实验室', nameEn: 'NMR lab')
                unit('LAB2', kind: 'lab', nameZh: '二号实验室', nameEn: 'Lab 2')
                person('staff', TenantWorld.INSTRUMENT_ADMIN, unit: 'LAB', claims: [name: 'Sam Staff'])
                person('alice', TenantWorld.USER, claims: [name: 'Alice Zhang', email: "alice-x@example.org"])
                person('bob', TenantWorld.USER, claims: [name: 'Bob Li'])
            }
            institution('us-b', nameZh: '使用b', nameEn: 'Usage b', timeZone: 'Asia/Shanghai') {
                unit('BLAB', kind: 'lab', nameZh: 'B实验室', nameEn: 'B lab')
                person('staffB', TenantWorld.INSTITUTION_ADMIN, claims: [name: 'Bea'])
            }
        }
        run = world.run
        tenantA = new TenantId(world.tenant('us-a').id)
        tenantB = new TenantId(world.tenant('us-b').id)
        world.people.each { name, p -> users[name] = p.userId }
        instruments.nmr = instrument(tenantA, world.unit('us-a', 'LAB'), '核磁共振谱仪', 'NMR spectrometer')
        instruments.xrd = instrument(tenantA, world.unit('us-a', 'LAB'), 'X射线衍射仪', 'X-ray diffractometer')
        instruments.other = instrument(tenantA, world.unit('us-a', 'LAB2'), '热分析仪', 'Thermal analyser')
        instruments.far = instrument(tenantB, world.unit('us-b', 'BLAB'), '远方仪器', 'Far instrument')

        UUID nmr = instruments.nmr
        UUID device = UUID.randomUUID()
        for (int m = 0; m <= 118; m += 2) {
            Instant at = Instant.parse('2030-03-04T00:00:00Z').plusSeconds(m * 60L)
            boolean on = (m >= 30 && m <= 90) || m >= 110
            reading(nmr, device, m + 1, at, on ? 300 : 5)
        }
        reading(instruments.xrd, UUID.randomUUID(), 1, Instant.parse('2030-03-04T01:30:00Z'), 2)
        bookings.alice = booking(nmr, 'alice', '2030-03-04T00:00:00Z', '2030-03-04T01:30:00Z', 'checked_in')
        bookings.bob = booking(nmr, 'bob', '2030-03-04T06:00:00Z', '2030-03-04T08:00:00Z', 'approved')
        sessions.alice = session(nmr, '2030-03-04T00:30:00Z', '2030-03-04T01:30:00Z', 'alice', 'booked', 'A', bookings.alice)
        sessions.bob = session(nmr, '2030-03-04T01:50:00Z', null, 'bob', 'unbooked', 'A', null)
        ['00', '03', '07'].each { h ->
            sessions["u${h}".toString()] = session(nmr, "2030-03-03T${h}:00:00Z", "2030-03-03T${h}:40:00Z", null, 'unattributed', 'B', null)
        }
        sessions.other = session(instruments.other, '2030-03-03T02:00:00Z', '2030-03-03T02:30:00Z', null, 'unattributed', 'B', null)
        ['staff': 'us-a', 'alice': 'us-a', 'bob': 'us-a', 'staffB': 'us-b'].each { name, t -> signIn(name, t) }
    }

    /** A browser session of {@code name} (cookie and CSRF token), through their institution's issuer. */
    Map signIn(String name, String tenant) {
        def created = ctx.getBean(WebSessions).create(SharedDevStack.get().identityProvider().issuer(world.tenant(tenant).issuerId),
                world.person(name).subject, name, Duration.ofHours(2))
        web[name] = [cookie: "LC_SESSION=${created.rawId()}".toString(), csrf: created.session().csrfToken(), raw: created.rawId()]
    }

    UUID instrument(TenantId tenant, UUID unit, String nameZh, String nameEn) {
        UUID id = UUID.randomUUID()
        tenants.inTenant(tenant) { c ->
            c.prepareStatement("insert into instrument (tenant_id, id, asset_number, name_zh, name_en, original_value_fen, " +
                    "org_unit_id, sharing_scope, status) values (?, ?, ?, ?, ?, 100000000, ?, 'public', 'in_service')").with {
                setObject(1, tenant.value()); setObject(2, id); setString(3, "US-${id.toString()[0..7]}".toString())
                setString(4, nameZh); setString(5, nameEn); setObject(6, unit); executeUpdate()
            }
        }
        id
    }

    void reading(UUID instrument, UUID device, long seq, Instant at, BigDecimal watts) {
        tenants.inTenant(tenantA) { c ->
            c.prepareStatement("insert into device_reading (tenant_id, device_id, event_id, instrument_id, boot_id, seq, channel, " +
                    "type, device_time, at, received_at, watts, body) values (?, ?, ?, ?, ?, ?, 'telemetry', 'power', ?, ?, ?, ?, '{}'::jsonb)").with {
                setObject(1, tenantA.value()); setObject(2, device); setObject(3, UUID.randomUUID()); setObject(4, instrument)
                setObject(5, device); setLong(6, seq); setTimestamp(7, Timestamp.from(at)); setTimestamp(8, Timestamp.from(at))
                setTimestamp(9, Timestamp.from(at)); setBigDecimal(10, watts); executeUpdate()
            }
        }
    }

    UUID booking(UUID instrument, String who, String start, String end, String status) {
        UUID id = UUID.randomUUID()
        tenants.inTenant(tenantA) { c ->
            c.prepareStatement("insert into booking (tenant_id, id, instrument_id, requester_user_id, requester_tenant_id, " +
                    "rate_group, status, starts_at, ends_at, blocked_until) values (?, ?, ?, ?, ?, 'internal', ?, ?, ?, ?)").with {
                setObject(1, tenantA.value()); setObject(2, id); setObject(3, instrument); setObject(4, users[who])
                setObject(5, tenantA.value()); setString(6, status); setTimestamp(7, Timestamp.from(Instant.parse(start)))
                setTimestamp(8, Timestamp.from(Instant.parse(end))); setTimestamp(9, Timestamp.from(Instant.parse(end)))
                executeUpdate()
            }
        }
        id
    }

    UUID session(UUID instrument, String start, String end, String who, String link, String grade, UUID booking) {
        UUID id = UUID.randomUUID()
        tenants.inTenant(tenantA) { c ->
            c.prepareStatement("insert into usage_session (id, instrument_id, source, status, started_at, ended_at, user_id, " +
                    "identified_by, booking_id, link, grade, energy_wh) values (?, ?, 'device', ?, ?, ?, ?, ?, ?, ?, ?, 150)").with {
                setObject(1, id); setObject(2, instrument); setString(3, end == null ? 'open' : 'closed')
                setTimestamp(4, Timestamp.from(Instant.parse(start)))
                setTimestamp(5, end == null ? null : Timestamp.from(Instant.parse(end)))
                setObject(6, who == null ? null : users[who]); setString(7, who == null ? null : 'card')
                setObject(8, booking); setString(9, link); setString(10, grade); executeUpdate()
            }
        }
        id
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

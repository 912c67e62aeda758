package org.labcommons.core.reports

import org.labcommons.testkit.TenantWorld

import java.sql.Timestamp
import java.time.Duration
import java.time.Instant
import java.time.temporal.ChronoUnit
import java.util.concurrent.atomic.AtomicInteger

/**
 * What the ratings' specifications share: bookings and sample requests put straight into booking's tables as booking
 * writes them (the code under test reads them only through booking's services).
 */
class RatingFixture {
    static final AtomicInteger SLOT = new AtomicInteger()

    /** A booking of {@code userId} (from {@code home}, default the owner) that ended {@code endedAgo} ago (or starts in the future). */
    static UUID booking(Map opts = [:], UUID tenant, String instrumentId, UUID userId) {
        UUID id = UUID.randomUUID()
        int n = SLOT.incrementAndGet()
        Duration length = Duration.ofHours(1)
        Instant start = opts.future ? Instant.now().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofDays(40)).plus(Duration.ofHours(2 * n))
                : Instant.now().truncatedTo(ChronoUnit.MINUTES).minus((opts.endedAgo ?: Duration.ofDays(1)) as Duration)
                .minus(length).minus(Duration.ofMinutes(n * 90))
        Instant end = start.plus(length)
        TenantWorld.inTenant(tenant) { c ->
            def ps = c.prepareStatement("insert into booking (tenant_id, id, instrument_id, requester_user_id, requester_tenant_id, " +
                    "rate_group, status, starts_at, ends_at, blocked_until) values (app_tenant(), ?, ?, ?, ?, 'internal', ?, ?, ?, ?)")
            ps.setObject(1, id)
            ps.setObject(2, UUID.fromString(instrumentId))
            ps.setObject(3, userId)
            ps.setObject(4, (opts.home ?: tenant) as UUID)
            ps.setString(5, (opts.status ?: 'approved') as String)
            ps.setTimestamp(6, Timestamp.from(start))
            ps.setTimestamp(7, Timestamp.from(end))
            ps.setTimestamp(8, Timestamp.from(end))
            ps.executeUpdate()
        }
        id
    }

    /** A sample request of {@code userId} in {@code status} (results ready now for results_ready and closed). */
    static UUID sampleRequest(UUID tenant, String instrumentId, String serviceId, UUID userId, String status = 'results_ready') {
        UUID id = UUID.randomUUID()
        boolean ready = status in ['results_ready', 'closed']
        TenantWorld.inTenant(tenant) { c ->
            def ps = c.prepareStatement("insert into sample_request (tenant_id, id, instrument_id, service_id, requester_user_id, " +
                    "requester_tenant_id, rate_group, sample_count, items, sample_info, hazards, status, submitted_at, results_ready_at, updated_at) " +
                    "values (app_tenant(), ?, ?, ?, ?, ?, 'internal', 1, array['1H'], 'powder', array['none'], ?, now(), " +
                    (ready ? "now()" : "null") + ", now())")
            ps.setObject(1, id)
            ps.setObject(2, UUID.fromString(instrumentId))
            ps.setObject(3, UUID.fromString(serviceId))
            ps.setObject(4, userId)
            ps.setObject(5, tenant)
            ps.setString(6, status)
            ps.executeUpdate()
        }
        id
    }

    static long count(UUID tenant, String sql, List args = []) {
        TenantWorld.inTenant(tenant) { c ->
            def ps = c.prepareStatement(sql)
            args.eachWithIndex { a, i -> ps.setObject(i + 1, a) }
            ps.executeQuery().with { next(); getLong(1) }
        }
    }
}

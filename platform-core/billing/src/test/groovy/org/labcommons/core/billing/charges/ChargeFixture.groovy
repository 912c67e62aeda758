package org.labcommons.core.billing.charges

import io.micronaut.context.ApplicationContext
import io.micronaut.json.JsonMapper
import org.apache.kafka.clients.consumer.ConsumerRecord
import org.labcommons.core.events.EventEnvelope
import org.labcommons.core.events.EventHeaders
import org.labcommons.core.events.IdempotentConsumer
import org.labcommons.testkit.TenantWorld

import java.nio.charset.StandardCharsets
import java.sql.Timestamp
import java.time.Duration
import java.time.Instant
import java.time.temporal.ChronoUnit
import java.util.concurrent.atomic.AtomicInteger

/**
 * What the charges' specifications share: filed cards put straight into fee_standard (effective long ago, so past use
 * rates), bookings, sample requests and events as their modules write them, and delivering an event to the rating
 * handler through the kernel's IdempotentConsumer as the consumer does.
 */
class ChargeFixture {
    static final AtomicInteger SLOT = new AtomicInteger()

    final ApplicationContext ctx
    final UUID tenant

    ChargeFixture(ApplicationContext ctx, UUID tenant) {
        this.ctx = ctx
        this.tenant = tenant
    }

    /** A filed card effective since 2020 (hourly by default: 120.00 yuan an hour, billed in 15 minutes). */
    UUID card(String instrumentId) {
        card([:], instrumentId)
    }

    UUID card(Map terms, String instrumentId) {
        UUID id = UUID.randomUUID()
        TenantWorld.inTenant(tenant) { c ->
            def ps = c.prepareStatement("insert into fee_standard (id, instrument_id, service_id, rate_group_code, version, unit, price_fen, " +
                    "minimum_fen, rounding, status, effective_from, filing_ref) values (?, ?, ?, ?, " +
                    "(select coalesce(max(version), 0) + 1 from fee_standard where instrument_id = ?), ?, ?, 0, ?, 'filed', date '2020-01-01', 'TEST-1')")
            ps.setObject(1, id)
            ps.setObject(2, UUID.fromString(instrumentId))
            ps.setObject(3, terms.serviceId ? UUID.fromString(terms.serviceId as String) : null)
            ps.setString(4, (terms.rateGroup ?: 'internal') as String)
            ps.setObject(5, UUID.fromString(instrumentId))
            ps.setString(6, (terms.unit ?: 'hour') as String)
            ps.setLong(7, (terms.priceFen ?: 12_000) as long)
            ps.setInt(8, (terms.rounding ?: ((terms.unit ?: 'hour') == 'hour' ? 15 : 1)) as int)
            ps.executeUpdate()
        }
        id
    }

    /** A booking of a slot no other booking of the fixture takes: in the future, or ended {@code endedAgo} ago. */
    Map booking(String instrumentId, UUID userId) {
        booking([:], instrumentId, userId)
    }

    Map booking(Map opts, String instrumentId, UUID userId) {
        UUID id = UUID.randomUUID()
        int n = SLOT.incrementAndGet()
        Duration length = (opts.length ?: Duration.ofHours(2)) as Duration
        Instant start = opts.start ? opts.start as Instant
                : opts.endedAgo ? Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(opts.endedAgo as Duration).minus(length).minus(Duration.ofMinutes(n * 7))
                : Instant.now().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofDays(30)).plus(Duration.ofHours(3 * n))
        Instant end = start.plus(length)
        TenantWorld.inTenant(tenant) { c ->
            def ps = c.prepareStatement("insert into booking (tenant_id, id, instrument_id, requester_user_id, requester_tenant_id, account_code, " +
                    "rate_group, status, starts_at, ends_at, blocked_until) values (app_tenant(), ?, ?, ?, ?, ?, 'internal', ?, ?, ?, ?)")
            ps.setObject(1, id)
            ps.setObject(2, UUID.fromString(instrumentId))
            ps.setObject(3, userId)
            ps.setObject(4, tenant)
            ps.setString(5, opts.accountCode as String)
            ps.setString(6, (opts.status ?: 'approved') as String)
            ps.setTimestamp(7, Timestamp.from(start))
            ps.setTimestamp(8, Timestamp.from(end))
            ps.setTimestamp(9, Timestamp.from(end))
            ps.executeUpdate()
        }
        [id: id, instrumentId: instrumentId, start: start, end: end, userId: userId]
    }

    /** A sample request with results ready. */
    UUID sampleRequest(String instrumentId, String serviceId, UUID userId, int samples, List<String> items) {
        UUID id = UUID.randomUUID()
        TenantWorld.inTenant(tenant) { c ->
            def ps = c.prepareStatement("insert into sample_request (tenant_id, id, instrument_id, service_id, requester_user_id, " +
                    "requester_tenant_id, rate_group, sample_count, items, sample_info, hazards, status, submitted_at, results_ready_at, updated_at) " +
                    "values (app_tenant(), ?, ?, ?, ?, ?, 'internal', ?, ?, 'powder', array['none'], 'results_ready', now(), now(), now())")
            ps.setObject(1, id)
            ps.setObject(2, UUID.fromString(instrumentId))
            ps.setObject(3, UUID.fromString(serviceId))
            ps.setObject(4, userId)
            ps.setObject(5, tenant)
            ps.setInt(6, samples)
            ps.setArray(7, c.createArrayOf('text', items as Object[]))
            ps.executeUpdate()
        }
        id
    }

    /** The payload of booking.v1 for a booking of {@link #booking}. */
    Map bookingPayload(Map b, Map more = [:]) {
        [id: b.id.toString(), instrumentId: b.instrumentId, status: 'approved', start: b.start.toString(), end: b.end.toString(),
         requesterUserId: b.userId.toString(), requesterTenantId: tenant.toString(), accountCode: null, rateGroup: 'internal',
         assisted: false, version: 2] + more
    }

    /** A session's payload (usage.session.v1). */
    Map sessionPayload(UUID id, String instrumentId, Instant start, Instant end, Map more = [:]) {
        [id: id.toString(), instrumentId: instrumentId, source: 'device', status: 'closed', start: start.toString(),
         end: end?.toString(), minutes: end == null ? null : Duration.between(start, end).toMinutes(), userId: null,
         identifiedBy: 'card', bookingId: null, link: 'unbooked', earlyMinutes: 0, overtimeMinutes: 0, grade: 'A',
         energyWh: 10, version: 1] + more
    }

    EventEnvelope envelope(String type, String aggregateType, String aggregateId, long version, Map payload,
                           Instant occurredAt = Instant.now()) {
        new EventEnvelope(UUID.randomUUID(), type, 1, tenant, aggregateType, aggregateId, version,
                occurredAt.truncatedTo(ChronoUnit.MICROS), payload.collectEntries { k, v -> [k, v instanceof GString ? v.toString() : v] } as Map<String, Object>)
    }

    ConsumerRecord<String, String> record(String topic, EventEnvelope e) {
        def r = new ConsumerRecord<String, String>(topic, 0, 0L, e.aggregateId(), ctx.getBean(JsonMapper).writeValueAsString(e))
        r.headers().add(EventHeaders.EVENT_ID, e.eventId().toString().getBytes(StandardCharsets.UTF_8))
        r.headers().add(EventHeaders.TENANT_ID, e.tenantId().toString().getBytes(StandardCharsets.UTF_8))
        r
    }

    /** Delivers an event as the consumer does (IdempotentConsumer, group billing.charges). */
    IdempotentConsumer.Outcome deliver(String topic, EventEnvelope e) {
        ChargeRating rating = ctx.getBean(ChargeRating)
        ctx.getBean(IdempotentConsumer).process('billing.charges', record(topic, e)) { c, ev -> rating.handle(c, ev) }
    }

    /** The charges of a source, with their items (straight from the tables). */
    List<Map> charges(UUID sourceId) {
        TenantWorld.inTenant(tenant) { c ->
            def rs = c.prepareStatement("select id, source_type, kind, status, amount_fen, posted_fen, unrated, quantity, fee_standard_id " +
                    "from charge where source_id = '${sourceId}' order by created_at").executeQuery()
            List<Map> out = []
            while (rs.next()) {
                out << [id: rs.getObject(1) as UUID, sourceType: rs.getString(2), kind: rs.getString(3), status: rs.getString(4),
                        amountFen: rs.getLong(5), postedFen: rs.getLong(6), unrated: rs.getBoolean(7), quantity: rs.getBigDecimal(8),
                        feeStandardId: rs.getObject(9) as UUID]
            }
            out.each { it.items = items(c, it.id as UUID) }
            out
        }
    }

    static List<Map> items(java.sql.Connection c, UUID chargeId) {
        def rs = c.prepareStatement("select seq, kind, delta_fen, reason, corrects_seq, actor, at from charge_item where charge_id = '${chargeId}' order by seq").executeQuery()
        List<Map> out = []
        while (rs.next()) {
            out << [seq: rs.getInt(1), kind: rs.getString(2), deltaFen: rs.getLong(3), reason: rs.getString(4),
                    correctsSeq: rs.getObject(5), actor: rs.getString(6), at: rs.getTimestamp(7).toInstant()]
        }
        out
    }
}

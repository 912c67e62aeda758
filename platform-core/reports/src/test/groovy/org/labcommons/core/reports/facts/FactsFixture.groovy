package org.labcommons.core.reports.facts

import io.micronaut.context.ApplicationContext
import io.micronaut.json.JsonMapper
import org.apache.kafka.clients.consumer.ConsumerRecord
import org.apache.kafka.clients.producer.KafkaProducer
import org.apache.kafka.clients.producer.ProducerRecord
import org.apache.kafka.common.serialization.StringSerializer
import org.labcommons.core.events.EventEnvelope
import org.labcommons.core.events.EventHeaders
import org.labcommons.core.events.IdempotentConsumer
import org.labcommons.devstack.SharedDevStack

import java.nio.charset.StandardCharsets
import java.time.Duration
import java.time.Instant
import java.time.temporal.ChronoUnit

/**
 * What the facts' specifications share: events as usage, booking and billing write them (docs/events.md), delivered
 * to the projector through the kernel's IdempotentConsumer as the consumer reports.facts does, or produced to Kafka.
 */
class FactsFixture {
    final ApplicationContext ctx
    final UUID tenant

    FactsFixture(ApplicationContext ctx, UUID tenant) {
        this.ctx = ctx
        this.tenant = tenant
    }

    EventEnvelope envelope(String type, String aggregateType, Object aggregateId, long version, Map payload) {
        new EventEnvelope(UUID.randomUUID(), type, 1, tenant, aggregateType, aggregateId.toString(), version,
                Instant.now().truncatedTo(ChronoUnit.MICROS),
                payload.collectEntries { k, v -> [k, v instanceof GString || v instanceof UUID || v instanceof Instant ? v.toString() : v] } as Map<String, Object>)
    }

    /** A measured session (usage.session.v1), closed unless {@code more} says otherwise. */
    EventEnvelope session(UUID id, long version, Object instrument, Instant start, Instant end, Map more = [:]) {
        envelope(more.type as String ?: 'usage.session.closed', 'usage_session', id, version,
                [id: id, instrumentId: instrument, source: 'device', status: 'closed', start: start, end: end,
                 minutes: end == null ? null : Duration.between(start, end).toMinutes(), userId: null,
                 identifiedBy: 'card', bookingId: null, link: 'unbooked', earlyMinutes: 0, overtimeMinutes: 0,
                 grade: 'A', energyWh: 10, version: version] + more.findAll { it.key != 'type' })
    }

    /** A booking event (booking.v1). */
    EventEnvelope booking(UUID id, long version, Object instrument, Instant start, Instant end, UUID user, Map more = [:]) {
        envelope(more.type as String ?: 'booking.approved', 'booking', id, version,
                [id: id, instrumentId: instrument, status: 'approved', start: start, end: end, requesterUserId: user,
                 requesterTenantId: tenant, accountCode: null, rateGroup: 'internal', assisted: false, version: version]
                        + more.findAll { it.key != 'type' })
    }

    /** A charge event (billing.charge.v1). */
    EventEnvelope charge(UUID id, long version, Object instrument, Instant start, long amountFen, UUID user, Map more = [:]) {
        envelope(more.type as String ?: 'charge.created', 'charge', id, version,
                [id: id, tenantId: tenant, sourceType: 'usage_session', sourceId: UUID.randomUUID(), kind: 'usage',
                 instrumentId: instrument, userId: user, requesterTenantId: tenant, accountCode: null,
                 rateGroup: 'internal', serviceStart: start, serviceEnd: start.plus(Duration.ofHours(1)),
                 quantity: 1, unit: 'hour', amountFen: amountFen, status: 'pending', version: version]
                        + more.findAll { it.key != 'type' })
    }

    /** A sample request event (sample.v1). */
    EventEnvelope sample(UUID id, long version, Object instrument, String status, int count, UUID user, Instant at, Map more = [:]) {
        envelope(more.type as String ?: "sample.${status}", 'sample_request', id, version,
                [id: id, instrumentId: instrument, serviceId: null, status: status, requesterUserId: user,
                 requesterTenantId: tenant, accountCode: null, rateGroup: 'internal', sampleCount: count,
                 hazards: ['none'], at: at, version: version] + more.findAll { it.key != 'type' })
    }

    ConsumerRecord<String, String> record(String topic, EventEnvelope e) {
        def r = new ConsumerRecord<String, String>(topic, 0, 0L, e.aggregateId(), ctx.getBean(JsonMapper).writeValueAsString(e))
        r.headers().add(EventHeaders.EVENT_ID, e.eventId().toString().getBytes(StandardCharsets.UTF_8))
        r.headers().add(EventHeaders.TENANT_ID, e.tenantId().toString().getBytes(StandardCharsets.UTF_8))
        r
    }

    /** Delivers an event as the consumer does (IdempotentConsumer, group reports.facts). */
    IdempotentConsumer.Outcome deliver(String topic, EventEnvelope e) {
        FactsProjector projector = ctx.getBean(FactsProjector)
        ctx.getBean(IdempotentConsumer).process('reports.facts', record(topic, e)) { c, ev -> projector.handle(c, ev) }
    }

    KafkaProducer<String, String> producer() {
        new KafkaProducer<String, String>(['bootstrap.servers': SharedDevStack.get().properties()['labcommons.kafka.bootstrap'],
                'acks': 'all', 'key.serializer': StringSerializer.name, 'value.serializer': StringSerializer.name])
    }

    /** Produces an event to Kafka as the outbox relay writes it (key, headers, envelope). */
    void produce(KafkaProducer<String, String> producer, String topic, EventEnvelope e) {
        def r = new ProducerRecord<String, String>(topic, e.aggregateId(), ctx.getBean(JsonMapper).writeValueAsString(e))
        r.headers().add(EventHeaders.EVENT_ID, e.eventId().toString().getBytes(StandardCharsets.UTF_8))
        r.headers().add(EventHeaders.TENANT_ID, e.tenantId().toString().getBytes(StandardCharsets.UTF_8))
        r.headers().add(EventHeaders.EVENT_TYPE, e.type().getBytes(StandardCharsets.UTF_8))
        producer.send(r).get()
    }
}

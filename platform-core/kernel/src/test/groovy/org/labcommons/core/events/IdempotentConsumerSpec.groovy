package org.labcommons.core.events

import ch.qos.logback.classic.Level
import ch.qos.logback.classic.Logger
import ch.qos.logback.classic.spi.ILoggingEvent
import ch.qos.logback.core.read.ListAppender
import io.micronaut.json.JsonMapper
import jakarta.inject.Inject
import org.apache.kafka.clients.consumer.ConsumerRecord
import org.labcommons.core.tenancy.TenantId
import org.labcommons.core.tenancy.TenantTransactions
import org.labcommons.testkit.PlatformSpec
import org.slf4j.LoggerFactory

import java.nio.charset.StandardCharsets
import java.sql.Connection
import java.time.Instant
import java.time.temporal.ChronoUnit

import static org.labcommons.core.events.IdempotentConsumer.Outcome.*
import static org.labcommons.core.events.OutboxFixtures.newTenant

class IdempotentConsumerSpec extends PlatformSpec {

    @Override
    Map<String, String> ownProperties() {
        ['labcommons.outbox.enabled': 'false']
    }

    @Inject IdempotentConsumer consumer
    @Inject TenantTransactions tenants
    @Inject JsonMapper json

    private static EventEnvelope envelope(TenantId tenant) {
        new EventEnvelope(UUID.randomUUID(), 'test.thing.changed', 1, tenant.value(), 'thing', 'thing-1', 1,
                Instant.now().truncatedTo(ChronoUnit.MICROS), [n: 1])
    }

    private ConsumerRecord<String, String> record(EventEnvelope e, String headerTenant) {
        def r = new ConsumerRecord<String, String>('test.thing.v1', 0, 42L, e.aggregateId(), json.writeValueAsString(e))
        r.headers().add(EventHeaders.EVENT_ID, e.eventId().toString().getBytes(StandardCharsets.UTF_8))
        if (headerTenant != null) {
            r.headers().add(EventHeaders.TENANT_ID, headerTenant.getBytes(StandardCharsets.UTF_8))
        }
        r
    }

    private static long count(Connection c, String sql) {
        c.createStatement().executeQuery(sql).with { next(); getLong(1) }
    }

    private static void insertOrgUnit(Connection c, String code) {
        c.prepareStatement("insert into org_unit (tenant_id, id, kind, code, name_zh, name_en) values (app_tenant(), ?, 'lab', ?, '投影', 'Projection')").with {
            setObject(1, UUID.randomUUID()); setString(2, code); executeUpdate()
        }
    }

    def "a duplicated record runs the handler once, and its writes commit with the processed mark"() {
        given:
        def tenant = newTenant()
        def e = envelope(tenant)
        def r = record(e, tenant.toString())
        int runs = 0

        when: 'the same record is delivered three times'
        def outcomes = (1..3).collect {
            consumer.process('test.projector', r) { c, ev -> runs++; insertOrgUnit(c, 'P-' + ev.eventId().toString().substring(0, 8)) }
        }

        then:
        outcomes == [HANDLED, DUPLICATE, DUPLICATE]
        runs == 1
        tenants.inTenant(tenant) { c -> count(c, "select count(*) from org_unit where code like 'P-%'") } == 1L
        tenants.inTenant(tenant) { c -> count(c, "select count(*) from processed_event where consumer = 'test.projector' and event_id = '${e.eventId()}'") } == 1L

        and: 'another consumer of the same event keeps its own record'
        consumer.process('test.mailer', r) { c, ev -> runs++ } == HANDLED
        runs == 2
        println "idempotent consumer: deliveries=3, handler runs=1, duplicates skipped=${outcomes.count { it == DUPLICATE }}"
    }

    def "a handler that fails leaves the event unprocessed, so the redelivery runs it"() {
        given:
        def tenant = newTenant()
        def r = record(envelope(tenant), tenant.toString())
        int runs = 0

        when:
        consumer.process('test.flaky', r) { c, ev -> insertOrgUnit(c, 'FLAKY'); throw new IllegalStateException('handler failed') }

        then:
        thrown(IllegalStateException)
        tenants.inTenant(tenant) { c -> count(c, "select count(*) from org_unit where code = 'FLAKY'") } == 0L

        when:
        def outcome = consumer.process('test.flaky', r) { c, ev -> runs++; insertOrgUnit(c, 'FLAKY') }

        then:
        outcome == HANDLED
        runs == 1
        tenants.inTenant(tenant) { c -> count(c, "select count(*) from org_unit where code = 'FLAKY'") } == 1L
    }

    def "a record whose tenant header does not match its envelope is refused and logged (#headerKind header)"() {
        given:
        def tenant = newTenant()
        def other = newTenant()
        def e = envelope(tenant)
        def r = record(e, headerKind == 'another tenant\'s' ? other.toString() : null)
        def logger = (Logger) LoggerFactory.getLogger(IdempotentConsumer)
        def appender = new ListAppender<ILoggingEvent>()
        appender.start()
        logger.addAppender(appender)
        int runs = 0

        when:
        def outcome = consumer.process('test.guard', r) { c, ev -> runs++ }

        then:
        outcome == REJECTED
        runs == 0
        tenants.inTenant(tenant) { c -> count(c, 'select count(*) from processed_event') } == 0L
        appender.list.any { it.level == Level.WARN && it.formattedMessage.contains('refused') && it.formattedMessage.contains(e.eventId().toString()) }
        println "idempotent consumer: record with ${headerKind} tenant header refused, handler runs=${runs}"

        cleanup:
        logger.detachAppender(appender)

        where:
        headerKind << ["another tenant's", 'no']
    }
}

package org.labcommons.core.events

import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource
import io.micronaut.json.JsonMapper
import jakarta.inject.Inject
import org.labcommons.core.tenancy.TenantTransactions
import org.labcommons.devstack.SharedDevStack
import org.labcommons.testkit.PlatformSpec
import org.postgresql.util.PSQLException

import javax.sql.DataSource

import static org.labcommons.core.events.OutboxFixtures.*

/** The outbox end to end against the shared PostgreSQL and Kafka, with the application's own relay. */
class OutboxSpec extends PlatformSpec {

    @Override
    Map<String, String> ownProperties() {
        ['labcommons.outbox.poll-interval': '50ms']
    }

    @Inject Outbox outbox
    @Inject TenantTransactions tenants
    @Inject IdempotentConsumer consumer
    @Inject JsonMapper json
    @Inject DataSource dataSource

    String bootstrap = SharedDevStack.get().properties()['labcommons.kafka.bootstrap']

    def "an event committed with its transaction reaches Kafka exactly once, keyed by aggregate, with its headers"() {
        given:
        def tenant = newTenant()
        def topic = uniqueTopic('outboxspec')

        when: 'a state change and five events commit together'
        def appended = tenants.inTenant(tenant) { c ->
            c.prepareStatement("insert into org_unit (tenant_id, id, kind, code, name_zh, name_en) values (?, ?, 'lab', 'EVT', '事件实验室', 'Event lab')").with {
                setObject(1, tenant.value()); setObject(2, UUID.randomUUID()); executeUpdate()
            }
            (0..<5).collect { i -> outbox.append(c, new Outbox.Event(topic, 'test.thing.changed', 1, 'thing', "thing-${i % 2}", i, [n: i, name: '核磁'])) }
        }
        await('the relay to mark the events published') { pending(appended*.eventId()) == 0 }
        def records = readAll(bootstrap, topic)
        def counts = countByEventId(records)

        then: 'each event is in Kafka once'
        records.size() == 5
        counts.keySet() == appended*.eventId()*.toString() as Set
        counts.values().every { it == 1 }

        and: 'with the aggregate as key, the headers, and the envelope as value'
        records.every { r ->
            def sent = appended.find { it.eventId().toString() == header(r, EventHeaders.EVENT_ID) }
            def envelope = json.readValue(r.value(), EventEnvelope)
            assert r.key() == sent.aggregateId()
            assert header(r, EventHeaders.EVENT_TYPE) == 'test.thing.changed'
            assert header(r, EventHeaders.SCHEMA_VERSION) == '1'
            assert header(r, EventHeaders.TENANT_ID) == tenant.toString()
            assert header(r, EventHeaders.OUTBOX_SEQ) ==~ /\d+/
            assert envelope == sent
            true
        }

        and: 'the records of one aggregate arrive in the order they were appended'
        records.groupBy { it.key() }.every { key, rs ->
            def versions = rs.sort { it.offset() }.collect { json.readValue(it.value(), EventEnvelope).aggregateVersion() }
            versions == versions.toSorted()
        }

        when: 'a consumer receives every record twice (a redelivery)'
        int handled = 0
        def outcomes = (records + records).collect { r -> consumer.process('test.outbox-spec', r) { c, e -> handled++ } }

        then:
        handled == 5
        outcomes.count { it == IdempotentConsumer.Outcome.DUPLICATE } == 5
        println "outbox end to end: events appended=5, records in Kafka=${records.size()}, distinct event ids=${counts.size()}, " +
                "duplicates in Kafka=${counts.values().sum() - counts.size()}, handler runs for 10 deliveries=${handled}"
    }

    def "a rolled-back transaction emits nothing"() {
        given:
        def tenant = newTenant()
        def topic = uniqueTopic('outboxspec')

        when: 'one transaction appends and then fails, and a later one commits a marker event'
        tenants.inTenant(tenant) { c ->
            outbox.append(c, new Outbox.Event(topic, 'test.thing.changed', 1, 'thing', 'doomed', 1, [n: 1]))
            throw new IllegalStateException('the change failed')
        }

        then:
        thrown(IllegalStateException)

        when:
        def marker = append(tenants, outbox, tenant, topic, 1)
        await('the marker to be published') { pending(marker*.eventId()) == 0 }
        def records = readAll(bootstrap, topic)

        then: 'only the marker reached Kafka'
        records*.key() == ['thing-0']
        header(records[0], EventHeaders.EVENT_ID) == marker[0].eventId().toString()
        println "outbox rollback: events rolled back=1, records in Kafka=${records.size()} (the committed marker only)"
    }

    def "an append needs a tenant-bound transaction, and the runtime role cannot read the outbox"() {
        given:
        def raw = DelegatingDataSource.unwrapDataSource(dataSource)

        when:
        raw.connection.withCloseable { c -> outbox.append(c, new Outbox.Event('x.v1', 'test.thing.changed', 1, 'thing', '1', 1, [:])) }

        then:
        IllegalStateException e = thrown()
        e.message.contains('no tenant is bound')

        when:
        tenants.inTenant(newTenant()) { c -> c.createStatement().executeQuery('select count(*) from outbox_event') }

        then:
        PSQLException denied = thrown()
        denied.SQLState == '42501'
    }


    def "an event is written for the bound tenant only: the stored row carries it, and a row naming another tenant is refused"() {
        given:
        def mine = newTenant()
        def other = newTenant()
        def topic = uniqueTopic('outboxtenant')

        when: 'an append in a transaction bound to one tenant'
        def envelope = tenants.inTenant(mine) { c ->
            outbox.append(c, new Outbox.Event(topic, 'test.thing.changed', 1, 'thing', 'a', 1, [n: 1, name: '核磁']))
        }

        then: 'the envelope and the stored row name the bound tenant, and the payload reads back as stored'
        envelope.tenantId() == mine.value()
        envelope.payload() == [n: 1, name: '核磁']
        owner().withCloseable { c ->
            def ps = c.prepareStatement('select tenant_id, payload::text from outbox_event where event_id = ?')
            ps.setObject(1, envelope.eventId())
            def rs = ps.executeQuery()
            assert rs.next()
            assert rs.getObject(1, UUID) == mine.value()
            assert json.readValue(rs.getString(2), Map) == [n: 1, name: '核磁']
            true
        }

        when: 'the same transaction tries to write a row for another tenant directly'
        tenants.inTenant(mine) { c ->
            def ps = c.prepareStatement("insert into outbox_event (tenant_id, event_id, type, topic, schema_version, aggregate_type, " +
                    "aggregate_id, aggregate_version, occurred_at, payload) values (?, ?, 'test.thing.changed', ?, 1, 'thing', 'b', 1, now(), '{}')")
            ps.setObject(1, other.value())
            ps.setObject(2, UUID.randomUUID())
            ps.setString(3, topic)
            ps.executeUpdate()
        }

        then: 'the tenant_isolation policy refuses it'
        PSQLException refused = thrown()
        refused.SQLState == '42501'
        refused.message.contains('row-level security')
    }
}

package org.labcommons.core.events

import io.micronaut.json.JsonMapper
import io.micronaut.transaction.TransactionOperations
import jakarta.inject.Inject
import org.labcommons.core.tenancy.TenantTransactions
import org.labcommons.devstack.kafka.EmbeddedKafka
import org.labcommons.testkit.PlatformSpec
import spock.lang.Shared

import java.nio.file.Files
import java.nio.file.Path
import java.sql.Connection
import java.time.Duration

import static org.labcommons.core.events.OutboxFixtures.*

/**
 * Kafka goes down while events are appended: they wait in the outbox and are all delivered, once,
 * when it returns. Uses a broker of its own (stopped and restarted on the same port), never the
 * shared one; the application's own relay is off in this specification.
 */
class OutboxKafkaOutageSpec extends PlatformSpec {

    @Override
    Map<String, String> ownProperties() {
        ['labcommons.outbox.enabled': 'false']
    }

    @Shared Path dir = Files.createTempDirectory('outbox-kafka-')
    @Shared EmbeddedKafka kafka = new EmbeddedKafka(dir, 0)

    @Inject Outbox outbox
    @Inject TenantTransactions tenants
    @Inject TransactionOperations<Connection> transactions
    @Inject OutboxRows outboxRows
    @Inject JsonMapper json

    def setupSpec() {
        kafka.start()
    }

    def cleanupSpec() {
        kafka.close()
        dir.toFile().deleteDir()
    }

    def "events appended while Kafka is down wait in the outbox and are all delivered once when it returns"() {
        given: 'a relay publishing to our own broker, which delivers a first 10 events'
        def tenant = newTenant()
        def topic = uniqueTopic('outage')
        def relay = new OutboxRelay(new OutboxSettings(transactionalId: 'outage-' + UUID.randomUUID(),
                batchSize: 10, pollInterval: Duration.ofMillis(50), maxBackoff: Duration.ofSeconds(1)),
                kafka.bootstrapServers(), transactions, outboxRows, json, [{ -> [topic] } as EventTopics])
        relay.start()
        List<UUID> before = append(tenants, outbox, tenant, topic, 10, 0)*.eventId()
        await('the first events to be published') { pending(before) == 0 }

        when: 'Kafka stops and 20 more events are appended in four transactions'
        String bootstrapBefore = kafka.bootstrapServers()
        kafka.close()
        long failuresBefore = relay.failureCount()
        List<UUID> during = (0..<4).collectMany { append(tenants, outbox, tenant, topic, 5, 10 + it * 5) }*.eventId()
        await('the relay to fail twice against the stopped broker') { relay.failureCount() >= failuresBefore + 2 }

        then: 'they wait in the outbox'
        pending(during) == 20
        relay.running

        when: 'Kafka comes back on the same port'
        kafka.start()
        await('every event to be published', Duration.ofSeconds(120)) { pending(before + during) == 0 }
        def records = readAll(kafka.bootstrapServers(), topic)
        def counts = countByEventId(records)

        then: 'none lost, none duplicated'
        kafka.bootstrapServers() == bootstrapBefore
        records.size() == 30
        counts.keySet() == (before + during)*.toString() as Set
        counts.values().every { it == 1 }
        println "outbox with Kafka down: events appended=30 (20 while down), failed relay attempts=${relay.failureCount() - failuresBefore}, " +
                "records in Kafka=${records.size()}, distinct event ids=${counts.size()}, duplicates=${records.size() - counts.size()}"

        cleanup:
        relay?.close()
    }
}

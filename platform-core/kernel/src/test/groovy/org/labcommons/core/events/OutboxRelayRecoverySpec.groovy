package org.labcommons.core.events

import io.micronaut.json.JsonMapper
import io.micronaut.transaction.TransactionOperations
import jakarta.inject.Inject
import org.labcommons.core.tenancy.TenantTransactions
import org.labcommons.devstack.SharedDevStack
import org.labcommons.testkit.PlatformSpec

import java.sql.Connection
import java.time.Duration

import static org.labcommons.core.events.OutboxFixtures.*

/**
 * The relay dies in the middle of a batch (a test hook throws {@link OutboxRelay.Killed} before or
 * after the Kafka commit) and a new relay with the same transactional id takes over: every event
 * ends up in Kafka exactly once. The application's own relay is off in this specification.
 */
class OutboxRelayRecoverySpec extends PlatformSpec {

    @Override
    Map<String, String> ownProperties() {
        ['labcommons.outbox.enabled': 'false']
    }

    @Inject Outbox outbox
    @Inject TenantTransactions tenants
    @Inject TransactionOperations<Connection> transactions
    @Inject OutboxRows outboxRows
    @Inject JsonMapper json

    String bootstrap = SharedDevStack.get().properties()['labcommons.kafka.bootstrap']

    private OutboxRelay relay(String transactionalId, String topic) {
        def settings = new OutboxSettings(transactionalId: transactionalId, batchSize: 10,
                pollInterval: Duration.ofMillis(50), maxBackoff: Duration.ofSeconds(1))
        new OutboxRelay(settings, bootstrap, transactions, outboxRows, json, [{ -> [topic] } as EventTopics])
    }

    def "killed #phase of its second batch and restarted, the relay delivers every event exactly once"() {
        given: '25 events in five transactions, and a relay that dies in its second batch of 10'
        def tenant = newTenant()
        settleEarlierRows()
        def topic = uniqueTopic('recovery')
        def transactionalId = 'recovery-' + UUID.randomUUID()
        List<UUID> ids = (0..<5).collectMany { append(tenants, outbox, tenant, topic, 5, it * 5) }*.eventId()
        def first = relay(transactionalId, topic)
        OutboxRelay second = null
        int batches = 0
        first.faultHook = { p, seqs -> if (p == phase && ++batches == 2) throw new OutboxRelay.Killed("test: died ${p}") }

        when:
        first.start()
        await('the first relay to die') { !first.running }
        def pendingAfterKill = pendingIds(ids)
        def inKafkaAfterKill = countByEventId(readAll(bootstrap, topic)).keySet()

        then: 'the first batch is published; the second is in Kafka but unmarked, or not in Kafka at all'
        pendingAfterKill.size() == 15
        (pendingAfterKill.intersect(inKafkaAfterKill)).size() == (phase == OutboxRelay.Phase.AFTER_KAFKA_COMMIT ? 10 : 0)

        when: 'a new relay with the same transactional id starts'
        second = relay(transactionalId, topic)
        second.start()
        await('every event to be published') { pending(ids) == 0 }
        def records = readAll(bootstrap, topic)
        def counts = countByEventId(records)

        then: 'every event is in Kafka exactly once'
        records.size() == 25
        counts.keySet() == ids*.toString() as Set
        counts.values().every { it == 1 }

        and: 'a committed batch was recovered (marked, not resent); an uncommitted one was sent again'
        second.publishedCount() == (phase == OutboxRelay.Phase.AFTER_KAFKA_COMMIT ? 5 : 15)
        println "outbox relay killed ${phase}: events appended=25, records in Kafka=${records.size()}, " +
                "distinct event ids=${counts.size()}, duplicates=${records.size() - counts.size()}, " +
                "sent by the restarted relay=${second.publishedCount()}"

        cleanup:
        first?.close()
        second?.close()

        where:
        phase << OutboxRelay.Phase.values()
    }
}

package org.labcommons.core.events

import org.apache.kafka.clients.consumer.ConsumerRecord
import org.apache.kafka.clients.consumer.KafkaConsumer
import org.apache.kafka.common.TopicPartition
import org.apache.kafka.common.serialization.StringDeserializer
import org.labcommons.core.tenancy.TenantId
import org.labcommons.core.tenancy.TenantTransactions
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld

import java.sql.Connection
import java.time.Duration

/** Shared helpers of the outbox specifications: tenants, appends, polls with deadlines, Kafka reads. */
class OutboxFixtures {

    static String uniqueTopic(String prefix) {
        "${prefix}.t${UUID.randomUUID().toString().replace('-', '').substring(0, 10)}.v1"
    }

    static Connection owner() {
        PlatformSpec.ownerConnection()
    }

    static TenantId newTenant() {
        new TenantId(TenantWorld.build(null) { institution('e', nameZh: '事件', nameEn: 'Events') }.tenant('e').id)
    }

    /** Appends {@code n} events in one tenant transaction, spread over three aggregates; returns their envelopes. */
    static List<EventEnvelope> append(TenantTransactions tenants, Outbox outbox, TenantId tenant, String topic, int n, int from = 0) {
        tenants.inTenant(tenant) { c ->
            (from..<(from + n)).collect { i ->
                outbox.append(c, new Outbox.Event(topic, 'test.thing.changed', 1, 'thing', "thing-${i % 3}", i, [n: i, note: '仪器']))
            }
        }
    }

    /**
     * Marks every row still unpublished as published (as the owner, through the relay policy). A relay
     * claims the oldest unpublished rows of any tenant and topic, so a specification that counts its
     * own relay's batches starts from an outbox where no other specification left a row behind (rows
     * appended while a context's relay was off, or after it stopped).
     */
    static void settleEarlierRows() {
        owner().withCloseable { c ->
            c.createStatement().executeUpdate('update outbox_event set published_at = now() where published_at is null')
        }
    }

    /** Unpublished outbox rows among {@code ids} (read as the owner, through the relay policy). */
    static long pending(Collection<UUID> ids) {
        owner().withCloseable { c ->
            def ps = c.prepareStatement('select count(*) from outbox_event where published_at is null and event_id = any (?)')
            ps.setArray(1, c.createArrayOf('uuid', ids as UUID[]))
            def rs = ps.executeQuery(); rs.next(); rs.getLong(1)
        }
    }

    /** The ids among {@code ids} whose rows are still unpublished. */
    static Set<String> pendingIds(Collection<UUID> ids) {
        owner().withCloseable { c ->
            def ps = c.prepareStatement('select event_id from outbox_event where published_at is null and event_id = any (?)')
            ps.setArray(1, c.createArrayOf('uuid', ids as UUID[]))
            def rs = ps.executeQuery()
            Set<String> out = [] as Set
            while (rs.next()) { out << rs.getString(1) }
            out
        }
    }

    /** Polls {@code probe} every 100 ms until it is truthy; fails after {@code timeout}. */
    static <T> T await(String what, Duration timeout = Duration.ofSeconds(60), Closure<T> probe) {
        long deadline = System.nanoTime() + timeout.toNanos()
        while (true) {
            T value = probe()
            if (value) {
                return value
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after ${timeout} waiting for ${what}".toString())
            }
            Thread.sleep(100)
        }
    }

    /** Every committed record of {@code topic}, read with read_committed from the beginning to the end. */
    static List<ConsumerRecord<String, String>> readAll(String bootstrap, String topic) {
        Map<String, Object> cfg = [
                'bootstrap.servers'       : bootstrap,
                'isolation.level'         : 'read_committed',
                'enable.auto.commit'      : false,
                'allow.auto.create.topics': false,
                'key.deserializer'        : StringDeserializer.name,
                'value.deserializer'      : StringDeserializer.name] as Map<String, Object>
        new KafkaConsumer<String, String>(cfg).withCloseable { consumer ->
            List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(10)).collect { new TopicPartition(topic, it.partition()) }
            consumer.assign(parts)
            consumer.seekToBeginning(parts)
            Map<TopicPartition, Long> end = consumer.endOffsets(parts)
            List<ConsumerRecord<String, String>> out = []
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos()
            while (parts.any { consumer.position(it) < end[it] }) {
                assert System.nanoTime() < deadline: "reading ${topic} took longer than 30 s"
                consumer.poll(Duration.ofMillis(200)).each { out << it }
            }
            out
        }
    }

    static String header(ConsumerRecord<?, ?> r, String name) {
        EventHeaders.get(r.headers(), name)
    }

    /** How many records carry each event id. */
    static Map<String, Integer> countByEventId(List<ConsumerRecord<String, String>> records) {
        records.countBy { header(it, EventHeaders.EVENT_ID) } as Map<String, Integer>
    }
}

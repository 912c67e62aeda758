package org.labcommons.iot.ingest

import org.apache.kafka.clients.consumer.ConsumerConfig
import org.apache.kafka.clients.consumer.ConsumerRecord
import org.apache.kafka.clients.consumer.KafkaConsumer
import org.apache.kafka.common.TopicPartition
import org.apache.kafka.common.serialization.ByteArrayDeserializer
import org.apache.kafka.common.serialization.StringDeserializer

import java.nio.charset.StandardCharsets
import java.time.Duration

/**
 * Reads the iot.* topics from where they ended when it was made (every partition assigned, no group),
 * keeping every record it saw: specifications wait for the records they expect with {@link #await}.
 */
class KafkaTail implements AutoCloseable {
    final KafkaConsumer<String, byte[]> consumer
    final List<ConsumerRecord<String, byte[]>> seen = []

    KafkaTail(String bootstrap, Collection<String> topics = IotTopics.all()) {
        consumer = new KafkaConsumer<>([
                (ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG)       : bootstrap,
                (ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG)      : false,
                (ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG)  : StringDeserializer,
                (ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG): ByteArrayDeserializer,
                (ConsumerConfig.MAX_POLL_RECORDS_CONFIG)        : 2000,
        ] as Map<String, Object>)
        List<TopicPartition> partitions = topics.collectMany { t ->
            consumer.partitionsFor(t, Duration.ofSeconds(30)).collect { new TopicPartition(t, it.partition()) }
        }
        consumer.assign(partitions)
        consumer.seekToEnd(partitions)
        partitions.each { consumer.position(it) }   // resolve the end now, not at the first poll
    }

    /** Polls until {@code count} records seen so far match {@code match}, or fails after {@code timeoutMs}. */
    List<ConsumerRecord<String, byte[]>> await(int count = 1, long timeoutMs = 30_000, Closure<Boolean> match) {
        long deadline = System.currentTimeMillis() + timeoutMs
        while (true) {
            def found = seen.findAll(match)
            if (found.size() >= count) {
                return found
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("expected ${count} matching record(s) within ${timeoutMs} ms, found ${found.size()} of ${seen.size()} read")
            }
            consumer.poll(Duration.ofMillis(100)).each { seen << it }
        }
    }

    /** Polls for {@code millis} more and answers the records matching {@code match} (none expected, usually). */
    List<ConsumerRecord<String, byte[]>> during(long millis, Closure<Boolean> match) {
        long deadline = System.currentTimeMillis() + millis
        while (System.currentTimeMillis() < deadline) {
            consumer.poll(Duration.ofMillis(100)).each { seen << it }
        }
        seen.findAll(match)
    }

    static String header(ConsumerRecord<?, ?> r, String name) {
        def h = r.headers().lastHeader(name)
        h == null ? null : new String(h.value(), StandardCharsets.UTF_8)
    }

    static Closure<Boolean> eventId(UUID id) {
        return { ConsumerRecord r -> header(r, IngestHeaders.EVENT_ID) == id.toString() }
    }

    @Override
    void close() {
        consumer.close(Duration.ofSeconds(2))
    }
}

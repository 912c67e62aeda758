package org.labcommons.core.billing

import io.micronaut.json.JsonMapper
import org.apache.kafka.clients.consumer.KafkaConsumer
import org.apache.kafka.common.TopicPartition
import org.apache.kafka.common.serialization.StringDeserializer
import org.labcommons.devstack.SharedDevStack

import java.time.Duration

/**
 * Reads outbox envelopes of one topic from Kafka (read committed, from the beginning) for the specifications: the
 * events whose record key is one of {@code keys}, polling until {@code done} holds for them or the timeout passes.
 */
class BillingEventReader {
    static List<Map> read(JsonMapper json, String topic, Collection<String> keys, Closure<Boolean> done, long timeoutMs = 60_000) {
        def consumer = new KafkaConsumer<String, String>(['bootstrap.servers': SharedDevStack.get().properties()['labcommons.kafka.bootstrap'],
                'isolation.level': 'read_committed', 'key.deserializer': StringDeserializer.name, 'value.deserializer': StringDeserializer.name])
        try {
            def partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).collect { new TopicPartition(it.topic(), it.partition()) }
            consumer.assign(partitions)
            consumer.seekToBeginning(partitions)
            List<Map> events = []
            long deadline = System.currentTimeMillis() + timeoutMs
            while (!done(events) && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(500)).each { r ->
                    if (keys.contains(r.key())) {
                        Map e = json.readValue(r.value(), Map)
                        e.key = r.key()
                        events << e
                    }
                }
            }
            events
        } finally {
            consumer.close()
        }
    }
}

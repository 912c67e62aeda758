package org.labcommons.devstack

import org.apache.kafka.clients.admin.AdminClient
import org.apache.kafka.clients.admin.NewTopic
import org.apache.kafka.clients.consumer.ConsumerRecord
import org.apache.kafka.clients.consumer.KafkaConsumer
import org.apache.kafka.clients.producer.KafkaProducer
import org.apache.kafka.clients.producer.ProducerRecord
import org.apache.kafka.common.serialization.StringDeserializer
import org.apache.kafka.common.serialization.StringSerializer
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Tag

import java.time.Duration

@Tag('integration')
class KafkaSpec extends Specification {

    @Shared String bootstrap = SharedDevStack.get().properties()['labcommons.kafka.bootstrap']

    def "a record produced with acks=all and idempotence is consumed with its key and headers"() {
        given: 'a topic with three partitions'
        String topic = "spec.kafka.${UUID.randomUUID()}".toString()
        AdminClient.create(['bootstrap.servers': bootstrap]).withCloseable { admin ->
            admin.createTopics([new NewTopic(topic, 3, (short) 1)]).all().get()
            assert admin.describeCluster().nodes().get().size() == 1
        }

        when: 'records are produced the way the outbox relay will produce them'
        new KafkaProducer<String, String>([
                'bootstrap.servers'    : bootstrap,
                'acks'                 : 'all',
                'enable.idempotence'   : 'true',
                'key.serializer'       : StringSerializer.name,
                'value.serializer'     : StringSerializer.name]).withCloseable { producer ->
            (1..5).each { i ->
                def record = new ProducerRecord<String, String>(topic, "instrument-$i".toString(), /{"n":$i,"name":"核磁共振谱仪"}/.toString())
                record.headers().add('tenant-id', 'donghu'.bytes)
                producer.send(record).get()
            }
        }

        and: 'a consumer group reads the topic from the start'
        List<ConsumerRecord<String, String>> received = []
        new KafkaConsumer<String, String>([
                'bootstrap.servers' : bootstrap,
                'group.id'          : "spec-${UUID.randomUUID()}".toString(),
                'auto.offset.reset' : 'earliest',
                'key.deserializer'  : StringDeserializer.name,
                'value.deserializer': StringDeserializer.name]).withCloseable { consumer ->
            consumer.subscribe([topic])
            long deadline = System.currentTimeMillis() + 20_000
            while (received.size() < 5 && System.currentTimeMillis() < deadline) {
                received.addAll(consumer.poll(Duration.ofMillis(200)))
            }
        }

        then: 'every record arrives once, with its key, header and UTF-8 payload intact'
        received*.key().sort() == (1..5).collect { "instrument-$it" }
        received.every { new String(it.headers().lastHeader('tenant-id').value()) == 'donghu' }
        received.find { it.key() == 'instrument-3' }.value() == '{"n":3,"name":"核磁共振谱仪"}'
    }
}

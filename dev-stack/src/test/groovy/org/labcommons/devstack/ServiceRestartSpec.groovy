package org.labcommons.devstack

import com.hivemq.client.mqtt.MqttGlobalPublishFilter
import com.hivemq.client.mqtt.datatypes.MqttQos
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client
import org.apache.kafka.clients.consumer.KafkaConsumer
import org.apache.kafka.clients.producer.KafkaProducer
import org.apache.kafka.clients.producer.ProducerRecord
import org.apache.kafka.common.serialization.StringDeserializer
import org.apache.kafka.common.serialization.StringSerializer
import org.labcommons.devstack.kafka.EmbeddedKafka
import org.labcommons.devstack.postgres.EmbeddedPostgresService
import org.labcommons.devstack.mqtt.EmbeddedMqttBroker
import org.labcommons.devstack.mqtt.MqttGrant
import org.labcommons.devstack.mqtt.StaticMqttAccessPolicy
import spock.lang.Specification
import spock.lang.Tag

import java.nio.file.Files
import java.time.Duration
import java.util.concurrent.TimeUnit

/**
 * The fault specifications of iot-bridge restart the broker, Kafka and PostgreSQL under a running stream: a
 * stopped and started service must come back on the same port with what it had.
 */
@Tag('integration')
class ServiceRestartSpec extends Specification {

    def "a file-persistent broker restarted on the same port delivers the QoS 1 messages queued for an offline persistent session"() {
        given: 'a broker with file persistence, a subscriber with a persistent session that goes offline'
        def dir = Files.createTempDirectory('labcommons-mqtt-restart-')
        def policy = new StaticMqttAccessPolicy()
                .account('reader', 'r', new MqttGrant('reader', [], ['probe/#']))
                .account('writer', 'w', new MqttGrant('writer', ['probe/#'], []))
        def broker = new EmbeddedMqttBroker(dir, 0, true, policy, 'reader', 'r')
        broker.start()
        int port = broker.port()
        def reader = Mqtt5Client.builder().identifier('reader-1').serverHost('127.0.0.1').serverPort(port)
                .simpleAuth().username('reader').password('r'.bytes).applySimpleAuth().buildBlocking()
        reader.connectWith().cleanStart(false).sessionExpiryInterval(3600).send()
        reader.subscribeWith().topicFilter('probe/#').qos(MqttQos.AT_LEAST_ONCE).send()
        reader.disconnect()

        when: 'five QoS 1 messages are queued for it, and the broker restarts'
        def writer = Mqtt5Client.builder().identifier('writer-1').serverHost('127.0.0.1').serverPort(port)
                .simpleAuth().username('writer').password('w'.bytes).applySimpleAuth().buildBlocking()
        writer.connect()
        (1..5).each { writer.publishWith().topic('probe/x').qos(MqttQos.AT_LEAST_ONCE).payload("m$it".bytes).send() }
        writer.disconnect()
        broker.close()
        broker.start()

        and: 'the subscriber resumes its session'
        def publishes = reader.publishes(MqttGlobalPublishFilter.ALL)
        def resumed = reader.connectWith().cleanStart(false).sessionExpiryInterval(3600).send()
        def got = []
        5.times { publishes.receive(10, TimeUnit.SECONDS).ifPresent { got << new String(it.payloadAsBytes) } }

        then: 'same port, session present, every queued message delivered in order'
        broker.port() == port
        resumed.sessionPresent
        got == ['m1', 'm2', 'm3', 'm4', 'm5']

        cleanup:
        publishes?.close()
        try { reader?.disconnect() } catch (ignored) { }
        broker?.close()
        dir?.toFile()?.deleteDir()
    }

    def "Kafka stopped and started again keeps its port and records, and a waiting producer's record lands after the restart"() {
        given:
        def dir = Files.createTempDirectory('labcommons-kafka-restart-')
        def kafka = new EmbeddedKafka(dir, 0)
        kafka.start()
        String bootstrap = kafka.bootstrapServers()
        def producer = new KafkaProducer<String, String>([
                'bootstrap.servers': bootstrap, 'acks': 'all', 'enable.idempotence': 'true', 'delivery.timeout.ms': '120000',
                'key.serializer': StringSerializer.name, 'value.serializer': StringSerializer.name])
        producer.send(new ProducerRecord('restart.probe.v1', 'k', 'before')).get()

        when: 'Kafka is down while a record is sent, then comes back'
        kafka.close()
        def pending = producer.send(new ProducerRecord('restart.probe.v1', 'k', 'during'))
        Thread.sleep(3_000)
        boolean doneWhileDown = pending.isDone()
        kafka.start()
        pending.get(90, TimeUnit.SECONDS)

        then: 'the same address, and both records are there once'
        !doneWhileDown
        kafka.bootstrapServers() == bootstrap
        readAll(bootstrap, 'restart.probe.v1') == ['before', 'during']

        cleanup:
        producer?.close()
        kafka?.close()
        dir?.toFile()?.deleteDir()
    }

    def "PostgreSQL stopped and started again keeps its port and its rows"() {
        given:
        def dir = Files.createTempDirectory('labcommons-pg-restart-')
        def pg = new EmbeddedPostgresService(dir, 0, false, 'owner-pw', 'app-pw')
        pg.start()
        String url = pg.jdbcUrl()
        pg.superuserConnection().withCloseable { c ->
            c.createStatement().execute('create table restart_probe (v text)')
            c.createStatement().execute("insert into restart_probe values ('before')")
        }

        when:
        pg.stop()
        boolean refused = false
        try { pg.superuserConnection().close() } catch (java.sql.SQLException ignored) { refused = true }
        pg.start()

        then: 'down in between; the same address and the row afterwards'
        refused
        pg.jdbcUrl() == url
        pg.superuserConnection().withCloseable { c ->
            def rs = c.createStatement().executeQuery('select v from restart_probe')
            rs.next() ? rs.getString(1) : null
        } == 'before'

        cleanup:
        pg?.close()
        dir?.toFile()?.deleteDir()
    }

    private static List<String> readAll(String bootstrap, String topic) {
        def values = []
        new KafkaConsumer<String, String>(['bootstrap.servers': bootstrap, 'group.id': "probe-${UUID.randomUUID()}".toString(),
                                           'auto.offset.reset': 'earliest', 'key.deserializer': StringDeserializer.name,
                                           'value.deserializer': StringDeserializer.name]).withCloseable { consumer ->
            consumer.subscribe([topic])
            long deadline = System.currentTimeMillis() + 30_000
            while (values.size() < 2 && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).each { values << it.value() }
            }
        }
        values
    }
}

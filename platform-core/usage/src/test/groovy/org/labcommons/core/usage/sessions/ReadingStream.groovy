package org.labcommons.core.usage.sessions

import org.apache.kafka.clients.admin.Admin
import org.apache.kafka.clients.admin.AdminClientConfig
import org.apache.kafka.clients.admin.NewTopic
import org.apache.kafka.clients.consumer.ConsumerConfig
import org.apache.kafka.clients.consumer.KafkaConsumer
import org.apache.kafka.clients.producer.KafkaProducer
import org.apache.kafka.clients.producer.ProducerConfig
import org.apache.kafka.clients.producer.ProducerRecord
import org.apache.kafka.common.TopicPartition
import org.apache.kafka.common.errors.TopicExistsException
import org.apache.kafka.common.header.internals.RecordHeaders
import org.apache.kafka.common.serialization.StringDeserializer
import org.apache.kafka.common.serialization.StringSerializer
import org.labcommons.core.events.KernelTopics
import org.labcommons.core.usage.UsageTopics

import java.nio.charset.StandardCharsets
import java.time.Duration
import java.time.Instant
import java.util.concurrent.ExecutionException
import java.util.concurrent.TimeUnit

/**
 * Controllers' records as the IoT bridge writes them to Kafka (docs/events.md: key = device id, value = the LC-IC/1
 * message, headers lc-tenant, lc-device, lc-channel, lc-received-at, lc-event-id, lc-seq, lc-corrected-time,
 * lc-instrument), produced directly: the specifications of the reading consumer need no MQTT.
 */
class ReadingStream {
    static final io.micronaut.json.JsonMapper JSON = io.micronaut.json.JsonMapper.createDefault()
    final String bootstrap
    final UUID tenant
    final UUID instrument
    final UUID boot = UUID.randomUUID()
    /** The records in the order they are produced: [topic, device, value, headers map]. */
    final List<Map> records = []
    /** The same readings as the session builder sees them. */
    final List<Reading> readings = []
    private final Map<UUID, Long> seqs = [:]

    ReadingStream(String bootstrap, UUID tenant, UUID instrument) {
        this.bootstrap = bootstrap
        this.tenant = tenant
        this.instrument = instrument
    }

    /** Creates the bridge's two topics (12 partitions) if missing: in these specifications this is the writer. */
    static void ensureTopics(String bootstrap) {
        Admin.create([(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG): bootstrap] as Properties).withCloseable { admin ->
            def existing = admin.listTopics().names().get()
            def missing = [KernelTopics.IOT_TELEMETRY, KernelTopics.IOT_EVENTS].findAll { !existing.contains(it) }
                    .collect { new NewTopic(it, 12, (short) 1) }
            try {
                if (missing) admin.createTopics(missing).all().get()
            } catch (ExecutionException e) {
                if (!(e.cause instanceof TopicExistsException)) throw e
            }
        }
    }

    /** Power samples of {@code device} every {@code everyS} s in [from, to), at {@code watts}. */
    ReadingStream power(UUID device, Instant from, Instant to, double watts, int everyS = 30) {
        for (Instant t = from; t.isBefore(to); t = t.plusSeconds(everyS)) {
            add(device, 'power.sample', 'telemetry', t, [watts: watts, intervalMs: everyS * 1000], null, null)
        }
        this
    }

    ReadingStream login(UUID device, Instant at, String user) {
        add(device, 'pc.login', 'event', at, [user: user, host: 'pc-1'], user, null)
    }

    ReadingStream add(UUID device, String type, String channel, Instant at, Map body, String user, String card) {
        long seq = seqs.merge(device, 1L, Long::sum)
        UUID eventId = UUID.randomUUID()
        Map envelope = [v: 'LC-IC/1', eventId: eventId.toString(), bootId: boot.toString(), seq: seq,
                        deviceTime: at.toString(), historical: false, type: type, body: body, sig: "sig-${seq}".toString()]
        Map headers = ['lc-tenant': tenant.toString(), 'lc-device': device.toString(), 'lc-channel': channel,
                       'lc-received-at': at.plusMillis(40).toString(), 'lc-event-id': eventId.toString(),
                       'lc-seq': Long.toString(seq), 'lc-instrument': instrument.toString()]
        records << [topic: channel == 'telemetry' ? KernelTopics.IOT_TELEMETRY : KernelTopics.IOT_EVENTS, device: device,
                    value: JSON.writeValueAsString(envelope), headers: headers]
        readings << new Reading(device, eventId, boot, seq, type, at, body.watts == null ? null : (body.watts as double),
                user, card, envelope.sig as String)
        this
    }

    /** Produces {@code records} (default: all of this stream's) with acks=all and waits for every acknowledgement. */
    void produce(List<Map> which = records) {
        producer(bootstrap).withCloseable { p ->
            def sent = which.collect { Map r -> p.send(record(r)) }
            sent.each { it.get(30, TimeUnit.SECONDS) }
        }
    }

    static ProducerRecord<String, String> record(Map r) {
        def headers = new RecordHeaders()
        (r.headers as Map<String, String>).each { k, v -> headers.add(k, v.getBytes(StandardCharsets.UTF_8)) }
        new ProducerRecord<String, String>(r.topic as String, null, r.device.toString(), r.value as String, headers)
    }

    static KafkaProducer<String, String> producer(String bootstrap) {
        new KafkaProducer<String, String>([(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG): bootstrap,
                                           (ProducerConfig.ACKS_CONFIG): 'all', (ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG): 'true',
                                           (ProducerConfig.LINGER_MS_CONFIG): '5',
                                           (ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG): StringSerializer.name,
                                           (ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG): StringSerializer.name] as Properties)
    }

    /** Every usage.session.v1 envelope of {@code tenant} published so far (read from the start, until quiet). */
    static List<Map> sessionEvents(String bootstrap, UUID tenant) {
        def out = []
        def props = [(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG): bootstrap, (ConsumerConfig.ISOLATION_LEVEL_CONFIG): 'read_committed',
                     (ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG): StringDeserializer.name,
                     (ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG): StringDeserializer.name] as Properties
        new KafkaConsumer<String, String>(props).withCloseable { c ->
            def parts = c.partitionsFor(UsageTopics.USAGE_SESSION).collect { new TopicPartition(it.topic(), it.partition()) }
            c.assign(parts)
            c.seekToBeginning(parts)
            def end = c.endOffsets(parts)
            long deadline = System.currentTimeMillis() + 20_000
            while (parts.any { c.position(it) < end[it] } && System.currentTimeMillis() < deadline) {
                c.poll(Duration.ofMillis(200)).each { rec ->
                    def h = rec.headers().lastHeader('tenant-id')
                    if (h != null && new String(h.value(), StandardCharsets.UTF_8) == tenant.toString()) {
                        out << (JSON.readValue(rec.value(), io.micronaut.core.type.Argument.mapOf(String, Object)) as Map)
                    }
                }
            }
        }
        out
    }
}

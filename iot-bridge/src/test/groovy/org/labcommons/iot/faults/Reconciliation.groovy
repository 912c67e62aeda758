package org.labcommons.iot.faults

import groovy.transform.CompileStatic
import org.apache.kafka.clients.consumer.ConsumerRecord
import org.apache.kafka.clients.consumer.KafkaConsumer
import org.apache.kafka.common.TopicPartition
import org.apache.kafka.common.header.Header
import org.apache.kafka.common.serialization.ByteArrayDeserializer
import org.apache.kafka.common.serialization.StringDeserializer

import java.nio.charset.StandardCharsets
import java.time.Duration

/**
 * Reads back what the bridge wrote for a set of devices and reconciles it per device by seq:
 * every record of {@code iot.telemetry.v1} and {@code iot.events.v1} is de-duplicated by
 * (tenant, device, eventId) (the consumer's rule, LC-IC/1), then compared with the seqs the device
 * published as valid: lost seqs, seqs that still occur twice after de-duplication (two different
 * events with one seq: must never happen), records out of seq order within their topic, and the
 * device's dead letters by reason ({@code lc-reason} header of {@code iot.deadletter.v1}).
 *
 * <p>One consumer follows the three topics from their beginning; {@link #catchUp()} reads what is
 * new, so a specification can wait for its figures without reading everything again.
 */
@CompileStatic
class Reconciliation implements AutoCloseable {
    static final String TELEMETRY = 'iot.telemetry.v1'
    static final String EVENTS = 'iot.events.v1'
    static final String DEAD_LETTERS = 'iot.deadletter.v1'

    /** What arrived for one device. */
    static class Tally {
        final String device
        String tenant
        final Set<String> eventIds = new HashSet<>()
        /** seq to the distinct eventIds that carried it. */
        final Map<Long, Integer> seqs = new HashMap<>()
        long records
        long rawDuplicates
        /** Records with a lower seq than one before them in the same topic (a device's records share a partition per topic). */
        long outOfOrder
        final Map<String, Long> maxSeqByTopic = new HashMap<>()
        /** Distinct dead letters (same reason and payload bytes counted once) by reason. */
        final Map<String, Long> deadLetters = new TreeMap<>()
        final Set<String> deadPayloads = new HashSet<>()
        /** Dead-letter records, redelivered copies included. */
        long deadLetterRecords
        /** Dead-letter records by reason, redelivered copies included. */
        final Map<String, Long> deadLetterRecordsByReason = new TreeMap<>()
        final List<Long> latenciesMs = []
        final Set<String> anomalies = new TreeSet<>()
        final Map<String, Long> anomalyCounts = new TreeMap<>()
        final Set<String> tenantsSeen = new TreeSet<>()
        /** Distinct events with {@code "historical":true}. */
        long historical
        /** {@code lc-skew-ms} of the distinct events that carried it. */
        final List<Long> skewsMs = []
        /** Seqs of the dead letters whose payload still had one, by reason. */
        final Map<String, Set<Long>> deadSeqs = new TreeMap<>()

        Tally(String device) { this.device = device }

        /** Seqs that two different events share after de-duplication (must be none). */
        long duplicatesAfterDedup() {
            long n = 0
            for (Integer c : seqs.values()) {
                if (c > 1) {
                    n += c - 1
                }
            }
            n
        }

        List<Long> lost(Collection<Long> expected) {
            expected.findAll { Long s -> !seqs.containsKey(s) } as List<Long>
        }

        long deadLetterCount() {
            long n = 0
            for (Long c : deadLetters.values()) {
                n += c
            }
            n
        }
    }

    private final KafkaConsumer<String, byte[]> consumer
    private final Set<String> devices
    final Map<String, Tally> tallies = new LinkedHashMap<>()
    /** Consumer receipt time minus the envelope's deviceTime, for live latency (benchmark). */
    boolean measureLatency = false
    /** Records of these devices read so far (every topic, duplicates included). */
    long recordsRead

    Reconciliation(String bootstrap, Collection<UUID> deviceIds) {
        devices = new HashSet<>(deviceIds*.toString() as Collection<String>)
        devices.each { String d -> tallies[d] = new Tally(d) }
        consumer = new KafkaConsumer<String, byte[]>([
                'bootstrap.servers'       : bootstrap,
                'group.id'                : "reconciliation-${UUID.randomUUID()}".toString(),
                'enable.auto.commit'      : 'false',
                'auto.offset.reset'       : 'earliest',
                'max.poll.records'        : '5000',
                'fetch.max.wait.ms'       : '100',
                'key.deserializer'        : StringDeserializer.name,
                'value.deserializer'      : ByteArrayDeserializer.name] as Map<String, Object>)
        consumer.subscribe([TELEMETRY, EVENTS, DEAD_LETTERS])
    }

    /** Reads until the consumer has caught up with the end offsets seen at the call (at most {@code maxWaitMs}). */
    synchronized Reconciliation catchUp(long maxWaitMs = 30_000) {
        long deadline = System.currentTimeMillis() + maxWaitMs
        // make sure the assignment exists before asking for end offsets
        while (consumer.assignment().isEmpty() && System.currentTimeMillis() < deadline) {
            consume(consumer.poll(Duration.ofMillis(100)))
        }
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment())
        while (System.currentTimeMillis() < deadline) {
            boolean done = end.every { TopicPartition tp, Long offset -> consumer.position(tp) >= offset }
            if (done) {
                break
            }
            consume(consumer.poll(Duration.ofMillis(200)))
        }
        this
    }

    /** Polls once (for a live tail during a run). */
    synchronized int pollOnce(long ms) {
        def records = consumer.poll(Duration.ofMillis(ms))
        consume(records)
        records.count()
    }

    /**
     * Reads until every device has every expected seq (or {@code maxWaitMs} passed), then once more
     * to the end, so late duplicates are counted too.
     */
    Reconciliation awaitAll(Map<UUID, Collection<Long>> expected, long maxWaitMs) {
        long deadline = System.currentTimeMillis() + maxWaitMs
        while (System.currentTimeMillis() < deadline) {
            catchUp(Math.max(1_000L, Math.min(10_000L, deadline - System.currentTimeMillis())))
            if (expected.every { UUID d, Collection<Long> seqs -> tallies[d.toString()].lost(seqs).isEmpty() }) {
                break
            }
            Thread.sleep(200)
        }
        catchUp(10_000)
        this
    }

    /** Reads until the devices' dead letters reach {@code count} (or {@code maxWaitMs} passed). */
    Reconciliation awaitDeadLetters(Collection<UUID> ids, long count, long maxWaitMs) {
        long deadline = System.currentTimeMillis() + maxWaitMs
        while (System.currentTimeMillis() < deadline) {
            catchUp(Math.max(1_000L, Math.min(10_000L, deadline - System.currentTimeMillis())))
            if (ids.sum { UUID d -> tallies[d.toString()].deadLetterCount() } as long >= count) {
                break
            }
            Thread.sleep(200)
        }
        catchUp(5_000)
        this
    }

    Tally tally(UUID device) {
        tallies[device.toString()]
    }

    private void consume(Iterable<ConsumerRecord<String, byte[]>> records) {
        long now = System.currentTimeMillis()
        for (ConsumerRecord<String, byte[]> r : records) {
            String device = deviceOf(r)
            if (device == null) {
                continue
            }
            recordsRead++
            Tally t = tallies[device]
            String tenant = header(r, 'lc-tenant')
            if (tenant != null) {
                t.tenantsSeen << tenant
                t.tenant = tenant
            }
            if (r.topic() == DEAD_LETTERS) {
                String reason = header(r, 'lc-reason') ?: '(none)'
                t.deadLetterRecords++
                t.deadLetterRecordsByReason[reason] = (t.deadLetterRecordsByReason[reason] ?: 0L) + 1L
                if (!t.deadPayloads.add(reason + ':' + Arrays.hashCode(r.value()) + ':' + r.value().length)) {
                    continue
                }
                t.deadLetters[reason] = (t.deadLetters[reason] ?: 0L) + 1L
                Long deadSeq = seqOrNull(new String(r.value(), StandardCharsets.UTF_8))
                if (deadSeq != null) {
                    t.deadSeqs.computeIfAbsent(reason) { new TreeSet<Long>() } << deadSeq
                }
                continue
            }
            String anomaly = header(r, 'lc-anomaly')
            if (anomaly) {
                anomaly.split(',').each { String a ->
                    t.anomalies << a.trim()
                    t.anomalyCounts[a.trim()] = (t.anomalyCounts[a.trim()] ?: 0L) + 1L
                }
            }
            String json = new String(r.value(), StandardCharsets.UTF_8)
            String eventId = field(json, '"eventId":"', '"')
            long seq = Long.parseLong(field(json, '"seq":', ','))
            t.records++
            Long max = t.maxSeqByTopic[r.topic()]
            if (max != null && seq < max) {
                t.outOfOrder++
            } else {
                t.maxSeqByTopic[r.topic()] = seq
            }
            if (!t.eventIds.add(eventId)) {
                t.rawDuplicates++
                continue
            }
            t.seqs[seq] = (t.seqs[seq] ?: 0) + 1
            if (json.contains('"historical":true')) {
                t.historical++
            }
            String skew = header(r, 'lc-skew-ms')
            if (skew != null) {
                t.skewsMs << Long.parseLong(skew)
            }
            if (measureLatency) {
                String at = field(json, '"deviceTime":"', '"')
                t.latenciesMs << (now - java.time.Instant.parse(at).toEpochMilli())
            }
        }
    }

    /**
     * The record's device when it is one of ours: its key, else its {@code lc-device} header, else the
     * device segment of its MQTT topic ({@code lc-topic}; a dead letter of a topic the bridge could not
     * read is keyed by the topic).
     */
    private String deviceOf(ConsumerRecord<String, byte[]> r) {
        for (String candidate : [r.key(), header(r, 'lc-device')]) {
            if (candidate != null && devices.contains(candidate)) {
                return candidate
            }
        }
        String topic = header(r, 'lc-topic') ?: r.key()
        String[] parts = topic == null ? new String[0] : topic.split('/')
        parts.length > 3 && devices.contains(parts[3]) ? parts[3] : null
    }

    private static Long seqOrNull(String json) {
        try {
            return Long.parseLong(field(json, '"seq":', ','))
        } catch (RuntimeException ignored) {
            return null
        }
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        Header h = r.headers().lastHeader(name)
        h == null ? null : new String(h.value(), StandardCharsets.UTF_8)
    }

    /** The text between {@code start} and the next {@code end} (the envelopes are written by LeanDevice). */
    private static String field(String json, String start, String end) {
        int i = json.indexOf(start)
        if (i < 0) {
            throw new IllegalStateException("no ${start} in ${json.take(200)}")
        }
        i += start.length()
        int j = json.indexOf(end, i)
        json.substring(i, j < 0 ? json.length() : j)
    }

    /** One line per fault: the figures the closing note quotes. */
    static String summary(String fault, Collection<Tally> tallies, Map<UUID, Collection<Long>> expected, String extra = '') {
        long valid = expected.values().sum { Collection<Long> c -> c.size() } as long ?: 0L
        long unique = tallies.sum { Tally t -> t.seqs.size() } as long ?: 0L
        long raw = tallies.sum { Tally t -> t.records } as long ?: 0L
        long lost = expected.collect { UUID d, Collection<Long> s -> tallies.find { it.device == d.toString() }.lost(s).size() }.sum() as long ?: 0L
        long dups = tallies.sum { Tally t -> t.duplicatesAfterDedup() } as long ?: 0L
        long ooo = tallies.sum { Tally t -> t.outOfOrder } as long ?: 0L
        Map<String, Long> dead = new TreeMap<>()
        tallies.each { Tally t -> t.deadLetters.each { String k, Long v -> dead[k] = (dead[k] ?: 0L) + v } }
        long deadRecords = tallies.sum { Tally t -> t.deadLetterRecords } as long ?: 0L
        String.format('fault %-28s devices %3d  valid %6d  in Kafka %6d unique (%6d records, %5d redelivered)  lost %d  duplicates after de-dup %d  out of order %d  dead letters %s (%d records)%s',
                fault, tallies.size(), valid, unique, raw, raw - unique, lost, dups, ooo, dead.isEmpty() ? '0' : dead.toString(), deadRecords,
                extra ? '  ' + extra : '')
    }

    @Override
    void close() {
        consumer.close(Duration.ofSeconds(2))
    }
}

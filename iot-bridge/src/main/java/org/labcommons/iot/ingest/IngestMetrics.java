package org.labcommons.iot.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bridge's meters, in /prometheus (shared by every bridge of the process):
 * <ul>
 *   <li>{@code labcommons_iot_messages_total{channel}}: messages acknowledged to the broker after Kafka took
 *       their record (valid ones and dead letters; {@code channel} is {@code unknown} for a foreign topic);</li>
 *   <li>{@code labcommons_iot_deadletter_total{reason}}: of those, dead letters, per {@link DeadLetterReason};</li>
 *   <li>{@code labcommons_iot_anomalies_total{kind}}: {@code duplicate}, {@code gap}, {@code clock_skew};</li>
 *   <li>{@code labcommons_iot_gap_missing_total}: sequence numbers a gap skipped;</li>
 *   <li>{@code labcommons_iot_inflight}: messages received and not yet acknowledged;</li>
 *   <li>{@code labcommons_iot_kafka_ack_seconds}: from receipt to Kafka's acknowledgement;</li>
 *   <li>{@code labcommons_iot_retries_total{cause}}: a step tried again ({@code kafka}, {@code directory}).</li>
 * </ul>
 */
@Singleton
public class IngestMetrics {
    private final MeterRegistry registry;
    private final AtomicLong inFlight = new AtomicLong();
    private final Map<String, Counter> messages = new ConcurrentHashMap<>();
    private final Map<String, Counter> deadLetters = new ConcurrentHashMap<>();
    private final Map<String, Counter> anomalies = new ConcurrentHashMap<>();
    private final Map<String, Counter> retries = new ConcurrentHashMap<>();
    private final Counter gapMissing;
    private final Timer ackLatency;

    public IngestMetrics(@Nullable MeterRegistry registry) {
        this.registry = registry != null ? registry : new SimpleMeterRegistry();
        Gauge.builder("labcommons.iot.inflight", inFlight, AtomicLong::get)
                .description("MQTT messages received and not yet acknowledged").register(this.registry);
        this.ackLatency = Timer.builder("labcommons.iot.kafka.ack")
                .description("from receipt of an MQTT message to Kafka's acknowledgement of its record")
                .register(this.registry);
        this.gapMissing = Counter.builder("labcommons.iot.gap.missing")
                .description("sequence numbers skipped by gaps").register(this.registry);
        for (DeadLetterReason r : DeadLetterReason.values()) {
            deadLetter(r.id());
        }
        for (String kind : new String[] {"duplicate", "gap", "clock_skew"}) {
            anomalies.computeIfAbsent(kind, this::anomalyCounter);
        }
    }

    public MeterRegistry registry() {
        return registry;
    }

    void received() {
        inFlight.incrementAndGet();
    }

    /** A message left the bridge without acknowledgement (the bridge stopped): it comes again. */
    void abandoned() {
        inFlight.decrementAndGet();
    }

    void acknowledged(String channel, String reason, long receivedNanos) {
        inFlight.decrementAndGet();
        messages.computeIfAbsent(channel, c -> Counter.builder("labcommons.iot.messages").tag("channel", c)
                .description("MQTT messages acknowledged after Kafka took their record").register(registry)).increment();
        if (reason != null) {
            deadLetter(reason).increment();
        }
        ackLatency.record(System.nanoTime() - receivedNanos, TimeUnit.NANOSECONDS);
    }

    void anomaly(String kind) {
        anomalies.computeIfAbsent(kind, this::anomalyCounter).increment();
    }

    void gap(long missing) {
        anomaly("gap");
        gapMissing.increment(missing);
    }

    void retry(String cause) {
        retries.computeIfAbsent(cause, c -> Counter.builder("labcommons.iot.retries").tag("cause", c)
                .description("bridge steps tried again (Kafka or the device directory unavailable)").register(registry))
                .increment();
    }

    public long inFlight() {
        return inFlight.get();
    }

    private Counter deadLetter(String reason) {
        return deadLetters.computeIfAbsent(reason, r -> Counter.builder("labcommons.iot.deadletter").tag("reason", r)
                .description("MQTT messages sent to iot.deadletter.v1").register(registry));
    }

    private Counter anomalyCounter(String kind) {
        return Counter.builder("labcommons.iot.anomalies").tag("kind", kind)
                .description("anomalies seen in device messages").register(registry);
    }
}

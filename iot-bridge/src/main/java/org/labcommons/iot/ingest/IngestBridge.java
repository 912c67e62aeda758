package org.labcommons.iot.ingest;

import com.hivemq.client.mqtt.MqttClientState;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.micronaut.json.JsonMapper;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.labcommons.iot.MqttSettings;
import org.labcommons.iot.devices.DeviceDirectory;
import org.labcommons.iot.protocol.EnvelopeReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One bridge: MQTT (a {@link BridgeConnection}) to Kafka (a {@link KafkaSink}), losing nothing.
 * <p>
 * Every message is routed by its topic's device to one of {@code lanes} single-threaded workers (a device's
 * messages stay in order), inspected ({@link MessageInspector}) and produced to Kafka; the MQTT PUBACK is sent
 * only from the Kafka callback after the record was acknowledged ({@code acks=all}). A failed send, or a device
 * lookup while the database is down, is tried again with backoff up to {@code max-backoff}, for as long as it
 * takes, and the message stays un-acknowledged meanwhile. The broker sends at most {@code receive-maximum}
 * un-acknowledged messages, so while Kafka is down the bridge holds at most that many and the rest wait in the
 * broker (in the session): memory stays bounded, and everything flows again when Kafka is back. If the bridge
 * dies, what it had not acknowledged is delivered again (to its next session with the same client id, or to
 * another bridge of the share group): at least once, never lost.
 * <p>
 * Programmatic use (tests, benchmarks, a child JVM: {@link BridgeMain}): {@link IngestService#newBridge(String)},
 * then {@link #start()}, {@link #stop()} (graceful: what Kafka took is acknowledged, the rest comes again) and
 * {@link #kill()} (abrupt: nothing more is acknowledged, as if the process died).
 */
public final class IngestBridge implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IngestBridge.class);

    /** Where a test can make the bridge die ({@link FaultHook}). */
    public enum Phase {
        /** a message was received, before it is inspected */
        RECEIVED,
        /** its record is about to be sent to Kafka */
        BEFORE_SEND,
        /** Kafka acknowledged its record, before the PUBACK */
        KAFKA_ACKED
    }

    /** A test hook called at each {@link Phase} with the message's MQTT topic; throw {@link Killed} to die there. */
    @FunctionalInterface
    public interface FaultHook {
        void at(Phase phase, String mqttTopic);
    }

    /** Thrown by a {@link FaultHook}: the bridge stops at once, as if its process were killed. */
    public static final class Killed extends RuntimeException {
        public Killed(String message) {
            super(message, null, false, false);
        }
    }

    private record Lane(ExecutorService executor, DeviceTracker tracker) {
    }

    /** One message in hand: settled exactly once, by its PUBACK or by being left to the broker. */
    private final class Inbound {
        final Mqtt5Publish publish;
        final String topic;
        final Instant receivedAt;
        final long receivedNanos;
        final Lane lane;
        final java.util.concurrent.atomic.AtomicBoolean settled = new java.util.concurrent.atomic.AtomicBoolean();

        Inbound(Mqtt5Publish publish, String topic, Instant receivedAt, long receivedNanos, Lane lane) {
            this.publish = publish;
            this.topic = topic;
            this.receivedAt = receivedAt;
            this.receivedNanos = receivedNanos;
            this.lane = lane;
        }

        void acknowledge(MessageInspector.Verdict verdict) {
            if (settled.compareAndSet(false, true)) {
                outstanding.remove(this);
                publish.acknowledge();
                inFlight.decrementAndGet();
                acknowledged.incrementAndGet();
                metrics.acknowledged(verdict.channel(), verdict.reason(), receivedNanos);
            }
        }

        /** Not acknowledged by this bridge: the broker delivers it again. */
        void abandon() {
            if (settled.compareAndSet(false, true)) {
                outstanding.remove(this);
                inFlight.decrementAndGet();
                metrics.abandoned();
            }
        }
    }

    private final String clientId;
    private final IngestSettings settings;
    private final MqttSettings mqtt;
    private final String bootstrap;
    private final IngestMetrics metrics;
    private final ActivityRecorder activity;
    private final MessageInspector inspector;
    private final Clock clock;
    private final AtomicLong inFlight = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final java.util.Set<Inbound> outstanding = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile FaultHook faultHook = (phase, topic) -> { };
    private volatile boolean running;
    private volatile boolean acking;
    private volatile boolean accepting;
    private List<Lane> lanes = List.of();
    private ScheduledExecutorService scheduler;
    private KafkaSink sink;
    private List<BridgeConnection> connections = List.of();

    IngestBridge(String clientId, IngestSettings settings, MqttSettings mqtt, String bootstrap, DeviceDirectory directory,
                 EnvelopeReader reader, IngestMetrics metrics, JsonMapper json, Clock clock) {
        this.clientId = clientId;
        this.settings = settings;
        this.mqtt = mqtt;
        this.bootstrap = bootstrap;
        this.metrics = metrics;
        this.clock = clock;
        this.activity = new ActivityRecorder(directory);
        this.inspector = new MessageInspector(settings, directory, reader, activity, metrics, json);
    }

    /**
     * Starts the bridge and waits up to {@code timeout} for Kafka topics and the first CONNACK; it keeps trying to
     * reach both after that (in the background).
     */
    public synchronized IngestBridge start(Duration timeout) {
        CompletableFuture<Void> started = startAsync();
        try {
            started.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.warn("bridge {} not connected after {}: {} (it keeps trying)", clientId, timeout, e.toString());
        }
        return this;
    }

    /** {@link #start(Duration)} with 30 s. */
    public IngestBridge start() {
        return start(Duration.ofSeconds(30));
    }

    /** Starts the bridge; completes once the topics exist and the first connection is up. */
    public synchronized CompletableFuture<Void> startAsync() {
        if (running) {
            return CompletableFuture.completedFuture(null);
        }
        running = true;
        acking = true;
        accepting = true;
        List<Lane> made = new ArrayList<>();
        for (int i = 0; i < settings.getLanes(); i++) {
            String name = "iot-ingest-" + clientId + "-" + i;
            made.add(new Lane(Executors.newSingleThreadExecutor(r -> daemon(r, name)),
                    new DeviceTracker(Math.max(1, settings.getMaxTrackedDevices() / settings.getLanes()),
                            settings.getDuplicateWindow(), settings.getSkewCorrect(), settings.getSkewAnomaly())));
        }
        lanes = List.copyOf(made);
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "iot-ingest-" + clientId + "-timer"));
        long interval = Math.max(100, settings.getActivityInterval().toMillis());
        scheduler.scheduleWithFixedDelay(this::flushQuietly, interval, interval, TimeUnit.MILLISECONDS);
        sink = new KafkaSink(bootstrap, settings, clientId);
        List<BridgeConnection> opened = new ArrayList<>();
        for (int i = 0; i < settings.getConnections(); i++) {
            opened.add(new BridgeConnection(mqtt, settings, i == 0 ? clientId : clientId + "-" + i, this::onPublish));
        }
        connections = List.copyOf(opened);
        CompletableFuture<Void> topics = new CompletableFuture<>();
        ensureTopics(topics, 200);
        LOG.info("bridge {} starting ({}, {} connection(s), {} lanes, receive maximum {})", clientId, settings.subscription(),
                settings.getConnections(), settings.getLanes(), settings.getReceiveMaximum());
        List<BridgeConnection> open = connections;
        return topics.thenCompose(ignored -> CompletableFuture.allOf(
                open.stream().map(BridgeConnection::open).toArray(CompletableFuture[]::new)));
    }

    /** The topics must exist (with the bridge's partitions) before the first record; tried until Kafka answers. */
    private void ensureTopics(CompletableFuture<Void> done, long backoff) {
        if (!running) {
            done.completeExceptionally(new IllegalStateException("bridge stopped"));
            return;
        }
        try {
            sink.ensureTopics();
            done.complete(null);
        } catch (Exception e) {
            LOG.warn("bridge {}: Kafka topics not ready ({}); retrying in {} ms", clientId, e.toString(), backoff);
            metrics.retry("kafka");
            scheduler.schedule(() -> ensureTopics(done, Math.min(backoff * 2, settings.getMaxBackoff().toMillis())),
                    backoff, TimeUnit.MILLISECONDS);
        }
    }

    /** On the MQTT client's thread: only routes the message to its device's lane. */
    private void onPublish(Mqtt5Publish publish) {
        long receivedNanos = System.nanoTime();
        Instant receivedAt = clock.instant();
        String topic = publish.getTopic().toString();
        List<Lane> current = lanes;
        Lane lane = current.get(Math.floorMod(deviceSegment(topic).hashCode(), current.size()));
        Inbound in = new Inbound(publish, topic, receivedAt, receivedNanos, lane);
        inFlight.incrementAndGet();
        metrics.received();
        outstanding.add(in);
        if (!accepting) {
            in.abandon();
            return;
        }
        execute(in, () -> process(in));
    }

    /** The {@code {device}} segment of {@code lc/v1/{tenant}/{device}/...}, or the whole topic. */
    static String deviceSegment(String topic) {
        int a = topic.indexOf('/', topic.indexOf('/', topic.indexOf('/') + 1) + 1);
        int b = a < 0 ? -1 : topic.indexOf('/', a + 1);
        return a < 0 || b < 0 ? topic : topic.substring(a + 1, b);
    }

    private void process(Inbound in) {
        long backoff = 100;
        MessageInspector.Verdict verdict;
        while (true) {
            if (!running) {
                in.abandon();
                return;
            }
            try {
                faultHook.at(Phase.RECEIVED, in.topic);
                verdict = inspector.inspect(in.topic, in.publish.getPayloadAsBytes(), in.receivedAt, in.lane.tracker());
                break;
            } catch (Killed killed) {
                dieFrom(killed);
                in.abandon();
                return;
            } catch (RuntimeException e) {
                metrics.retry("directory");
                LOG.warn("bridge {}: inspecting a message of {} failed ({}); retrying in {} ms", clientId, in.topic, e.toString(), backoff);
                sleep(backoff);
                backoff = Math.min(backoff * 2, settings.getMaxBackoff().toMillis());
            }
        }
        send(in, verdict, 0);
    }

    private void send(Inbound in, MessageInspector.Verdict verdict, int attempt) {
        if (!running) {
            in.abandon();
            return;
        }
        try {
            faultHook.at(Phase.BEFORE_SEND, in.topic);
            sink.send(verdict.record(), (metadata, error) -> {
                if (error != null) {
                    retry(in, verdict, attempt, error);
                    return;
                }
                try {
                    faultHook.at(Phase.KAFKA_ACKED, in.topic);
                } catch (Killed killed) {
                    dieFrom(killed);
                }
                if (acking) {
                    in.acknowledge(verdict);
                } else {
                    in.abandon();
                }
            });
        } catch (Killed killed) {
            dieFrom(killed);
            in.abandon();
        } catch (RuntimeException e) {
            retry(in, verdict, attempt, e);
        }
    }

    private void retry(Inbound in, MessageInspector.Verdict verdict, int attempt, Throwable error) {
        if (!running) {
            in.abandon();
            return;
        }
        long backoff = Math.min(100L << Math.min(attempt, 10), settings.getMaxBackoff().toMillis());
        metrics.retry("kafka");
        if (attempt % 10 == 0) {
            LOG.warn("bridge {}: Kafka did not take a record of {} ({}); retrying in {} ms", clientId, in.topic, error.toString(), backoff);
        }
        try {
            scheduler.schedule(() -> execute(in, () -> send(in, verdict, attempt + 1)), backoff, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            in.abandon();
        }
    }

    private void execute(Inbound in, Runnable task) {
        try {
            in.lane.executor().execute(task);
        } catch (RejectedExecutionException e) {
            in.abandon();
        }
    }

    private void dieFrom(Killed killed) {
        acking = false;
        accepting = false;
        LOG.warn("bridge {} killed by a fault hook: {}", clientId, killed.getMessage());
        Thread t = new Thread(this::kill, "iot-ingest-kill");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Stops gracefully: takes no more messages, waits up to 10 s for those in hand to be acknowledged after Kafka
     * took them, writes the device activity, then disconnects. The session stays with the broker; whatever was not
     * acknowledged is delivered again.
     */
    public void stop() {
        stop(Duration.ofSeconds(10));
    }

    public synchronized void stop(Duration drain) {
        if (!running) {
            return;
        }
        long deadline = System.nanoTime() + drain.toNanos();
        // new arrivals are left to the broker; the lanes finish what they hold, and Kafka's callbacks acknowledge it
        accepting = false;
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            sleep(20);
        }
        running = false;
        shutdown(Duration.ofSeconds(5));
        flushQuietly();
        LOG.info("bridge {} stopped ({} acknowledged)", clientId, acknowledged.get());
    }

    /** Dies at once: nothing more is acknowledged (records Kafka already took come again: at least once). */
    public synchronized void kill() {
        if (!running) {
            return;
        }
        acking = false;
        accepting = false;
        running = false;
        shutdown(Duration.ZERO);
        LOG.warn("bridge {} killed", clientId);
    }

    private void shutdown(Duration producerTimeout) {
        connections.forEach(BridgeConnection::close);
        sink.close(producerTimeout);
        lanes.forEach(l -> l.executor().shutdownNow());
        scheduler.shutdownNow();
        List.copyOf(outstanding).forEach(Inbound::abandon);
    }

    @Override
    public void close() {
        stop();
    }

    private void flushQuietly() {
        try {
            activity.flush();
        } catch (RuntimeException e) {
            LOG.warn("bridge {}: device activity: {}", clientId, e.toString());
        }
    }

    /** Writes the coalesced device activity now (it is written every {@code activity-interval} anyway). */
    public int flushActivity() {
        return activity.flush();
    }

    /** For tests: where to die. */
    public void setFaultHook(FaultHook hook) {
        this.faultHook = hook == null ? (phase, topic) -> { } : hook;
    }

    public boolean isRunning() {
        return running;
    }

    public String clientId() {
        return clientId;
    }

    /**
     * The MQTT sessions' state: {@code CONNECTED} when every connection is, else the state of the first one that is
     * not ({@code DISCONNECTED} before start and after stop).
     */
    public MqttClientState state() {
        List<BridgeConnection> all = connections;
        if (all.isEmpty()) {
            return MqttClientState.DISCONNECTED;
        }
        return all.stream().map(BridgeConnection::state).filter(st -> st != MqttClientState.CONNECTED).findFirst()
                .orElse(MqttClientState.CONNECTED);
    }

    public String lastError() {
        return connections.stream().map(BridgeConnection::lastError).filter(java.util.Objects::nonNull).findFirst().orElse(null);
    }

    /** Messages received and not yet acknowledged (nor given up because the bridge stopped). */
    public long inFlight() {
        return inFlight.get();
    }

    /** Messages acknowledged to the broker since start. */
    public long acknowledgedCount() {
        return acknowledged.get();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

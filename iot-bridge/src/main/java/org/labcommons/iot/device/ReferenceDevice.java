package org.labcommons.iot.device;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.lifecycle.Mqtt5ClientReconnector;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5Connect;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import org.labcommons.iot.protocol.EnvelopeWriter;
import org.labcommons.iot.protocol.JsonTree;
import org.labcommons.iot.protocol.Signatures;
import org.labcommons.iot.protocol.Topic;
import org.labcommons.iot.protocol.Uuid7;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The LC-IC/1 reference device: the executable form of docs/iot-protocol.md, in the order a vendor
 * implements it. It connects with a config file and its own Ed25519 key (MQTT 5, persistent session,
 * client id = device id); sets a signed, retained last will and publishes the signed, retained birth
 * with the same seq; takes every seq from a state file that is written before the number is used;
 * signs events and state (telemetry when asked); appends what it cannot publish to an append-only
 * buffer and replays it, {@code historical: true} and in seq order, after the next birth; and answers
 * every {@code down/cmd} on {@code up/cmd/res}. Thread-safe; {@link Simulator} runs many of them.
 */
public final class ReferenceDevice implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReferenceDevice.class);

    /**
     * @param seqBlock      numbers reserved per state file write (1: written before every message)
     * @param forceBuffer   fsync every append to the offline buffer
     * @param signTelemetry sign {@code up/telemetry} too (optional in LC-IC/1)
     * @param firmware      what {@code state} reports
     * @param clockOffset   added to the device's clock (to simulate a device whose clock is off)
     * @param answerTimeout how long {@link #access} waits for the platform's answer
     */
    public record Options(int seqBlock, boolean forceBuffer, boolean signTelemetry, String firmware,
                          Duration clockOffset, Duration sessionExpiry, Duration answerTimeout) {
        public static Options defaults() {
            return new Options(1, true, false, "labcommons-reference-1", Duration.ZERO, Duration.ofDays(7),
                    Duration.ofSeconds(10));
        }

        public Options withSeqBlock(int block) {
            return new Options(block, forceBuffer, signTelemetry, firmware, clockOffset, sessionExpiry, answerTimeout);
        }

        public Options withForceBuffer(boolean force) {
            return new Options(seqBlock, force, signTelemetry, firmware, clockOffset, sessionExpiry, answerTimeout);
        }

        public Options withClockOffset(Duration offset) {
            return new Options(seqBlock, forceBuffer, signTelemetry, firmware, offset, sessionExpiry, answerTimeout);
        }

        /** How long {@link #access} waits for {@code down/auth/res} before deciding from the offline cache (10 s). */
        public Options withAnswerTimeout(Duration timeout) {
            return new Options(seqBlock, forceBuffer, signTelemetry, firmware, clockOffset, sessionExpiry, timeout);
        }
    }

    /** What the device did so far. */
    public static final class Counters {
        public final AtomicLong published = new AtomicLong();
        public final AtomicLong acknowledged = new AtomicLong();
        public final AtomicLong failed = new AtomicLong();
        public final AtomicLong buffered = new AtomicLong();
        public final AtomicLong replayed = new AtomicLong();
        public final AtomicLong commands = new AtomicLong();
    }

    private final DeviceConfigFile config;
    private final Options options;
    private final PrivateKey key;
    private final byte[] publicKey;
    private final SequenceStore sequence;
    private final OfflineBuffer buffer;
    private final OfflineGrants grants;
    private final Mqtt5AsyncClient client;
    private final ExecutorService worker;
    private final Counters counters = new Counters();
    private final Object lock = new Object();
    private final Map<String, CompletableFuture<Map<String, Object>>> accessRequests = new ConcurrentHashMap<>();
    private final Set<String> answeredCommands = Collections.newSetFromMap(Collections.synchronizedMap(
            new LinkedHashMap<>(64, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > 1000;
                }
            }));
    private volatile boolean live;
    private volatile boolean closing;
    private volatile boolean relayOn;
    private volatile int telemetryIntervalS = 10;
    private volatile CompletableFuture<Void> liveFuture = new CompletableFuture<>();
    private long birthSeq;
    private boolean birthSent = true;
    private byte[] birth;
    private byte[] will;

    private ReferenceDevice(DeviceConfigFile config, Options options, PrivateKey key) {
        this.config = config;
        this.options = options;
        this.key = key;
        this.publicKey = Signatures.rawPublicKey(key);
        this.sequence = new SequenceStore(config.stateFile(), options.seqBlock());
        this.buffer = new OfflineBuffer(config.bufferFile(), options.forceBuffer());
        this.grants = new OfflineGrants(config.deviceId(), config.platformKey(), config.grantsFile());
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "lc-device-" + config.deviceId().toString().substring(0, 8));
            t.setDaemon(true);
            return t;
        });
        Mqtt5ClientBuilder builder = Mqtt5Client.builder()
                .identifier(config.clientId())
                .serverHost(config.brokerUrl().getHost())
                .serverPort(config.brokerUrl().getPort() > 0 ? config.brokerUrl().getPort()
                        : "ssl".equals(config.brokerUrl().getScheme()) ? 8883 : 1883)
                .addConnectedListener(context -> worker.execute(this::onConnected))
                .addDisconnectedListener(this::onDisconnected);
        if ("ssl".equals(config.brokerUrl().getScheme())) {
            builder = builder.sslWithDefaultConfig();
        }
        this.client = builder.buildAsync();
        // messages the persistent session kept while the device was away arrive before any subscribe call
        client.publishes(MqttGlobalPublishFilter.SUBSCRIBED, this::onDownlink, worker);
    }

    /** Opens a device from its config file; its private key is read, or made and stored beside the file. */
    public static ReferenceDevice open(Path configFile, Options options) {
        DeviceConfigFile config = DeviceConfigFile.read(configFile);
        DeviceConfigFile.Key key = config.privateKey();
        ReferenceDevice device = new ReferenceDevice(config, options, key.privateKey());
        if (key.created()) {
            LOG.info("device {}: new Ed25519 key in {}; register its public key: {}", config.deviceId(),
                    config.keyFile(), device.publicKeyText());
        }
        return device;
    }

    public UUID deviceId() {
        return config.deviceId();
    }

    public UUID tenantId() {
        return config.tenantId();
    }

    public UUID bootId() {
        return sequence.bootId();
    }

    /** The last seq used. */
    public long lastSeq() {
        return sequence.last();
    }

    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** The raw public key as base64url: what the platform registers. */
    public String publicKeyText() {
        return Signatures.base64url(publicKey);
    }

    public Counters counters() {
        return counters;
    }

    /** Connected, birth sent and the offline buffer drained: new messages go straight out. */
    public boolean isLive() {
        return live;
    }

    public long bufferedNow() {
        return buffer.size();
    }

    public boolean relayOn() {
        return relayOn;
    }

    public int telemetryIntervalS() {
        return telemetryIntervalS;
    }

    /** Starts connecting (reconnecting by itself until closed); answers once live or after {@code timeout}. */
    public boolean connect(Duration timeout) {
        closing = false;
        CompletableFuture<Void> ready = liveFuture;
        client.connect(nextConnect()).whenComplete((ack, error) -> {
            if (error != null) {
                LOG.debug("device {}: connect failed: {}", config.deviceId(), error.getMessage());
            }
        });
        try {
            ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            return live;
        }
    }

    /** A power sample on {@code up/telemetry}. */
    public CompletableFuture<Boolean> telemetry(double watts, double energyWh) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("watts", watts);
        body.put("energyWh", energyWh);
        body.put("relay", relayOn ? "on" : "off");
        body.put("intervalMs", telemetryIntervalS * 1000L);
        return send(Topic.TELEMETRY, "power.sample", body);
    }

    /** A usage event on {@code up/event}. */
    public CompletableFuture<Boolean> event(String type, Map<String, ?> body) {
        return send(Topic.EVENT, type, body);
    }

    /**
     * Asks for access on {@code up/auth/req}; completes with the {@code down/auth/res} answer (or
     * exceptionally after {@code timeout}).
     */
    public CompletableFuture<Map<String, Object>> requestAccess(String method, String credential, String purpose,
                                                                Duration timeout) {
        String requestId = UUID.randomUUID().toString();
        CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
        accessRequests.put(requestId, answer);
        send(Topic.AUTH_REQ, "auth.request", Map.of("requestId", requestId, "method", method,
                "credential", credential, "purpose", purpose));
        return answer.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((a, e) -> accessRequests.remove(requestId));
    }

    /** The offline grant cache (what {@link #access} falls back to). */
    public OfflineGrants grants() {
        return grants;
    }

    /**
     * An access request as a controller makes it (LC-IC/1 §9): {@code up/auth/req}, and when no {@code down/auth/res}
     * comes within {@code answerTimeout} the decision from the offline cache (its entries, else its fail mode). An allow
     * for use, online or offline, switches the relay on ({@code relay.state}, cause {@code local}) and starts a session
     * ({@code session.start}); offline, a refused card is a {@code card.swipe}, all signed (replayed {@code historical:
     * true} while offline), and the answer map has {@code offline: true}.
     */
    public CompletableFuture<Map<String, Object>> access(String method, String credential, String purpose) {
        return requestAccess(method, credential, purpose, options.answerTimeout())
                .handle((answer, error) -> answer != null ? allowedOnline(answer, method, credential, purpose)
                        : decideOffline(method, credential, purpose));
    }

    /** The platform's answer; an allow for {@code use} switches the power on and starts its session (§9). */
    private Map<String, Object> allowedOnline(Map<String, Object> answer, String method, String credential, String purpose) {
        if ("allow".equals(answer.get("decision")) && "use".equals(purpose)) {
            switchOn(String.valueOf(answer.getOrDefault("sessionId", UUID.randomUUID())), method, credential);
        }
        return answer;
    }

    private void switchOn(String sessionId, String method, String credential) {
        relayOn = true;
        event("relay.state", Map.of("on", true, "cause", "local"));
        event("session.start", Map.of("sessionId", sessionId, "card".equals(method) ? "cardId" : "user", credential));
    }

    private Map<String, Object> decideOffline(String method, String credential, String purpose) {
        OfflineGrants.Decision d = grants.decide(credential, now());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("decision", d.decision());
        answer.put("reason", d.reason());
        answer.put("offline", true);
        if (d.until() != null) {
            answer.put("until", d.until().toString());
        }
        if (d.allowed() && "use".equals(purpose)) {
            String sessionId = UUID.randomUUID().toString();
            answer.put("sessionId", sessionId);
            switchOn(sessionId, method, credential);
        } else if (!d.allowed() && "card".equals(method)) {
            event("card.swipe", Map.of("cardId", credential));
        }
        LOG.info("device {}: no answer in {}; offline decision {} ({})", config.deviceId(), options.answerTimeout(),
                d.decision(), d.reason());
        return answer;
    }

    /**
     * Sends one uplink message: takes the next seq (persisted first), writes and signs the envelope,
     * publishes it when live, else appends it to the offline buffer. Completes true once the broker
     * acknowledged it, false when it was buffered or refused.
     */
    public CompletableFuture<Boolean> send(String channel, String type, Map<String, ?> body) {
        return send(channel, type, body, null);
    }

    /** A message recorded at {@code observedAt} and sent only now, {@code historical: true} (an offline device's replay, §12). */
    public CompletableFuture<Boolean> sendRecorded(String channel, String type, Map<String, ?> body, Instant observedAt) {
        return send(channel, type, body, observedAt);
    }

    private CompletableFuture<Boolean> send(String channel, String type, Map<String, ?> body, Instant recordedAt) {
        synchronized (lock) {
            long seq = sequence.next();
            boolean sign = !Topic.TELEMETRY.equals(channel) || options.signTelemetry();
            byte[] payload = EnvelopeWriter.write(Uuid7.next(), sequence.bootId(), seq, recordedAt == null ? now() : recordedAt,
                    recordedAt != null, type, body, sign ? key : null);
            if (!live) {
                buffer.append(channel, payload);
                counters.buffered.incrementAndGet();
                return CompletableFuture.completedFuture(false);
            }
            return publish(channel, payload, recordedAt == null && Topic.STATE.equals(channel), true);
        }
    }

    private Instant now() {
        return Instant.now().plus(options.clockOffset());
    }

    private CompletableFuture<Boolean> publish(String channel, byte[] payload, boolean retain, boolean bufferOnLoss) {
        counters.published.incrementAndGet();
        return client.publishWith()
                .topic(Topic.up(config.tenantId(), config.deviceId(), channel).toString())
                .qos(MqttQos.AT_LEAST_ONCE)
                .retain(retain)
                .payload(payload)
                .send()
                .handle((result, error) -> acknowledged(channel, payload, result, error, bufferOnLoss));
    }

    private boolean acknowledged(String channel, byte[] payload, Mqtt5PublishResult result, Throwable error,
                                 boolean bufferOnLoss) {
        if (error == null && result.getError().isEmpty() && !refused(result)) {
            counters.acknowledged.incrementAndGet();
            return true;
        }
        counters.failed.incrementAndGet();
        if (error != null || result.getError().isPresent()) {
            // not delivered (connection or session lost): keep it for the replay
            if (bufferOnLoss) {
                buffer.append(channel, payload);
                counters.buffered.incrementAndGet();
            }
        } else {
            LOG.warn("device {}: the broker refused a message on up/{}: {}", config.deviceId(), channel,
                    ((Mqtt5PublishResult.Mqtt5Qos1Result) result).getPubAck().getReasonCode());
        }
        return false;
    }

    private static boolean refused(Mqtt5PublishResult result) {
        return result instanceof Mqtt5PublishResult.Mqtt5Qos1Result qos1 && qos1.getPubAck().getReasonCode().isError();
    }

    /** The CONNECT of the next attempt: its will repeats the seq of the birth that follows it (section 6). */
    private Mqtt5Connect nextConnect() {
        synchronized (lock) {
            if (birthSent) {
                birthSeq = sequence.next();
                birthSent = false;
                Instant at = now();
                Map<String, Object> willBody = new LinkedHashMap<>();
                willBody.put("online", false);
                willBody.put("cause", "will");
                willBody.put("firmware", options.firmware());
                will = EnvelopeWriter.write(Uuid7.next(), sequence.bootId(), birthSeq, at, false, "state", willBody, key);
                Map<String, Object> online = new LinkedHashMap<>();
                online.put("online", true);
                online.put("cause", "connect");
                online.put("firmware", options.firmware());
                online.put("relay", relayOn ? "on" : "off");
                online.put("buffered", buffer.size());
                birth = EnvelopeWriter.write(Uuid7.next(), sequence.bootId(), birthSeq, at, false, "state", online, key);
            }
            return Mqtt5Connect.builder()
                    .cleanStart(false)
                    .sessionExpiryInterval(options.sessionExpiry().toSeconds())
                    .keepAlive(30)
                    .simpleAuth().username(config.username())
                    .password(config.password().getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                    .willPublish().topic(Topic.up(config.tenantId(), config.deviceId(), Topic.STATE).toString())
                    .qos(MqttQos.AT_LEAST_ONCE).retain(true).payload(will).applyWillPublish()
                    .build();
        }
    }

    private void onDisconnected(MqttClientDisconnectedContext context) {
        live = false;
        if (liveFuture.isDone()) {
            liveFuture = new CompletableFuture<>();
        }
        if (closing || context.getSource() == MqttDisconnectSource.USER) {
            return;
        }
        Mqtt5ClientReconnector reconnector = (Mqtt5ClientReconnector) context.getReconnector();
        reconnector.reconnect(true).delay(1, TimeUnit.SECONDS).connect(nextConnect());
    }

    /** After CONNACK: subscribe, publish the birth, replay the buffer, then go live. */
    private void onConnected() {
        try {
            client.subscribeWith().topicFilter(Topic.downlinkFilter(config.tenantId(), config.deviceId()))
                    .qos(MqttQos.AT_LEAST_ONCE).send().get(10, TimeUnit.SECONDS);
            byte[] birthPayload;
            synchronized (lock) {
                birthPayload = birth;
            }
            if (!publish(Topic.STATE, birthPayload, true, false).get(10, TimeUnit.SECONDS)) {
                LOG.warn("device {}: birth not acknowledged", config.deviceId());
                return;
            }
            synchronized (lock) {
                birthSent = true;
                replay();
                live = true;
            }
            liveFuture.complete(null);
        } catch (Exception e) {
            LOG.warn("device {}: going live failed: {}", config.deviceId(), e.toString());
        }
    }

    /** Publishes the offline buffer in seq order, historical and signed again; empties it once all are acknowledged. */
    private void replay() throws Exception {
        List<OfflineBuffer.Entry> entries = buffer.readAll();
        if (entries.isEmpty()) {
            return;
        }
        List<CompletableFuture<Boolean>> acks = new ArrayList<>(entries.size());
        for (OfflineBuffer.Entry entry : entries) {
            // re-signed when it was signed: the signature covers "historical"
            acks.add(publish(entry.channel(), EnvelopeWriter.asHistorical(entry.payload(), key), false, false));
        }
        int acknowledged = 0;
        for (CompletableFuture<Boolean> ack : acks) {
            if (!ack.get(60, TimeUnit.SECONDS)) {
                break;
            }
            acknowledged++;
        }
        counters.replayed.addAndGet(acknowledged);
        buffer.clear(acknowledged);
        if (acknowledged < entries.size()) {
            throw new IllegalStateException((entries.size() - acknowledged) + " buffered messages not acknowledged");
        }
    }

    private void onDownlink(Mqtt5Publish publish) {
        Topic topic = Topic.parse(publish.getTopic().toString()).orElse(null);
        if (topic == null || !topic.deviceId().equals(config.deviceId()) || topic.isUp()) {
            return;
        }
        Map<String, Object> message;
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) JsonTree.parse(publish.getPayloadAsBytes());
            message = m;
        } catch (RuntimeException e) {
            LOG.warn("device {}: unreadable {}: {}", config.deviceId(), topic, e.getMessage());
            return;
        }
        if (Topic.AUTH_RES.equals(topic.channel())) {
            CompletableFuture<Map<String, Object>> waiting = accessRequests.remove(String.valueOf(message.get("requestId")));
            if (waiting != null) {
                waiting.complete(message);
            }
        } else {
            command(message);
        }
    }

    /** Acts on a {@code down/cmd} and answers it on {@code up/cmd/res} (section 8). */
    private void command(Map<String, Object> cmd) {
        counters.commands.incrementAndGet();
        String cmdId = cmd.get("cmdId") instanceof String s ? s : null;
        if (cmdId == null) {
            LOG.warn("device {}: a command without cmdId", config.deviceId());
            return;
        }
        Map<?, ?> body = cmd.get("body") instanceof Map<?, ?> b ? b : Map.of();
        String type = String.valueOf(cmd.get("type"));
        String[] outcome;
        if (!answeredCommands.add(cmdId)) {
            outcome = new String[]{"ok", "already done"};
        } else if (cmd.get("expiresAt") instanceof String exp && Instant.parse(exp).isBefore(now())) {
            outcome = new String[]{"expired", "received after " + exp};
        } else {
            outcome = act(type, body, cmdId);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("cmdId", cmdId);
        result.put("status", outcome[0]);
        if (outcome[1] != null) {
            result.put("detail", outcome[1]);
        }
        send(Topic.CMD_RES, "cmd.result", result);
    }

    private String[] act(String type, Map<?, ?> body, String cmdId) {
        boolean hasRelay = config.kind().equalsIgnoreCase("power_interlock") || config.kind().equalsIgnoreCase("door_controller");
        switch (type) {
            case "lock", "unlock" -> {
                if (!hasRelay) {
                    return new String[]{"unsupported", config.kind() + " has no relay"};
                }
                relayOn = "unlock".equals(type);
                event("relay.state", Map.of("on", relayOn, "cause", "command", "cmdId", cmdId));
                return new String[]{"ok", null};
            }
            case "warn" -> {
                if (!(body.get("message") instanceof String message) || message.isEmpty()) {
                    return new String[]{"rejected", "warn needs a message"};
                }
                LOG.info("device {} shows: {}", config.deviceId(), message);
                return new String[]{"ok", null};
            }
            case "config" -> {
                if (body.get("telemetryIntervalS") instanceof Number n && n.longValue() >= 1 && n.longValue() <= 86_400) {
                    telemetryIntervalS = n.intValue();
                    return new String[]{"ok", null};
                }
                return new String[]{body.isEmpty() ? "rejected" : "ok", body.isEmpty() ? "nothing to configure" : "kept"};
            }
            case "grants" -> {
                return grants.accept(body);
            }
            case "time" -> {
                if (!(body.get("serverTime") instanceof String t)) {
                    return new String[]{"rejected", "time needs serverTime"};
                }
                Duration skew = Duration.between(now(), Instant.parse(t));
                return new String[]{"ok", "clock off by " + skew.toMillis() + " ms"};
            }
            default -> {
                return new String[]{"unsupported", "unknown command " + type};
            }
        }
    }

    /**
     * A clean shutdown: the {@code state} "shutdown" (a new seq) and a normal DISCONNECT, so the broker
     * does not publish the will.
     */
    public void disconnect() {
        closing = true;
        try {
            if (live) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("online", false);
                body.put("cause", "shutdown");
                body.put("firmware", options.firmware());
                send(Topic.STATE, "state", body).get(5, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            LOG.debug("device {}: shutdown state: {}", config.deviceId(), e.toString());
        }
        live = false;
        if (client.getState().isConnectedOrReconnect()) {
            try {
                client.disconnect().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.debug("device {}: disconnect: {}", config.deviceId(), e.toString());
            }
        }
    }

    @Override
    public void close() {
        disconnect();
        worker.shutdownNow();
        synchronized (lock) {
            sequence.release();
        }
    }
}

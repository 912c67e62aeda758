package org.labcommons.iot.interlock;

import com.hivemq.client.mqtt.MqttClientState;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.labcommons.core.events.KernelTopics;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.iot.MqttSettings;
import org.labcommons.iot.access.DeviceAccess;
import org.labcommons.iot.devices.Device;
import org.labcommons.iot.devices.DeviceCredential;
import org.labcommons.iot.devices.DeviceDirectory;
import org.labcommons.iot.devices.DeviceRegistry;
import org.labcommons.iot.ingest.IngestSettings;
import org.labcommons.iot.protocol.CanonicalJson;
import org.labcommons.iot.protocol.EnvelopeReader;
import org.labcommons.iot.protocol.Signatures;
import org.labcommons.iot.protocol.Topic;
import org.labcommons.iot.protocol.Uuid7;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Answers access requests ({@code up/auth/req}, docs/iot-protocol.md §9) from the {@link GrantView}: its own MQTT
 * connections (the bridge's service account; client ids {@code <ingest client id>-interlock-<n>}, clean sessions:
 * a request not answered within seconds is of no use later) in the shared subscription
 * {@value #SUBSCRIPTION}, so several bridge processes share the requests. For each request: the topic's device
 * (tenant, instrument, public key) from the device directory, kept in memory and refreshed every
 * {@code device-refresh}; when the database cannot be reached the last known values stay in use, so decisions
 * go on while PostgreSQL is down. The envelope is checked with {@link EnvelopeReader} and its signature, when
 * present, with the device's key; a request that fails (or of an unknown, revoked or other tenant's device) is not
 * answered (the ingest dead-letters it). {@link AccessDecider} decides; the answer goes to
 * {@code lc/v1/{tenant}/{device}/down/auth/res} (QoS 1) with a fresh {@code sessionId} (UUIDv7) on allow, and the
 * decision to {@code access.decisions.v1} (key device id, JSON of the issue 16 contract).
 */
@Singleton
@RequiresRole(PlatformRole.IOT)
public class InterlockResponder {
    public static final String SUBSCRIPTION = "$share/" + DeviceAccess.INTERLOCK_GROUP + "/lc/v1/+/+/up/auth/req";
    private static final Logger LOG = LoggerFactory.getLogger(InterlockResponder.class);

    private record KnownDevice(UUID tenantId, UUID instrumentId, byte[] publicKey, boolean revoked, long fetchedNanos) {
    }

    private final ResponderSettings settings;
    private final IngestSettings ingest;
    private final MqttSettings mqtt;
    private final String bootstrap;
    private final GrantView view;
    private final DeviceDirectory directory;
    private final DeviceRegistry registry;
    private final EnvelopeReader reader = new EnvelopeReader();
    private final Clock clock = Clock.systemUTC();
    private final Map<UUID, KnownDevice> devices = new ConcurrentHashMap<>();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong unanswered = new AtomicLong();
    private final AtomicLong staleDevices = new AtomicLong();
    private List<Mqtt5AsyncClient> clients = List.of();
    private ExecutorService workers;
    private KafkaProducer<String, byte[]> producer;
    private volatile boolean running;

    public InterlockResponder(ResponderSettings settings, IngestSettings ingest, MqttSettings mqtt,
                              @Value("${labcommons.kafka.bootstrap}") String bootstrap, GrantView view,
                              DeviceDirectory directory, DeviceRegistry registry) {
        this.settings = settings;
        this.ingest = ingest;
        this.mqtt = mqtt;
        this.bootstrap = bootstrap;
        this.view = view;
        this.directory = directory;
        this.registry = registry;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        if (settings.isEnabled()) {
            start();
        }
    }

    /** Opens the connections (idempotent); they keep reconnecting. */
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        view.start();
        workers = Executors.newFixedThreadPool(settings.getWorkers(), r -> {
            Thread t = new Thread(r, "interlock-responder");
            t.setDaemon(true);
            return t;
        });
        producer = new KafkaProducer<>(producerConfig());
        Thread topics = new Thread(this::ensureDecisionTopic, "interlock-topics");
        topics.setDaemon(true);
        topics.start();
        List<Mqtt5AsyncClient> made = new ArrayList<>();
        for (int i = 0; i < settings.getConnections(); i++) {
            Mqtt5AsyncClient c = client(ingest.effectiveClientId() + "-interlock-" + i);
            made.add(c);
            c.connectWith().cleanStart(true).keepAlive(30).send().whenComplete((ack, error) -> {
                if (error != null) {
                    LOG.warn("interlock responder could not connect (it keeps trying): {}", error.getMessage());
                }
            });
        }
        clients = List.copyOf(made);
        LOG.info("interlock responder starting ({}, {} connection(s))", SUBSCRIPTION, settings.getConnections());
    }

    private Mqtt5AsyncClient client(String clientId) {
        URI uri = mqtt.uri();
        Mqtt5AsyncClient[] self = new Mqtt5AsyncClient[1];
        Mqtt5ClientBuilder builder = Mqtt5Client.builder()
                .identifier(clientId)
                .serverHost(uri.getHost())
                .serverPort(uri.getPort() > 0 ? uri.getPort() : ("ssl".equals(uri.getScheme()) ? 8883 : 1883))
                .automaticReconnect().initialDelay(200, TimeUnit.MILLISECONDS).maxDelay(5, TimeUnit.SECONDS)
                .applyAutomaticReconnect()
                .addConnectedListener(context -> self[0].subscribeWith().topicFilter(SUBSCRIPTION)
                        .qos(MqttQos.AT_LEAST_ONCE).send().whenComplete((ack, error) -> {
                            if (error != null) {
                                LOG.warn("interlock {} could not subscribe: {}", clientId, error.getMessage());
                            }
                        }))
                .simpleAuth().username(mqtt.getUser()).password(mqtt.getPassword().getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth();
        if ("ssl".equals(uri.getScheme())) {
            builder = builder.sslWithDefaultConfig();
        }
        Mqtt5AsyncClient c = builder.buildAsync();
        self[0] = c;
        c.publishes(MqttGlobalPublishFilter.ALL, this::onPublish);
        return c;
    }

    @PreDestroy
    public synchronized void stop() {
        running = false;
        for (Mqtt5AsyncClient c : clients) {
            if (c.getState().isConnectedOrReconnect()) {
                try {
                    c.disconnect().get(5, TimeUnit.SECONDS);
                } catch (Exception e) {
                    LOG.debug("interlock disconnect: {}", e.getMessage());
                }
            }
        }
        clients = List.of();
        if (workers != null) {
            workers.shutdown();
        }
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(5));
            producer = null;
        }
    }

    /** True when every connection is connected. */
    public boolean connected() {
        List<Mqtt5AsyncClient> cs = clients;
        return !cs.isEmpty() && cs.stream().allMatch(c -> c.getState() == MqttClientState.CONNECTED);
    }

    /** Requests answered. */
    public long answered() {
        return answered.get();
    }

    /** Requests not answered (bad envelope or signature, unknown device, no device data at all). */
    public long unanswered() {
        return unanswered.get();
    }

    private void onPublish(Mqtt5Publish publish) {
        try {
            workers.execute(() -> handle(publish.getTopic().toString(), publish.getPayloadAsBytes()));
        } catch (RejectedExecutionException e) {
            unanswered.incrementAndGet();
        }
    }

    private void handle(String mqttTopic, byte[] payload) {
        try {
            if (!respond(mqttTopic, payload)) {
                unanswered.incrementAndGet();
            }
        } catch (RuntimeException e) {
            unanswered.incrementAndGet();
            LOG.warn("interlock: request on {} not answered: {}", mqttTopic, e.toString());
        }
    }

    private boolean respond(String mqttTopic, byte[] payload) {
        Optional<Topic> parsed = Topic.parse(mqttTopic);
        if (parsed.isEmpty() || !Topic.AUTH_REQ.equals(parsed.get().channel()) || !Topic.UP.equals(parsed.get().direction())) {
            return false;
        }
        Topic topic = parsed.get();
        KnownDevice device = device(topic.deviceId());
        if (device == null || device.revoked() || !device.tenantId().equals(topic.tenantId())) {
            return false;
        }
        if (!(reader.read(Topic.AUTH_REQ, payload) instanceof EnvelopeReader.Ok ok)) {
            return false;
        }
        if (ok.envelope().sig() != null && !ok.envelope().sig().isEmpty() && !verifies(device, ok)) {
            return false;
        }
        if (!(ok.body() instanceof Map<?, ?> body)) {
            return false;
        }
        String requestId = String.valueOf(body.get("requestId"));
        String method = String.valueOf(body.get("method"));
        String purpose = String.valueOf(body.get("purpose"));
        Instant now = clock.instant();
        AccessDecider.Decision d = AccessDecider.decide(view,
                new AccessDecider.Request(device.tenantId(), device.instrumentId(), method, String.valueOf(body.get("credential"))), now);
        UUID sessionId = d.allow() ? Uuid7.next() : null;

        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("v", "LC-IC/1");
        answer.put("requestId", requestId);
        answer.put("issuedAt", now.toString());
        answer.put("decision", d.decision());
        if (!d.allow()) {
            answer.put("reason", d.reason());
        }
        if (sessionId != null) {
            answer.put("sessionId", sessionId.toString());
        }
        if (d.until() != null) {
            answer.put("until", d.until().toString());
        }
        answer.put("message", AccessDecider.message(d));
        String down = Topic.down(device.tenantId(), topic.deviceId(), Topic.AUTH_RES).toString();
        byte[] bytes = CanonicalJson.canonicalize(answer);
        List<Mqtt5AsyncClient> cs = clients;
        Mqtt5AsyncClient out = cs.get(Math.floorMod(topic.deviceId().hashCode(), cs.size()));
        out.publishWith().topic(down).qos(MqttQos.AT_LEAST_ONCE).payload(bytes).send();
        answered.incrementAndGet();

        Map<String, Object> log = new LinkedHashMap<>();
        log.put("tenantId", device.tenantId().toString());
        log.put("requestId", requestId);
        log.put("deviceId", topic.deviceId().toString());
        log.put("instrumentId", device.instrumentId() == null ? null : device.instrumentId().toString());
        log.put("method", method);
        log.put("purpose", purpose);
        log.put("userId", d.userId() == null ? null : d.userId().toString());
        log.put("decision", d.decision());
        log.put("reason", d.reason());
        log.put("bookingId", d.bookingId() == null ? null : d.bookingId().toString());
        log.put("sessionId", sessionId == null ? null : sessionId.toString());
        log.put("decidedAt", now.toString());
        log.put("viewVersion", d.viewVersion());
        producer.send(new ProducerRecord<>(KernelTopics.ACCESS_DECISIONS, topic.deviceId().toString(), CanonicalJson.canonicalize(log)),
                (meta, error) -> {
                    if (error != null) {
                        LOG.warn("interlock: decision {} not logged: {}", requestId, error.toString());
                    }
                });
        return true;
    }

    private static boolean verifies(KnownDevice device, EnvelopeReader.Ok ok) {
        if (device.publicKey() == null) {
            return false;
        }
        try {
            return Signatures.verify(device.publicKey(), ok.signedBytes(), Base64.getUrlDecoder().decode(ok.envelope().sig()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The device as last read; read again after {@code device-refresh}, the old values kept when that fails. */
    private KnownDevice device(UUID deviceId) {
        KnownDevice known = devices.get(deviceId);
        long now = System.nanoTime();
        if (known != null && now - known.fetchedNanos() < settings.getDeviceRefresh().toNanos()) {
            return known;
        }
        try {
            Optional<DeviceCredential> credential = directory.credential(deviceId);
            if (credential.isEmpty()) {
                devices.remove(deviceId);
                return null;
            }
            DeviceCredential c = credential.get();
            UUID instrument = c.revoked() ? null
                    : registry.find(new TenantId(c.tenantId()), deviceId).map(Device::instrumentId).orElse(null);
            KnownDevice fresh = new KnownDevice(c.tenantId(), instrument, c.publicKey(), c.revoked(), now);
            devices.put(deviceId, fresh);
            return fresh;
        } catch (RuntimeException e) {
            if (known != null) {
                staleDevices.incrementAndGet();
                LOG.debug("interlock: device {} not refreshed ({}); using what is known", deviceId, e.toString());
            } else {
                LOG.warn("interlock: device {} unknown here and the directory failed: {}", deviceId, e.toString());
            }
            return known;
        }
    }

    private Map<String, Object> producerConfig() {
        Map<String, Object> cfg = new HashMap<>();
        cfg.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        cfg.put(ProducerConfig.CLIENT_ID_CONFIG, ingest.effectiveClientId() + "-interlock");
        cfg.put(ProducerConfig.ACKS_CONFIG, "all");
        cfg.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // the log is not on the answer's path: larger batches, fewer produce requests for the broker
        cfg.put(ProducerConfig.LINGER_MS_CONFIG, 50);
        // Kafka away: decisions wait in the producer's buffer (up to 10 minutes) instead of holding up the answers
        cfg.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 600_000);
        cfg.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000);
        cfg.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        cfg.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return cfg;
    }

    private void ensureDecisionTopic() {
        long backoff = 200;
        while (running) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000))) {
                Set<String> names = admin.listTopics().names().get(10, TimeUnit.SECONDS);
                if (!names.contains(KernelTopics.ACCESS_DECISIONS)) {
                    admin.createTopics(List.of(new NewTopic(KernelTopics.ACCESS_DECISIONS, settings.getPartitions(),
                            settings.getReplicationFactor()))).all().get(10, TimeUnit.SECONDS);
                }
                return;
            } catch (Exception e) {
                if (e.getCause() instanceof TopicExistsException) {
                    return;
                }
                LOG.warn("interlock: cannot create {} ({}); retrying", KernelTopics.ACCESS_DECISIONS, e.toString());
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    return;
                }
                backoff = Math.min(backoff * 2, 5000);
            }
        }
    }
}

package org.labcommons.devstack.mqtt;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.auth.parameter.TopicPermission;
import com.hivemq.extension.sdk.api.packets.auth.DefaultAuthorizationBehaviour;
import com.hivemq.extension.sdk.api.packets.auth.ModifiableDefaultPermissions;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.packets.connect.ConnectPacket;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.session.ClientService;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import org.labcommons.devstack.FreePorts;
import org.labcommons.devstack.InfraService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * HiveMQ Community Edition embedded in this JVM, with an in-process extension that sends every
 * CONNECT to a {@link MqttAccessPolicy} and lets the broker enforce the topic filters the
 * policy grants (deny by default). The policy is asked on a pool of its own (it may make an HTTP
 * call), never on the broker's network threads. Every {@link #sweepInterval} the extension asks the
 * policy which clients must go ({@link MqttAccessPolicy#clientsToDisconnect}) and disconnects them.
 * The policy can be replaced at run time: dev mode and the test kit install an
 * {@link HttpMqttAccessPolicy} on the platform once its HTTP server is up, and
 * {@link #resetPolicy()} returns to the one the broker was made with. It can be stopped
 * ({@link #close()}) and started again on the same port (a broker restart, for fault tests).
 */
public final class EmbeddedMqttBroker implements InfraService {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMqttBroker.class);

    private final Path workDir;
    private final int requestedPort;
    private final boolean persistent;
    private final MqttAccessPolicy initialPolicy;
    private volatile MqttAccessPolicy policy;
    private final String serviceUser;
    private final String servicePassword;
    private final String brokerToken;
    private volatile Duration sweepInterval = DEFAULT_SWEEP_INTERVAL;
    private EmbeddedHiveMQ hivemq;
    private ExecutorService decisions;
    private ScheduledExecutorService sweeper;
    private int port;

    /**
     * Messages HiveMQ CE queues for one client, and for one shared subscription (the bridge's share group: everything
     * the devices publish while the bridge is away or behind). Beyond it the broker drops new messages for that queue
     * although it acknowledged them to the devices (CE's strategy "discard"; CE's own default size is 1,000), so it
     * bounds the backlog the ingestion survives without loss: here 1,000,000 messages (about 10 minutes at 1,500
     * msg/s; in-memory persistence holds them in the heap, about 0.5 KB each). {@link #droppedMessages()} counts drops.
     */
    public static final int MAX_QUEUE_SIZE = 1_000_000;

    /** How often connected clients are checked against the policy's revocations by default. */
    public static final Duration DEFAULT_SWEEP_INTERVAL = Duration.ofSeconds(15);
    /** Each sweep asks from this long before the previous one (revocations seen late are still seen). */
    static final Duration SWEEP_OVERLAP = Duration.ofSeconds(10);

    /**
     * @param workDir         configuration and data folder
     * @param port            fixed port, or 0 for a free one
     * @param persistent      keep sessions and queued messages on disk (dev) or in memory (tests)
     * @param policy          who may connect and what they may do
     * @param serviceUser     the platform's own account (handed to the application as properties)
     * @param servicePassword its password
     */
    public EmbeddedMqttBroker(Path workDir, int port, boolean persistent, MqttAccessPolicy policy,
                              String serviceUser, String servicePassword) {
        this(workDir, port, persistent, policy, serviceUser, servicePassword, null);
    }

    /**
     * @param brokerToken the secret a broker shows the platform's access decision
     *                    ({@code labcommons.iot.access.broker-token}, handed out with the properties), or null
     */
    public EmbeddedMqttBroker(Path workDir, int port, boolean persistent, MqttAccessPolicy policy,
                              String serviceUser, String servicePassword, String brokerToken) {
        this.workDir = workDir;
        this.requestedPort = port;
        this.persistent = persistent;
        this.initialPolicy = Objects.requireNonNull(policy);
        this.policy = initialPolicy;
        this.serviceUser = serviceUser;
        this.servicePassword = servicePassword;
        this.brokerToken = brokerToken;
    }

    @Override
    public String name() {
        return "mqtt";
    }

    /** Replaces the access policy for connections made and sweeps run from now on. */
    public void setPolicy(MqttAccessPolicy policy) {
        this.policy = Objects.requireNonNull(policy);
    }

    /** The access policy in force. */
    public MqttAccessPolicy policy() {
        return policy;
    }

    /** Returns to the policy the broker was made with (the stack's service account only). */
    public void resetPolicy() {
        this.policy = initialPolicy;
    }

    /** The secret the platform's access decision expects from a broker (null when none was given). */
    public String brokerToken() {
        return brokerToken;
    }

    /** How often revocations are swept (default {@link #DEFAULT_SWEEP_INTERVAL}); tests shorten it. */
    public void sweepInterval(Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("sweep interval must be positive: " + interval);
        }
        this.sweepInterval = interval;
    }

    public Duration sweepInterval() {
        return sweepInterval;
    }

    /**
     * Starts the broker. A start after {@link #close()} is a restart: the same port and the same
     * data folder, so with {@code persistent} sessions, subscriptions and queued QoS 1 messages
     * survive it and clients reconnect where they were.
     */
    @Override
    public synchronized void start() throws Exception {
        if (port == 0) {
            port = FreePorts.pick(requestedPort);
        }
        Path conf = Files.createDirectories(workDir.resolve("conf"));
        Path data = Files.createDirectories(workDir.resolve("data"));
        Path extensions = Files.createDirectories(workDir.resolve("extensions"));
        Files.writeString(conf.resolve("config.xml"), """
                <?xml version="1.0"?>
                <hivemq>
                    <listeners>
                        <tcp-listener>
                            <port>%d</port>
                            <bind-address>127.0.0.1</bind-address>
                        </tcp-listener>
                    </listeners>
                    <mqtt>
                        <queued-messages><max-queue-size>%d</max-queue-size></queued-messages>
                        <receive-maximum><server-receive-maximum>1000</server-receive-maximum></receive-maximum>
                    </mqtt>
                    <persistence><mode>%s</mode></persistence>
                    <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
                </hivemq>
                """.formatted(port, MAX_QUEUE_SIZE, persistent ? "file" : "in-memory"));
        EmbeddedExtension extension = EmbeddedExtension.builder()
                .withId("labcommons-access")
                .withName("LabCommons device access")
                .withVersion("1")
                .withPriority(1000)
                .withStartPriority(1000)
                .withExtensionMain(new AccessExtension())
                .build();
        AtomicInteger threads = new AtomicInteger();
        decisions = Executors.newFixedThreadPool(32, r -> {
            Thread t = new Thread(r, "mqtt-access-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        hivemq = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(conf)
                .withDataFolder(data)
                .withExtensionsFolder(extensions)
                .withEmbeddedExtension(extension)
                .withoutLoggingBootstrap()
                .build();
        hivemq.start().get(180, TimeUnit.SECONDS); // generous: a loaded 2-core machine has taken over 60 s
        LOG.info("MQTT broker (HiveMQ CE) ready on tcp://127.0.0.1:{}", port);
    }

    /**
     * HiveMQ CE's counters of dropped messages ({@code com.hivemq.messages.dropped.*}: queue full, QoS 0 memory,
     * ...) by name, non-zero ones only; empty when the broker is not running.
     */
    public Map<String, Long> droppedMessages() {
        Map<String, Long> dropped = new LinkedHashMap<>();
        EmbeddedHiveMQ running = hivemq;
        if (running != null) {
            running.getMetricRegistry().getCounters((name, metric) -> name.startsWith("com.hivemq.messages.dropped"))
                    .forEach((name, counter) -> {
                        if (counter.getCount() > 0) {
                            dropped.put(name, counter.getCount());
                        }
                    });
        }
        return dropped;
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    @Override
    public Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("labcommons.mqtt.url", url());
        p.put("labcommons.mqtt.user", serviceUser);
        p.put("labcommons.mqtt.password", servicePassword);
        if (brokerToken != null) {
            p.put("labcommons.iot.access.broker-token", brokerToken);
        }
        return p;
    }

    @Override
    public Map<String, String> endpoints() {
        return Map.of("mqtt", url());
    }

    @Override
    public synchronized void close() {
        if (sweeper != null) {
            sweeper.shutdownNow();
            sweeper = null;
        }
        if (decisions != null) {
            decisions.shutdownNow();
            decisions = null;
        }
        if (hivemq != null) {
            try {
                hivemq.stop().get(30, TimeUnit.SECONDS);
                hivemq.close();
            } catch (Exception e) {
                LOG.warn("MQTT broker did not stop cleanly", e);
            }
            hivemq = null;
        }
    }

    private final class AccessExtension implements ExtensionMain {
        private volatile Instant lastSweep;

        @Override
        public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
            Services.securityRegistry().setAuthenticatorProvider(providerInput -> (SimpleAuthenticator) this::onConnect);
            ClientService clients = Services.clientService();
            lastSweep = Instant.now();
            sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "mqtt-revocation-sweep");
                t.setDaemon(true);
                return t;
            });
            // ticks every 200 ms and sweeps once the interval has passed, so a shorter interval applies at once
            sweeper.scheduleWithFixedDelay(() -> sweep(clients), 200, 200, TimeUnit.MILLISECONDS);
        }

        private void sweep(ClientService clients) {
            Instant started = Instant.now();
            if (started.isBefore(lastSweep.plus(sweepInterval))) {
                return;
            }
            try {
                Set<String> gone = policy.clientsToDisconnect(lastSweep.minus(SWEEP_OVERLAP));
                for (String clientId : gone) {
                    clients.disconnectClient(clientId).whenComplete((was, error) -> {
                        if (Boolean.TRUE.equals(was)) {
                            LOG.info("MQTT client {} disconnected: its credential was revoked", clientId);
                        }
                    });
                }
                lastSweep = started;
            } catch (RuntimeException e) {
                LOG.warn("MQTT revocation sweep failed", e);
            }
        }

        private void onConnect(SimpleAuthInput input, SimpleAuthOutput output) {
            ConnectPacket connect = input.getConnectPacket();
            String clientId = connect.getClientId();
            String username = connect.getUserName().orElse("");
            byte[] password = connect.getPassword().map(EmbeddedMqttBroker::bytes).orElse(new byte[0]);
            MqttAccessPolicy asked = policy;
            Async<SimpleAuthOutput> async = output.async(Duration.ofSeconds(60), TimeoutFallback.FAILURE);
            try {
                decisions.execute(() -> {
                    decide(asked, clientId, username, password, output);
                    async.resume();
                });
            } catch (RuntimeException e) {   // the pool is shut down: the broker is stopping
                output.failAuthentication(ConnackReasonCode.SERVER_UNAVAILABLE, "broker stopping");
                async.resume();
            }
        }

        private void decide(MqttAccessPolicy asked, String clientId, String username, byte[] password,
                            SimpleAuthOutput output) {
            Optional<MqttGrant> grant;
            try {
                grant = asked.authenticate(clientId, username, password);
            } catch (RuntimeException e) {
                LOG.warn("MQTT access policy failed for client {}", clientId, e);
                grant = Optional.empty();
            }
            if (grant.isEmpty()) {
                output.failAuthentication(ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "bad user name or password");
                return;
            }
            ModifiableDefaultPermissions permissions = output.getDefaultPermissions();
            for (String filter : grant.get().publishFilters()) {
                permissions.add(permission(filter, TopicPermission.MqttActivity.PUBLISH));
            }
            for (String filter : grant.get().subscribeFilters()) {
                permissions.add(permission(filter, TopicPermission.MqttActivity.SUBSCRIBE));
            }
            permissions.setDefaultBehaviour(DefaultAuthorizationBehaviour.DENY);
            output.authenticateSuccessfully();
        }

        /** A permission for a filter; {@code $share/group/filter} allows that shared subscription only. */
        private TopicPermission permission(String filter, TopicPermission.MqttActivity activity) {
            var builder = Builders.topicPermission()
                    .activity(activity)
                    .type(TopicPermission.PermissionType.ALLOW);
            if (filter.startsWith("$share/") && filter.indexOf('/', 7) > 7) {
                int slash = filter.indexOf('/', 7);
                builder.topicFilter(filter.substring(slash + 1))
                        .sharedGroup(filter.substring(7, slash))
                        .sharedSubscription(TopicPermission.SharedSubscription.SHARED);
            } else {
                builder.topicFilter(filter);
            }
            return builder.build();
        }

        @Override
        public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
            // the sweeper and the decision pool are stopped by close()
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.asReadOnlyBuffer();
        byte[] out = new byte[copy.remaining()];
        copy.get(out);
        return out;
    }

}

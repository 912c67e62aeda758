package org.labcommons.iot.broker;

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
import com.hivemq.extension.sdk.api.packets.disconnect.DisconnectReasonCode;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import com.hivemq.extension.sdk.api.services.session.ClientService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The LabCommons extension for a HiveMQ Community Edition broker: every CONNECT is decided by the
 * platform ({@code POST /api/iot/broker/auth}); an allowed session gets exactly the topic filters the
 * platform grants (a device: its own uplink to publish and downlink to subscribe) and is denied
 * everything else; a refusal, an error or no answer in time refuses the connection. Every
 * {@code LABCOMMONS_SWEEP_SECONDS} it asks which devices were revoked or rotated
 * ({@code GET /api/iot/broker/revocations}) and disconnects them. Configured by environment
 * ({@link BrokerAccessConfig}); misconfigured, it refuses every client rather than let the broker run open.
 * Logs through SLF4J, which the broker provides to its extensions.
 *
 * <p>Packaged by the iot-bridge build as {@code iot-bridge-<version>-hivemq-extension.zip}
 * (a folder {@code labcommons-access} with {@code hivemq-extension.xml} and a jar of this package only),
 * to unpack into the broker's {@code extensions} folder. Uses nothing but the JDK and the extension SDK.
 */
public final class LabCommonsAccessExtension implements ExtensionMain {
    private static final Logger LOG = LoggerFactory.getLogger(LabCommonsAccessExtension.class);
    /** Each sweep asks from this long before the previous answer's instant. */
    static final Duration SWEEP_OVERLAP = Duration.ofSeconds(10);

    private final BrokerAccessConfig config;
    private final String configProblem;
    private ExecutorService calls;
    private ScheduledExecutorService sweeper;
    private volatile Instant since;

    /** As the broker loads it from its extensions folder: configured by the environment. */
    public LabCommonsAccessExtension() {
        BrokerAccessConfig fromEnv = null;
        String problem = null;
        try {
            fromEnv = BrokerAccessConfig.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            problem = e.getMessage();
        }
        this.config = fromEnv;
        this.configProblem = problem;
    }

    /** With a given configuration (an embedded broker). */
    public LabCommonsAccessExtension(BrokerAccessConfig config) {
        this.config = config;
        this.configProblem = null;
    }

    @Override
    public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
        if (config == null) {
            LOG.error("LabCommons access: {}; every client is refused", configProblem);
            Services.securityRegistry().setAuthenticatorProvider(p -> (SimpleAuthenticator) (in, out) ->
                    out.failAuthentication(ConnackReasonCode.NOT_AUTHORIZED, "broker not configured"));
            return;
        }
        AccessClient client = new AccessClient(config);
        AtomicInteger n = new AtomicInteger();
        calls = Executors.newFixedThreadPool(config.threads(), r -> daemon(r, "labcommons-access-" + n.incrementAndGet()));
        sweeper = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "labcommons-revocation-sweep"));
        since = Instant.now().minus(SWEEP_OVERLAP);
        Services.securityRegistry().setAuthenticatorProvider(p -> (SimpleAuthenticator) (in, out) -> onConnect(client, in, out));
        ClientService clients = Services.clientService();
        long every = config.sweepInterval().toMillis();
        sweeper.scheduleWithFixedDelay(() -> sweep(client, clients), every, every, TimeUnit.MILLISECONDS);
        LOG.info("LabCommons access: deciding with {}, revocations every {}", config.baseUrl(), config.sweepInterval());
    }

    @Override
    public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
        if (calls != null) {
            calls.shutdownNow();
        }
    }

    private void onConnect(AccessClient client, SimpleAuthInput input, SimpleAuthOutput output) {
        ConnectPacket connect = input.getConnectPacket();
        String clientId = connect.getClientId();
        String username = connect.getUserName().orElse("");
        String password = connect.getPassword().map(LabCommonsAccessExtension::text).orElse("");
        Async<SimpleAuthOutput> async = output.async(config.timeout().multipliedBy(3), TimeoutFallback.FAILURE);
        try {
            calls.execute(() -> {
                try {
                    decide(client, clientId, username, password, output);
                } finally {
                    async.resume();
                }
            });
        } catch (RuntimeException e) {   // stopping
            output.failAuthentication(ConnackReasonCode.SERVER_UNAVAILABLE, "broker stopping");
            async.resume();
        }
    }

    private static void decide(AccessClient client, String clientId, String username, String password,
                               SimpleAuthOutput output) {
        Optional<AccessClient.Grant> grant;
        try {
            grant = client.authenticate(clientId, username, password);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            output.failAuthentication(ConnackReasonCode.SERVER_UNAVAILABLE, "access decision unavailable");
            return;
        } catch (Exception e) {
            LOG.warn("LabCommons access decision for client {} failed: {}", clientId, e.toString());
            output.failAuthentication(ConnackReasonCode.SERVER_UNAVAILABLE, "access decision unavailable");
            return;
        }
        if (grant.isEmpty()) {
            output.failAuthentication(ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "bad user name or password");
            return;
        }
        ModifiableDefaultPermissions permissions = output.getDefaultPermissions();
        grant.get().publish().forEach(f -> permissions.add(permission(f, TopicPermission.MqttActivity.PUBLISH)));
        grant.get().subscribe().forEach(f -> permissions.add(permission(f, TopicPermission.MqttActivity.SUBSCRIBE)));
        permissions.setDefaultBehaviour(DefaultAuthorizationBehaviour.DENY);
        output.authenticateSuccessfully();
    }

    /** A permission for a granted filter; {@code $share/group/filter} allows that shared subscription only. */
    static TopicPermission permission(String filter, TopicPermission.MqttActivity activity) {
        var builder = Builders.topicPermission().activity(activity).type(TopicPermission.PermissionType.ALLOW);
        int slash = filter.startsWith("$share/") ? filter.indexOf('/', 7) : -1;
        if (slash > 7) {
            builder.topicFilter(filter.substring(slash + 1))
                    .sharedGroup(filter.substring(7, slash))
                    .sharedSubscription(TopicPermission.SharedSubscription.SHARED);
        } else {
            builder.topicFilter(filter);
        }
        return builder.build();
    }

    private void sweep(AccessClient client, ClientService clients) {
        try {
            AccessClient.Revocations revoked = client.revocations(since);
            for (String clientId : revoked.clients()) {
                clients.disconnectClient(clientId, false, DisconnectReasonCode.NOT_AUTHORIZED, "credential revoked")
                        .whenComplete((was, error) -> {
                            if (Boolean.TRUE.equals(was)) {
                                LOG.info("LabCommons access: client {} disconnected, its credential was revoked", clientId);
                            }
                        });
            }
            since = revoked.asOf().minus(SWEEP_OVERLAP);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("LabCommons revocation sweep failed (tried again at the next one): {}", e.toString());
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static String text(ByteBuffer buffer) {
        ByteBuffer copy = buffer.asReadOnlyBuffer();
        byte[] out = new byte[copy.remaining()];
        copy.get(out);
        return new String(out, StandardCharsets.UTF_8);
    }
}

package org.labcommons.devstack.mqtt;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.extension.sdk.api.ExtensionMain;
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
import com.hivemq.extension.sdk.api.services.builder.Builders;
import org.labcommons.devstack.FreePorts;
import org.labcommons.devstack.InfraService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * HiveMQ Community Edition embedded in this JVM, with an in-process extension that sends every
 * CONNECT to a {@link MqttAccessPolicy} and lets the broker enforce the topic filters the
 * policy grants (deny by default). The policy can be replaced at run time, so the platform's
 * iot-bridge can install its device registry once it starts. It can be stopped ({@link #close()})
 * and started again on the same port (a broker restart, for fault tests).
 */
public final class EmbeddedMqttBroker implements InfraService {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMqttBroker.class);

    private final Path workDir;
    private final int requestedPort;
    private final boolean persistent;
    private volatile MqttAccessPolicy policy;
    private final String serviceUser;
    private final String servicePassword;
    private EmbeddedHiveMQ hivemq;
    private int port;

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
        this.workDir = workDir;
        this.requestedPort = port;
        this.persistent = persistent;
        this.policy = Objects.requireNonNull(policy);
        this.serviceUser = serviceUser;
        this.servicePassword = servicePassword;
    }

    @Override
    public String name() {
        return "mqtt";
    }

    /** Replaces the access policy for connections made from now on. */
    public void setPolicy(MqttAccessPolicy policy) {
        this.policy = Objects.requireNonNull(policy);
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
                        <queued-messages><max-queue-size>100000</max-queue-size></queued-messages>
                        <receive-maximum><server-receive-maximum>1000</server-receive-maximum></receive-maximum>
                    </mqtt>
                    <persistence><mode>%s</mode></persistence>
                    <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
                </hivemq>
                """.formatted(port, persistent ? "file" : "in-memory"));
        EmbeddedExtension extension = EmbeddedExtension.builder()
                .withId("labcommons-access")
                .withName("LabCommons device access")
                .withVersion("1")
                .withPriority(1000)
                .withStartPriority(1000)
                .withExtensionMain(new AccessExtension())
                .build();
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

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    @Override
    public Map<String, String> properties() {
        return Map.of(
                "labcommons.mqtt.url", url(),
                "labcommons.mqtt.user", serviceUser,
                "labcommons.mqtt.password", servicePassword);
    }

    @Override
    public Map<String, String> endpoints() {
        return Map.of("mqtt", url());
    }

    @Override
    public synchronized void close() {
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
        @Override
        public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
            Services.securityRegistry().setAuthenticatorProvider(providerInput -> (SimpleAuthenticator) this::onConnect);
        }

        private void onConnect(SimpleAuthInput input, SimpleAuthOutput output) {
            ConnectPacket connect = input.getConnectPacket();
            String username = connect.getUserName().orElse("");
            byte[] password = connect.getPassword().map(EmbeddedMqttBroker::bytes).orElse(new byte[0]);
            Optional<MqttGrant> grant;
            try {
                grant = policy.authenticate(connect.getClientId(), username, password);
            } catch (RuntimeException e) {
                LOG.warn("MQTT access policy failed for client {}", connect.getClientId(), e);
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

        private TopicPermission permission(String filter, TopicPermission.MqttActivity activity) {
            return Builders.topicPermission()
                    .topicFilter(filter)
                    .activity(activity)
                    .type(TopicPermission.PermissionType.ALLOW)
                    .build();
        }

        @Override
        public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
            // nothing to release
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.asReadOnlyBuffer();
        byte[] out = new byte[copy.remaining()];
        copy.get(out);
        return out;
    }

}

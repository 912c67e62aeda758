package org.labcommons.iot.access;

import jakarta.inject.Singleton;
import org.labcommons.iot.MqttSettings;
import org.labcommons.iot.devices.DeviceCredential;
import org.labcommons.iot.devices.DeviceDirectory;
import org.labcommons.iot.devices.DeviceSecrets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The broker's access decision (LC-IC/1): who may connect and which topics the session may use.
 * <ul>
 *   <li>A device connects with user name = client id = its device id (a UUID) and its secret as the
 *       password. The secret is checked against the slow hash of its credential
 *       ({@link DeviceDirectory#credential}, {@link DeviceSecrets#matches}); a revoked or unknown device,
 *       a wrong secret, or a client id other than the device id is refused. The grant is
 *       {@link BrokerGrant#device}: the tenant comes from the credential, never from a topic.</li>
 *   <li>The bridge's service account ({@code labcommons.mqtt.user} with {@code labcommons.mqtt.password})
 *       may read every device's uplink (also through the shared subscription group
 *       {@value #BRIDGE_GROUP}, and the access requests through {@value #INTERLOCK_GROUP}) and write every
 *       downlink.</li>
 * </ul>
 * A slow hash costs tens of milliseconds, so a verified (device, secret) pair is remembered for
 * {@code labcommons.iot.access.verified-ttl}, keyed by a SHA-256 of the secret and the hash it was
 * verified against: a rotated secret (a new hash) or a revoked credential is never served from it.
 * Everything else is denied.
 */
@Singleton
public class DeviceAccess {
    /** The shared subscription group of the bridge processes. */
    public static final String BRIDGE_GROUP = "labcommons-bridge";
    /** The shared subscription group of the bridge's interlock (access requests only). */
    public static final String INTERLOCK_GROUP = "labcommons-interlock";
    private static final Logger LOG = LoggerFactory.getLogger(DeviceAccess.class);

    private final DeviceDirectory directory;
    private final MqttSettings mqtt;
    private final AccessSettings settings;
    private final Clock clock;
    private final Map<UUID, Verified> verified = new ConcurrentHashMap<>();

    /** A secret once verified: its digest, the hash it matched and until when that counts. */
    private record Verified(byte[] digest, String secretHash, long expiresAtMillis) {
    }

    public DeviceAccess(DeviceDirectory directory, MqttSettings mqtt, AccessSettings settings) {
        this(directory, mqtt, settings, Clock.systemUTC());
    }

    DeviceAccess(DeviceDirectory directory, MqttSettings mqtt, AccessSettings settings, Clock clock) {
        this.directory = directory;
        this.mqtt = mqtt;
        this.settings = settings;
        this.clock = clock;
    }

    /** The grant of the bridge's service account. */
    public BrokerGrant bridgeGrant() {
        return new BrokerGrant(mqtt.getUser(), null, null,
                List.of("lc/v1/+/+/down/#"),
                List.of("$share/" + BRIDGE_GROUP + "/lc/v1/+/+/up/#", "$share/" + INTERLOCK_GROUP + "/lc/v1/+/+/up/auth/req",
                        "lc/v1/+/+/up/#"));
    }

    /**
     * The decision on a CONNECT.
     *
     * @return the session's grant, or empty to refuse it
     */
    public Optional<BrokerGrant> authenticate(String clientId, String username, String password) {
        if (username == null || username.isEmpty() || password == null || password.isEmpty()) {
            return Optional.empty();
        }
        if (isBridge(username)) {
            String expected = mqtt.getPassword();
            boolean ok = expected != null && !expected.isEmpty() && MessageDigest.isEqual(
                    expected.getBytes(StandardCharsets.UTF_8), password.getBytes(StandardCharsets.UTF_8));
            return ok ? Optional.of(bridgeGrant()) : Optional.empty();
        }
        Optional<UUID> deviceId = deviceId(username);
        if (deviceId.isEmpty() || !username.equals(clientId)) {
            return Optional.empty();
        }
        Optional<DeviceCredential> found = directory.credential(deviceId.get());
        if (found.isEmpty() || found.get().revoked() || found.get().secretHash() == null) {
            verified.remove(deviceId.get());
            return Optional.empty();
        }
        DeviceCredential credential = found.get();
        if (!secretMatches(credential, password)) {
            LOG.debug("MQTT CONNECT of device {} refused: wrong secret", credential.deviceId());
            return Optional.empty();
        }
        return Optional.of(BrokerGrant.device(credential.tenantId(), credential.deviceId()));
    }

    /**
     * The decision on one publish or subscribe of an authenticated session (brokers that ask per
     * operation, e.g. EMQX's HTTP authorization): the grant of {@code username} as on CONNECT, without
     * its password (the broker already checked it), and a device must still be active.
     */
    public boolean allowed(String username, String topic, BrokerAction action) {
        if (username == null || topic == null || action == null) {
            return false;
        }
        if (isBridge(username)) {
            return bridgeGrant().allows(action, topic);
        }
        return deviceId(username)
                .flatMap(directory::credential)
                .filter(c -> !c.revoked())
                .map(c -> BrokerGrant.device(c.tenantId(), c.deviceId()).allows(action, topic))
                .orElse(false);
    }

    /**
     * Devices revoked, or whose secret was rotated, at or after {@code since}: the broker disconnects
     * their sessions (client id = device id). Their remembered verifications are forgotten.
     */
    public List<UUID> revokedSince(Instant since) {
        List<UUID> revoked = directory.revokedSince(since);
        revoked.forEach(verified::remove);
        return revoked;
    }

    private boolean isBridge(String username) {
        return username.equals(mqtt.getUser());
    }

    private static Optional<UUID> deviceId(String username) {
        if (username.length() != 36) {
            return Optional.empty();
        }
        try {
            UUID id = UUID.fromString(username);
            return id.toString().equals(username) ? Optional.of(id) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private boolean secretMatches(DeviceCredential credential, String secret) {
        byte[] digest = sha256(secret);
        long now = clock.millis();
        Verified known = verified.get(credential.deviceId());
        if (known != null && known.expiresAtMillis() > now && known.secretHash().equals(credential.secretHash())
                && MessageDigest.isEqual(known.digest(), digest)) {
            return true;
        }
        if (!DeviceSecrets.matches(secret, credential.secretHash())) {
            return false;
        }
        if (verified.size() >= settings.getVerifiedMax()) {
            verified.values().removeIf(v -> v.expiresAtMillis() <= now);
            if (verified.size() >= settings.getVerifiedMax()) {
                verified.clear();
            }
        }
        verified.put(credential.deviceId(), new Verified(digest, credential.secretHash(),
                now + settings.getVerifiedTtl().toMillis()));
        return true;
    }

    private static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package org.labcommons.devstack.mqtt;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * The hook through which the platform authenticates MQTT clients (instrument controllers, the
 * bridge's service account) and restricts the topics they may use. The embedded broker asks it
 * on every CONNECT; what it grants is enforced by the broker itself for the whole session. The
 * broker also asks it regularly which connected clients must go ({@link #clientsToDisconnect}):
 * a revoked device is disconnected, and refused when it comes back.
 *
 * <p>Implementations must not throw; an empty answer refuses the connection. They may block for a
 * while (an HTTP call): the broker asks from its own threads, not from its network threads.
 */
@FunctionalInterface
public interface MqttAccessPolicy {

    /**
     * @param clientId MQTT client identifier
     * @param username user name from the CONNECT packet, may be empty
     * @param password password bytes from the CONNECT packet, may be empty
     * @return the grant for this session, or empty to refuse it
     */
    Optional<MqttGrant> authenticate(String clientId, String username, byte[] password);

    /**
     * Client ids whose sessions must end: credentials revoked (or replaced) at or after {@code since}.
     * The broker asks at every sweep with an instant a little before its previous sweep, so an answer
     * may repeat a client; disconnecting one that is not connected does nothing.
     */
    default Set<String> clientsToDisconnect(Instant since) {
        return Set.of();
    }
}

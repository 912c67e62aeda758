package org.labcommons.devstack.mqtt;

import java.util.Optional;

/**
 * The hook through which the platform authenticates MQTT clients (instrument controllers, the
 * bridge's service account) and restricts the topics they may use. The embedded broker asks it
 * on every CONNECT; what it grants is enforced by the broker itself for the whole session.
 *
 * <p>Implementations must be fast and must not throw; an empty answer refuses the connection.
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
}

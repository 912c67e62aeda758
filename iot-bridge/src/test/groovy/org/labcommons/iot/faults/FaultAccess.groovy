package org.labcommons.iot.faults

import io.micronaut.context.ApplicationContext
import org.labcommons.devstack.SharedDevStack
import org.labcommons.devstack.mqtt.HttpMqttAccessPolicy
import org.labcommons.devstack.mqtt.MqttAccessPolicy

/**
 * Who may connect to the fault specifications' broker: the platform's own access decision
 * (iot-bridge's {@code /api/iot/broker/auth} and {@code /revocations} on the specification's server),
 * asked over HTTP with the broker token, as a production broker with the LabCommons extension does.
 */
class FaultAccess {
    static MqttAccessPolicy policy(ApplicationContext ctx, String baseUrl) {
        String token = ctx.getProperty('labcommons.iot.access.broker-token', String)
                .orElse(SharedDevStack.get().mqtt().brokerToken())
        new HttpMqttAccessPolicy(baseUrl, token)
    }
}

package org.labcommons.iot.faults

import io.micronaut.context.ApplicationContext
import org.labcommons.devstack.mqtt.MqttAccessPolicy
import org.labcommons.devstack.mqtt.MqttGrant
import org.labcommons.iot.devices.DeviceDirectory
import org.labcommons.iot.devices.DeviceSecrets

import java.nio.charset.StandardCharsets

/** Who may connect to the fault specifications' broker: devices by their provisioned credentials. */
class FaultAccess {
    static MqttAccessPolicy policy(ApplicationContext ctx, String baseUrl) {
        DeviceDirectory directory = ctx.getBean(DeviceDirectory)
        return { String clientId, String user, byte[] password ->
            UUID id
            try {
                id = UUID.fromString(user)
            } catch (IllegalArgumentException ignored) {
                return Optional.<MqttGrant> empty()
            }
            def credential = directory.credential(id).orElse(null)
            if (credential == null || credential.revoked() || clientId != user
                    || !DeviceSecrets.matches(new String(password, StandardCharsets.UTF_8), credential.secretHash())) {
                return Optional.<MqttGrant> empty()
            }
            String root = "lc/v1/${credential.tenantId()}/${id}/"
            Optional.of(new MqttGrant(user, [root + 'up/#'], [root + 'down/#']))
        } as MqttAccessPolicy
    }
}

package org.labcommons.iot.faults

import io.micronaut.context.ApplicationContext
import org.labcommons.core.audit.AuditEntry
import org.labcommons.core.tenancy.TenantId
import org.labcommons.iot.devices.DeviceRegistry
import org.labcommons.iot.devices.NewDevice

import java.security.KeyPair

/**
 * Devices of the fault specifications and the benchmark, provisioned the way an institution admin
 * provisions them ({@link DeviceRegistry#create}: a secret returned once, its slow hash stored,
 * the Ed25519 public key registered), each as a {@link LeanDevice} holding its secret and keys.
 */
class FaultDevices {
    static final AuditEntry.Actor ACTOR = new AuditEntry.Actor(null, 'fault-spec', null)

    static List<LeanDevice> provision(ApplicationContext ctx, UUID tenant, String prefix, int count) {
        DeviceRegistry registry = ctx.getBean(DeviceRegistry)
        (1..count).collect { int i ->
            KeyPair keys = LeanDevice.newKeys()
            String publicKey = Base64.urlEncoder.withoutPadding().encodeToString(LeanDevice.rawPublicKey(keys))
            def provisioned = registry.create(new TenantId(tenant), ACTOR, null,
                    new NewDevice('power_interlock', "${prefix}-${i}-${UUID.randomUUID().toString().take(8)}".toString(), null,
                            'fault lab', publicKey, false))
            new LeanDevice(tenant, provisioned.device().id(), provisioned.secret(), keys)
        }
    }

    static void revoke(ApplicationContext ctx, LeanDevice device) {
        ctx.getBean(DeviceRegistry).revoke(new TenantId(device.tenantId), ACTOR, null, device.deviceId)
    }
}

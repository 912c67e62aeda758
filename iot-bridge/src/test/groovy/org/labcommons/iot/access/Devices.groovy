package org.labcommons.iot.access

import io.micronaut.context.ApplicationContext
import org.labcommons.core.audit.AuditEntry
import org.labcommons.core.tenancy.TenantId
import org.labcommons.iot.devices.DeviceKind
import org.labcommons.iot.devices.DeviceRegistry
import org.labcommons.iot.devices.NewDevice

/**
 * Provisions, rotates and revokes devices through the platform's device registry (as tenant-admin's
 * pages do), for the access specifications: real rows, real slow hashes.
 */
class Devices {
    final DeviceRegistry registry

    Devices(ApplicationContext ctx) {
        this.registry = ctx.getBean(DeviceRegistry)
    }

    /** A new device of {@code tenantId}: [id: UUID, secret: String]. */
    Map provision(UUID tenantId) {
        def p = registry.create(new TenantId(tenantId), AuditEntry.Actor.SYSTEM, null,
                new NewDevice(DeviceKind.POWER_METER.code(), "meter ${UUID.randomUUID()}".toString(), null, 'B-204', null, false))
        [id: p.device().id(), secret: p.secret(), tenant: tenantId]
    }

    /** A new secret for the device (the old one stops working). */
    String rotate(Map device) {
        registry.rotate(new TenantId(device.tenant as UUID), AuditEntry.Actor.SYSTEM, device.id as UUID).secret()
    }

    void revoke(Map device) {
        registry.revoke(new TenantId(device.tenant as UUID), AuditEntry.Actor.SYSTEM, null, device.id as UUID)
    }
}

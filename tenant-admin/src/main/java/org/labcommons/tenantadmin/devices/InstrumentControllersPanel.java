package org.labcommons.tenantadmin.devices;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.labcommons.core.catalog.CatalogueAccess;
import org.labcommons.core.catalog.Instrument;
import org.labcommons.core.catalog.InstrumentPagePanel;
import org.labcommons.core.directory.TenantDirectory.TenantProfile;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.iot.devices.DeviceRegistry;

import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;

/**
 * The instrument page's list of its controllers (kind, name, online or offline, last seen in the
 * owner's zone, firmware), for the owner's staff only: a viewer acting in the owner's tenant who may
 * manage this instrument ({@link CatalogueAccess#mayManage}). Institution admins also get links to
 * each device's page and to add one for this instrument. Everyone else sees no panel at all.
 */
@Singleton
@RequiresRole(PlatformRole.TENANT_ADMIN)
public record InstrumentControllersPanel(DeviceRegistry registry, CatalogueAccess catalogue, DeviceAccess access)
        implements InstrumentPagePanel {
    /** How many of an instrument's controllers the panel lists. */
    static final int MAX = 50;

    @Override
    public Optional<Panel> panel(TenantProfile owner, Instrument instrument, @Nullable AuthenticatedUser viewer, boolean zh) {
        if (viewer == null || !viewer.actingTenant().equals(owner.id()) || !catalogue.mayManage(viewer, instrument)) {
            return Optional.empty();
        }
        DeviceRegistry.Page devices = registry.list(owner.id(), instrument.id(), 0, MAX);
        ZoneId zone;
        try {
            zone = ZoneId.of(owner.timeZone());
        } catch (RuntimeException e) {
            zone = ZoneId.of("Asia/Shanghai");
        }
        return Optional.of(new Panel("controllers", 60, "devices/instrument-panel", "controllers", Map.of(
                "devices", devices.items(), "total", devices.total(), "fmt", new DeviceViews.Times(zone),
                "admin", access.allows(viewer), "newHref", "/admin/devices/new?instrumentId=" + instrument.id())));
    }
}

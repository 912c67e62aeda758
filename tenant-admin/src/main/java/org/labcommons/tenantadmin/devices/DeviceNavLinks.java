package org.labcommons.tenantadmin.devices;

import jakarta.inject.Singleton;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.Action;
import org.labcommons.core.web.NavContributor;
import org.labcommons.core.web.NavLink;

import java.util.List;

/** "设备 / Devices" in the navigation, for whoever may manage their institution (its admins). */
@Singleton
@RequiresRole(PlatformRole.TENANT_ADMIN)
public class DeviceNavLinks implements NavContributor {
    @Override
    public List<NavLink> navLinks() {
        return List.of(NavLink.forAction("nav.devices", "/admin/devices", Action.MANAGE_ORGANISATION, 110));
    }
}

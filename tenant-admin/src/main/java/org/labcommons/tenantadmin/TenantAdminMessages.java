package org.labcommons.tenantadmin;

import jakarta.inject.Singleton;
import org.labcommons.core.i18n.MessageBundle;

/** Tenant administration's texts (onboarding, members, invitations, onboarding mail): {@code i18n/tenant-admin*.properties}. */
@Singleton
public class TenantAdminMessages implements MessageBundle {
    @Override
    public String baseName() {
        return "i18n/tenant-admin";
    }
}

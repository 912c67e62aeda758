package org.labcommons.core.usage.grants;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.tenancy.TenantId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;

/**
 * Slides the grant window: every {@code labcommons.usage.grants.refresh} (10 minutes) each institution's tenant
 * record, credentials and instruments to refresh ({@link GrantPublisher#instrumentsToRefresh}) are republished, one
 * tenant-bound transaction per record. Creates {@code access.grants.v1} when the application starts. A failure is
 * logged and the next run tries again.
 */
@Singleton
@RequiresRole(PlatformRole.CORE)
@Requires(property = "labcommons.usage.grants.enabled", notEquals = "false")
public record GrantRefresh(GrantPublisher publisher) {
    private static final Logger LOG = LoggerFactory.getLogger(GrantRefresh.class);

    @EventListener
    public void onStartup(StartupEvent event) {
        try {
            publisher.ensureTopic();
        } catch (RuntimeException e) {
            LOG.warn("grants: cannot create the topic yet ({}); the first publish will", e.toString());
        }
    }

    @Scheduled(fixedDelay = "${labcommons.usage.grants.refresh:10m}", initialDelay = "${labcommons.usage.grants.refresh:10m}")
    public void scheduled() {
        refresh();
    }

    /** Republishes everything; the count of instrument records sent. */
    public int refresh() {
        int sent = 0;
        for (TenantId tenant : publisher.tenantsToRefresh()) {
            try {
                publisher.tenant(tenant);
                publisher.credentials(tenant);
                for (UUID instrument : publisher.instrumentsToRefresh(tenant)) {
                    publisher.republish(tenant, instrument);
                    sent++;
                }
            } catch (RuntimeException e) {
                LOG.warn("grants: refresh of {} failed ({}); the next run tries again", tenant, e.toString());
            }
        }
        return sent;
    }
}

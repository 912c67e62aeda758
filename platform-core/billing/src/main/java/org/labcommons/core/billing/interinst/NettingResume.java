package org.labcommons.core.billing.interinst;

import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finishes netting pairs that both finance offices confirmed but whose clearing was interrupted (a crash between the two
 * ledgers' postings): every {@code labcommons.billing.interinst.resume-interval}. Safe in several instances: each step
 * is idempotent (the ledger's keys, the pair's status).
 */
@Singleton
@RequiresRole(PlatformRole.CORE)
@Requires(property = "labcommons.billing.interinst.resume-enabled", notEquals = "false")
public class NettingResume {
    private static final Logger LOG = LoggerFactory.getLogger(NettingResume.class);
    private final Netting netting;

    public NettingResume(Netting netting) {
        this.netting = netting;
    }

    @Scheduled(fixedDelay = "${labcommons.billing.interinst.resume-interval:1m}", initialDelay = "${labcommons.billing.interinst.resume-interval:1m}")
    void resume() {
        try {
            int settled = netting.resume();
            if (settled > 0) {
                LOG.info("netting: {} confirmed pair(s) settled on resumption", settled);
            }
        } catch (RuntimeException e) {
            LOG.warn("netting resumption failed; tried again in the next interval", e);
        }
    }
}

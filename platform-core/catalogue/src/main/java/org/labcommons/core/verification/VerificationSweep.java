package org.labcommons.core.verification;

import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.tenancy.TenantId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Closes campaigns whose deadline has passed and flags their still-pending instruments as stale
 * ({@link VerificationService#closeIfDue}). Safe to run in several server instances at once and to
 * run again: due campaigns are found through the reviewed function
 * {@code verification_due_campaigns} (ids only, across tenants), and each is closed in its own
 * tenant-bound transaction that takes the campaign row {@code for update skip locked} and re-checks
 * that it is still open and due, so exactly one instance closes it and a second run finds nothing.
 */
@Singleton
@RequiresRole(PlatformRole.CORE)
public record VerificationSweep(VerificationRows rows, VerificationService service, VerificationSettings settings) {
    private static final Logger LOG = LoggerFactory.getLogger(VerificationSweep.class);

    @Scheduled(fixedDelay = "${labcommons.verification.sweep-interval:1m}",
            initialDelay = "${labcommons.verification.sweep-initial-delay:30s}")
    public void scheduled() {
        if (!settings.isSweepEnabled()) {
            return;
        }
        try {
            int closed = closeDue();
            if (closed > 0) {
                LOG.info("verification sweep closed {} campaign(s) past their deadline", closed);
            }
        } catch (Exception e) { // also a checked SQLException, which transactions rethrow as it is
            LOG.warn("verification sweep failed; it runs again in {}", settings.getSweepInterval(), e);
        }
    }

    /** One sweep: closes every campaign that is due and not held elsewhere; returns how many it closed. */
    public int closeDue() {
        int batch = settings.getSweepBatchSize();
        int total = 0;
        while (true) {
            List<VerificationRows.Due> due = rows.due(batch);
            int closed = 0;
            for (VerificationRows.Due d : due) {
                try {
                    if (service.closeIfDue(new TenantId(d.tenantId()), d.campaignId())) {
                        closed++;
                    }
                } catch (Exception e) { // also a checked SQLException, which transactions rethrow as it is
                    LOG.warn("verification campaign {} of tenant {} could not be closed; retried next sweep",
                            d.campaignId(), d.tenantId(), e);
                }
            }
            total += closed;
            // a full batch that closed something may hide more; campaigns held elsewhere stay due,
            // so stop when a round closed nothing rather than fetch them again and again
            if (due.size() < batch || closed == 0) {
                return total;
            }
        }
    }
}

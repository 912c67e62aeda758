package org.labcommons.core.billing.rates;

import io.micronaut.context.annotation.Value;
import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.tenancy.TenantId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.util.List;
import java.util.UUID;

/**
 * Filed fee standards take effect on their day: every {@code labcommons.billing.rates.activation-interval}, in each
 * active institution in turn (its own transactions, so RLS binds every read to it), each filed card whose
 * effective day has come (in the tenant's zone) and which has not yet taken effect supersedes the older filed cards of
 * its key and sets the catalogue's published price ({@link FeeStandards#activateDue}). Rating does not wait for it:
 * {@link RateCards#effective} reads the effective day itself.
 */
@Singleton
@RequiresRole(PlatformRole.CORE)
public class FeeStandardActivation {
    private static final Logger LOG = LoggerFactory.getLogger(FeeStandardActivation.class);

    private final TransactionOperations<Connection> transactions;
    private final FeeStandardRows rows;
    private final FeeStandards standards;
    private final boolean enabled;

    public FeeStandardActivation(TransactionOperations<Connection> transactions, FeeStandardRows rows,
                                 FeeStandards standards,
                                 @Value("${labcommons.billing.rates.activation-enabled:true}") boolean enabled) {
        this.transactions = transactions;
        this.rows = rows;
        this.standards = standards;
        this.enabled = enabled;
    }

    @Scheduled(fixedDelay = "${labcommons.billing.rates.activation-interval:5m}", initialDelay = "1m")
    public void scheduled() {
        if (!enabled) {
            return;
        }
        try {
            int n = run();
            if (n > 0) {
                LOG.info("{} fee standard(s) took effect", n);
            }
        } catch (Exception e) {
            LOG.warn("fee standard activation failed; it runs again at the next interval", e);
        }
    }

    /** One pass over every active institution; how many cards took effect. */
    public int run() {
        List<UUID> institutions = transactions.executeRead(status -> rows.activeInstitutions());
        int done = 0;
        for (UUID t : institutions) {
            try {
                done += standards.activateDue(new TenantId(t));
            } catch (Exception e) { // one tenant's failure does not stop the others
                LOG.warn("fee standard activation of tenant {} failed; retried next time", t, e);
            }
        }
        return done;
    }
}

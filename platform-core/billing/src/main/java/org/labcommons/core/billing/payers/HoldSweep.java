package org.labcommons.core.billing.payers;

import io.micronaut.context.annotation.Value;
import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.booking.BookingClock;
import org.labcommons.core.directory.TenantRows;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Money held for a booking or a sample request is not held for ever: a charge that posts to the account captures its
 * hold, one to another payer or a cancellation releases it; what no charge ever captured (the charge was waived, or
 * nothing was charged) is released here once the source is over by {@code labcommons.billing.payers.hold-expiry}
 * (default P14D: after the booked-time sweep, review and disputes). Every
 * {@code labcommons.billing.payers.hold-sweep-interval}, in each active institution in turn; each release is audited
 * {@code deposit_hold.expired}. Safe to run again and in several instances (a release changes only held rows).
 */
@Singleton
@RequiresRole(PlatformRole.CORE)
public class HoldSweep {
    private static final Logger LOG = LoggerFactory.getLogger(HoldSweep.class);
    static final int BATCH = 500;

    private final TransactionOperations<Connection> transactions;
    private final TenantTransactions tenants;
    private final PayerRows rows;
    private final TenantRows registry;
    private final AuditLog audit;
    private final AccountEvents events;
    private final BookingClock clock;
    private final Duration expiry;
    private final boolean enabled;

    public HoldSweep(TransactionOperations<Connection> transactions, TenantTransactions tenants, PayerRows rows,
                     TenantRows registry,
                     AuditLog audit, AccountEvents events, BookingClock clock,
                     @Value("${labcommons.billing.payers.hold-expiry:P14D}") Duration expiry,
                     @Value("${labcommons.billing.payers.hold-sweep-enabled:true}") boolean enabled) {
        this.transactions = transactions;
        this.tenants = tenants;
        this.rows = rows;
        this.registry = registry;
        this.audit = audit;
        this.events = events;
        this.clock = clock;
        this.expiry = expiry;
        this.enabled = enabled;
    }

    @Scheduled(fixedDelay = "${labcommons.billing.payers.hold-sweep-interval:1h}", initialDelay = "2m")
    public void scheduled() {
        if (!enabled) {
            return;
        }
        try {
            int n = run();
            if (n > 0) {
                LOG.info("{} deposit or budget hold(s) released: their booking or sample request is over", n);
            }
        } catch (Exception e) {
            LOG.warn("hold sweep failed; it runs again at the next interval", e);
        }
    }

    /** One pass over every active institution; how many holds were released. */
    public int run() {
        List<UUID> institutions = transactions.executeRead(status -> registry.activeInstitutions());
        int done = 0;
        for (UUID t : institutions) {
            try {
                done += release(new TenantId(t));
            } catch (Exception e) { // one tenant's failure does not stop the others
                LOG.warn("hold sweep of tenant {} failed; retried next time", t, e);
            }
        }
        return done;
    }

    /** Releases {@code tenant}'s holds whose source is over by the expiry; how many. */
    public int release(TenantId tenant) {
        Instant now = clock.now();
        Instant cutoff = now.minus(expiry);
        int done = 0;
        while (true) {
            int n = tenants.inTenant(tenant, c -> {
                int released = 0;
                for (UUID source : rows.overHolds(cutoff, BATCH)) {
                    if (rows.release(source, now) > 0) {
                        audit.append(c, AuditEntry.system("deposit_hold.expired", "deposit_hold", source.toString(),
                                Map.of("expiry", expiry.toString())));
                        var hold = rows.holdOfSource(source);
                        if (hold.isPresent()) {
                            events.hold(c, tenant, "hold.released", hold.get(), "expired");
                        }
                        released++;
                    }
                }
                return released;
            });
            done += n;
            if (n < BATCH) {
                return done;
            }
        }
    }
}

package org.labcommons.core.booking;

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

/**
 * Expires waitlist offers nobody answered, so the freed slot passes to the next person on time
 * and not only when someone happens to touch the offer. Safe in several instances and when run
 * again: due offers come from the reviewed function {@code waitlist_offers_expired} (ids only),
 * and each is expired by {@link Waitlist#expireIfDue} in its tenant's transaction, which locks
 * the offer and checks it again (an offer accepted meanwhile is left alone).
 */
@Singleton
@RequiresRole(PlatformRole.CORE)
public class WaitlistSweep {
    private static final Logger LOG = LoggerFactory.getLogger(WaitlistSweep.class);
    private static final int BATCH = 200;

    private final TransactionOperations<Connection> transactions;
    private final Waitlist waitlist;
    private final BookingClock clock;
    private final boolean enabled;
    private final WaitlistRows rows;

    public WaitlistSweep(TransactionOperations<Connection> transactions, Waitlist waitlist, BookingClock clock,
                         @Value("${labcommons.booking.waitlist.sweep-enabled:true}") boolean enabled,
                         WaitlistRows rows) {
        this.rows = rows;
        this.transactions = transactions;
        this.waitlist = waitlist;
        this.clock = clock;
        this.enabled = enabled;
    }

    @Scheduled(fixedDelay = "${labcommons.booking.waitlist.sweep-interval:1m}", initialDelay = "45s")
    public void scheduled() {
        if (!enabled) {
            return;
        }
        try {
            int expired = expireDue();
            if (expired > 0) {
                LOG.info("waitlist sweep expired {} offer(s)", expired);
            }
        } catch (Exception e) { // also a checked SQLException, which transactions rethrow as it is
            LOG.warn("waitlist sweep failed; it runs again at the next interval", e);
        }
    }

    /** One sweep; returns how many offers it expired. */
    public int expireDue() {
        int total = 0;
        while (true) {
            List<WaitlistRows.DueOffer> due = due();
            int expired = 0;
            for (WaitlistRows.DueOffer d : due) {
                try {
                    if (waitlist.expireIfDue(new TenantId(d.tenantId()), d.offerId())) {
                        expired++;
                    }
                } catch (Exception e) { // also a checked SQLException, which transactions rethrow as it is
                    LOG.warn("expiring waitlist offer {} (tenant {}) failed; retried next sweep", d.offerId(), d.tenantId(), e);
                }
            }
            total += expired;
            if (due.size() < BATCH || expired == 0) {
                return total;
            }
        }
    }

    private List<WaitlistRows.DueOffer> due() {
        return transactions.executeRead(status -> rows.offersExpired(clock.now(), BATCH));
    }
}

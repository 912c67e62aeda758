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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

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

    public WaitlistSweep(TransactionOperations<Connection> transactions, Waitlist waitlist, BookingClock clock,
                         @Value("${labcommons.booking.waitlist.sweep-enabled:true}") boolean enabled) {
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
            List<Object[]> due = due();
            int expired = 0;
            for (Object[] d : due) {
                try {
                    if (waitlist.expireIfDue((TenantId) d[0], (UUID) d[1])) {
                        expired++;
                    }
                } catch (Exception e) { // also a checked SQLException, which transactions rethrow as it is
                    LOG.warn("expiring waitlist offer {} (tenant {}) failed; retried next sweep", d[1], d[0], e);
                }
            }
            total += expired;
            if (due.size() < BATCH || expired == 0) {
                return total;
            }
        }
    }

    private List<Object[]> due() {
        return transactions.executeRead(status -> {
            List<Object[]> out = new ArrayList<>();
            try (PreparedStatement ps = status.getConnection().prepareStatement(
                    "select tenant_id, offer_id from waitlist_offers_expired(?, ?)")) {
                ps.setTimestamp(1, Timestamp.from(clock.now()));
                ps.setInt(2, BATCH);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Object[]{new TenantId(rs.getObject(1, UUID.class)), rs.getObject(2, UUID.class)});
                    }
                }
            }
            return out;
        });
    }
}

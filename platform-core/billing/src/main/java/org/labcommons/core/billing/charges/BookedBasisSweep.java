package org.labcommons.core.billing.charges;

import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import org.labcommons.core.booking.BookingClock;
import org.labcommons.core.directory.TenantRows;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The booked-time basis: every {@code sweep-interval}, in each active institution, a booking that ended more than
 * {@code booked-basis-after} ago (and less than that plus {@code booked-basis-lookback}), still approved or checked
 * in, with no charge of its own and (unless its instrument charges booked time only) neither a measured session nor
 * a staff usage record, is charged its booked time ({@link ChargeRating#bookedTime}). Safe to run again and in several
 * instances: one charge per (source, card).
 */
@Singleton
@RequiresRole(PlatformRole.CORE)
public class BookedBasisSweep {
    private static final Logger LOG = LoggerFactory.getLogger(BookedBasisSweep.class);
    private static final int BATCH = 200;
    private final TransactionOperations<Connection> transactions;
    private final TenantTransactions tenants;
    private final ChargeSourceRows sources;
    private final TenantRows registry;
    private final ChargeRating rating;
    private final ChargeSettings settings;
    private final BookingClock clock;

    public BookedBasisSweep(TransactionOperations<Connection> transactions, TenantTransactions tenants,
                            ChargeSourceRows sources, TenantRows registry, ChargeRating rating, ChargeSettings settings, BookingClock clock) {
        this.transactions = transactions;
        this.tenants = tenants;
        this.sources = sources;
        this.registry = registry;
        this.rating = rating;
        this.settings = settings;
        this.clock = clock;
    }

    @Scheduled(fixedDelay = "${labcommons.billing.charges.sweep-interval:15m}", initialDelay = "3m")
    public void scheduled() {
        if (!settings.isSweepEnabled()) {
            return;
        }
        try {
            int n = sweep();
            if (n > 0) {
                LOG.info("booked-basis sweep charged the booked time of {} booking(s)", n);
            }
        } catch (Exception e) {
            LOG.warn("booked-basis sweep failed; it runs again at the next interval", e);
        }
    }

    /** One sweep over every active institution; answers how many bookings were charged. */
    public int sweep() {
        int n = 0;
        for (UUID t : transactions.executeRead(status -> registry.activeInstitutions())) {
            try {
                n += sweep(new TenantId(t));
            } catch (Exception e) {
                LOG.warn("booked-basis sweep of tenant {} failed; retried next sweep", t, e);
            }
        }
        return n;
    }

    /** One sweep of one tenant. */
    public int sweep(TenantId tenant) {
        Instant before = clock.now().minus(settings.getBookedBasisAfter());
        Instant since = before.minus(settings.getBookedBasisLookback());
        List<UUID> due = tenants.inTenant(tenant, c -> sources.bookedBasisDue(since, before, BATCH));
        int n = 0;
        for (UUID booking : due) {
            n += tenants.inTenant(tenant, c -> rating.bookedTime(c, tenant, booking) ? 1 : 0);
        }
        return n;
    }
}

package org.labcommons.core.usage.booked;

import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpStatus;
import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import org.labcommons.core.booking.BookingClock;
import org.labcommons.core.booking.BookingService;
import org.labcommons.core.problem.ProblemException;
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
import java.util.UUID;

/**
 * Booked against used, after the fact (docs/usage.md, "Booked against used"), every
 * {@code labcommons.usage.no-show.sweep-interval}, in each active institution in turn (its own
 * transaction, so RLS binds every read to it):
 * <ol>
 *   <li>a checked-in booking that ended {@code no-show.after} ago with nothing recorded and no reading of
 *       its instrument's devices becomes a grade C session ({@link ManualSessions});</li>
 *   <li>an approved booking that ended {@code no-show.after} ago while a device of its instrument reported
 *       (a reading in [start, end]), with no session linked to it and no staff record, is marked a no-show
 *       through booking's own path ({@link BookingService#noShowBySystem}: the no-show rules and blocks
 *       apply), the actor the system, the reason {@code no_usage_measured}.</li>
 * </ol>
 * Only bookings that ended within {@code no-show.lookback} are looked at. Safe to run again and in several
 * instances: a booking already marked (or overturned by staff, which the sweep never undoes) is left alone,
 * and grade C sessions have deterministic ids.
 */
@Singleton
@RequiresRole(PlatformRole.CORE)
public class NoShowSweep {
    /** The reason of a no-show the platform marks. */
    public static final String REASON = "no_usage_measured";
    private static final Logger LOG = LoggerFactory.getLogger(NoShowSweep.class);
    private static final int BATCH = 200;

    private final TransactionOperations<Connection> transactions;
    private final TenantTransactions tenants;
    private final BookedRows rows;
    private final BookingService bookings;
    private final ManualSessions manual;
    private final BookingClock clock;
    private final Duration after;
    private final Duration lookback;
    private final boolean enabled;

    /** What one sweep did. */
    public record Result(int noShows, int sessions) {
    }

    public NoShowSweep(TransactionOperations<Connection> transactions, TenantTransactions tenants, BookedRows rows,
                       BookingService bookings, ManualSessions manual, BookingClock clock,
                       @Value("${labcommons.usage.no-show.after:30m}") Duration after,
                       @Value("${labcommons.usage.no-show.lookback:7d}") Duration lookback,
                       @Value("${labcommons.usage.no-show.sweep-enabled:true}") boolean enabled) {
        this.transactions = transactions;
        this.tenants = tenants;
        this.rows = rows;
        this.bookings = bookings;
        this.manual = manual;
        this.clock = clock;
        this.after = after;
        this.lookback = lookback;
        this.enabled = enabled;
    }

    @Scheduled(fixedDelay = "${labcommons.usage.no-show.sweep-interval:5m}", initialDelay = "2m")
    public void scheduled() {
        if (!enabled) {
            return;
        }
        try {
            Result r = sweep();
            if (r.noShows() > 0 || r.sessions() > 0) {
                LOG.info("usage sweep marked {} no-show(s) and made {} grade C session(s)", r.noShows(), r.sessions());
            }
        } catch (Exception e) { // also a checked SQLException, which transactions rethrow as it is
            LOG.warn("usage no-show sweep failed; it runs again at the next interval", e);
        }
    }

    /** One sweep over every active institution. */
    public Result sweep() {
        List<UUID> institutions = transactions.executeRead(status -> rows.activeInstitutions());
        int noShows = 0;
        int sessions = 0;
        for (UUID t : institutions) {
            try {
                Result r = sweep(new TenantId(t));
                noShows += r.noShows();
                sessions += r.sessions();
            } catch (Exception e) { // one tenant's failure does not stop the others
                LOG.warn("usage no-show sweep of tenant {} failed; retried next sweep", t, e);
            }
        }
        return new Result(noShows, sessions);
    }

    /** One sweep of one tenant. */
    public Result sweep(TenantId tenant) {
        Instant now = clock.now();
        Instant dueBefore = now.minus(after);
        Instant since = dueBefore.minus(lookback);
        int sessions = manual.checkedIn(tenant, since, dueBefore, BATCH);
        int noShows = 0;
        List<UUID> due = tenants.inTenant(tenant, c -> rows.noShowCandidates(since, dueBefore, BATCH));
        for (UUID id : due) {
            try {
                bookings.noShowBySystem(tenant, id, REASON);
                noShows++;
            } catch (ProblemException e) {
                if (e.status() != HttpStatus.CONFLICT) { // 409: changed meanwhile (checked in, marked, cancelled)
                    throw e;
                }
            }
        }
        return new Result(noShows, sessions);
    }
}

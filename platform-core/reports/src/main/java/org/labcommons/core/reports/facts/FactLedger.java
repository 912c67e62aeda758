package org.labcommons.core.reports.facts;

import jakarta.inject.Singleton;

import java.time.LocalDate;
import java.util.UUID;

/**
 * Replaces a source's contribution by a delta, in the caller's tenant transaction: the old contribution is taken out
 * of {@code fact_day}, {@code fact_month} and the month's user and project sets, the new one put in, and the source's
 * row remembers the new one with its version. Replacing a contribution by itself changes no rollup.
 */
@Singleton
public record FactLedger(FactRows rows) {

    public void replace(String kind, UUID sourceId, long version, FactRows.Stored old, Contribution next) {
        Contribution before = old == null ? null : Contribution.of(old);
        if (!next.equals(before)) {
            if (before != null) {
                apply(before, -1);
            }
            apply(next, 1);
        }
        rows.save(kind, sourceId, version, next.instrumentId(), next.day(), next.userClass(), next.serviceType(),
                next.userId(), next.project(), next.bookingId(), next.rawMin(), next.effectiveMin(), next.bookedMin(),
                next.samples(), next.revenueFen(), next.measured());
    }

    private void apply(Contribution c, int sign) {
        if (!c.counts()) {
            return;
        }
        LocalDate month = c.month();
        rows.addDay(c.instrumentId(), c.day(), c.userClass(), c.serviceType(), sign * c.effectiveMin(),
                sign * c.bookedMin(), sign * c.samples(), sign * c.revenueFen());
        rows.addMonth(c.instrumentId(), month, c.userClass(), c.serviceType(), sign * c.effectiveMin(),
                sign * c.bookedMin(), sign * c.samples(), sign * c.revenueFen());
        if (c.userId() != null) {
            rows.addUser(c.instrumentId(), month, c.userClass(), c.userId(), sign);
            if (sign < 0) {
                rows.pruneUser(c.instrumentId(), month, c.userClass(), c.userId());
            }
        }
        if (c.project() != null) {
            rows.addProject(c.instrumentId(), month, c.userClass(), c.project(), sign);
            if (sign < 0) {
                rows.pruneProject(c.instrumentId(), month, c.userClass(), c.project());
            }
        }
    }
}

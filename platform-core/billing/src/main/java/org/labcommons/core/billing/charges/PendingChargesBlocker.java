package org.labcommons.core.billing.charges;

import jakarta.inject.Singleton;
import org.labcommons.core.billing.closing.Blocker;
import org.labcommons.core.billing.closing.CloseBlockers;
import org.labcommons.core.tenancy.TenantId;

import java.sql.Connection;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * A month is not closed while charges of it (service started in the month, in the tenant's zone) still wait for
 * review or a dispute's answer: each such charge is a blocker {@code charges_pending} or {@code charges_disputed}
 * (reference: the charge id), at most {@link #LISTED} of each listed, then one blocker with the number left.
 */
@Singleton
public record PendingChargesBlocker(ChargeRows rows, ChargeSourceRows sources) implements CloseBlockers {
    static final int LISTED = 50;

    @Override
    public List<Blocker> blockers(Connection c, TenantId tenant, YearMonth period) {
        ZoneId zone;
        try {
            zone = ZoneId.of(sources.tenantZone().orElse("Asia/Shanghai"));
        } catch (DateTimeException e) {
            zone = ZoneId.of("Asia/Shanghai");
        }
        Instant from = period.atDay(1).atStartOfDay(zone).toInstant();
        Instant until = period.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant();
        List<Blocker> out = new ArrayList<>();
        for (String status : List.of("pending", "disputed")) {
            long total = rows.count(status, null, null, null, null, from, until, true, new String[0], new String[0]);
            if (total == 0) {
                continue;
            }
            String code = "charges_" + status;
            for (ChargeRows.Stored s : rows.page(status, null, null, null, null, from, until, true, new String[0],
                    new String[0], 0, LISTED)) {
                out.add(new Blocker(code, s.id().toString(), s.kind() + " " + s.serviceStart() + " " + s.amountFen() + " fen"));
            }
            if (total > LISTED) {
                out.add(new Blocker(code, "+" + (total - LISTED), (total - LISTED) + " more"));
            }
        }
        return out;
    }
}

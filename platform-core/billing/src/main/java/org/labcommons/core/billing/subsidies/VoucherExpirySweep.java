package org.labcommons.core.billing.subsidies;

import io.micronaut.context.annotation.Value;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.booking.BookingClock;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.UUID;

/**
 * Tells when a voucher expires: every {@code labcommons.billing.subsidies.expiry-sweep-interval} (when
 * {@code expiry-sweep-enabled}), in each bureau (consortium tenant), an active voucher whose last valid day (the
 * bureau's zone) has passed gets {@code voucher.expired} on {@code billing.subsidy.v1} and an audit entry, once
 * ({@code voucher.expired_noted_at}, V45; rows locked with skip locked, so several instances may run it).
 */
@Singleton
public class VoucherExpirySweep {
    private static final Logger LOG = LoggerFactory.getLogger(VoucherExpirySweep.class);
    private static final int BATCH = 200;
    private final TenantTransactions tenants;
    private final VoucherRows rows;
    private final AuditLog audit;
    private final SubsidyEvents events;
    private final BookingClock clock;
    private final boolean enabled;

    public VoucherExpirySweep(TenantTransactions tenants, VoucherRows rows, AuditLog audit, SubsidyEvents events,
                              BookingClock clock,
                              @Value("${labcommons.billing.subsidies.expiry-sweep-enabled:true}") boolean enabled) {
        this.tenants = tenants;
        this.rows = rows;
        this.audit = audit;
        this.events = events;
        this.clock = clock;
        this.enabled = enabled;
    }

    @Scheduled(fixedDelay = "${labcommons.billing.subsidies.expiry-sweep-interval:1h}", initialDelay = "3m")
    public void scheduled() {
        if (!enabled) {
            return;
        }
        try {
            int n = run();
            if (n > 0) {
                LOG.info("{} voucher(s) expired", n);
            }
        } catch (Exception e) {
            LOG.warn("voucher expiry sweep failed; it runs again at the next interval", e);
        }
    }

    /** One pass over every bureau; how many vouchers were told expired. */
    public int run() {
        int done = 0;
        for (UUID bureau : rows.consortia()) {
            try {
                done += expire(new TenantId(bureau));
            } catch (Exception e) { // one bureau's failure does not stop the others
                LOG.warn("voucher expiry sweep of bureau {} failed; retried next time", bureau, e);
            }
        }
        return done;
    }

    /** Tells the bureau's vouchers expired whose last valid day has passed; how many. */
    public int expire(TenantId bureau) {
        Instant now = clock.now();
        int done = 0;
        while (true) {
            int n = tenants.inTenant(bureau, c -> {
                ZoneId zone = ZoneId.of(rows.names(bureau.value()).map(VoucherRows.TenantNames::timeZone).orElse("Asia/Shanghai"));
                int told = 0;
                for (UUID id : rows.expiredUnnoted(LocalDate.ofInstant(now, zone), BATCH)) {
                    if (rows.noteExpired(id, now) > 0) {
                        VoucherRows.Stored v = rows.voucher(id).orElseThrow();
                        audit.append(c, AuditEntry.system("voucher.expired", "voucher", id.toString(),
                                Map.of("validTo", v.validTo().toString(), "balanceFen", v.faceValueFen() - v.claimedFen())));
                        events.voucherExpired(c, bureau, v);
                        told++;
                    }
                }
                return told;
            });
            done += n;
            if (n < BATCH) {
                return done;
            }
        }
    }
}

package org.labcommons.core.usage.web;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.labcommons.core.booking.BookingClock;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What instruments are doing now: {@code in_use} (an open session; since its start, by whom), {@code idle}
 * (the instrument's device reported within {@code labcommons.usage.status.offline-after}, no open
 * session), {@code offline} (its device's last reading is older than that; also when a device session is
 * open but the device went silent) or {@code none} (no reading ever and no open session: nothing
 * reports for it). The last reading's time is kept as "last seen". A class: it holds the setting.
 */
@Singleton
public class LiveStatus {
    private final TenantTransactions tenants;
    private final UsagePageRows rows;
    private final BookingClock clock;
    private final Duration offlineAfter;

    public LiveStatus(TenantTransactions tenants, UsagePageRows rows, BookingClock clock,
                      @Value("${labcommons.usage.status.offline-after:10m}") Duration offlineAfter) {
        this.tenants = tenants;
        this.rows = rows;
        this.clock = clock;
        this.offlineAfter = offlineAfter;
    }

    /** One instrument's status now. */
    public record Live(UUID instrumentId, String state, @Nullable UsagePageRows.Session session,
                       @Nullable Instant lastSeen, @Nullable BigDecimal watts) {
        public boolean reports() {
            return !"none".equals(state);
        }
    }

    /** The status of these instruments of {@code tenant}, by id. */
    public Map<UUID, Live> of(TenantId tenant, Collection<UUID> instruments) {
        if (instruments.isEmpty()) {
            return Map.of();
        }
        Instant now = clock.now();
        return tenants.inTenant(tenant, c -> {
            Map<UUID, UsagePageRows.LastSeen> seen = new HashMap<>();
            rows.lastSeen(instruments).forEach(l -> seen.put(l.instrumentId(), l));
            Map<UUID, UsagePageRows.Session> open = new HashMap<>();
            rows.open(instruments).forEach(s -> open.putIfAbsent(s.instrumentId(), s));
            Map<UUID, Live> out = new HashMap<>();
            for (UUID id : instruments) {
                UsagePageRows.LastSeen last = seen.get(id);
                UsagePageRows.Session session = open.get(id);
                out.put(id, new Live(id, state(last == null ? null : last.at(), session, now), session,
                        last == null ? null : last.at(), last == null ? null : last.watts()));
            }
            return out;
        });
    }

    public Live of(TenantId tenant, UUID instrument) {
        return of(tenant, List.of(instrument)).get(instrument);
    }

    String state(@Nullable Instant lastSeen, @Nullable UsagePageRows.Session open, Instant now) {
        boolean silent = lastSeen == null || Duration.between(lastSeen, now).compareTo(offlineAfter) > 0;
        if (open != null) {
            return "device".equals(open.source()) && silent ? "offline" : "in_use";
        }
        if (lastSeen == null) {
            return "none";
        }
        return silent ? "offline" : "idle";
    }

    public Duration offlineAfter() {
        return offlineAfter;
    }
}

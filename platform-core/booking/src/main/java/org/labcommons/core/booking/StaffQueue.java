package org.labcommons.core.booking;

import jakarta.inject.Singleton;
import org.labcommons.core.security.AccessPolicy;
import org.labcommons.core.security.Action;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.security.Scope;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What the staff pages list: the instruments a caller manages (the same decision as
 * {@link BookingAccess#managed}: {@code MANAGE_INSTRUMENT} on the instrument, its unit or an
 * ancestor unit, or the tenant), the requested bookings waiting for their approval (oldest request
 * first) and the approved bookings coming up. Reads only, in the caller's acting tenant.
 */
@Singleton
public record StaffQueue(TenantTransactions tenants, AccessPolicy access, BookingRows rows, UsageRecordRows usage) {
    /** An instrument the caller manages, as the staff pages name it. */
    public record ManagedInstrument(UUID id, String assetNumber, String nameZh, String nameEn) {
        public String name(boolean zh) {
            return zh ? nameZh : nameEn;
        }
    }

    /** A page of bookings and how many there are in all. */
    public record Page(List<Booking> items, long total) {
    }

    /** The acting tenant's instruments (not archived) the caller manages, by asset number. */
    public List<ManagedInstrument> managed(AuthenticatedUser user) {
        TenantId tenant = user.actingTenant();
        if (user.roles().isEmpty()) {
            return List.of();
        }
        return tenants.inTenant(tenant, c -> {
            Map<UUID, UUID> parents = new HashMap<>();
            for (BookingRows.UnitParent u : rows.unitParents()) {
                parents.put(u.id(), u.parentId());
            }
            List<ManagedInstrument> out = new ArrayList<>();
            for (BookingRows.StaffInstrument i : rows.staffInstruments()) {
                Set<UUID> chain = new LinkedHashSet<>();
                for (UUID u = i.orgUnitId(); u != null && chain.add(u); u = parents.get(u)) {
                    // the unit and its ancestors (a cycle cannot loop: add refuses a repeat)
                }
                Scope scope = Scope.instrument(tenant, i.id(), chain.toArray(UUID[]::new));
                if (access.allows(user.roles(), Action.MANAGE_INSTRUMENT, scope)) {
                    out.add(new ManagedInstrument(i.id(), i.assetNumber(), i.nameZh(), i.nameEn()));
                }
            }
            return out;
        });
    }

    /** Requested bookings of these instruments, the oldest request first (then the earliest slot). */
    public Page requested(TenantId tenant, List<UUID> instruments, int offset, int limit) {
        if (instruments.isEmpty()) {
            return new Page(List.of(), 0);
        }
        return tenants.inTenant(tenant, c -> {
            ZoneId zone = rows.zone();
            long total = rows.countRequested(instruments);
            return new Page(BookingService.toBookings(rows.requested(instruments, offset, limit), zone), total);
        });
    }

    /** How many bookings of these instruments wait for approval. */
    public long pendingCount(TenantId tenant, List<UUID> instruments) {
        if (instruments.isEmpty()) {
            return 0;
        }
        return tenants.inTenant(tenant, c -> rows.countRequested(instruments));
    }

    /** Approved and checked-in bookings of these instruments overlapping [from, to), by start (at most 200). */
    public List<Booking> upcoming(TenantId tenant, List<UUID> instruments, Instant from, Instant to) {
        if (instruments.isEmpty()) {
            return List.of();
        }
        return tenants.inTenant(tenant, c -> BookingService.toBookings(rows.upcoming(instruments, from, to),
                rows.zone()));
    }

    /** Bookings (of these) that already have a usage record. */
    public Set<UUID> withUsage(TenantId tenant, List<UUID> bookings) {
        if (bookings.isEmpty()) {
            return Set.of();
        }
        return tenants.inTenant(tenant, c -> Set.copyOf(usage.withUsage(bookings)));
    }
}

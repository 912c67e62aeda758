package org.labcommons.core.booking;

import jakarta.inject.Singleton;
import org.labcommons.core.security.AccessPolicy;
import org.labcommons.core.security.Action;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.security.Scope;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
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
public class StaffQueue {
    private final TenantTransactions tenants;
    private final AccessPolicy access;

    public StaffQueue(TenantTransactions tenants, AccessPolicy access) {
        this.tenants = tenants;
        this.access = access;
    }

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
            try (PreparedStatement ps = c.prepareStatement("select id, parent_id from org_unit");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    parents.put(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class));
                }
            }
            List<ManagedInstrument> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select id, asset_number, name_zh, name_en, org_unit_id "
                    + "from instrument where archived_at is null order by asset_number, id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UUID id = rs.getObject(1, UUID.class);
                    UUID unit = rs.getObject(5, UUID.class);
                    Set<UUID> chain = new LinkedHashSet<>();
                    for (UUID u = unit; u != null && chain.add(u); u = parents.get(u)) {
                        // the unit and its ancestors (a cycle cannot loop: add refuses a repeat)
                    }
                    Scope scope = Scope.instrument(tenant, id, chain.toArray(UUID[]::new));
                    if (access.allows(user.roles(), Action.MANAGE_INSTRUMENT, scope)) {
                        out.add(new ManagedInstrument(id, rs.getString(2), rs.getString(3), rs.getString(4)));
                    }
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
            ZoneId zone = ZoneId.of(BookingRulesService.timeZone(c));
            long total;
            try (PreparedStatement ps = c.prepareStatement("select count(*) from booking where status = 'requested' "
                    + "and instrument_id = any(?)")) {
                ps.setArray(1, c.createArrayOf("uuid", instruments.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<Booking> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select " + Booking.COLUMNS + " from booking "
                    + "where status = 'requested' and instrument_id = any(?) order by created_at, starts_at, id limit ? offset ?")) {
                ps.setArray(1, c.createArrayOf("uuid", instruments.toArray()));
                ps.setInt(2, limit);
                ps.setInt(3, offset);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(Booking.read(rs, zone));
                    }
                }
            }
            return new Page(out, total);
        });
    }

    /** How many bookings of these instruments wait for approval. */
    public long pendingCount(TenantId tenant, List<UUID> instruments) {
        if (instruments.isEmpty()) {
            return 0;
        }
        return tenants.inTenant(tenant, c -> {
            try (PreparedStatement ps = c.prepareStatement("select count(*) from booking where status = 'requested' "
                    + "and instrument_id = any(?)")) {
                ps.setArray(1, c.createArrayOf("uuid", instruments.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /** Approved and checked-in bookings of these instruments overlapping [from, to), by start (at most 200). */
    public List<Booking> upcoming(TenantId tenant, List<UUID> instruments, Instant from, Instant to) {
        if (instruments.isEmpty()) {
            return List.of();
        }
        return tenants.inTenant(tenant, c -> {
            ZoneId zone = ZoneId.of(BookingRulesService.timeZone(c));
            List<Booking> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select " + Booking.COLUMNS + " from booking "
                    + "where status in ('approved', 'checked_in') and instrument_id = any(?) and starts_at < ? "
                    + "and ends_at > ? order by starts_at, id limit 200")) {
                ps.setArray(1, c.createArrayOf("uuid", instruments.toArray()));
                ps.setTimestamp(2, Timestamp.from(to));
                ps.setTimestamp(3, Timestamp.from(from));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(Booking.read(rs, zone));
                    }
                }
            }
            return out;
        });
    }

    /** Bookings (of these) that already have a usage record. */
    public Set<UUID> withUsage(TenantId tenant, List<UUID> bookings) {
        if (bookings.isEmpty()) {
            return Set.of();
        }
        return tenants.inTenant(tenant, c -> {
            Set<UUID> out = new java.util.HashSet<>();
            try (PreparedStatement ps = c.prepareStatement("select distinct booking_id from usage_record "
                    + "where booking_id = any(?)")) {
                ps.setArray(1, c.createArrayOf("uuid", bookings.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getObject(1, UUID.class));
                    }
                }
            }
            return out;
        });
    }
}

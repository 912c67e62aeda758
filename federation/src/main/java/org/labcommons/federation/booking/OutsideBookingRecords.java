package org.labcommons.federation.booking;

import io.micronaut.core.annotation.Nullable;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.booking.BookingsElsewhere;
import org.labcommons.core.events.EventEnvelope;
import org.labcommons.core.events.Outbox;
import org.labcommons.core.events.PoisonEventException;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;
import org.labcommons.federation.FederationTopics;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The home institution's linked records of bookings its people hold at other institutions
 * ({@code outside_booking}, V16), and the home's side of the saga (docs/federation.md):
 * {@link #apply} mirrors one {@code booking.v1} event of the owner into the requester's home
 * tenant, and when the home refuses the booking it records the refusal and writes the compensation
 * command ({@code booking.command.v1}, {@code booking.cancel_requested}) in the same transaction.
 */
@Singleton
public class OutsideBookingRecords {
    public static final String CANCEL_REQUESTED = "booking.cancel_requested";
    public static final String HOME_REFUSED = "home_refused";
    static final Set<String> STATUSES = Set.of("requested", "approved", "rejected", "cancelled", "checked_in", "no_show");
    /** Statuses whose estimated cost counts in the totals: the slot is (or was) held and may be charged. */
    static final String CHARGEABLE_SQL = "status in ('requested', 'approved', 'checked_in', 'no_show') and home_status = 'linked'";

    private final TenantTransactions tenants;
    private final Outbox outbox;
    private final AuditLog audit;

    public OutsideBookingRecords(TenantTransactions tenants, Outbox outbox, AuditLog audit) {
        this.tenants = tenants;
        this.outbox = outbox;
        this.audit = audit;
    }

    /** What {@link #apply} did with an event. */
    public enum Applied {
        /** the requester belongs to the owner: not a cross-institution booking, nothing to do */
        INSIDE,
        /** an event of this version or a newer one was applied before: nothing changed */
        STALE,
        /** the first event of the booking: the linked record was created */
        LINKED,
        /** the linked record follows the owner's change */
        UPDATED,
        /** the home refused the booking: the record says so and the cancellation was requested */
        REFUSED
    }

    /** A linked record as the API shows it (times in the home tenant's zone). */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record OutsideBooking(UUID bookingId, UUID ownerTenantId, String ownerNameZh, String ownerNameEn,
                                 UUID instrumentId, @Nullable String instrumentNameZh, @Nullable String instrumentNameEn,
                                 UUID requesterUserId, OffsetDateTime start, OffsetDateTime end, String status,
                                 String homeStatus, @Nullable String refusalReason, String rateGroup,
                                 @Nullable String accountCode, @Nullable Long pricePerHourFen,
                                 @Nullable Long estimatedCostFen, long version, OffsetDateTime lastEventAt,
                                 OffsetDateTime updatedAt) {
    }

    /** What the owner publishes about the instrument and itself, read in the owner's tenant. */
    record OwnerFacts(String ownerNameZh, String ownerNameEn, @Nullable String instrumentNameZh,
                      @Nullable String instrumentNameEn, @Nullable Long pricePerHourFen) {
    }

    // ------------------------------------------------------------------ the saga's home step

    /**
     * Applies one {@code booking.*} event of the owner (the envelope's tenant) to the requester's
     * home tenant: only if its version is newer than the stored one (redelivery and disorder change
     * nothing). While the record is linked and the booking active ({@code requested} or
     * {@code approved}), the home checks that it is active, that the user still belongs to it and
     * that the account code is open; a refusal is recorded and the cancellation requested.
     * Throws {@link PoisonEventException} for a payload that lacks what is needed.
     */
    public Applied apply(EventEnvelope event) {
        Map<String, Object> p = event.payload();
        TenantId owner = new TenantId(event.tenantId());
        UUID homeId = uuid(p, "requesterTenantId");
        if (homeId.equals(owner.value())) {
            return Applied.INSIDE;
        }
        TenantId home = new TenantId(homeId);
        UUID bookingId = uuid(p, "id");
        if (!bookingId.toString().equals(event.aggregateId())) {
            throw new PoisonEventException("payload id " + bookingId + " differs from the aggregate id " + event.aggregateId());
        }
        UUID instrumentId = uuid(p, "instrumentId");
        UUID userId = uuid(p, "requesterUserId");
        String status = text(p, "status");
        if (!STATUSES.contains(status)) {
            throw new PoisonEventException("unknown booking status " + status);
        }
        Instant start = instant(p, "start");
        Instant end = instant(p, "end");
        if (!end.isAfter(start)) {
            throw new PoisonEventException("end " + end + " is not after start " + start);
        }
        String rateGroup = text(p, "rateGroup");
        String account = p.get("accountCode") instanceof String s && !s.isBlank() ? s : null;
        long version = event.aggregateVersion();

        OwnerFacts facts = ownerFacts(owner, instrumentId, rateGroup);
        Long estimate = estimate(facts.pricePerHourFen(), start, end);

        return tenants.inTenantRetrying(home, c -> {
            Long stored = null;
            String homeStatus = "linked";
            String reason = null;
            try (PreparedStatement ps = c.prepareStatement("select aggregate_version, home_status, refusal_reason "
                    + "from outside_booking where booking_id = ? for update")) {
                ps.setObject(1, bookingId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        stored = rs.getLong(1);
                        homeStatus = rs.getString(2);
                        reason = rs.getString(3);
                    }
                }
            }
            if (stored != null && stored >= version) {
                return Applied.STALE;
            }
            boolean refuseNow = false;
            if ("linked".equals(homeStatus) && ("requested".equals(status) || "approved".equals(status))) {
                reason = refusal(c, home, userId, account);
                if (reason != null) {
                    homeStatus = "refused_by_home";
                    refuseNow = true;
                }
            }
            int written;
            try (PreparedStatement ps = c.prepareStatement("insert into outside_booking (tenant_id, booking_id, "
                    + "owner_tenant_id, owner_name_zh, owner_name_en, instrument_id, instrument_name_zh, instrument_name_en, "
                    + "requester_user_id, starts_at, ends_at, status, home_status, refusal_reason, rate_group, account_code, "
                    + "price_per_hour_fen, estimated_cost_fen, aggregate_version, last_event_id, last_event_at, created_at, "
                    + "updated_at) values (app_tenant(), "
                    + "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now(), now()) "
                    + "on conflict (tenant_id, booking_id) do update set owner_name_zh = excluded.owner_name_zh, "
                    + "owner_name_en = excluded.owner_name_en, instrument_name_zh = excluded.instrument_name_zh, "
                    + "instrument_name_en = excluded.instrument_name_en, starts_at = excluded.starts_at, "
                    + "ends_at = excluded.ends_at, status = excluded.status, home_status = excluded.home_status, "
                    + "refusal_reason = excluded.refusal_reason, rate_group = excluded.rate_group, "
                    + "account_code = excluded.account_code, price_per_hour_fen = excluded.price_per_hour_fen, "
                    + "estimated_cost_fen = excluded.estimated_cost_fen, aggregate_version = excluded.aggregate_version, "
                    + "last_event_id = excluded.last_event_id, last_event_at = excluded.last_event_at, updated_at = now() "
                    + "where outside_booking.aggregate_version < excluded.aggregate_version")) {
                int i = 1;
                ps.setObject(i++, bookingId);
                ps.setObject(i++, owner.value());
                ps.setString(i++, facts.ownerNameZh());
                ps.setString(i++, facts.ownerNameEn());
                ps.setObject(i++, instrumentId);
                ps.setString(i++, facts.instrumentNameZh());
                ps.setString(i++, facts.instrumentNameEn());
                ps.setObject(i++, userId);
                ps.setTimestamp(i++, Timestamp.from(start));
                ps.setTimestamp(i++, Timestamp.from(end));
                ps.setString(i++, status);
                ps.setString(i++, homeStatus);
                ps.setString(i++, reason);
                ps.setString(i++, rateGroup);
                ps.setString(i++, account);
                ps.setObject(i++, facts.pricePerHourFen());
                ps.setObject(i++, estimate);
                ps.setLong(i++, version);
                ps.setObject(i++, event.eventId());
                ps.setTimestamp(i, Timestamp.from(event.occurredAt()));
                written = ps.executeUpdate();
            }
            if (written == 0) {
                return Applied.STALE;
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("ownerTenantId", owner.toString());
            details.put("status", status);
            details.put("version", version);
            details.put("eventId", event.eventId().toString());
            if (refuseNow) {
                details.put("reason", reason);
                Map<String, Object> command = new LinkedHashMap<>();
                command.put("bookingId", bookingId.toString());
                command.put("ownerTenantId", owner.toString());
                command.put("requesterTenantId", home.toString());
                command.put("requesterUserId", userId.toString());
                command.put("reason", HOME_REFUSED);
                command.put("detail", reason);
                command.put("bookingVersion", version);
                outbox.append(c, new Outbox.Event(FederationTopics.BOOKING_COMMAND, CANCEL_REQUESTED, 1, "booking", bookingId.toString(),
                        version, command));
                audit.append(c, AuditEntry.system("outside_booking.refused", "outside_booking", bookingId.toString(), details));
                return Applied.REFUSED;
            }
            audit.append(c, AuditEntry.system(stored == null ? "outside_booking.linked" : "outside_booking.updated",
                    "outside_booking", bookingId.toString(), details));
            return stored == null ? Applied.LINKED : Applied.UPDATED;
        });
    }

    /**
     * Why the home refuses a booking of its user (null: it does not): the home tenant is not active,
     * the user no longer signs in through an issuer the home trusts (membership), or the home's
     * finance closed the account code. Read in the home's transaction only.
     */
    static String refusal(Connection c, TenantId home, UUID userId, @Nullable String account) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select status from tenant where id = ?")) {
            ps.setObject(1, home.value());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || !"active".equals(rs.getString(1))) {
                    return "tenant_inactive";
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("select exists (select 1 from user_account u join trusted_issuer ti "
                + "on ti.issuer = u.issuer where u.id = ? and ti.enabled)")) {
            ps.setObject(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return "member_inactive";
                }
            }
        }
        if (account != null) {
            try (PreparedStatement ps = c.prepareStatement("select 1 from finance_account_block where account_code = ?")) {
                ps.setString(1, account);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return "account_closed";
                    }
                }
            }
        }
        return null;
    }

    /**
     * The owner's names and the instrument's published machine-time price per hour for the
     * booking's rate group: catalogue facts, read in one read-only transaction bound to the owner
     * (never written, never mixed with the home's transaction).
     */
    OwnerFacts ownerFacts(TenantId owner, UUID instrumentId, String rateGroup) {
        return tenants.inTenant(owner, c -> {
            String ownerZh = owner.toString();
            String ownerEn = owner.toString();
            try (PreparedStatement ps = c.prepareStatement("select name_zh, name_en from tenant where id = ?")) {
                ps.setObject(1, owner.value());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        ownerZh = rs.getString(1);
                        ownerEn = rs.getString(2);
                    }
                }
            }
            String nameZh = null;
            String nameEn = null;
            try (PreparedStatement ps = c.prepareStatement("select name_zh, name_en from instrument where id = ?")) {
                ps.setObject(1, instrumentId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        nameZh = rs.getString(1);
                        nameEn = rs.getString(2);
                    }
                }
            }
            Long price = null;
            try (PreparedStatement ps = c.prepareStatement("select amount_fen from instrument_price where instrument_id = ? "
                    + "and service_id is null and rate_group_code = ? and unit = 'hour'")) {
                ps.setObject(1, instrumentId);
                ps.setString(2, rateGroup);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        price = rs.getLong(1);
                    }
                }
            }
            return new OwnerFacts(ownerZh, ownerEn, nameZh, nameEn, price);
        });
    }

    /**
     * Price per hour × duration in whole fen, rounded half up (a 90-minute slot at 1,001 fen an hour
     * is 1,501.5 → 1,502 fen); null when no hourly price is published for the rate group.
     */
    static Long estimate(@Nullable Long pricePerHourFen, Instant start, Instant end) {
        if (pricePerHourFen == null) {
            return null;
        }
        long seconds = Duration.between(start, end).getSeconds();
        return BigDecimal.valueOf(pricePerHourFen).multiply(BigDecimal.valueOf(seconds))
                .divide(BigDecimal.valueOf(3600), 0, RoundingMode.HALF_UP).longValueExact();
    }

    // ------------------------------------------------------------------ reads (the home's API)

    /** Filters of a list; null: any. {@code userId} set: only that requester's records; {@code owner}: only bookings at that institution. */
    public record Filter(@Nullable UUID userId, @Nullable String status, @Nullable String homeStatus,
                         @Nullable String account, @Nullable Instant from, @Nullable Instant to, @Nullable UUID owner) {
        public Filter(@Nullable UUID userId, @Nullable String status, @Nullable String homeStatus,
                      @Nullable String account, @Nullable Instant from, @Nullable Instant to) {
            this(userId, status, homeStatus, account, from, to, null);
        }
    }

    /** One page of records, with the count and the estimated cost of every record the filter matches. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Page(List<OutsideBooking> items, int page, int size, long total, long totalEstimatedCostFen) {
    }

    public Page list(TenantId home, Filter f, int page, int size) {
        return tenants.inTenant(home, c -> {
            ZoneId zone = zone(c, home);
            String where = " where (?::uuid is null or requester_user_id = ?) and (?::text is null or status = ?) "
                    + "and (?::text is null or home_status = ?) and (?::text is null or account_code = ?) "
                    + "and (?::timestamptz is null or ends_at > ?) and (?::timestamptz is null or starts_at < ?) "
                    + "and (?::uuid is null or owner_tenant_id = ?)";
            long total;
            long cost;
            try (PreparedStatement ps = c.prepareStatement("select count(*), coalesce(sum(estimated_cost_fen) filter "
                    + "(where " + CHARGEABLE_SQL + "), 0) from outside_booking" + where)) {
                bind(ps, f, 1);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                    cost = rs.getLong(2);
                }
            }
            List<OutsideBooking> items = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from outside_booking" + where
                    + " order by starts_at desc, booking_id limit ? offset ?")) {
                int i = bind(ps, f, 1);
                ps.setInt(i++, size);
                ps.setLong(i, (long) page * size);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        items.add(read(rs, zone));
                    }
                }
            }
            return new Page(items, page, size, total, cost);
        });
    }

    /** One record, if the home holds it (and, with {@code userId}, if it is that user's). */
    public java.util.Optional<OutsideBooking> find(TenantId home, UUID bookingId, @Nullable UUID userId) {
        return tenants.inTenant(home, c -> {
            try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from outside_booking "
                    + "where booking_id = ? and (?::uuid is null or requester_user_id = ?)")) {
                ps.setObject(1, bookingId);
                ps.setObject(2, userId);
                ps.setObject(3, userId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? java.util.Optional.of(read(rs, zone(c, home))) : java.util.Optional.<OutsideBooking>empty();
                }
            }
        });
    }

    /**
     * One person's records for their "my bookings" page: those not yet ended at {@code now} first
     * (soonest first), then the ended ones (latest first), with the owner's slug for links to the
     * owner's pages (null when the owner is gone from the registry).
     */
    public BookingsElsewhere.Listing upcomingFirst(TenantId home, UUID userId, Instant now, int offset, int limit) {
        return tenants.inTenant(home, c -> {
            ZoneId zone = zone(c, home);
            long total;
            try (PreparedStatement ps = c.prepareStatement("select count(*) from outside_booking where requester_user_id = ?")) {
                ps.setObject(1, userId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<BookingsElsewhere.Item> items = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select o.booking_id, o.owner_tenant_id, t.slug, o.owner_name_zh, "
                    + "o.owner_name_en, o.instrument_id, o.instrument_name_zh, o.instrument_name_en, o.starts_at, o.ends_at, "
                    + "o.status, o.home_status, o.refusal_reason, o.rate_group, o.estimated_cost_fen "
                    + "from outside_booking o left join tenant t on t.id = o.owner_tenant_id and t.status = 'active' "
                    + "where o.requester_user_id = ? order by (o.ends_at <= ?), "
                    + "case when o.ends_at > ? then o.starts_at end asc, o.starts_at desc, o.booking_id limit ? offset ?")) {
                Timestamp at = Timestamp.from(now);
                ps.setObject(1, userId);
                ps.setTimestamp(2, at);
                ps.setTimestamp(3, at);
                ps.setInt(4, limit);
                ps.setLong(5, offset);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        items.add(new BookingsElsewhere.Item(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                                rs.getString(3), rs.getString(4), rs.getString(5), rs.getObject(6, UUID.class),
                                rs.getString(7), rs.getString(8), at(rs, 9, zone), at(rs, 10, zone), rs.getString(11),
                                rs.getString(12), rs.getString(13), rs.getString(14), (Long) rs.getObject(15, Long.class)));
                    }
                }
            }
            return new BookingsElsewhere.Listing(items, total);
        });
    }

    /** An institution or a person a filter can choose (from the home's records). */
    public record Choice(UUID id, String label, @Nullable String labelEn) {
    }

    /** The institutions where the home's people hold bookings (for a filter), by name. */
    public List<Choice> owners(TenantId home) {
        return tenants.inTenant(home, c -> {
            List<Choice> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select owner_tenant_id, max(owner_name_zh), max(owner_name_en) "
                    + "from outside_booking group by owner_tenant_id order by 2 limit 500");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Choice(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3)));
                }
            }
            return out;
        });
    }

    /** The home's people who hold bookings elsewhere (for a filter): display name, else e-mail, else id. */
    public List<Choice> requesters(TenantId home) {
        return tenants.inTenant(home, c -> {
            List<Choice> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select r.requester_user_id, coalesce(u.display_name, u.email, "
                    + "r.requester_user_id::text), u.email from (select distinct requester_user_id from outside_booking) r "
                    + "left join user_account u on u.id = r.requester_user_id order by 2 limit 1000");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Choice(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3)));
                }
            }
            return out;
        });
    }

    /** The home tenant's zone (records are shown in it). */
    public ZoneId zoneOf(TenantId home) {
        return tenants.inTenant(home, c -> zone(c, home));
    }

    private static final String COLUMNS = "booking_id, owner_tenant_id, owner_name_zh, owner_name_en, instrument_id, "
            + "instrument_name_zh, instrument_name_en, requester_user_id, starts_at, ends_at, status, home_status, "
            + "refusal_reason, rate_group, account_code, price_per_hour_fen, estimated_cost_fen, aggregate_version, "
            + "last_event_at, updated_at";

    private static OutsideBooking read(ResultSet rs, ZoneId zone) throws SQLException {
        return new OutsideBooking(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                rs.getString(4), rs.getObject(5, UUID.class), rs.getString(6), rs.getString(7),
                rs.getObject(8, UUID.class), at(rs, 9, zone), at(rs, 10, zone), rs.getString(11), rs.getString(12),
                rs.getString(13), rs.getString(14), rs.getString(15), (Long) rs.getObject(16, Long.class),
                (Long) rs.getObject(17, Long.class), rs.getLong(18), at(rs, 19, zone), at(rs, 20, zone));
    }

    private static int bind(PreparedStatement ps, Filter f, int i) throws SQLException {
        ps.setObject(i++, f.userId());
        ps.setObject(i++, f.userId());
        ps.setString(i++, f.status());
        ps.setString(i++, f.status());
        ps.setString(i++, f.homeStatus());
        ps.setString(i++, f.homeStatus());
        ps.setString(i++, f.account());
        ps.setString(i++, f.account());
        ps.setTimestamp(i++, f.from() == null ? null : Timestamp.from(f.from()));
        ps.setTimestamp(i++, f.from() == null ? null : Timestamp.from(f.from()));
        ps.setTimestamp(i++, f.to() == null ? null : Timestamp.from(f.to()));
        ps.setTimestamp(i++, f.to() == null ? null : Timestamp.from(f.to()));
        ps.setObject(i++, f.owner());
        ps.setObject(i++, f.owner());
        return i;
    }

    private static ZoneId zone(Connection c, TenantId tenant) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select time_zone from tenant where id = ?")) {
            ps.setObject(1, tenant.value());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? ZoneId.of(rs.getString(1)) : ZoneId.of("UTC");
            }
        }
    }

    private static OffsetDateTime at(ResultSet rs, int i, ZoneId zone) throws SQLException {
        Timestamp t = rs.getTimestamp(i);
        return t == null ? null : t.toInstant().atZone(zone).toOffsetDateTime();
    }

    // ------------------------------------------------------------------ finance's closed account codes

    /** A closed account code of the home's finance. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record AccountBlock(String accountCode, @Nullable String reason, @Nullable UUID blockedBy, OffsetDateTime blockedAt) {
    }

    public List<AccountBlock> blocks(TenantId home) {
        return tenants.inTenant(home, c -> {
            ZoneId zone = zone(c, home);
            List<AccountBlock> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select account_code, reason, blocked_by, blocked_at "
                    + "from finance_account_block order by account_code limit 1000");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new AccountBlock(rs.getString(1), rs.getString(2), rs.getObject(3, UUID.class), at(rs, 4, zone)));
                }
            }
            return out;
        });
    }

    /** Closes an account code (again: the reason is replaced). */
    public AccountBlock block(TenantId home, AuditEntry.Actor actor, UUID by, String code, @Nullable String reason) {
        return tenants.inTenant(home, c -> {
            try (PreparedStatement ps = c.prepareStatement("insert into finance_account_block (tenant_id, account_code, "
                    + "reason, blocked_by, blocked_at) values (app_tenant(), "
                    + "?, ?, ?, now()) on conflict (tenant_id, account_code) do update set reason = excluded.reason, "
                    + "blocked_by = excluded.blocked_by, blocked_at = excluded.blocked_at")) {
                ps.setString(1, code);
                ps.setString(2, reason);
                ps.setObject(3, by);
                ps.executeUpdate();
            }
            audit.append(c, actor.entry("finance_account.blocked", "finance_account", code,
                    Map.of("reason", reason == null ? "" : reason)));
            return new AccountBlock(code, reason, by, OffsetDateTime.now(zone(c, home)));
        });
    }

    /** Opens a closed account code; false when it was not closed. */
    public boolean unblock(TenantId home, AuditEntry.Actor actor, String code) {
        return tenants.inTenant(home, c -> {
            int n;
            try (PreparedStatement ps = c.prepareStatement("delete from finance_account_block where account_code = ?")) {
                ps.setString(1, code);
                n = ps.executeUpdate();
            }
            if (n > 0) {
                audit.append(c, actor.entry("finance_account.unblocked", "finance_account", code, Map.of()));
            }
            return n > 0;
        });
    }

    // ------------------------------------------------------------------ payload helpers

    private static String text(Map<String, Object> p, String key) {
        if (p.get(key) instanceof String s && !s.isBlank()) {
            return s;
        }
        throw new PoisonEventException("payload has no " + key);
    }

    private static UUID uuid(Map<String, Object> p, String key) {
        try {
            return UUID.fromString(text(p, key));
        } catch (IllegalArgumentException e) {
            throw new PoisonEventException("payload " + key + " is not a uuid", e);
        }
    }

    private static Instant instant(Map<String, Object> p, String key) {
        try {
            return Instant.parse(text(p, key));
        } catch (java.time.format.DateTimeParseException e) {
            throw new PoisonEventException("payload " + key + " is not an instant", e);
        }
    }
}

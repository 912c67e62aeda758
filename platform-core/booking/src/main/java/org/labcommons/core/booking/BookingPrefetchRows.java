package org.labcommons.core.booking;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.labcommons.core.problem.ProblemException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The first statement of a new booking, part of the booking aggregate's store ({@link BookingRows}
 * holds the rest). Plain JDBC on the caller's tenant-bound connection, because a repository method
 * cannot express it: in one round trip it takes the calendar's advisory lock and the instrument
 * row's key-share lock, and reads arrays (the unit chain, the priced rate groups) and the rule
 * rule columns ({@link BookingRuleRows#RULE_COLUMNS}); the booking path was tuned on this count
 * of statements and this lock order.
 */
@Singleton
public record BookingPrefetchRows(BookingRulesService rulesService) {
    /** What {@link #prefetch} read for a new booking. */
    record Prefetched(boolean bookable, BookingService.InstrumentAccess access, BookingRules rules,
                      Set<String> priceGroups, @Nullable Instant blockedUntil) {
    }

    /**
     * Takes the advisory lock on the instrument's calendar ({@link BookingRows#lockSlots}: racers
     * for one instrument queue instead of deadlocking in the exclusion check, and the count of the
     * user's future bookings read by the next statement holds) and the key-share lock on the
     * instrument row ({@link BookingRows#lockInstrumentShared}), and reads whether it may be booked
     * now, what the access decision needs (its unit chain and sharing scope), the tenant's time
     * zone, the rules, the rate groups with a machine-time price, and a no-show block of the user.
     * 404 when the bound tenant has no such instrument.
     */
    Prefetched prefetch(Connection c, UUID instrumentId, UUID userId, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select i.status in ('in_service', 'idle') and i.archived_at is null, "
                + "i.org_unit_id, i.sharing_scope, "
                + "(with recursive up(id, parent_id, depth) as (select id, parent_id, 0 from org_unit where id = i.org_unit_id "
                + "union all select o.id, o.parent_id, up.depth + 1 from org_unit o join up on o.id = up.parent_id "
                + "where up.depth < 64) select array_agg(id order by depth) from up), "
                + BookingRuleRows.TIME_ZONE + " as time_zone, "
                + "(select array_agg(distinct p.rate_group_code) from instrument_price p where p.instrument_id = i.id "
                + "and p.service_id is null), "
                + "(select max(k.blocked_until) from booking_block k where k.instrument_id = i.id and k.user_id = ? "
                + "and k.blocked_until > ?), "
                + "pg_advisory_xact_lock(hashtextextended(?, 0))::text, "
                + BookingRuleRows.RULE_COLUMNS + " "
                + "from instrument i left join booking_rules r on r.instrument_id = i.id "
                + "where i.id = ? for key share of i")) {
            ps.setObject(1, userId);
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setString(3, BookingRows.SLOT_LOCK_PREFIX + instrumentId);
            ps.setObject(4, instrumentId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw ProblemException.notFound();
                }
                List<UUID> chain = new ArrayList<>();
                java.sql.Array chainArray = rs.getArray(4);
                if (chainArray != null) {
                    for (Object o : (Object[]) chainArray.getArray()) {
                        chain.add((UUID) o);
                    }
                }
                Set<String> groups = new HashSet<>();
                java.sql.Array groupArray = rs.getArray(6);
                if (groupArray != null) {
                    for (Object o : (Object[]) groupArray.getArray()) {
                        groups.add((String) o);
                    }
                }
                Timestamp blocked = rs.getTimestamp(7);
                BookingRules rules = rulesService.read(stored(rs), instrumentId);
                return new Prefetched(rs.getBoolean(1), new BookingService.InstrumentAccess(instrumentId,
                        rs.getObject(2, UUID.class), rs.getString(3), List.copyOf(chain)), rules, groups,
                        blocked == null ? null : blocked.toInstant());
            }
        }
    }

    /** The rules and time zone of the current row, read by column name as {@link BookingRuleRows#stored} reads them. */
    private static BookingRuleRows.Stored stored(ResultSet rs) throws SQLException {
        return new BookingRuleRows.Stored(rs.getString("time_zone"), rs.getObject("instrument_id", UUID.class),
                rs.getString("weekly_hours"), rs.getString("closures"), rs.getObject("min_slot_minutes", Integer.class),
                rs.getObject("max_slot_minutes", Integer.class), rs.getObject("horizon_days", Integer.class),
                rs.getObject("min_notice_minutes", Integer.class), rs.getObject("buffer_minutes", Integer.class),
                rs.getObject("max_future_bookings", Integer.class), rs.getString("allowed_rate_groups"),
                rs.getString("approval_policy"), rs.getObject("cancellation_deadline_hours", Integer.class),
                rs.getObject("no_show_threshold", Integer.class), rs.getObject("no_show_block_days", Integer.class),
                rs.getObject("qualification_required", Boolean.class),
                rs.getObject("authorisation_expiry_days", Integer.class),
                rs.getObject("waitlist_offer_minutes", Integer.class), rs.getObject("version", Long.class));
    }

    /**
     * The time zone of the tenant bound to {@code c} ({@link BookingRulesService#timeZone}): plain
     * JDBC because its callers outside the booking stores pass their own connection.
     */
    static String timeZone(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + BookingRuleRows.TIME_ZONE);
             ResultSet rs = ps.executeQuery()) {
            return rs.next() && rs.getString(1) != null ? rs.getString(1) : "Asia/Shanghai";
        }
    }
}

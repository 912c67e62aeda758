package org.labcommons.core.booking;

import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpStatus;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/** Reads, validates and stores the booking rules of instruments (one row per instrument, defaults otherwise). */
@Singleton
public class BookingRulesService {
    private static final Pattern HHMM = Pattern.compile("^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$");
    private static final Argument<Map<String, List<BookingRules.Interval>>> HOURS_TYPE =
            Argument.mapOf(Argument.STRING, Argument.listOf(BookingRules.Interval.class));
    private static final Argument<List<BookingRules.Closure>> CLOSURES_TYPE = Argument.listOf(BookingRules.Closure.class);
    private static final int MAX_CLOSURES = 200;
    private static final int MAX_INTERVALS_PER_DAY = 12;

    private final TenantTransactions tenants;
    private final AuditLog audit;
    private final JsonMapper json;
    private final BookingClock clock;

    public BookingRulesService(TenantTransactions tenants, AuditLog audit, JsonMapper json, BookingClock clock) {
        this.tenants = tenants;
        this.audit = audit;
        this.json = json;
        this.clock = clock;
    }

    public BookingRules get(TenantId tenant, UUID instrumentId) {
        return tenants.inTenant(tenant, c -> rules(c, instrumentId));
    }

    /** The time zone of the tenant bound to {@code c}. */
    public static String timeZone(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select time_zone from tenant where id = app_tenant()");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getString(1) : "Asia/Shanghai";
        }
    }

    /**
     * The columns {@link #read(ResultSet, int, UUID, String)} expects, from {@code booking_rules}
     * aliased {@code r} (null when the instrument has no row: the defaults apply).
     */
    static final String RULE_COLUMNS = "r.weekly_hours::text, r.closures::text, r.min_slot_minutes, "
            + "r.max_slot_minutes, r.horizon_days, r.min_notice_minutes, r.buffer_minutes, r.max_future_bookings, "
            + "r.allowed_rate_groups, r.approval_policy, r.cancellation_deadline_hours, r.no_show_threshold, "
            + "r.no_show_block_days, r.qualification_required, r.authorisation_expiry_days, r.waitlist_offer_minutes, "
            + "r.version, r.instrument_id";
    /** The bound tenant's time zone, as a scalar subquery. */
    static final String TIME_ZONE_SQL =
            "(select time_zone from tenant where id = app_tenant())";

    /** The instrument's rules in the bound tenant, or the defaults (one statement: the tenant's zone and the row). */
    public BookingRules rules(Connection c, UUID instrumentId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + TIME_ZONE_SQL + ", " + RULE_COLUMNS
                + " from (select 1) one left join booking_rules r on r.instrument_id = ?")) {
            ps.setObject(1, instrumentId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                String zone = rs.getString(1);
                return read(rs, 2, instrumentId, zone == null ? "Asia/Shanghai" : zone);
            }
        }
    }

    /** The rules in the {@link #RULE_COLUMNS} starting at column {@code at} of the current row (the defaults when absent). */
    BookingRules read(ResultSet rs, int at, UUID instrumentId, String zone) throws SQLException {
        if (rs.getObject(at + 17) == null) {
            return BookingRules.defaults(instrumentId, zone);
        }
        Array groups = rs.getArray(at + 8);
        return new BookingRules(instrumentId, zone, true, rs.getLong(at + 16), hours(rs.getString(at)),
                closures(rs.getString(at + 1)), rs.getInt(at + 2), rs.getInt(at + 3), rs.getInt(at + 4),
                rs.getInt(at + 5), rs.getInt(at + 6), rs.getInt(at + 7),
                groups == null ? null : List.of((String[]) groups.getArray()),
                rs.getString(at + 9), rs.getInt(at + 10), rs.getInt(at + 11), rs.getInt(at + 12), rs.getBoolean(at + 13),
                rs.getInt(at + 14), rs.getInt(at + 15));
    }

    /** Replaces the instrument's rules with {@code input} (missing fields take the defaults). */
    public BookingRules put(TenantId tenant, AuditEntry.Actor actor, UUID instrumentId, BookingRulesInput input) {
        return tenants.inTenant(tenant, c -> {
            BookingRules current = rules(c, instrumentId);
            if (input.version() != null && input.version() != current.version()) {
                throw new ProblemException(HttpStatus.CONFLICT, "version_conflict", current.version());
            }
            BookingRules d = BookingRules.defaults(instrumentId, current.timeZone());
            BookingRules r = new BookingRules(instrumentId, current.timeZone(), true, current.version() + 1,
                    input.weeklyHours() == null ? d.weeklyHours() : normaliseDays(input.weeklyHours()),
                    input.closures() == null ? d.closures() : input.closures(),
                    or(input.minSlotMinutes(), d.minSlotMinutes()), or(input.maxSlotMinutes(), d.maxSlotMinutes()),
                    or(input.horizonDays(), d.horizonDays()), or(input.minNoticeMinutes(), d.minNoticeMinutes()),
                    or(input.bufferMinutes(), d.bufferMinutes()), or(input.maxFutureBookings(), d.maxFutureBookings()),
                    input.allowedRateGroups() == null || input.allowedRateGroups().isEmpty() ? null
                            : List.copyOf(input.allowedRateGroups()),
                    input.approvalPolicy() == null ? d.approvalPolicy() : input.approvalPolicy(),
                    or(input.cancellationDeadlineHours(), d.cancellationDeadlineHours()),
                    or(input.noShowThreshold(), d.noShowThreshold()), or(input.noShowBlockDays(), d.noShowBlockDays()),
                    input.qualificationRequired() == null ? d.qualificationRequired() : input.qualificationRequired(),
                    or(input.authorisationExpiryDays(), d.authorisationExpiryDays()),
                    or(input.waitlistOfferMinutes(), d.waitlistOfferMinutes()));
            List<FieldProblem> problems = validate(c, input, r);
            if (!problems.isEmpty()) {
                throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", problems);
            }
            try (PreparedStatement ps = c.prepareStatement("insert into booking_rules (tenant_id, instrument_id, "
                    + "weekly_hours, closures, min_slot_minutes, max_slot_minutes, horizon_days, min_notice_minutes, "
                    + "buffer_minutes, max_future_bookings, allowed_rate_groups, approval_policy, "
                    + "cancellation_deadline_hours, no_show_threshold, no_show_block_days, qualification_required, "
                    + "authorisation_expiry_days, waitlist_offer_minutes, version, updated_at) values "
                    + "(app_tenant(), ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?, ?, "
                    + "?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (tenant_id, instrument_id) do update set "
                    + "weekly_hours = excluded.weekly_hours, closures = excluded.closures, "
                    + "min_slot_minutes = excluded.min_slot_minutes, max_slot_minutes = excluded.max_slot_minutes, "
                    + "horizon_days = excluded.horizon_days, min_notice_minutes = excluded.min_notice_minutes, "
                    + "buffer_minutes = excluded.buffer_minutes, max_future_bookings = excluded.max_future_bookings, "
                    + "allowed_rate_groups = excluded.allowed_rate_groups, approval_policy = excluded.approval_policy, "
                    + "cancellation_deadline_hours = excluded.cancellation_deadline_hours, "
                    + "no_show_threshold = excluded.no_show_threshold, no_show_block_days = excluded.no_show_block_days, "
                    + "qualification_required = excluded.qualification_required, "
                    + "authorisation_expiry_days = excluded.authorisation_expiry_days, "
                    + "waitlist_offer_minutes = excluded.waitlist_offer_minutes, version = excluded.version, "
                    + "updated_at = excluded.updated_at where booking_rules.version = ?")) {
                int i = 1;
                ps.setObject(i++, instrumentId);
                ps.setString(i++, write(r.weeklyHours()));
                ps.setString(i++, write(r.closures()));
                ps.setInt(i++, r.minSlotMinutes());
                ps.setInt(i++, r.maxSlotMinutes());
                ps.setInt(i++, r.horizonDays());
                ps.setInt(i++, r.minNoticeMinutes());
                ps.setInt(i++, r.bufferMinutes());
                ps.setInt(i++, r.maxFutureBookings());
                ps.setArray(i++, r.allowedRateGroups() == null ? null
                        : c.createArrayOf("text", r.allowedRateGroups().toArray()));
                ps.setString(i++, r.approvalPolicy());
                ps.setInt(i++, r.cancellationDeadlineHours());
                ps.setInt(i++, r.noShowThreshold());
                ps.setInt(i++, r.noShowBlockDays());
                ps.setBoolean(i++, r.qualificationRequired());
                ps.setInt(i++, r.authorisationExpiryDays());
                ps.setInt(i++, r.waitlistOfferMinutes());
                ps.setLong(i++, r.version());
                ps.setTimestamp(i++, Timestamp.from(clock.now()));
                ps.setLong(i, current.version());
                if (ps.executeUpdate() == 0) {   // a concurrent PUT won
                    throw new ProblemException(HttpStatus.CONFLICT, "version_conflict", current.version() + 1);
                }
            }
            Map<String, Object> details = new HashMap<>();
            details.put("instrumentId", instrumentId.toString());
            details.put("version", r.version());
            details.put("approvalPolicy", r.approvalPolicy());
            audit.append(c, actor.entry("booking_rules.updated", "instrument", instrumentId.toString(), details));
            return rules(c, instrumentId);
        });
    }

    private static int or(Integer value, int fallback) {
        return value == null ? fallback : value;
    }

    /** Every weekday present (missing days: closed), in week order. */
    private static Map<String, List<BookingRules.Interval>> normaliseDays(Map<String, List<BookingRules.Interval>> in) {
        Map<String, List<BookingRules.Interval>> out = new LinkedHashMap<>();
        for (String day : BookingRules.WEEKDAYS) {
            List<BookingRules.Interval> list = in.get(day);
            out.put(day, list == null ? List.of() : list);
        }
        for (String key : in.keySet()) {   // unknown keys are kept so validation can name them
            if (!out.containsKey(key)) {
                out.put(key, in.get(key));
            }
        }
        return out;
    }

    private List<FieldProblem> validate(Connection c, BookingRulesInput input, BookingRules r) throws SQLException {
        List<FieldProblem> out = new ArrayList<>();
        for (Map.Entry<String, List<BookingRules.Interval>> day : r.weeklyHours().entrySet()) {
            String field = "weeklyHours." + day.getKey();
            if (!BookingRules.WEEKDAYS.contains(day.getKey())) {
                out.add(problem(field, "unknown_weekday", "validation.booking.unknown_weekday", Map.of()));
                continue;
            }
            List<BookingRules.Interval> intervals = day.getValue();
            if (intervals.size() > MAX_INTERVALS_PER_DAY) {
                out.add(problem(field, "too_many", "validation.booking.too_many", Map.of("max", MAX_INTERVALS_PER_DAY)));
                continue;
            }
            int previousEnd = -1;
            List<int[]> sorted = new ArrayList<>();
            for (int i = 0; i < intervals.size(); i++) {
                BookingRules.Interval iv = intervals.get(i);
                String f = field + "[" + i + "]";
                if (iv == null || iv.from() == null || iv.to() == null || !HHMM.matcher(iv.from()).matches()
                        || !HHMM.matcher(iv.to()).matches() || "24:00".equals(iv.from())) {
                    out.add(problem(f, "invalid_time", "validation.booking.invalid_time", Map.of()));
                    continue;
                }
                if (iv.fromMinutes() >= iv.toMinutes()) {
                    out.add(problem(f, "interval_order", "validation.booking.interval_order", Map.of()));
                    continue;
                }
                sorted.add(new int[]{iv.fromMinutes(), iv.toMinutes(), i});
            }
            sorted.sort((a, b) -> Integer.compare(a[0], b[0]));
            for (int[] iv : sorted) {
                if (iv[0] < previousEnd) {
                    out.add(problem(field + "[" + iv[2] + "]", "interval_overlap", "validation.booking.interval_overlap",
                            Map.of()));
                }
                previousEnd = Math.max(previousEnd, iv[1]);
            }
        }
        if (r.closures().size() > MAX_CLOSURES) {
            out.add(problem("closures", "too_many", "validation.booking.too_many", Map.of("max", MAX_CLOSURES)));
        } else {
            for (int i = 0; i < r.closures().size(); i++) {
                BookingRules.Closure cl = r.closures().get(i);
                if (cl == null || cl.from() == null || cl.to() == null) {
                    out.add(problem("closures[" + i + "]", "required", "validation.not_null", Map.of()));
                } else if (cl.to().isBefore(cl.from())) {
                    out.add(problem("closures[" + i + "]", "date_order", "validation.booking.date_order", Map.of()));
                } else if (cl.reason() != null && cl.reason().length() > 200) {
                    out.add(problem("closures[" + i + "].reason", "size", "validation.size", Map.of("min", 0, "max", 200)));
                }
            }
        }
        range(out, "minSlotMinutes", r.minSlotMinutes(), 5, 10080);
        range(out, "maxSlotMinutes", r.maxSlotMinutes(), 5, 10080);
        if (r.minSlotMinutes() > r.maxSlotMinutes()) {
            out.add(problem("maxSlotMinutes", "below_min_slot", "validation.booking.below_min_slot", Map.of()));
        }
        range(out, "horizonDays", r.horizonDays(), 1, 730);
        range(out, "minNoticeMinutes", r.minNoticeMinutes(), 0, 43200);
        range(out, "bufferMinutes", r.bufferMinutes(), 0, 240);
        range(out, "maxFutureBookings", r.maxFutureBookings(), 1, 1000);
        range(out, "cancellationDeadlineHours", r.cancellationDeadlineHours(), 0, 720);
        range(out, "noShowThreshold", r.noShowThreshold(), 1, 100);
        range(out, "noShowBlockDays", r.noShowBlockDays(), 1, 365);
        range(out, "authorisationExpiryDays", r.authorisationExpiryDays(), 0, 3650);
        range(out, "waitlistOfferMinutes", r.waitlistOfferMinutes(), 5, 10080);
        if (!BookingRules.APPROVAL_POLICIES.contains(r.approvalPolicy())) {
            out.add(problem("approvalPolicy", "unknown_value", "validation.booking.approval_policy", Map.of()));
        }
        if (r.allowedRateGroups() != null) {
            List<String> known = rateGroups(c);
            for (int i = 0; i < r.allowedRateGroups().size(); i++) {
                String code = r.allowedRateGroups().get(i);
                if (code == null || !known.contains(code)) {
                    out.add(problem("allowedRateGroups[" + i + "]", "unknown_rate_group",
                            "validation.booking.unknown_rate_group", Map.of("value", String.valueOf(code))));
                }
            }
        }
        return out;
    }

    /** The rate group codes of the bound tenant. */
    public static List<String> rateGroups(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select code from rate_group order by code");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static void range(List<FieldProblem> out, String field, int value, int min, int max) {
        if (value < min) {
            out.add(problem(field, "min", "validation.min", Map.of("value", min)));
        } else if (value > max) {
            out.add(problem(field, "max", "validation.max", Map.of("value", max)));
        }
    }

    static FieldProblem problem(String field, String code, String key, Map<String, Object> args) {
        return new FieldProblem(field, code, key, args);
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Parsed weekly hours and closures by their JSON text, so that a booking does not parse the
     * same rules again (the values are immutable; the map is cleared when it grows large).
     */
    private final java.util.concurrent.ConcurrentHashMap<String, Object> parsed = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_PARSED = 2048;

    private Map<String, List<BookingRules.Interval>> hours(String text) {
        Object cached = parsed.get("h" + text);
        if (cached != null) {
            @SuppressWarnings("unchecked")
            Map<String, List<BookingRules.Interval>> hit = (Map<String, List<BookingRules.Interval>>) cached;
            return hit;
        }
        Map<String, List<BookingRules.Interval>> value = new LinkedHashMap<>();
        read(text, HOURS_TYPE).forEach((day, list) -> value.put(day,
                list == null ? null : java.util.Collections.unmodifiableList(new ArrayList<>(list))));
        Map<String, List<BookingRules.Interval>> frozen = java.util.Collections.unmodifiableMap(value);
        remember("h" + text, frozen);
        return frozen;
    }

    private List<BookingRules.Closure> closures(String text) {
        Object cached = parsed.get("c" + text);
        if (cached != null) {
            @SuppressWarnings("unchecked")
            List<BookingRules.Closure> hit = (List<BookingRules.Closure>) cached;
            return hit;
        }
        List<BookingRules.Closure> list = read(text, CLOSURES_TYPE);
        List<BookingRules.Closure> frozen = list == null ? null : java.util.Collections.unmodifiableList(new ArrayList<>(list));
        if (frozen != null) {
            remember("c" + text, frozen);
        }
        return frozen;
    }

    private void remember(String key, Object value) {
        if (parsed.size() >= MAX_PARSED) {
            parsed.clear();
        }
        parsed.put(key, value);
    }

    private <T> T read(String text, Argument<T> type) {
        try {
            return json.readValue(text, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

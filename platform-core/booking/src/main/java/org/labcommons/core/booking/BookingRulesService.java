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
import java.sql.Connection;
import java.sql.SQLException;
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
    private final BookingRuleRows rows;

    public BookingRulesService(TenantTransactions tenants, AuditLog audit, JsonMapper json, BookingClock clock,
                               BookingRuleRows rows) {
        this.rows = rows;
        this.tenants = tenants;
        this.audit = audit;
        this.json = json;
        this.clock = clock;
    }

    public BookingRules get(TenantId tenant, UUID instrumentId) {
        return tenants.inTenant(tenant, c -> rules(c, instrumentId));
    }

    /**
     * The time zone of the tenant bound to {@code c}, for callers outside the booking stores that
     * pass their own connection (the samples' store); the booking stores read it themselves.
     */
    public static String timeZone(Connection c) throws SQLException {
        return BookingPrefetchRows.timeZone(c);
    }

    /** The instrument's rules in the bound tenant, or the defaults (one statement: the tenant's zone and the row). */
    public BookingRules rules(Connection c, UUID instrumentId) {
        return read(rows.stored(instrumentId), instrumentId);
    }

    /** The rules {@code stored} holds (the defaults when the instrument has no row), in the stored time zone. */
    BookingRules read(BookingRuleRows.Stored r, UUID instrumentId) {
        String zone = r.timeZone() == null ? "Asia/Shanghai" : r.timeZone();
        if (r.instrumentId() == null) {
            return BookingRules.defaults(instrumentId, zone);
        }
        List<String> groups = r.allowedRateGroups() == null ? null
                : r.allowedRateGroups().isEmpty() ? List.of() : List.of(r.allowedRateGroups().split(","));
        return new BookingRules(instrumentId, zone, true, r.version(), hours(r.weeklyHours()), closures(r.closures()),
                r.minSlotMinutes(), r.maxSlotMinutes(), r.horizonDays(), r.minNoticeMinutes(), r.bufferMinutes(),
                r.maxFutureBookings(), groups, r.approvalPolicy(), r.cancellationDeadlineHours(), r.noShowThreshold(),
                r.noShowBlockDays(), r.qualificationRequired(), r.authorisationExpiryDays(), r.waitlistOfferMinutes());
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
            long written = rows.write(instrumentId, write(r.weeklyHours()), write(r.closures()), r.minSlotMinutes(),
                    r.maxSlotMinutes(), r.horizonDays(), r.minNoticeMinutes(), r.bufferMinutes(), r.maxFutureBookings(),
                    r.allowedRateGroups() == null ? null : String.join(",", r.allowedRateGroups()), r.approvalPolicy(),
                    r.cancellationDeadlineHours(), r.noShowThreshold(), r.noShowBlockDays(), r.qualificationRequired(),
                    r.authorisationExpiryDays(), r.waitlistOfferMinutes(), r.version(), clock.now(), current.version());
            if (written == 0) {   // a concurrent PUT won
                throw new ProblemException(HttpStatus.CONFLICT, "version_conflict", current.version() + 1);
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
            List<String> known = rows.rateGroupCodes();
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

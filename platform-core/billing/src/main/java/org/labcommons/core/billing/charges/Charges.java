package org.labcommons.core.billing.charges;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import org.labcommons.core.booking.BookingClock;
import org.labcommons.core.catalog.ManagedInstruments;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Charges of a tenant: listing (with filters, for staff, users and the PI view), one charge with its items, shares
 * and disputes, and review: approve (posts), adjust (a delta or a new total: an {@code adjustment} item), waive (a
 * {@code waiver} item), each with a reason, never an edit of an amount; disputes opened by the charge's user and
 * resolved by staff (accepted: an adjustment item; rejected: a note). Who may is {@link ChargeAccess}'s; each change is
 * audited and emitted in its transaction ({@link ChargeWriter}).
 */
@Singleton
public record Charges(TenantTransactions tenants, ChargeRows rows, ChargeSourceRows sources, ChargeWriter writer,
                      ChargeEvents events, BookingClock clock) {
    /** The statuses of a charge. */
    public static final List<String> STATUSES = List.of("pending", "approved", "waived", "disputed");

    /** A page of the tenant's charges matching {@code filter} (newest service first), with no access rule applied. */
    public ChargeView.Page list(TenantId tenant, ChargeView.Filter filter, int page, int size) {
        return list(tenant, filter, ManagedInstruments.ALL, page, size);
    }

    /** The same, limited to the charges of the instruments in {@code managed}. */
    public ChargeView.Page list(TenantId tenant, ChargeView.Filter filter, ManagedInstruments managed, int page, int size) {
        checkFilter(filter);
        return tenants.inTenant(tenant, c -> {
            Instant[] range = range(filter.period());
            String[] instruments = managed.instruments().stream().map(UUID::toString).toArray(String[]::new);
            String[] units = managed.units().stream().map(UUID::toString).toArray(String[]::new);
            List<ChargeView> items = rows.page(filter.status(), filter.instrumentId(), filter.userId(),
                    filter.accountCode(), filter.unrated(), range[0], range[1], managed.all(), instruments, units,
                    page * size, size).stream().map(s -> ChargeView.of(s, null, null, null)).toList();
            return new ChargeView.Page(items, rows.count(filter.status(), filter.instrumentId(), filter.userId(),
                    filter.accountCode(), filter.unrated(), range[0], range[1], managed.all(), instruments, units),
                    page, size);
        });
    }

    /** One charge with its items, shares and disputes. */
    public Optional<ChargeView> find(TenantId tenant, UUID id) {
        return tenants.inTenant(tenant, c -> rows.find(id).map(s -> ChargeView.of(s, rows.items(id), rows.shares(id),
                rows.disputes(id))));
    }

    /** The open (or resolved) disputes of the charges of the instruments in {@code managed}, oldest first. */
    public List<ChargeRows.DisputeRow> disputes(TenantId tenant, String status, ManagedInstruments managed, int page,
                                                int size) {
        return tenants.inTenant(tenant, c -> rows.disputePage(status, managed.all(),
                managed.instruments().stream().map(UUID::toString).toArray(String[]::new),
                managed.units().stream().map(UUID::toString).toArray(String[]::new), page * size, size));
    }

    /** Approves a pending charge and posts it; 409 {@code wrong_state} unless pending, {@code charge_unrated} when nobody set its amount. */
    public ChargeView approve(TenantId tenant, Who who, UUID id) {
        tenants.inTenant(tenant, c -> {
            ChargeRows.Stored s = rows.lock(id).orElseThrow(ProblemException::notFound);
            if (!s.status().equals("pending")) {
                throw new ProblemException(HttpStatus.CONFLICT, "wrong_state", s.status());
            }
            if (s.unrated() && rows.items(id).stream().noneMatch(i -> i.kind().equals("adjustment"))) {
                throw new ProblemException(HttpStatus.CONFLICT, "charge_unrated");
            }
            writer.approve(c, tenant, s, who);
            return null;
        });
        return find(tenant, id).orElseThrow();
    }

    /**
     * Adjusts a pending, approved or disputed charge by a delta, or to a new total (exactly one), with a reason: an
     * {@code adjustment} item; an approved charge posts the delta. The amount never goes below zero.
     */
    public ChargeView adjust(TenantId tenant, Who who, UUID id, @Nullable Long deltaFen, @Nullable Long newTotalFen,
                             @Nullable String reason) {
        List<FieldProblem> problems = new ArrayList<>();
        if ((deltaFen == null) == (newTotalFen == null)) {
            problems.add(new FieldProblem(deltaFen == null ? "deltaFen" : "newTotalFen", "one_of",
                    "charge.validation.delta_or_total", Map.of()));
        }
        if (newTotalFen != null && newTotalFen < 0) {
            problems.add(new FieldProblem("newTotalFen", "min", "validation.min", Map.of("value", 0)));
        }
        reason(problems, "reason", reason, true);
        throwIfAny(problems);
        tenants.inTenant(tenant, c -> {
            ChargeRows.Stored s = rows.lock(id).orElseThrow(ProblemException::notFound);
            if (s.status().equals("waived")) {
                throw new ProblemException(HttpStatus.CONFLICT, "wrong_state", s.status());
            }
            long delta = deltaFen != null ? deltaFen : newTotalFen - s.amountFen();
            if (delta == 0) {
                throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", List.of(new FieldProblem(
                        deltaFen != null ? "deltaFen" : "newTotalFen", "no_change", "charge.validation.no_change", Map.of())));
            }
            if (s.amountFen() + delta < 0) {
                throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", List.of(new FieldProblem(
                        "deltaFen", "negative_total", "charge.validation.negative_total", Map.of("value", s.amountFen()))));
            }
            writer.item(c, tenant, s, "adjustment", delta, null, reason.strip(), who);
            return null;
        });
        return find(tenant, id).orElseThrow();
    }

    /** Waives a pending or approved charge with a reason: a {@code waiver} item of minus its amount (posted back when posted). */
    public ChargeView waive(TenantId tenant, Who who, UUID id, @Nullable String reason) {
        List<FieldProblem> problems = new ArrayList<>();
        reason(problems, "reason", reason, true);
        throwIfAny(problems);
        tenants.inTenant(tenant, c -> {
            ChargeRows.Stored s = rows.lock(id).orElseThrow(ProblemException::notFound);
            if (!s.status().equals("pending") && !s.status().equals("approved")) {
                throw new ProblemException(HttpStatus.CONFLICT, "wrong_state", s.status());
            }
            writer.waive(c, tenant, s, reason.strip(), who);
            return null;
        });
        return find(tenant, id).orElseThrow();
    }

    /** The charge's user disputes a pending or approved charge (one open dispute at a time): status disputed. */
    public ChargeView dispute(TenantId tenant, Who who, UUID id, @Nullable String reason) {
        List<FieldProblem> problems = new ArrayList<>();
        reason(problems, "reason", reason, true);
        throwIfAny(problems);
        tenants.inTenant(tenant, c -> {
            ChargeRows.Stored s = rows.lock(id).orElseThrow(ProblemException::notFound);
            if (!s.status().equals("pending") && !s.status().equals("approved")) {
                throw new ProblemException(HttpStatus.CONFLICT, "wrong_state", s.status());
            }
            UUID disputeId = UUID.randomUUID();
            rows.openDispute(disputeId, id, who.userId(), reason.strip(), clock.now());
            rows.status(id, "disputed", s.status(), clock.now());
            Map<String, Object> more = new LinkedHashMap<>();
            more.put("disputeId", disputeId.toString());
            more.put("reason", reason.strip());
            events.changed(c, who, "disputed", ChargeWriter.view(tenant, rows.find(id).orElseThrow()), more);
            return null;
        });
        return find(tenant, id).orElseThrow();
    }

    /**
     * Resolves an open dispute: accepted with an adjustment (a delta or a new total) and a note, or rejected with a
     * note (required). The charge returns to its status before the dispute; an approved one posts the adjustment.
     */
    public ChargeView resolve(TenantId tenant, Who who, UUID chargeId, UUID disputeId, boolean accept,
                              @Nullable Long deltaFen, @Nullable Long newTotalFen, @Nullable String note) {
        List<FieldProblem> problems = new ArrayList<>();
        if (accept && (deltaFen == null) == (newTotalFen == null)) {
            problems.add(new FieldProblem(deltaFen == null ? "deltaFen" : "newTotalFen", "one_of",
                    "charge.validation.delta_or_total", Map.of()));
        }
        reason(problems, "note", note, !accept);
        throwIfAny(problems);
        tenants.inTenant(tenant, c -> {
            ChargeRows.DisputeRow d = rows.lockDispute(disputeId).filter(x -> x.chargeId().equals(chargeId))
                    .orElseThrow(ProblemException::notFound);
            ChargeRows.Stored s = rows.lock(chargeId).orElseThrow(ProblemException::notFound);
            if (!d.status().equals("open")) {
                throw new ProblemException(HttpStatus.CONFLICT, "wrong_state", d.status());
            }
            String before = s.statusBeforeDispute() == null ? "pending" : s.statusBeforeDispute();
            rows.status(chargeId, before, null, clock.now());
            Integer seq = null;
            if (accept) {
                long delta = deltaFen != null ? deltaFen : newTotalFen - s.amountFen();
                if (s.amountFen() + delta < 0) {
                    throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", List.of(new FieldProblem(
                            "deltaFen", "negative_total", "charge.validation.negative_total", Map.of("value", s.amountFen()))));
                }
                if (delta != 0) {
                    seq = writer.item(c, tenant, rows.find(chargeId).orElseThrow(), "adjustment", delta, null,
                            "dispute accepted" + (note == null || note.isBlank() ? "" : ": " + note.strip()), who);
                }
            }
            rows.resolveDispute(disputeId, accept ? "accepted" : "rejected", who.userId(),
                    note == null || note.isBlank() ? null : note.strip(), seq, clock.now());
            Map<String, Object> more = new LinkedHashMap<>();
            more.put("disputeId", disputeId.toString());
            more.put("resolution", accept ? "accepted" : "rejected");
            more.put("note", note);
            events.changed(c, who, "dispute_resolved", ChargeWriter.view(tenant, rows.find(chargeId).orElseThrow()), more);
            return null;
        });
        return find(tenant, chargeId).orElseThrow();
    }

    /** The tenant's time zone (Asia/Shanghai when it has none or an unknown one). */
    public ZoneId zone(TenantId tenant) {
        try {
            return ZoneId.of(tenants.inTenant(tenant, c -> sources.tenantZone().orElse("Asia/Shanghai")));
        } catch (DateTimeException e) {
            return ZoneId.of("Asia/Shanghai");
        }
    }

    /** Field errors of a list's filters (400 {@code validation_failed}). */
    static void checkFilter(ChargeView.Filter f) {
        throwIfAny(filterProblems(f));
    }

    /** The field problems of a list's filters. */
    static List<FieldProblem> filterProblems(ChargeView.Filter f) {
        List<FieldProblem> problems = new ArrayList<>();
        if (f.status() != null && !STATUSES.contains(f.status())) {
            problems.add(new FieldProblem("status", "one_of", "charge.validation.status",
                    Map.of("values", String.join(", ", STATUSES))));
        }
        if (f.period() != null) {
            try {
                YearMonth.parse(f.period());
            } catch (DateTimeParseException e) {
                problems.add(new FieldProblem("period", "pattern", "charge.validation.period", Map.of()));
            }
        }
        return problems;
    }

    private Instant[] range(@Nullable String period) {
        if (period == null) {
            return new Instant[]{null, null};
        }
        ZoneId zone = ZoneId.of(sources.tenantZone().orElse("Asia/Shanghai"));
        YearMonth m = YearMonth.parse(period);
        return new Instant[]{m.atDay(1).atStartOfDay(zone).toInstant(), m.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant()};
    }

    private static void reason(List<FieldProblem> problems, String field, @Nullable String text, boolean required) {
        if (required && (text == null || text.isBlank())) {
            problems.add(new FieldProblem(field, "not_blank", "validation.not_blank", Map.of()));
        } else if (text != null && text.length() > 1000) {
            problems.add(new FieldProblem(field, "size", "validation.size", Map.of("min", 1, "max", 1000)));
        }
    }

    private static void throwIfAny(List<FieldProblem> problems) {
        if (!problems.isEmpty()) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", problems);
        }
    }

}

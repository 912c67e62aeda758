package org.labcommons.core.billing.subsidies;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.booking.BookingClock;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The open-testing fund's periods of one institution (V42 {@code subsidy_fund}): create, change, list, and each
 * period's consumption. Every change is audited ({@code subsidy_fund.created}, {@code subsidy_fund.updated}) in its
 * transaction. A period's budget never goes below what it paid ({@code budget_below_consumed}). What a charge gets
 * from the fund is {@link FundShares}'.
 */
@Singleton
public record Funds(TenantTransactions tenants, FundRows rows, AuditLog audit, BookingClock clock) {
    /** The largest budget of a period (fen): 100 billion yuan. */
    public static final long MAX_BUDGET_FEN = 10_000_000_000_000L;
    static final Pattern CATEGORY = Pattern.compile("^[a-z][a-z0-9_]{0,31}$");

    public Fund create(TenantId tenant, AuditEntry.Actor actor, UUID userId, Fund.Input in) {
        throwIfAny(check(in));
        Instant now = clock.now();
        return tenants.inTenant(tenant, c -> {
            UUID id = UUID.randomUUID();
            rows.insert(id, in.nameZh().strip(), in.nameEn().strip(), in.startsOn(), in.endsOn(), in.budgetFen(),
                    orZero(in.defaultShareBp()), ids(in.instrumentIds()), ids(in.orgUnitIds()),
                    in.active() == null || in.active(), now, userId);
            shares(id, in.sharesBp());
            if (in.coversOutside() != null) {
                rows.coversOutside(id, in.coversOutside());
            }
            Fund f = view(rows.find(id).orElseThrow());
            audit.append(c, actor.entry("subsidy_fund.created", "subsidy_fund", id.toString(), details(f)));
            return f;
        });
    }

    public Fund update(TenantId tenant, AuditEntry.Actor actor, UUID id, Fund.Input in) {
        throwIfAny(check(in));
        Instant now = clock.now();
        return tenants.inTenant(tenant, c -> {
            FundRows.Stored s = rows.lock(id).orElseThrow(ProblemException::notFound);
            if (in.budgetFen() < s.consumedFen()) {
                throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", List.of(new FieldProblem(
                        "budgetFen", "below_consumed", "subsidy.validation.budget_below_consumed",
                        Map.of("consumed", s.consumedFen()))));
            }
            rows.update(id, in.nameZh().strip(), in.nameEn().strip(), in.startsOn(), in.endsOn(), in.budgetFen(),
                    orZero(in.defaultShareBp()), ids(in.instrumentIds()), ids(in.orgUnitIds()),
                    in.active() == null || in.active(), now);
            rows.clearShares(id);
            shares(id, in.sharesBp());
            if (in.coversOutside() != null) {
                rows.coversOutside(id, in.coversOutside());
            }
            Fund f = view(rows.find(id).orElseThrow());
            audit.append(c, actor.entry("subsidy_fund.updated", "subsidy_fund", id.toString(), details(f)));
            return f;
        });
    }

    public java.util.Optional<Fund> find(TenantId tenant, UUID id) {
        return tenants.inTenant(tenant, c -> rows.find(id).map(this::view));
    }

    public Fund.Page list(TenantId tenant, int page, int size) {
        return tenants.inTenant(tenant, c -> new Fund.Page(rows.page(page * size, size).stream().map(this::view).toList(),
                rows.count(), page, size));
    }

    public Fund.UsePage consumption(TenantId tenant, UUID id, int page, int size) {
        return tenants.inTenant(tenant, c -> {
            rows.find(id).orElseThrow(ProblemException::notFound);
            return new Fund.UsePage(id, rows.consumptions(id, page * size, size).stream()
                    .map(u -> new Fund.Use(u.id(), u.chargeId(), u.chargeVersion(), u.userCategory(), u.shareBp(),
                            u.baseFen(), u.amountFen(), u.createdAt())).toList(), rows.countConsumptions(id), page, size);
        });
    }

    /** The field problems of a period's terms. */
    static List<FieldProblem> check(Fund.Input in) {
        List<FieldProblem> p = new ArrayList<>();
        text(p, "nameZh", in.nameZh());
        text(p, "nameEn", in.nameEn());
        if (in.startsOn() == null) {
            p.add(new FieldProblem("startsOn", "not_null", "validation.not_null", Map.of()));
        }
        if (in.endsOn() == null) {
            p.add(new FieldProblem("endsOn", "not_null", "validation.not_null", Map.of()));
        } else if (in.startsOn() != null && in.endsOn().isBefore(in.startsOn())) {
            p.add(new FieldProblem("endsOn", "before_start", "subsidy.validation.ends_before_start", Map.of()));
        }
        if (in.budgetFen() == null) {
            p.add(new FieldProblem("budgetFen", "not_null", "validation.not_null", Map.of()));
        } else if (in.budgetFen() < 0 || in.budgetFen() > MAX_BUDGET_FEN) {
            p.add(new FieldProblem("budgetFen", "range", "subsidy.validation.range", Map.of("min", 0, "max", MAX_BUDGET_FEN)));
        }
        if (in.defaultShareBp() != null && (in.defaultShareBp() < 0 || in.defaultShareBp() > 10_000)) {
            p.add(new FieldProblem("defaultShareBp", "range", "subsidy.validation.range", Map.of("min", 0, "max", 10_000)));
        }
        if (in.sharesBp() != null) {
            in.sharesBp().forEach((k, v) -> {
                if (k == null || !CATEGORY.matcher(k).matches()) {
                    p.add(new FieldProblem("sharesBp." + k, "category", "subsidy.validation.category", Map.of()));
                } else if (v == null || v < 0 || v > 10_000) {
                    p.add(new FieldProblem("sharesBp." + k, "range", "subsidy.validation.range", Map.of("min", 0, "max", 10_000)));
                }
            });
        }
        return p;
    }

    private static void text(List<FieldProblem> p, String field, @Nullable String v) {
        if (v == null || v.isBlank()) {
            p.add(new FieldProblem(field, "not_blank", "validation.not_blank", Map.of()));
        } else if (v.strip().length() > 200) {
            p.add(new FieldProblem(field, "size", "validation.size", Map.of("min", 1, "max", 200)));
        }
    }

    static void throwIfAny(List<FieldProblem> problems) {
        if (!problems.isEmpty()) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", problems);
        }
    }

    private void shares(UUID id, @Nullable Map<String, Integer> shares) {
        if (shares != null) {
            shares.forEach((k, v) -> rows.insertShare(id, k, v));
        }
    }

    Fund view(FundRows.Stored s) {
        Map<String, Integer> shares = new LinkedHashMap<>();
        rows.shares(s.id()).forEach(r -> shares.put(r.userCategory(), r.shareBp()));
        return new Fund(s.id(), s.nameZh(), s.nameEn(), s.startsOn(), s.endsOn(), s.budgetFen(), s.consumedFen(),
                s.budgetFen() - s.consumedFen(), s.defaultBp(), shares, uuids(s.instrumentIds()), uuids(s.orgUnitIds()),
                s.active(), s.createdAt(), s.updatedAt(), s.coversOutside());
    }

    private static Map<String, Object> details(Fund f) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("startsOn", f.startsOn().toString());
        d.put("endsOn", f.endsOn().toString());
        d.put("budgetFen", f.budgetFen());
        d.put("defaultShareBp", f.defaultShareBp());
        d.put("sharesBp", f.sharesBp());
        d.put("active", f.active());
        d.put("coversOutside", f.coversOutside());
        return d;
    }

    private static @Nullable String ids(@Nullable List<UUID> ids) {
        return ids == null || ids.isEmpty() ? null : ids.stream().map(UUID::toString).collect(Collectors.joining(","));
    }

    private static @Nullable List<UUID> uuids(@Nullable String text) {
        return text == null || text.isBlank() ? null : Arrays.stream(text.split(",")).map(UUID::fromString).toList();
    }

    private static int orZero(@Nullable Integer v) {
        return v == null ? 0 : v;
    }
}

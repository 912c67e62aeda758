package org.labcommons.core.billing.interinst;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.billing.ledger.Ledger;
import org.labcommons.core.billing.ledger.LedgerClock;
import org.labcommons.core.billing.ledger.Line;
import org.labcommons.core.billing.ledger.NewTransaction;
import org.labcommons.core.billing.ledger.Posted;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Disbursement (拨款, docs/billing.md "Between institutions"): once a quarter has ended, each lab's revenue collected in
 * it (the {@code 6001.lab.<unit>} entries of the quarter's three ledger periods, credits positive, net of waivers and
 * reversals) is split between the lab, its department (the nearest unit of kind {@code department} above it; none:
 * the institution) and the institution by the configured basis points (the unit's override, else the institution's
 * default, else {@code labcommons.billing.interinst.default-*-bp}), rounded by the largest remainder ({@link Split}).
 *
 * <p>Posting per lab, one transaction (key {@code disbursement:<quarter>:<unit>}): debit {@code 6001.clearing} the
 * lab's revenue (a contra-revenue account: the revenue allocated; the lab's own revenue account keeps what it earned),
 * credit {@code 2241.disbursement.lab.<unit>}, {@code 2241.disbursement.department.<unit>} and
 * {@code 2241.disbursement.institution} their parts (liabilities: the amounts due to each budget until finance pays
 * them out). One run per quarter: the run, its lines and the postings commit together; a second run of the quarter
 * returns the first and adds nothing.
 */
@Singleton
public class Disbursement {
    private final TenantTransactions tenants;
    private final Ledger ledger;
    private final LedgerClock clock;
    private final InterinstAccounts accounts;
    private final InterinstRows facts;
    private final DisbursementRows rows;
    private final AuditLog audit;
    private final InterinstSettings settings;

    public Disbursement(TenantTransactions tenants, Ledger ledger, LedgerClock clock, InterinstAccounts accounts,
                        InterinstRows facts, DisbursementRows rows, AuditLog audit, InterinstSettings settings) {
        this.tenants = tenants;
        this.ledger = ledger;
        this.clock = clock;
        this.accounts = accounts;
        this.facts = facts;
        this.rows = rows;
        this.audit = audit;
        this.settings = settings;
    }

    /** The split in force: the default (unit null) and the per-unit overrides. */
    @Serdeable
    public record DisbursementShares(DisbursementRows.DisbursementShare defaults, List<DisbursementRows.DisbursementShare> overrides) {
    }

    /** A run with its lines; {@code created} false when the quarter had run before (nothing added). */
    @Serdeable
    public record DisbursementView(DisbursementRows.DisbursementRun run, List<DisbursementRows.DisbursementLine> lines, boolean created) {
    }

    /** A page of runs. */
    @Serdeable
    public record DisbursementPage(List<DisbursementRows.DisbursementRun> items, long total, int page, int size) {
    }

    public DisbursementShares shares(TenantId tenant) {
        return tenants.inTenant(tenant, c -> {
            List<DisbursementRows.DisbursementShare> all = rows.shares();
            DisbursementRows.DisbursementShare defaults = all.stream().filter(s -> s.unitId() == null).findFirst()
                    .orElse(new DisbursementRows.DisbursementShare(null, settings.getDefaultLabBp(), settings.getDefaultDepartmentBp(),
                            settings.getDefaultInstitutionBp(), null, clock.now()));
            return new DisbursementShares(defaults, all.stream().filter(s -> s.unitId() != null).toList());
        });
    }

    /** Sets the default split (unit null) or a unit's; the three must be 0..10,000 and sum to 10,000 (422 otherwise). */
    public DisbursementShares setShares(TenantId tenant, @Nullable UUID unit, @Nullable Integer lab, @Nullable Integer department,
                            @Nullable Integer institution, UUID user, AuditEntry.Actor who) {
        List<ProblemException.FieldProblem> problems = new ArrayList<>();
        check(problems, "labBp", lab);
        check(problems, "departmentBp", department);
        check(problems, "institutionBp", institution);
        if (problems.isEmpty() && lab + department + institution != 10_000) {
            problems.add(new ProblemException.FieldProblem("labBp", "sum", "interinst.validation.shares_sum", Map.of()));
        }
        tenants.inTenant(tenant, c -> {
            if (unit != null && facts.units().stream().noneMatch(u -> u.id().equals(unit))) {
                problems.add(new ProblemException.FieldProblem("unitId", "unknown", "interinst.validation.unit_unknown", Map.of()));
            }
            if (!problems.isEmpty()) {
                throw new ProblemException(HttpStatus.UNPROCESSABLE_ENTITY, "validation_failed", problems);
            }
            rows.upsertShare(UUID.randomUUID(), unit, lab, department, institution, user);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("unitId", String.valueOf(unit));
            details.put("labBp", lab);
            details.put("departmentBp", department);
            details.put("institutionBp", institution);
            audit.append(c, who.entry("disbursement.shares_set", "disbursement_share", unit == null ? null : unit.toString(), details));
            return null;
        });
        return shares(tenant);
    }

    /** Runs the quarter ({@code YYYY-Qn}, ended in the tenant's zone) once; again, returns the first run. */
    public DisbursementView run(TenantId tenant, String quarter, @Nullable UUID user, AuditEntry.Actor who) {
        YearMonth[] months = months(quarter);
        record Plan(UUID unit, @Nullable InterinstRows.Unit department, long revenue, int labBp, int departmentBp, int institutionBp,
                    Split split) {
        }
        record Prepared(List<Plan> plans, Map<UUID, InterinstRows.Unit> units, @Nullable DisbursementRows.DisbursementRun existing) {
        }
        Prepared prepared = tenants.inTenant(tenant, c -> {
            var existing = rows.runOf(quarter);
            if (existing.isPresent()) {
                return new Prepared(List.of(), Map.of(), existing.get());
            }
            String zone = facts.tenants(new String[]{tenant.toString()}).get(0).timeZone();
            if (!months[2].isBefore(YearMonth.from(clock.now().atZone(ZoneId.of(zone))))) {
                throw Netting.field("quarter", "quarter_not_ended");
            }
            Map<UUID, InterinstRows.Unit> units = new HashMap<>();
            facts.units().forEach(u -> units.put(u.id(), u));
            DisbursementShares shares = shares(tenant);
            Map<UUID, DisbursementRows.DisbursementShare> overrides = new HashMap<>();
            shares.overrides().forEach(s -> overrides.put(s.unitId(), s));
            List<Plan> plans = new ArrayList<>();
            String[] periods = {months[0].toString(), months[1].toString(), months[2].toString()};
            for (InterinstRows.CodeBalance revenue : facts.labRevenue(periods)) {
                UUID unit = unitOf(revenue.code());
                if (unit == null || revenue.balanceFen() <= 0 || !units.containsKey(unit)) {
                    continue; // nothing collected (or a code that names no unit of the tenant): nothing to split
                }
                DisbursementRows.DisbursementShare s = overrides.getOrDefault(unit, shares.defaults());
                InterinstRows.Unit department = departmentOf(units, unit);
                plans.add(new Plan(unit, department, revenue.balanceFen(), s.labBp(), s.departmentBp(), s.institutionBp(),
                        Split.of(revenue.balanceFen(), s.labBp(), s.departmentBp(), s.institutionBp())));
            }
            return new Prepared(plans, units, null);
        });
        if (prepared.existing() != null) {
            return view(tenant, prepared.existing().id(), false);
        }
        accounts.clearing(tenant);
        accounts.disbursementShare(tenant, "institution", "本单位", "the institution", null);
        for (Plan p : prepared.plans()) {
            InterinstRows.Unit lab = prepared.units().get(p.unit());
            accounts.disbursementShare(tenant, "lab." + p.unit(), lab.nameZh(), lab.nameEn(), p.unit());
            if (p.department() != null) {
                accounts.disbursementShare(tenant, "department." + p.department().id(), p.department().nameZh(),
                        p.department().nameEn(), p.department().id());
            }
        }
        UUID runId = UUID.randomUUID();
        boolean created = tenants.inTenant(tenant, c -> {
            long total = prepared.plans().stream().mapToLong(Plan::revenue).sum();
            if (rows.insertRun(runId, quarter, total, prepared.plans().size(), user) == 0) {
                return false; // a concurrent run of the quarter committed first
            }
            for (Plan p : prepared.plans()) {
                long labPart = p.split().labFen();
                long deptPart = p.department() == null ? 0 : p.split().departmentFen();
                long instPart = p.split().institutionFen() + (p.department() == null ? p.split().departmentFen() : 0);
                List<Line> lines = new ArrayList<>();
                lines.add(new Line(InterinstAccounts.CLEARING, p.revenue()));
                if (labPart != 0) {
                    lines.add(new Line(InterinstAccounts.disbursement("lab." + p.unit()), -labPart));
                }
                if (deptPart != 0) {
                    lines.add(new Line(InterinstAccounts.disbursement("department." + p.department().id()), -deptPart));
                }
                if (instPart != 0) {
                    lines.add(new Line(InterinstAccounts.disbursement("institution"), -instPart));
                }
                Posted posted = ledger.post(tenant, new NewTransaction("disbursement:" + quarter + ":" + p.unit(), "disbursement",
                        "disbursement_run", runId.toString(), "disbursement " + quarter, "disbursement", lines));
                rows.insertLine(runId, p.unit(), p.department() == null ? null : p.department().id(), p.revenue(), p.labBp(),
                        p.departmentBp(), p.institutionBp(), labPart, deptPart, instPart, posted.transactionId());
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("quarter", quarter);
            details.put("labs", prepared.plans().size());
            details.put("totalFen", total);
            audit.append(c, who.entry("disbursement.run", "disbursement_run", runId.toString(), details));
            return true;
        });
        if (!created) {
            return view(tenant, tenants.inTenant(tenant, c -> rows.runOf(quarter)).orElseThrow().id(), false);
        }
        return view(tenant, runId, true);
    }

    public DisbursementPage runs(TenantId tenant, int page, int size) {
        return tenants.inTenant(tenant, c -> new DisbursementPage(rows.runs(size, (long) page * size), rows.countRuns(), page, size));
    }

    public DisbursementView view(TenantId tenant, UUID runId, boolean created) {
        return tenants.inTenant(tenant, c -> new DisbursementView(rows.run(runId).orElseThrow(ProblemException::notFound),
                rows.lines(runId), created));
    }

    /** The three months of {@code YYYY-Qn}; a malformed quarter is 400 on the field {@code quarter}. */
    static YearMonth[] months(@Nullable String quarter) {
        if (quarter == null || !quarter.matches("^[0-9]{4}-Q[1-4]$")) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", List.of(
                    new ProblemException.FieldProblem("quarter", "format", "validation.invalid_format", Map.of())));
        }
        int year = Integer.parseInt(quarter.substring(0, 4));
        int q = quarter.charAt(6) - '0';
        YearMonth first = YearMonth.of(year, 3 * q - 2);
        return new YearMonth[]{first, first.plusMonths(1), first.plusMonths(2)};
    }

    private static void check(List<ProblemException.FieldProblem> problems, String field, @Nullable Integer bp) {
        if (bp == null) {
            problems.add(new ProblemException.FieldProblem(field, "not_null", "validation.not_null", Map.of()));
        } else if (bp < 0 || bp > 10_000) {
            problems.add(new ProblemException.FieldProblem(field, "range", "interinst.validation.bp_range", Map.of()));
        }
    }

    private static UUID unitOf(String code) {
        try {
            return UUID.fromString(code.substring("6001.lab.".length()));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static InterinstRows.Unit departmentOf(Map<UUID, InterinstRows.Unit> units, UUID unit) {
        InterinstRows.Unit u = units.get(unit);
        for (int depth = 0; u != null && u.parentId() != null && depth < 20; depth++) {
            u = units.get(u.parentId());
            if (u != null && "department".equals(u.kind())) {
                return u;
            }
        }
        return null;
    }
}

package org.labcommons.core.billing.closing;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.OrderUtil;
import io.micronaut.http.HttpStatus;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.billing.ledger.Entry;
import org.labcommons.core.billing.ledger.Ledger;
import org.labcommons.core.billing.ledger.LedgerClock;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The month close of a tenant (docs/billing.md, "Month close, statements and finance files"): a pre-check of what the
 * finance system would reject and of what else blocks ({@link CloseBlockers}); the close itself, in one tenant
 * transaction: the ledger's period closed ({@link Ledger#closePeriod}), a statement per payer account
 * ({@code 1122.payer.}, {@code 1122.person.}, {@code 1122.tenant.}) with entries in the month, the finance deduction
 * file (CSV and xlsx, {@link FinanceFiles}) with SHA-256 checksums, stored (V44) and audited
 * ({@code month_close.closed}). A second close of the same month adds nothing and answers the first (replayed).
 */
@Singleton
public class MonthCloses {
    /** The payer accounts statements are made for, by the code's prefix (issue 17 contract). */
    public static final List<String> PAYER_PREFIXES = List.of("1122.payer.", "1122.person.", "1122.tenant.");
    /** The one prefix of monthly post-paid payers, deducted through the finance file. */
    public static final String POST_PAID = "1122.payer.";
    private final TenantTransactions tenants;
    private final Ledger ledger;
    private final LedgerClock clock;
    private final CloseRows rows;
    private final AuditLog audit;
    private final List<StatementPayers> payers;
    private final List<CloseBlockers> blockers;
    private final ClosingSettings settings;
    private final StatementDocuments documents;

    public MonthCloses(TenantTransactions tenants, Ledger ledger, LedgerClock clock, CloseRows rows, AuditLog audit,
                       List<StatementPayers> payers, List<CloseBlockers> blockers, ClosingSettings settings,
                       StatementDocuments documents) {
        this.tenants = tenants;
        this.ledger = ledger;
        this.clock = clock;
        this.rows = rows;
        this.audit = audit;
        this.payers = new ArrayList<>(payers);
        this.payers.sort(OrderUtil.COMPARATOR);
        this.blockers = new ArrayList<>(blockers);
        this.blockers.sort(OrderUtil.COMPARATOR);
        this.settings = settings;
        this.documents = documents;
    }

    /** The pre-check's answer: whether the month is closed already, how many statements it would make, what blocks. */
    @Serdeable
    public record PreCheck(String period, boolean closed, boolean closable, int statements, List<Blocker> blockers) {
    }

    /** A closed month with its files (and checksums) and statements. */
    @Serdeable
    public record MonthClose(String period, Instant closedAt, String closedBy, int statementCount, int deductionRows,
                             long deductionFen, List<CloseRows.FileInfo> files, @Nullable List<CloseRows.Statement> statements) {
    }

    /** A close's answer; {@code replayed} when the month had been closed before (nothing was added). */
    @Serdeable
    public record Closed(MonthClose close, boolean replayed) {
    }

    /** A page of closed months, newest first. */
    @Serdeable
    public record Page(List<MonthClose> items, long total, int page, int size) {
    }

    /** A file to download. */
    public record Document(String name, String contentType, String sha256, byte[] content) {
    }

    public PreCheck preCheck(TenantId tenant, YearMonth period) {
        String p = period.toString();
        return tenants.inTenant(tenant, c -> {
            if (rows.byPeriod(p).isPresent()) {
                return new PreCheck(p, true, false, 0, List.of());
            }
            List<CloseRows.Activity> activity = rows.activity(p, patterns(PAYER_PREFIXES));
            List<Blocker> found = check(c, tenant, period, activity, new HashMap<>());
            if (!ended(period)) {
                found.add(0, new Blocker("month_not_ended", p, null));
            }
            return new PreCheck(p, false, found.isEmpty(), activity.size(), found);
        });
    }

    /**
     * Closes the month (see the class comment). Refused: 409 {@code month_not_ended} before the month is over in the
     * tenant's zone, 409 {@code close_blocked} with a field problem per blocker, 409 {@code ledger_earlier_period_open}.
     */
    public Closed close(TenantId tenant, YearMonth period, AuditEntry.Actor actor, String actorName) {
        String p = period.toString();
        return tenants.inTenant(tenant, c -> {
            rows.lock(p);
            Optional<CloseRows.Close> before = rows.byPeriod(p);
            if (before.isPresent()) {
                return new Closed(view(before.get(), false), true);
            }
            if (!ended(period)) {
                throw new ProblemException(HttpStatus.CONFLICT, "month_not_ended", p);
            }
            if (!"closed".equals(rows.periodStatus(p).orElse("open"))) {
                ledger.closePeriod(tenant, period, actorName);   // joins this transaction; waits for postings in flight
            }
            List<CloseRows.Activity> activity = rows.activity(p, patterns(PAYER_PREFIXES));
            Map<String, Optional<PayerInfo>> infos = new HashMap<>();
            List<Blocker> found = check(c, tenant, period, activity, infos);
            if (!found.isEmpty()) {
                List<FieldProblem> problems = new ArrayList<>();
                for (int i = 0; i < found.size(); i++) {
                    Blocker b = found.get(i);
                    problems.add(new FieldProblem("blockers[" + i + "]", b.code(), "closing.blocker." + b.code(),
                            Map.of("reference", b.reference())));
                }
                throw new ProblemException(HttpStatus.CONFLICT, "close_blocked", problems, found.size());
            }
            return new Closed(store(c, p, activity, infos, actor, actorName), false);
        });
    }

    private MonthClose store(Connection c, String p, List<CloseRows.Activity> activity, Map<String, Optional<PayerInfo>> infos,
                             AuditEntry.Actor actor, String actorName) throws SQLException {
        int n = activity.size();
        String[] codes = new String[n];
        String[] kinds = new String[n];
        String[] zh = new String[n];
        String[] en = new String[n];
        String[] financeCodes = new String[n];
        String[] grantCodes = new String[n];
        String[] opening = new String[n];
        String[] debits = new String[n];
        String[] credits = new String[n];
        String[] entries = new String[n];
        List<FinanceFiles.Row> deductions = new ArrayList<>();
        long deductionFen = 0;
        for (int i = 0; i < n; i++) {
            CloseRows.Activity a = activity.get(i);
            Optional<PayerInfo> info = infos.computeIfAbsent(a.code(), code -> info(c, code));
            codes[i] = a.code();
            kinds[i] = kindOf(a.code());
            zh[i] = info.map(PayerInfo::nameZh).filter(s -> !s.isBlank()).orElse(a.nameZh());
            en[i] = info.map(PayerInfo::nameEn).filter(s -> !s.isBlank()).orElse(a.nameEn());
            financeCodes[i] = info.map(PayerInfo::financeCode).orElse(null);
            grantCodes[i] = info.map(PayerInfo::code).orElse(null);
            opening[i] = Long.toString(a.openingFen());
            debits[i] = Long.toString(a.debitsFen());
            credits[i] = Long.toString(a.creditsFen());
            entries[i] = Integer.toString(a.entries());
            long net = Math.addExact(a.debitsFen(), a.creditsFen());
            if (a.code().startsWith(POST_PAID) && net != 0) {
                deductions.add(new FinanceFiles.Row(financeCodes[i], grantCodes[i], zh[i], net, a.code()));
                deductionFen = Math.addExact(deductionFen, net);
            }
        }
        UUID id = UUID.randomUUID();
        Instant now = clock.now();
        rows.insert(id, p, now, actorName, n, deductions.size(), deductionFen);
        if (n > 0) {
            rows.insertStatements(id, codes, kinds, zh, en, financeCodes, grantCodes, opening, debits, credits, entries);
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("period", p);
        details.put("statements", n);
        details.put("deductionRows", deductions.size());
        details.put("deductionFen", deductionFen);
        for (String[] f : new String[][]{{FinanceFiles.CSV, FinanceFiles.CSV_TYPE}, {FinanceFiles.XLSX, FinanceFiles.XLSX_TYPE}}) {
            byte[] bytes = f[0].equals(FinanceFiles.CSV) ? FinanceFiles.csv(deductions) : FinanceFiles.xlsx(deductions);
            String sha = FinanceFiles.sha256(bytes);
            rows.insertFile(id, f[0], f[1], sha, bytes.length, bytes);
            details.put(f[0], sha);
        }
        audit.append(c, actor.entry("month_close.closed", "month_close", p, details));
        return view(rows.byPeriod(p).orElseThrow(), false);
    }

    /** What the finance system would reject, and what the {@link CloseBlockers} say, in this order. */
    private List<Blocker> check(Connection c, TenantId tenant, YearMonth period, List<CloseRows.Activity> activity,
                                Map<String, Optional<PayerInfo>> infos) throws SQLException {
        List<Blocker> out = new ArrayList<>();
        for (CloseRows.Activity a : activity) {
            if (!a.code().startsWith(POST_PAID)) {
                continue;
            }
            Optional<PayerInfo> info = infos.computeIfAbsent(a.code(), code -> info(c, code));
            if (info.isEmpty() || info.get().financeCode() == null || info.get().financeCode().isBlank()) {
                out.add(new Blocker("no_finance_code", a.code(), info.map(PayerInfo::nameZh).orElse(a.nameZh())));
            } else if ("expired".equals(info.get().status())
                    || info.get().validTo() != null && info.get().validTo().isBefore(period.atEndOfMonth())) {
                out.add(new Blocker("grant_expired", a.code(), info.get().nameZh() + " " + info.get().validTo()));
            } else if (!"active".equals(info.get().status())) {
                out.add(new Blocker("grant_closed", a.code(), info.get().nameZh() + " " + info.get().status()));
            }
        }
        for (String code : rows.unknownAccounts(period.toString(), patterns(settings.knownAccounts()))) {
            out.add(new Blocker("unknown_account", code, null));
        }
        for (CloseBlockers b : blockers) {
            out.addAll(b.blockers(c, tenant, period));
        }
        return out;
    }

    private Optional<PayerInfo> info(Connection c, String code) {
        for (StatementPayers p : payers) {
            Optional<PayerInfo> info = p.info(c, code);
            if (info.isPresent()) {
                return info;
            }
        }
        return Optional.empty();
    }

    /** Whether the month is over in the tenant's zone (the bound tenant; inside a tenant transaction). */
    private boolean ended(YearMonth period) {
        return period.toString().compareTo(rows.monthOf(clock.now()).orElseThrow()) < 0;
    }

    /** The tenant's time zone (for showing times). */
    public ZoneId zone(TenantId tenant) {
        return tenants.inTenant(tenant, c -> ZoneId.of(rows.zone().orElse("Asia/Shanghai")));
    }

    /** The last month that is over in the tenant's zone (the one a close usually wants). */
    public YearMonth lastEnded(TenantId tenant) {
        return tenants.inTenant(tenant, c -> YearMonth.parse(rows.monthOf(clock.now()).orElseThrow()).minusMonths(1));
    }

    public Page list(TenantId tenant, int page, int size) {
        return tenants.inTenant(tenant, c -> new Page(rows.page(size, (long) page * size).stream()
                .map(close -> view(close, true)).toList(), rows.count(), page, size));
    }

    public Optional<MonthClose> one(TenantId tenant, YearMonth period) {
        return tenants.inTenant(tenant, c -> rows.byPeriod(period.toString()).map(close -> view(close, false)));
    }

    /** A stored finance file of a closed month, byte for byte as at the close. */
    public Optional<Document> file(TenantId tenant, YearMonth period, String name) {
        return tenants.inTenant(tenant, c -> rows.byPeriod(period.toString()).flatMap(close -> rows.file(close.id(), name))
                .map(f -> new Document(f.name(), f.contentType(), f.sha256(), f.content())));
    }

    /**
     * Whether {@code userId} holds the payer account {@code payerCode}: it is their own ({@code 1122.person.<userId>})
     * or they are its PI ({@link PayerInfo#piUserId}); such a holder reads its statements without finance rights.
     */
    public boolean holds(TenantId tenant, String payerCode, UUID userId) {
        if (payerCode.equals("1122.person." + userId)) {
            return true;
        }
        return tenants.inTenant(tenant, c -> info(c, payerCode).map(i -> userId.equals(i.piUserId())).orElse(false));
    }

    /** A payer's statement of a closed month as {@code pdf} or {@code xlsx}, rendered from the closed month (the same bytes every time). */
    public Optional<Document> statement(TenantId tenant, YearMonth period, String payerCode, String format) {
        String p = period.toString();
        Optional<StatementDocuments.Content> content = tenants.inTenant(tenant, c -> rows.byPeriod(p)
                .flatMap(close -> rows.statement(close.id(), payerCode))
                .map(h -> {
                    List<Entry> entries = ledger.statement(tenant, payerCode, period);
                    return new StatementDocuments.Content(p, h, entries, ZoneId.of(rows.zone().orElse("Asia/Shanghai")));
                }));
        return content.map(s -> {
            boolean pdf = "pdf".equals(format);
            byte[] bytes = pdf ? documents.pdf(s) : documents.xlsx(s);
            return new Document(payerCode + "-" + p + "." + format, pdf ? StatementDocuments.PDF_TYPE : FinanceFiles.XLSX_TYPE,
                    FinanceFiles.sha256(bytes), bytes);
        });
    }

    private MonthClose view(CloseRows.Close c, boolean brief) {
        return new MonthClose(c.period(), c.closedAt(), c.closedBy(), c.statements(), c.deductionRows(), c.deductionFen(),
                rows.files(c.id()), brief ? null : rows.statements(c.id()));
    }

    static String kindOf(String code) {
        return code.substring("1122.".length(), code.indexOf('.', "1122.".length()));
    }

    static String[] patterns(List<String> prefixes) {
        return prefixes.stream().map(s -> s.trim() + "%").toArray(String[]::new);
    }
}

package org.labcommons.core.billing.interinst;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.http.HttpStatus;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.billing.ledger.Entry;
import org.labcommons.core.billing.ledger.Ledger;
import org.labcommons.core.billing.ledger.LedgerClock;
import org.labcommons.core.billing.ledger.Line;
import org.labcommons.core.billing.ledger.NewTransaction;
import org.labcommons.core.billing.ledger.Posted;
import org.labcommons.core.db.SqlStates;
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
 * The consortium's monthly netting between its institutions (docs/billing.md, "Between institutions"). A run for a
 * month that has ended reads, from each institution's ledger, its receivables from and payables to the others at the
 * month's end ({@link InterinstRows#betweenInstitutions}), pairs them (A's receivable from B against B's payable to A,
 * and the reverse), flags a pair whose two sides disagree ({@code disputed}: nothing to confirm; the difference and
 * both sides' entries are shown) and proposes one settlement per agreed pair: who pays whom the net. Each
 * institution's finance office confirms its side; when both have, each ledger posts the clearing (close its
 * receivable and payable with the other against {@code 1002.bank} for the net; key {@code netting:<run>:<pair>}).
 *
 * <p>Work across tenants is a sequence of single-tenant transactions, each idempotent: the confirmation (consortium),
 * the clearing in A's ledger, in B's, then the pair marked settled (consortium). Interrupted between them, the pair
 * stays {@code confirmed} and {@link #resume} (also {@link NettingResume}, on a schedule) finishes it; the ledger's keys
 * make a repeated clearing a replay.
 */
@Singleton
public class Netting {
    private final TenantTransactions tenants;
    private final Ledger ledger;
    private final LedgerClock clock;
    private final InterinstAccounts accounts;
    private final InterinstRows facts;
    private final NettingRows rows;
    private final AuditLog audit;

    public Netting(TenantTransactions tenants, Ledger ledger, LedgerClock clock, InterinstAccounts accounts, InterinstRows facts,
                   NettingRows rows, AuditLog audit) {
        this.tenants = tenants;
        this.ledger = ledger;
        this.clock = clock;
        this.accounts = accounts;
        this.facts = facts;
        this.rows = rows;
        this.audit = audit;
    }

    /** Whose eyes: the consortium, and the institution whose pairs alone are shown (null: the consortium admin, all). */
    public record Viewer(TenantId consortium, @Nullable UUID institution) {
    }

    /** A pair with the institutions' names and the two reconciliation differences (0 when the sides agree). */
    @Serdeable
    public record NettingPairView(NettingRows.NettingPair pair, InterinstRows.TenantName a, InterinstRows.TenantName b,
                           long aReceivableDifferenceFen, long bReceivableDifferenceFen) {
    }

    /** A run with its pairs. */
    @Serdeable
    public record NettingView(NettingRows.NettingRun run, List<NettingPairView> pairs) {
    }

    /** A page of runs. */
    @Serdeable
    public record NettingPage(List<NettingRows.NettingRun> items, long total, int page, int size) {
    }

    /** A pair with both ledgers' entries between the two, through the run's month (for reconciling a disagreement). */
    @Serdeable
    public record NettingPairDetail(NettingPairView view, List<Entry> aReceivable, List<Entry> aPayable, List<Entry> bReceivable,
                             List<Entry> bPayable) {
    }

    /** The consortium above {@code tenant} (itself when it is one); 404 when it has none. */
    public TenantId consortiumOf(TenantId tenant) {
        return tenants.inTenant(tenant, c -> facts.consortiumOf(tenant.value()).map(TenantId::new)
                .orElseThrow(ProblemException::notFound));
    }

    /** Starts a run for {@code period} in the consortium: reads both ledgers of every pair and stores the proposal. */
    public NettingView start(TenantId consortium, String period, UUID actor, AuditEntry.Actor who) {
        YearMonth month = month(period);
        var names = tenants.inTenant(consortium, c -> facts.tenants(new String[]{consortium.toString()}));
        if (names.isEmpty() || !"consortium".equals(names.get(0).kind())) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "forbidden");
        }
        YearMonth current = YearMonth.from(clock.now().atZone(ZoneId.of(names.get(0).timeZone())));
        if (!month.isBefore(current)) {
            throw field("period", "netting_period_not_ended");
        }
        List<UUID> institutions = tenants.inTenant(consortium, c -> facts.institutionsOf(consortium.value()));
        Map<UUID, Map<String, Long>> balances = new HashMap<>();
        for (UUID institution : institutions) {
            Map<String, Long> own = new HashMap<>();
            tenants.inTenant(new TenantId(institution), c -> facts.betweenInstitutions(month.toString()))
                    .forEach(b -> own.put(b.code(), b.balanceFen()));
            balances.put(institution, own);
        }
        List<UUID> sorted = new ArrayList<>(institutions);
        sorted.sort((x, y) -> x.toString().compareTo(y.toString()));
        UUID runId = UUID.randomUUID();
        try {
            tenants.inTenant(consortium, c -> {
                if (rows.openRuns() > 0) {
                    throw new ProblemException(HttpStatus.CONFLICT, "netting_run_open");
                }
                if (rows.lastPeriod().filter(last -> last.compareTo(month.toString()) >= 0).isPresent()) {
                    throw field("period", "netting_period_done");
                }
                List<Object[]> pairs = new ArrayList<>();
                for (int i = 0; i < sorted.size(); i++) {
                    for (int j = i + 1; j < sorted.size(); j++) {
                        UUID a = sorted.get(i);
                        UUID b = sorted.get(j);
                        long aR = balances.get(a).getOrDefault(InterinstAccounts.receivableFrom(b), 0L);
                        long aP = -balances.get(a).getOrDefault(InterinstAccounts.payableTo(b), 0L);
                        long bR = balances.get(b).getOrDefault(InterinstAccounts.receivableFrom(a), 0L);
                        long bP = -balances.get(b).getOrDefault(InterinstAccounts.payableTo(a), 0L);
                        if (aR != 0 || aP != 0 || bR != 0 || bP != 0) {
                            pairs.add(new Object[]{a, b, aR, aP, bR, bP});
                        }
                    }
                }
                rows.insertRun(runId, month.toString(), pairs.isEmpty() ? "settled" : "open", actor);
                for (Object[] p : pairs) {
                    UUID a = (UUID) p[0];
                    UUID b = (UUID) p[1];
                    long aR = (long) p[2], aP = (long) p[3], bR = (long) p[4], bP = (long) p[5];
                    boolean agreed = aR == bP && bR == aP;
                    long bOwesA = Math.subtractExact(aR, aP);   // exact: whole fen, nothing rounded
                    UUID payer = !agreed || bOwesA == 0 ? null : bOwesA > 0 ? b : a;
                    rows.insertPair(runId, a + "_" + b, a, b, aR, aP, bR, bP, agreed, payer, agreed ? Math.abs(bOwesA) : 0,
                            agreed ? "proposed" : "disputed");
                }
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("period", month.toString());
                details.put("pairs", pairs.size());
                audit.append(c, who.entry("netting.run_started", "netting_run", runId.toString(), details));
                return null;
            });
        } catch (DataAccessException e) {
            if (SqlStates.causedBy(e, SqlStates.UNIQUE_VIOLATION)) {
                throw new ProblemException(HttpStatus.CONFLICT, "netting_run_open");
            }
            throw e;
        }
        return run(new Viewer(consortium, null), runId);
    }

    /** The consortium's runs, newest month first (counts of the viewer's pairs). */
    public NettingPage runs(Viewer viewer, int page, int size) {
        return tenants.inTenant(viewer.consortium(), c -> new NettingPage(rows.runs(viewer.institution(), size, (long) page * size),
                rows.countRuns(), page, size));
    }

    /** One run with the pairs the viewer may see; 404 when unknown. */
    public NettingView run(Viewer viewer, UUID runId) {
        return tenants.inTenant(viewer.consortium(), c -> {
            NettingRows.NettingRun run = rows.run(runId, viewer.institution()).orElseThrow(ProblemException::notFound);
            List<NettingRows.NettingPair> pairs = rows.pairs(runId, viewer.institution());
            return new NettingView(run, views(pairs));
        });
    }

    /** One pair with both sides' entries (the finance office of either institution; the admin sees the figures only). */
    public NettingPairDetail pair(Viewer viewer, UUID runId, String pairKey) {
        NettingRows.NettingRun run = run(viewer, runId).run();
        NettingPairView view = run(viewer, runId).pairs().stream().filter(p -> p.pair().pairKey().equals(pairKey)).findFirst()
                .orElseThrow(ProblemException::notFound);
        if (viewer.institution() == null) {
            return new NettingPairDetail(view, List.of(), List.of(), List.of(), List.of());
        }
        UUID a = view.pair().tenantA();
        UUID b = view.pair().tenantB();
        String through = run.period();
        return tenants.inTenant(new TenantId(a), c -> {
            List<Entry> aR = facts.entriesThrough(InterinstAccounts.receivableFrom(b), through);
            List<Entry> aP = facts.entriesThrough(InterinstAccounts.payableTo(b), through);
            return tenants.inTenant(new TenantId(b), c2 -> new NettingPairDetail(view, aR, aP,
                    facts.entriesThrough(InterinstAccounts.receivableFrom(a), through),
                    facts.entriesThrough(InterinstAccounts.payableTo(a), through)));
        });
    }

    /**
     * The finance office of {@code institution} confirms its side of a pair; when both sides have, both ledgers post the
     * clearing. Confirming again changes nothing; a disputed pair cannot be confirmed (409 {@code netting_pair_disputed}).
     */
    public NettingPairView confirm(TenantId institution, UUID runId, String pairKey, UUID user, AuditEntry.Actor who) {
        TenantId consortium = consortiumOf(institution);
        boolean both = tenants.inTenant(consortium, c -> {
            NettingRows.NettingPair pair = rows.lockPair(runId, pairKey).orElseThrow(ProblemException::notFound);
            boolean isA = pair.tenantA().equals(institution.value());
            if (!isA && !pair.tenantB().equals(institution.value())) {
                throw ProblemException.notFound();
            }
            if ("disputed".equals(pair.status())) {
                throw new ProblemException(HttpStatus.CONFLICT, "netting_pair_disputed");
            }
            if (!"proposed".equals(pair.status())) {
                return "confirmed".equals(pair.status());
            }
            long changed = isA ? rows.confirmA(runId, pairKey, user) : rows.confirmB(runId, pairKey, user);
            if (changed > 0) {
                audit.append(c, who.entry("netting.pair_confirmed", "netting_pair", runId + ":" + pairKey,
                        Map.of("institution", institution.toString())));
            }
            return rows.markConfirmed(runId, pairKey) > 0;
        });
        if (both) {
            settle(consortium, runId, pairKey);
        }
        return run(new Viewer(consortium, institution.value()), runId).pairs().stream()
                .filter(p -> p.pair().pairKey().equals(pairKey)).findFirst().orElseThrow();
    }

    /** Finishes every confirmed pair of every consortium whose clearing was interrupted; returns how many it settled. */
    public int resume() {
        int settled = 0;
        for (UUID consortium : tenants.inTenant(new TenantId(new UUID(0, 0)), c -> facts.consortia())) {
            TenantId t = new TenantId(consortium);
            for (NettingRows.NettingPair pair : tenants.inTenant(t, c -> rows.confirmed())) {
                settled += settle(t, pair.runId(), pair.pairKey()) ? 1 : 0;
            }
        }
        return settled;
    }

    /** Posts a confirmed pair's clearing in both ledgers (each idempotent) and marks it settled. */
    boolean settle(TenantId consortium, UUID runId, String pairKey) {
        NettingRows.NettingPair pair = tenants.inTenant(consortium, c -> rows.pairs(runId, null)).stream()
                .filter(p -> p.pairKey().equals(pairKey)).findFirst().orElseThrow();
        if (!"confirmed".equals(pair.status())) {
            return false;
        }
        var names = tenants.inTenant(consortium, c -> facts.tenants(new String[]{pair.tenantA().toString(), pair.tenantB().toString()}));
        InterinstRows.TenantName a = names.stream().filter(n -> n.id().equals(pair.tenantA())).findFirst().orElseThrow();
        InterinstRows.TenantName b = names.stream().filter(n -> n.id().equals(pair.tenantB())).findFirst().orElseThrow();
        String key = "netting:" + runId + ":" + pairKey;
        UUID aTx = clear(new TenantId(a.id()), b, pair.aReceivableFen(), pair.aPayableFen(), key, runId);
        UUID bTx = clear(new TenantId(b.id()), a, pair.bReceivableFen(), pair.bPayableFen(), key, runId);
        return tenants.inTenant(consortium, c -> {
            if (rows.markSettled(runId, pairKey, aTx, bTx) == 0) {
                return false;
            }
            audit.append(c, AuditEntry.system("netting.pair_settled", "netting_pair", runId + ":" + pairKey,
                    Map.of("payer", String.valueOf(pair.payerTenantId()), "netFen", pair.netFen())));
            rows.settleRunIfDone(runId);
            return true;
        });
    }

    /** One side's clearing: credit the receivable from the other, debit the payable to it, the net to the bank. */
    private UUID clear(TenantId at, InterinstRows.TenantName other, long receivable, long payable, String key, UUID runId) {
        if (receivable == 0 && payable == 0) {
            return null;
        }
        accounts.receivable(at, other.id(), other.nameZh(), other.nameEn());
        accounts.payable(at, other.id(), other.nameZh(), other.nameEn());
        accounts.bank(at);
        List<Line> lines = new ArrayList<>();
        if (receivable != 0) {
            lines.add(new Line(InterinstAccounts.receivableFrom(other.id()), -receivable));
        }
        if (payable != 0) {
            lines.add(new Line(InterinstAccounts.payableTo(other.id()), payable));
        }
        long bank = Math.subtractExact(receivable, payable);
        if (bank != 0) {
            lines.add(new Line(InterinstAccounts.BANK, bank));
        }
        return tenants.inTenant(at, c -> {
            Posted posted = ledger.post(at, new NewTransaction(key, "netting", "netting_run", runId.toString(),
                    "netting with " + other.slug(), "netting", lines));
            if (!posted.replayed()) {
                audit.append(c, AuditEntry.system("netting.cleared", "netting_run", runId.toString(),
                        Map.of("with", other.id().toString(), "bankFen", bank)));
            }
            return posted.transactionId();
        });
    }

    private List<NettingPairView> views(List<NettingRows.NettingPair> pairs) {
        if (pairs.isEmpty()) {
            return List.of();
        }
        Map<UUID, InterinstRows.TenantName> names = new HashMap<>();
        facts.tenants(pairs.stream().flatMap(p -> java.util.stream.Stream.of(p.tenantA(), p.tenantB())).distinct()
                .map(UUID::toString).toArray(String[]::new)).forEach(n -> names.put(n.id(), n));
        return pairs.stream().map(p -> new NettingPairView(p, names.get(p.tenantA()), names.get(p.tenantB()),
                p.aReceivableFen() - p.bPayableFen(), p.bReceivableFen() - p.aPayableFen())).toList();
    }

    static YearMonth month(@Nullable String period) {
        if (period != null && period.matches("^[0-9]{4}-(0[1-9]|1[0-2])$")) {
            return YearMonth.parse(period);
        }
        throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", List.of(
                new ProblemException.FieldProblem("period", "format", "validation.invalid_format", Map.of())));
    }

    /** A 422 field error; its message is {@code interinst.validation.<code>} (billing's bundle). */
    static ProblemException field(String field, String code) {
        return new ProblemException(HttpStatus.UNPROCESSABLE_ENTITY, "validation_failed", List.of(
                new ProblemException.FieldProblem(field, code, "interinst.validation." + code, Map.of())));
    }
}

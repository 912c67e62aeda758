package org.labcommons.core.billing.ledger;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.http.HttpStatus;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import org.labcommons.core.db.SqlStates;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.time.Instant;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The append-only double-entry ledger of a tenant (docs/billing.md, "The ledger"). Amounts are whole fen (debit
 * positive, credit negative); the ledger rounds nothing. A posting balances and has at least two lines, goes into the
 * tenant's current open period (the month of now in the tenant's zone, or the month after the last closed period
 * when that is later), and is stored once per idempotency key: a repeated key returns the first transaction with
 * {@link Posted#replayed()} and adds nothing, also when the calls race (the key's unique index decides). Corrections
 * are reversals (the mirror entries, in the current open period), at most one per transaction. The database enforces
 * the same rules whoever writes (V38), so this class is the friendly door, not the only guard.
 *
 * <p>Every method runs in a tenant transaction of its own, or joins the caller's when one is in progress (several
 * postings may share one database transaction; a refusal then rolls back all of it).
 */
@Singleton
public record Ledger(TenantTransactions tenants, LedgerAccountRows accounts, LedgerPeriodRows periods,
                     JournalRows journal, LedgerClock clock) {

    /** Attempts of a posting that met a period closed under it (it then goes into the next open period). */
    static final int ATTEMPTS = 3;

    /** A page of accounts with their balances. */
    @Serdeable
    public record AccountPage(List<LedgerAccountRows.Balanced> items, long total, int page, int size) {
    }

    /** A page of an account's entries. */
    @Serdeable
    public record EntryPage(String accountCode, @Nullable String period, List<Entry> items, long total, int page, int size) {
    }

    /** Every account's balance through a period (null: all periods), the sums of debits and credits, and their total (always 0). */
    @Serdeable
    public record TrialBalance(@Nullable String through, List<JournalRows.Balance> accounts, long debitsFen, long creditsFen,
                               long totalFen) {
    }

    /** The account with {@code account.code()}, added when the tenant has none; a code held with another kind or holder is refused. */
    public Account ensureAccount(TenantId tenant, NewAccount account) {
        return tenants.inTenant(tenant, c -> {
            accounts.insert(UUID.randomUUID(), account.code(), account.kind(), account.nameZh(), account.nameEn(),
                    account.holderType(), account.holderId());
            Account a = accounts.byCode(account.code()).orElseThrow().toAccount();
            if (!a.kind().equals(account.kind()) || !java.util.Objects.equals(a.holderType(), account.holderType())
                    || !java.util.Objects.equals(a.holderId(), account.holderId())) {
                throw new LedgerException(HttpStatus.CONFLICT, LedgerException.ACCOUNT_CONFLICT, account.code());
            }
            return a;
        });
    }

    /** Posts {@code tx} (see the class comment); refused with a {@link LedgerException} when it is not a sound posting. */
    public Posted post(TenantId tenant, NewTransaction tx) {
        return post(tenant, tx, null);
    }

    /**
     * Posts {@code tx} into the period of its business date {@code accountingAt} (a charge's service start) while that
     * period is open: the month of {@code accountingAt} in the tenant's zone (never later than now's), or the open
     * period after the last closed one when that is later. So a month's charges reviewed in the first days of the
     * next month still belong to the month until it is closed; afterwards they post in the open period, as every
     * correction of a closed month does. Null: now's period, as {@link #post(TenantId, NewTransaction)}.
     */
    public Posted post(TenantId tenant, NewTransaction tx, @Nullable Instant accountingAt) {
        tx.check();
        String[] codes = tx.lines().stream().map(Line::accountCode).toArray(String[]::new);
        String[] amounts = tx.lines().stream().map(l -> Long.toString(l.amountFen())).toArray(String[]::new);
        return write(tenant, () -> {
            UUID id = UUID.randomUUID();
            if (journal.insert(id, tx.idempotencyKey(), clock.now(), accountingAt, tx.kind(), tx.sourceType(), tx.sourceId(), null,
                    tx.memo(), tx.actor()) == 0) {
                return posted(journal.byKey(tx.idempotencyKey()).orElseThrow(), true);
            }
            addEntries(id, codes, amounts);
            return posted(journal.byKey(tx.idempotencyKey()).orElseThrow(), false);
        });
    }

    /**
     * Posts many transactions in one database transaction, in order (the fast path of a month close or an import):
     * each is checked as by {@link #post} and stored unless its key is taken (before, or by an earlier element of
     * {@code txs}: then its answer is that first transaction, replayed). A refusal (an unknown account, a period closed
     * meanwhile) refuses all of them. All go into the same period, at the same time.
     */
    public List<Posted> postAll(TenantId tenant, List<NewTransaction> txs) {
        txs.forEach(NewTransaction::check);
        if (txs.isEmpty()) {
            return List.of();
        }
        int n = txs.size();
        String[] ids = new String[n];
        String[] keys = new String[n];
        String[] kinds = new String[n];
        String[] sourceTypes = new String[n];
        String[] sourceIds = new String[n];
        String[] memos = new String[n];
        String[] actors = new String[n];
        for (int i = 0; i < n; i++) {
            NewTransaction tx = txs.get(i);
            ids[i] = UUID.randomUUID().toString();
            keys[i] = tx.idempotencyKey();
            kinds[i] = tx.kind();
            sourceTypes[i] = tx.sourceType();
            sourceIds[i] = tx.sourceId();
            memos[i] = tx.memo();
            actors[i] = tx.actor();
        }
        return write(tenant, () -> {
            journal.insertMany(ids, keys, clock.now(), kinds, sourceTypes, sourceIds, memos, actors);
            Map<String, JournalRows.Row> stored = new java.util.HashMap<>();
            journal.byKeys(keys).forEach(r -> stored.put(r.idempotencyKey(), r));
            List<String> txIds = new java.util.ArrayList<>();
            List<String> lineNos = new java.util.ArrayList<>();
            List<String> codes = new java.util.ArrayList<>();
            List<String> amounts = new java.util.ArrayList<>();
            java.util.Set<String> added = new java.util.HashSet<>();
            List<Posted> out = new java.util.ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                JournalRows.Row row = stored.get(keys[i]);
                boolean fresh = row.id().toString().equals(ids[i]) && added.add(ids[i]);
                if (fresh) {
                    List<Line> lines = txs.get(i).lines();
                    for (int l = 0; l < lines.size(); l++) {
                        txIds.add(ids[i]);
                        lineNos.add(Integer.toString(l + 1));
                        codes.add(lines.get(l).accountCode());
                        amounts.add(Long.toString(lines.get(l).amountFen()));
                    }
                }
                out.add(posted(row, !fresh));
            }
            String[] allCodes = codes.toArray(String[]::new);
            if (journal.insertEntriesOfMany(txIds.toArray(String[]::new), lineNos.toArray(String[]::new), allCodes,
                    amounts.toArray(String[]::new)) != allCodes.length) {
                throw new LedgerException(HttpStatus.UNPROCESSABLE_ENTITY, LedgerException.UNKNOWN_ACCOUNT,
                        String.join(", ", accounts.missing(allCodes)));
            }
            return out;
        });
    }

    /**
     * Reverses a transaction: a new transaction ({@code kind} {@code reversal}, {@code reverses} the original) with
     * the mirror of each entry, in the current open period. A repeated key returns the first reversal (replayed); a
     * transaction already reversed, or itself a reversal, is refused.
     */
    public Posted reverse(TenantId tenant, UUID transactionId, String idempotencyKey, String reason, String actor) {
        NewTransaction.checkHeader(idempotencyKey, "reversal", null, null, reason, actor);
        if (transactionId == null) {
            throw LedgerException.invalid("transactionId");
        }
        if (reason == null || reason.isBlank()) {
            throw LedgerException.invalid("reason");
        }
        return write(tenant, () -> {
            var replay = journal.byKey(idempotencyKey);
            if (replay.isPresent()) {
                return posted(replay.get(), true);
            }
            JournalRows.Row original = journal.byId(transactionId)
                    .orElseThrow(() -> new LedgerException(HttpStatus.NOT_FOUND, LedgerException.NOT_FOUND));
            if (original.reverses() != null) {
                throw new LedgerException(HttpStatus.CONFLICT, LedgerException.REVERSAL_OF_REVERSAL, transactionId);
            }
            if (journal.reversed(transactionId)) {
                throw new LedgerException(HttpStatus.CONFLICT, LedgerException.ALREADY_REVERSED, transactionId);
            }
            List<JournalRows.Line> lines = journal.lines(transactionId);
            UUID id = UUID.randomUUID();
            if (journal.insert(id, idempotencyKey, clock.now(), null, "reversal", "ledger_transaction", transactionId.toString(),
                    transactionId, reason, actor) == 0) {
                return posted(journal.byKey(idempotencyKey).orElseThrow(), true);
            }
            addEntries(id, lines.stream().map(JournalRows.Line::accountCode).toArray(String[]::new),
                    lines.stream().map(l -> Long.toString(Math.negateExact(l.amountFen()))).toArray(String[]::new));
            return posted(journal.byKey(idempotencyKey).orElseThrow(), false);
        });
    }

    /**
     * Closes a period: nothing can be posted into it afterwards, and it is never reopened. It closes only after every
     * earlier period, and not before it has begun (the current month may be closed: postings then go into the next).
     */
    public void closePeriod(TenantId tenant, YearMonth period, String actor) {
        if (period == null) {
            throw LedgerException.invalid("period");
        }
        if (actor == null || actor.isBlank() || actor.length() > 200) {
            throw LedgerException.invalid("actor");
        }
        String p = period.toString();
        translated(() -> tenants.inTenant(tenant, c -> {
            Instant now = clock.now();
            String current = periods.monthOf(now).orElseThrow();
            if (p.compareTo(current) > 0) {
                throw new LedgerException(HttpStatus.CONFLICT, LedgerException.PERIOD_NOT_STARTED, p);
            }
            var status = periods.lockStatus(p);
            if (status.isPresent() && "closed".equals(status.get())) {
                throw new LedgerException(HttpStatus.CONFLICT, LedgerException.PERIOD_CLOSED, p);
            }
            if (periods.earlierOpen(p)) {
                throw new LedgerException(HttpStatus.CONFLICT, LedgerException.EARLIER_PERIOD_OPEN, p);
            }
            long changed = status.isPresent() ? periods.close(p, now, actor) : periods.insertClosed(p, now, actor);
            if (changed != 1) {
                throw new LedgerException(HttpStatus.CONFLICT, LedgerException.PERIOD_CLOSED, p);
            }
            return null;
        }));
    }

    /** The tenant's periods that have a row (a month something was posted in, or that was closed), in order. */
    public List<LedgerPeriodRows.Row> periods(TenantId tenant) {
        return tenants.inTenant(tenant, c -> periods.all());
    }

    /** The balance of an account: the sum of its entries, fen (debit positive). */
    public long balance(TenantId tenant, String accountCode) {
        return tenants.inTenant(tenant, c -> journal.balance(account(accountCode).id()));
    }

    /** Every account's balance by code; the values sum to zero. */
    public Map<String, Long> trialBalance(TenantId tenant) {
        Map<String, Long> out = new LinkedHashMap<>();
        trialBalance(tenant, null).accounts().forEach(b -> out.put(b.code(), b.balanceFen()));
        return out;
    }

    /** The trial balance through {@code through} (inclusive; null: every period). */
    public TrialBalance trialBalance(TenantId tenant, @Nullable YearMonth through) {
        List<JournalRows.Balance> rows = tenants.inTenant(tenant, c -> journal.trialBalance(through == null ? null : through.toString()));
        long debits = 0;
        long credits = 0;
        for (JournalRows.Balance b : rows) {
            if (b.balanceFen() > 0) {
                debits = Math.addExact(debits, b.balanceFen());
            } else {
                credits = Math.addExact(credits, b.balanceFen());
            }
        }
        return new TrialBalance(through == null ? null : through.toString(), rows, debits, credits, Math.addExact(debits, credits));
    }

    /** An account's entries of a period (null: all), in posting order. */
    public List<Entry> statement(TenantId tenant, String accountCode, @Nullable YearMonth period) {
        return statement(tenant, accountCode, period, 0, Integer.MAX_VALUE).items();
    }

    /** A page of an account's entries of a period (null: all); an unknown code is 404 {@code not_found}. */
    public EntryPage statement(TenantId tenant, String accountCode, @Nullable YearMonth period, int page, int size) {
        String p = period == null ? null : period.toString();
        return tenants.inTenant(tenant, c -> {
            Account a = account(accountCode);
            long offset = (long) page * size;
            return new EntryPage(a.code(), p, journal.statement(a.id(), a.code(), p, size, offset),
                    journal.countStatement(a.id(), p), page, size);
        });
    }

    /** A page of the tenant's accounts (those whose code starts with {@code prefix}, when given), by code. */
    public AccountPage accounts(TenantId tenant, @Nullable String prefix, int page, int size) {
        return tenants.inTenant(tenant, c -> new AccountPage(accounts.page(prefix, size, (long) page * size),
                accounts.count(prefix), page, size));
    }

    /** One transaction's lines (account code and amount), in line order; empty for an unknown id. */
    public List<Line> lines(TenantId tenant, UUID transactionId) {
        return tenants.inTenant(tenant, c -> journal.lines(transactionId).stream()
                .map(l -> new Line(l.accountCode(), l.amountFen())).toList());
    }

    private Account account(String code) {
        if (code == null || code.length() > 200) {
            throw new LedgerException(HttpStatus.NOT_FOUND, LedgerException.NOT_FOUND);
        }
        return accounts.byCode(code).map(LedgerAccountRows.Row::toAccount)
                .orElseThrow(() -> new LedgerException(HttpStatus.NOT_FOUND, LedgerException.NOT_FOUND));
    }

    private void addEntries(UUID transactionId, String[] codes, String[] amounts) {
        if (journal.insertEntries(transactionId, codes, amounts) != codes.length) {
            throw new LedgerException(HttpStatus.UNPROCESSABLE_ENTITY, LedgerException.UNKNOWN_ACCOUNT,
                    String.join(", ", accounts.missing(codes)));
        }
    }

    private static Posted posted(JournalRows.Row r, boolean replayed) {
        return new Posted(r.id(), r.idempotencyKey(), YearMonth.parse(r.period()), r.postedAt(), replayed);
    }

    /** A write in the tenant, run again when a period closed under it (LG003), with the database's refusals translated. */
    private <T> T write(TenantId tenant, Supplier<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return translated(() -> tenants.inTenant(tenant, c -> work.get()));
            } catch (LedgerException e) {
                if (attempt >= ATTEMPTS || !LedgerException.PERIOD_CLOSED.equals(e.code())) {
                    throw e;
                }
            }
        }
    }

    /** The database's refusals (V38's SQLSTATEs, a taken reversal) as {@link LedgerException}s. */
    private static <T> T translated(Supplier<T> work) {
        try {
            return work.get();
        } catch (DataAccessException e) {
            if (SqlStates.causedBy(e, "LG003") || SqlStates.causedBy(e, "LG005")) {
                throw new LedgerException(HttpStatus.CONFLICT, LedgerException.PERIOD_CLOSED, "");
            }
            if (SqlStates.causedBy(e, "LG006")) {
                throw new LedgerException(HttpStatus.CONFLICT, LedgerException.EARLIER_PERIOD_OPEN, "");
            }
            if (SqlStates.causedBy(e, SqlStates.UNIQUE_VIOLATION)) {
                throw new LedgerException(HttpStatus.CONFLICT, LedgerException.ALREADY_REVERSED, "");
            }
            throw e;
        }
    }
}

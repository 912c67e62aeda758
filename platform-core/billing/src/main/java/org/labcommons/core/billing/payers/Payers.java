package org.labcommons.core.billing.payers;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.billing.charges.Charge;
import org.labcommons.core.billing.charges.PayerLine;
import org.labcommons.core.billing.ledger.Entry;
import org.labcommons.core.billing.ledger.Ledger;
import org.labcommons.core.billing.ledger.Line;
import org.labcommons.core.billing.ledger.NewAccount;
import org.labcommons.core.billing.ledger.NewTransaction;
import org.labcommons.core.billing.ledger.Posted;
import org.labcommons.core.booking.BookingClock;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Payer accounts (docs/billing.md, "Payers"): research project and department accounts and external customers, their
 * members (approved by the account's PI), deposits (top-ups posted to the ledger: debit {@code 1002.bank}, credit
 * {@code 2203.deposit.<id>}) and what an account owes and holds. Every change is audited in its transaction. Who may
 * call what is {@link PayerAccess}'s; admission of bookings is {@link PayerAdmission}'s, the payer of a charge
 * {@link PayerCharges}'.
 */
@Singleton
public record Payers(TenantTransactions tenants, PayerRows rows, AuditLog audit, Ledger ledger, BookingClock clock,
                     AccountEvents events, @Value("${labcommons.billing.payers.overdue-days:90}") int defaultOverdueDays) {
    /** The bank account top-ups debit. */
    public static final String BANK = "1002.bank";
    private static final Pattern KEY = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$");

    /** A page of accounts. */
    @Serdeable
    public record Page(List<PayerAccount> items, long total, int page, int size) {
    }

    /** An account with its money: posted charges, overdue, deposit, holds and what is available (fen). */
    @Serdeable
    public record Summary(PayerAccount account, long postedFen, long overdueFen, int overdueDays, long depositFen,
                          long heldFen, long availableFen, @Nullable Long budgetLeftFen, boolean inArrears) {
    }

    /** A prepaid account's deposit: its summary, the top-ups (ledger entries of the deposit account) and recent holds. */
    @Serdeable
    public record Deposit(Summary summary, List<Entry> entries, List<PayerRows.HoldRow> holds) {
    }

    /** One of a user's accounts: the account, the user's part in it ({@code pi} or the membership state) and its money. */
    @Serdeable
    public record Mine(Summary summary, String role, @Nullable String category) {
    }

    /** The receivable of a post-paid payer account. */
    public static String receivableCode(UUID payerId) {
        return "1122.payer." + payerId;
    }

    /** The deposit (a liability) of a prepaid payer account. */
    public static String depositCode(UUID payerId) {
        return "2203.deposit." + payerId;
    }

    // ------------------------------------------------------------------ reads

    /** The account carrying {@code accountCode}. */
    public Optional<PayerAccount> find(TenantId tenant, String accountCode) {
        if (PayerChecks.blank(accountCode)) {
            return Optional.empty();
        }
        return tenants.inTenant(tenant, c -> rows.byCode(accountCode.strip()));
    }

    public Optional<PayerAccount> byId(TenantId tenant, UUID id) {
        return tenants.inTenant(tenant, c -> rows.byId(id));
    }

    public Page list(TenantId tenant, @Nullable String kind, @Nullable String status, @Nullable String q, int page, int size) {
        String query = PayerChecks.clean(q);
        return tenants.inTenant(tenant, c -> new Page(rows.page(kind, status, query, size, (long) page * size),
                rows.count(kind, status, query), page, size));
    }

    /** An account's money now. */
    public Summary summary(TenantId tenant, PayerAccount a) {
        return tenants.inTenant(tenant, c -> summary(a));
    }

    private Summary summary(PayerAccount a) {
        PayerRows.Money m = rows.money(a.id(), clock.now(), defaultOverdueDays).orElse(new PayerRows.Money(0, 0, 0, 0));
        long available = "prepaid".equals(a.settlement()) ? Math.max(0, m.depositFen() - m.heldFen()) : 0;
        Long left = a.budgetFen() == null ? null : Math.max(0, a.budgetFen() - m.postedFen() - m.heldFen());
        return new Summary(a, m.postedFen(), m.overdueFen(), overdueDays(), m.depositFen(), m.heldFen(), available, left,
                m.overdueFen() > 0);
    }

    /** The accounts {@code user} leads or belongs to, with their money. */
    public List<Mine> mine(TenantId tenant, UUID user) {
        return tenants.inTenant(tenant, c -> {
            List<Mine> out = new ArrayList<>();
            for (PayerAccount a : rows.ofUser(user)) {
                if (user.equals(a.piUserId())) {
                    out.add(new Mine(summary(a), "pi", "staff"));
                } else {
                    PayerRows.MemberRow m = rows.members(a.id()).stream().filter(r -> r.userId().equals(user)).findFirst()
                            .orElseThrow();
                    out.add(new Mine(summary(a), m.state(), m.category()));
                }
            }
            return out;
        });
    }

    public List<PayerRows.MemberRow> members(TenantId tenant, UUID payerId) {
        return tenants.inTenant(tenant, c -> rows.members(payerId));
    }

    /** The tenant's overdue days (its policy, else the configured default). */
    public int overdueDays(TenantId tenant) {
        return tenants.inTenant(tenant, c -> overdueDays());
    }

    private int overdueDays() {
        return rows.overdueDays().orElse(defaultOverdueDays);
    }

    // ------------------------------------------------------------------ charges

    /**
     * The payer line of a charge, in the posting's transaction ({@link PayerCharges}, docs/billing.md "The payer of a
     * charge"): the home institution of an outside user, the usable account the charge carries, or empty; the hold of
     * the charge's source is captured (the account pays) or released (someone else does).
     */
    public Optional<PayerLine> forCharge(Connection c, Charge charge) {
        if (!charge.userHomeTenant().equals(charge.tenant())) {
            String code = "1122.tenant." + charge.userHomeTenant().value();
            ledger.ensureAccount(charge.tenant(), new NewAccount(code, "asset", "应收其他单位", "Receivable from another institution",
                    "tenant", charge.userHomeTenant().value()));
            return Optional.of(new PayerLine(charge.userHomeTenant().value(), "tenant", code, false, null, null));
        }
        Optional<PayerLine> line = usable(charge);
        boolean capturing = line.isPresent() && !"tenant".equals(line.get().payerKind());
        long settled = capturing ? rows.capture(charge.sourceType(), charge.sourceId(), charge.id(), clock.now())
                : release(charge);
        if (settled > 0) {
            try {
                audit.append(c, AuditEntry.system(line.isPresent() ? "deposit_hold.captured" : "deposit_hold.released",
                        "deposit_hold", charge.sourceId().toString(), Map.of("chargeId", charge.id().toString())));
                var hold = capturing ? rows.holdOfCharge(charge.id()) : rows.holdOfSource(charge.sourceId());
                if (hold.isPresent()) {
                    events.hold(c, charge.tenant(), capturing ? "hold.captured" : "hold.released", hold.get(),
                            capturing ? null : "unused");
                }
            } catch (SQLException e) {
                throw new io.micronaut.data.exceptions.DataAccessException("audit of a hold", e);
            }
        }
        return line;
    }

    private long release(Charge charge) {
        return "booking".equals(charge.sourceType()) || "sample_request".equals(charge.sourceType())
                ? rows.release(charge.sourceId(), clock.now()) : 0;
    }

    private Optional<PayerLine> usable(Charge charge) {
        if (PayerChecks.blank(charge.accountCode())) {
            return Optional.empty();
        }
        return rows.facts(charge.accountCode().strip(), charge.userId(), clock.now(), defaultOverdueDays)
                .filter(f -> "active".equals(f.status()))
                .filter(f -> {
                    var day = charge.serviceStart().atZone(ZoneId.of(f.zone())).toLocalDate();
                    return (f.validFrom() == null || !day.isBefore(f.validFrom())) && (f.validTo() == null || !day.isAfter(f.validTo()));
                })
                .filter(f -> charge.userId().equals(f.piUserId()) || "approved".equals(f.memberState()))
                .map(f -> {
                    boolean prepaid = "prepaid".equals(f.settlement());
                    boolean customer = "customer".equals(f.kind());
                    String code = prepaid ? depositCode(f.id()) : receivableCode(f.id());
                    ensureLedgerAccount(charge.tenant(), rows.byId(f.id()).orElseThrow());
                    String category = customer ? "external" : charge.userId().equals(f.piUserId()) ? "staff" : f.category();
                    return new PayerLine(f.id(), prepaid ? "deposit" : f.kind(), code, !customer, category,
                            customer ? f.taxId() : null);
                });
    }

    /**
     * The account behind a payer's ledger code ({@code 1122.payer.<id>}, {@code 2203.deposit.<id>}), in the caller's
     * transaction: what statements and the month close's pre-check show (name, finance code, validity, PI).
     */
    public Optional<PayerAccount> byLedgerCode(Connection c, String ledgerCode) {
        for (String prefix : List.of("1122.payer.", "2203.deposit.")) {
            if (ledgerCode != null && ledgerCode.startsWith(prefix)) {
                try {
                    return rows.byId(UUID.fromString(ledgerCode.substring(prefix.length())));
                } catch (IllegalArgumentException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    // ------------------------------------------------------------------ accounts

    /** A new account (201); its ledger account is added at once. A taken code is 409 {@code payer_code_taken}. */
    public PayerAccount create(TenantId tenant, AuditEntry.Actor actor, UUID by, PayerInput in) {
        List<FieldProblem> problems = PayerChecks.check(in, null);
        String settlement = in.settlement();
        return tenants.inTenant(tenant, c -> {
            references(in, problems);
            UUID id = UUID.randomUUID();
            String code = in.code().strip();
            if (rows.insert(id, in.kind(), code, in.nameZh().strip(), in.nameEn().strip(), PayerChecks.clean(in.grantCode()),
                    PayerChecks.clean(in.financeCode()), in.piUserId(), in.orgUnitId(), in.budgetFen(), in.validFrom(),
                    in.validTo(), in.status() == null ? "active" : in.status(), settlement,
                    PayerChecks.clean(in.organisation()), PayerChecks.clean(in.contactName()),
                    PayerChecks.clean(in.contactPhone()), PayerChecks.clean(in.contactEmail()),
                    PayerChecks.clean(in.taxId()), by) == 0) {
                throw new ProblemException(HttpStatus.CONFLICT, "payer_code_taken", List.of(
                        new FieldProblem("code", "taken", "payers.validation.code_taken", Map.of("code", code))), code);
            }
            PayerAccount a = rows.byId(id).orElseThrow();
            ensureLedgerAccount(tenant, a);
            audit.append(c, actor.entry("payer_account.created", "payer_account", id.toString(), details(a)));
            events.account(c, tenant, "closed".equals(a.status()) ? "account.closed" : "account.opened", a);
            return a;
        });
    }

    /** New terms of an account (the kind and the code stay); a prepaid account stays prepaid once it holds money. */
    public PayerAccount update(TenantId tenant, AuditEntry.Actor actor, UUID id, PayerInput in) {
        return tenants.inTenant(tenant, c -> {
            PayerAccount before = rows.lock(id).orElseThrow(ProblemException::notFound);
            List<FieldProblem> problems = PayerChecks.check(in, before);
            if (!before.settlement().equals(in.settlement())
                    && ("prepaid".equals(before.settlement()) || "prepaid".equals(in.settlement()))) {
                problems.add(new FieldProblem("settlement", "fixed", "payers.validation.settlement_fixed", Map.of()));
            }
            references(in, problems);
            rows.update(id, in.nameZh().strip(), in.nameEn().strip(), PayerChecks.clean(in.grantCode()),
                    PayerChecks.clean(in.financeCode()), in.piUserId(), in.orgUnitId(), in.budgetFen(), in.validFrom(),
                    in.validTo(), in.status() == null ? before.status() : in.status(), in.settlement(),
                    PayerChecks.clean(in.organisation()), PayerChecks.clean(in.contactName()),
                    PayerChecks.clean(in.contactPhone()), PayerChecks.clean(in.contactEmail()),
                    PayerChecks.clean(in.taxId()));
            PayerAccount after = rows.byId(id).orElseThrow();
            audit.append(c, actor.entry("payer_account.updated", "payer_account", id.toString(), details(after)));
            if (!before.status().equals(after.status())) {
                events.account(c, tenant, "closed".equals(after.status()) ? "account.closed" : "account.reopened", after);
            }
            return after;
        });
    }

    /** The PI and the unit must exist; any problem so far is 400 {@code validation_failed}. */
    private void references(PayerInput in, List<FieldProblem> problems) {
        if (in.piUserId() != null && !rows.userExists(in.piUserId())) {
            problems.add(new FieldProblem("piUserId", "unknown", "payers.validation.unknown_user", Map.of()));
        }
        if (in.orgUnitId() != null && !rows.unitExists(in.orgUnitId())) {
            problems.add(new FieldProblem("orgUnitId", "unknown", "payers.validation.unknown_unit", Map.of()));
        }
        if (!problems.isEmpty()) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", problems);
        }
    }

    /** The ledger account of a payer account (idempotent: {@link Ledger#ensureAccount}). */
    void ensureLedgerAccount(TenantId tenant, PayerAccount a) {
        if ("prepaid".equals(a.settlement())) {
            ledger.ensureAccount(tenant, new NewAccount(depositCode(a.id()), "liability", "预付款 " + a.code(),
                    "Deposit " + a.code(), "payer_account", a.id()));
        } else {
            ledger.ensureAccount(tenant, new NewAccount(receivableCode(a.id()), "asset", "应收 " + a.code(),
                    "Receivable " + a.code(), "payer_account", a.id()));
        }
    }

    private static Map<String, Object> details(PayerAccount a) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("code", a.code());
        d.put("kind", a.kind());
        d.put("settlement", a.settlement());
        d.put("status", a.status());
        d.put("budgetFen", a.budgetFen() == null ? "" : a.budgetFen());
        d.put("piUserId", a.piUserId() == null ? "" : a.piUserId().toString());
        d.put("validTo", a.validTo() == null ? "" : a.validTo().toString());
        return d;
    }

    // ------------------------------------------------------------------ members

    /**
     * {@code user} asks to charge the account with {@code code}: a request the PI approves. An unknown code is 400
     * on {@code code}; a pending or approved membership 409 {@code already_member}.
     */
    public PayerRows.MemberRow join(TenantId tenant, AuditEntry.Actor actor, UUID user, @Nullable String code,
                                    @Nullable String category, @Nullable String note) {
        List<FieldProblem> problems = new ArrayList<>();
        if (category == null || !PayerChecks.CATEGORIES.contains(category)) {
            problems.add(PayerChecks.oneOf("category", PayerChecks.CATEGORIES));
        }
        if (note != null && note.length() > 500) {
            problems.add(new FieldProblem("note", "size", "validation.size", Map.of("min", 0, "max", 500)));
        }
        return tenants.inTenant(tenant, c -> {
            Optional<PayerAccount> a = PayerChecks.blank(code) ? Optional.empty() : rows.byCode(code.strip());
            if (a.isEmpty() || "closed".equals(a.get().status())) {
                problems.add(0, new FieldProblem("code", "unknown", "payers.validation.unknown_code", Map.of()));
            }
            if (!problems.isEmpty()) {
                throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", problems);
            }
            UUID payer = a.get().id();
            if (user.equals(a.get().piUserId()) || rows.request(payer, user, category, clock.now(), PayerChecks.clean(note)) == 0) {
                throw new ProblemException(HttpStatus.CONFLICT, "already_member");
            }
            audit.append(c, actor.entry("payer_member.requested", "payer_account", payer.toString(),
                    Map.of("userId", user.toString(), "category", category)));
            return rows.member(payer, user).orElseThrow();
        });
    }

    /** The PI (or finance) approves ({@code approved}) or revokes ({@code revoked}) a membership; 409 {@code wrong_state} otherwise. */
    public PayerRows.MemberRow decide(TenantId tenant, AuditEntry.Actor actor, UUID by, UUID payerId, UUID user,
                                      String state, @Nullable String note) {
        if (note != null && note.length() > 500) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed",
                    List.of(new FieldProblem("note", "size", "validation.size", Map.of("min", 0, "max", 500))));
        }
        return tenants.inTenant(tenant, c -> {
            PayerRows.MemberRow m = rows.member(payerId, user).orElseThrow(ProblemException::notFound);
            boolean allowed = "approved".equals(state) ? "requested".equals(m.state()) : !"revoked".equals(m.state());
            if (!allowed) {
                throw new ProblemException(HttpStatus.CONFLICT, "wrong_state", m.state());
            }
            rows.decide(payerId, user, state, by, clock.now(), PayerChecks.clean(note));
            audit.append(c, actor.entry("payer_member." + state, "payer_account", payerId.toString(),
                    Map.of("userId", user.toString(), "note", note == null ? "" : note)));
            return rows.member(payerId, user).orElseThrow();
        });
    }

    // ------------------------------------------------------------------ deposits

    /**
     * A top-up of a prepaid account's deposit, received at the bank: one ledger posting (debit {@code 1002.bank},
     * credit {@code 2203.deposit.<id>}), idempotent per {@code key} (key {@code deposit:<payerId>:<key>}: the same key
     * again adds nothing and answers the first posting). Audited {@code payer_deposit.topped_up} once.
     */
    public Posted topUp(TenantId tenant, AuditEntry.Actor actor, PayerAccount a, @Nullable Long amountFen,
                        @Nullable String key, @Nullable String memo) {
        List<FieldProblem> problems = new ArrayList<>();
        if (!"prepaid".equals(a.settlement())) {
            throw new ProblemException(HttpStatus.CONFLICT, "not_prepaid");
        }
        if (amountFen == null || amountFen < 1 || amountFen > PayerChecks.MAX_BUDGET_FEN) {
            problems.add(new FieldProblem("amountFen", "range", "payers.validation.amount", Map.of()));
        }
        if (key == null || !KEY.matcher(key).matches()) {
            problems.add(new FieldProblem("key", "format", "payers.validation.key", Map.of()));
        }
        if (memo != null && memo.length() > 500) {
            problems.add(new FieldProblem("memo", "size", "validation.size", Map.of("min", 0, "max", 500)));
        }
        if (!problems.isEmpty()) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", problems);
        }
        return tenants.inTenant(tenant, c -> {
            ledger.ensureAccount(tenant, new NewAccount(BANK, "asset", "银行存款", "Bank", null, null));
            ensureLedgerAccount(tenant, a);
            Posted p = ledger.post(tenant, new NewTransaction("deposit:" + a.id() + ":" + key, "deposit", "payer_account",
                    a.id().toString(), PayerChecks.clean(memo), actorName(actor),
                    List.of(new Line(BANK, amountFen), new Line(depositCode(a.id()), -amountFen))));
            if (!p.replayed()) {
                audit.append(c, actor.entry("payer_deposit.topped_up", "payer_account", a.id().toString(),
                        Map.of("amountFen", amountFen, "key", key, "transactionId", p.transactionId().toString())));
                events.toppedUp(c, tenant, a, amountFen, key, p.transactionId(), p.period().toString());
            }
            return p;
        });
    }

    /** A prepaid account's deposit: summary, top-ups and charges (the deposit account's entries) and the last 100 holds. */
    public Deposit deposit(TenantId tenant, PayerAccount a) {
        return tenants.inTenant(tenant, c -> {
            ensureLedgerAccount(tenant, a);
            return new Deposit(summary(a), ledger.statement(tenant, a.ledgerCode(), null), rows.holds(a.id(), 100));
        });
    }

    /** Sets the tenant's arrears policy (overdue days, 1 to 3650). */
    public int setOverdueDays(TenantId tenant, AuditEntry.Actor actor, UUID by, @Nullable Integer days) {
        if (days == null || days < 1 || days > 3650) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", List.of(
                    new FieldProblem("overdueDays", "range", "validation.size", Map.of("min", 1, "max", 3650))));
        }
        return tenants.inTenant(tenant, c -> {
            rows.setOverdueDays(days, by);
            audit.append(c, actor.entry("payer_policy.updated", "payer_policy", tenant.toString(), Map.of("overdueDays", days)));
            return days;
        });
    }

    static String actorName(AuditEntry.Actor actor) {
        String s = actor.subject() == null ? "platform" : actor.subject();
        return s.length() > 200 ? s.substring(0, 200) : s;
    }
}

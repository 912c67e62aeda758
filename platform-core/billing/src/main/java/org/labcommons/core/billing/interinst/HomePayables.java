package org.labcommons.core.billing.interinst;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.billing.charges.Charge;
import org.labcommons.core.billing.charges.ChargePayers;
import org.labcommons.core.billing.charges.PayerLine;
import org.labcommons.core.billing.charges.Share;
import org.labcommons.core.billing.subsidies.FundShares;
import org.labcommons.core.billing.ledger.Ledger;
import org.labcommons.core.billing.ledger.Line;
import org.labcommons.core.billing.ledger.NewTransaction;
import org.labcommons.core.billing.ledger.Posted;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The home side of a cross-institution charge (docs/billing.md, "Between institutions"): a charge item a provider
 * posted to {@code 1122.tenant.<home>} is posted at the home as a payable: debit the user's payer account there (the
 * home's {@link ChargePayers} bean when there is one and it names a payer account; else {@code 1122.person.<user>}),
 * credit {@code 2202.tenant.<provider>}; idempotency key {@code interinst:<provider>:<chargeId>:<seq>}; and the pair is
 * recorded in {@code interinst_payable} in the same home transaction ("what we owe to whom and why"), audited.
 * The home's open-testing fund pays its share of the payable when a period of it covers outside services
 * ({@link FundShares#outsideShares}; the user is the home's own, so only a home payer line of an external customer
 * keeps it out): the same transaction then debits {@code 6601.subsidy.open-testing} for the share and the payer for
 * the rest, and the memo (the home statement's line) says so; {@code interinst_payable.fund_fen} keeps the share.
 * Delivered again, it adds nothing.
 */
@Singleton
public class HomePayables {
    private final TenantTransactions tenants;
    private final Ledger ledger;
    private final InterinstAccounts accounts;
    private final InterinstRows rows;
    private final AuditLog audit;
    @Nullable
    private final ChargePayers payers;
    private final FundShares fund;

    public HomePayables(TenantTransactions tenants, Ledger ledger, InterinstAccounts accounts, InterinstRows rows, AuditLog audit,
                        @Nullable ChargePayers payers, FundShares fund) {
        this.tenants = tenants;
        this.fund = fund;
        this.ledger = ledger;
        this.accounts = accounts;
        this.rows = rows;
        this.audit = audit;
        this.payers = payers;
    }

    /**
     * A charge item posted at the provider ({@code charge.tenant()}) to the home's receivable.
     *
     * @param seq       the item's sequence (the event's {@code itemSeq}, else the charge's version)
     * @param amountFen what the provider posted to {@code 1122.tenant.<home>} (negative for a waiver or a downward adjustment)
     * @param period    the provider's ledger period of the posting (shown, not used)
     * @param eventId   the event it came from
     */
    public record ForeignCharge(Charge charge, long seq, long amountFen, @Nullable String period, UUID eventId) {
    }

    /** What became of a foreign charge. */
    public enum Outcome { POSTED, REPLAYED, NOTHING_TO_POST }

    /** A page of the home's payables with the totals per provider. */
    @Serdeable
    public record PayablePage(List<InterinstRows.Payable> items, List<InterinstRows.ProviderTotal> providers, long totalFen,
                              long total, int page, int size) {
    }

    /** The idempotency key of a home posting. */
    public static String key(UUID provider, UUID chargeId, long seq) {
        return "interinst:" + provider + ":" + chargeId + ":" + seq;
    }

    /** Posts the home's side of {@code foreign} once (see the class comment). */
    public Outcome record(ForeignCharge foreign) {
        Charge charge = foreign.charge();
        TenantId home = charge.userHomeTenant();
        UUID provider = charge.tenant().value();
        if (foreign.amountFen() == 0 || home.equals(charge.tenant())) {
            return Outcome.NOTHING_TO_POST;
        }
        record Found(String payerCode, boolean internal, @Nullable String category, InterinstRows.TenantName names) {
        }
        Charge atHome = atHome(charge, foreign.seq());
        Found found = tenants.inTenant(home, c -> {
            if (rows.exists(provider, charge.id(), foreign.seq()) > 0) {
                return null;
            }
            // the home's payer rule sees the charge as its own (its tenant the home): the account the booking carried,
            // when it is one of the home's and usable; a payer line naming an institution is never the home's
            Optional<PayerLine> line = (payers == null ? Optional.<PayerLine>empty() : payers.payerFor(c, atHome))
                    .filter(l -> !l.ledgerCode().startsWith("1122.tenant.") && !l.ledgerCode().startsWith("2202."));
            return new Found(line.map(PayerLine::ledgerCode).orElse(InterinstAccounts.person(charge.userId())),
                    line.map(PayerLine::internal).orElse(true), line.map(PayerLine::userCategory).orElse(null),
                    names(provider));
        });
        if (found == null) {
            return Outcome.REPLAYED;
        }
        String payerCode = found.payerCode();
        var names = found.names();
        accounts.payer(home, payerCode, charge.userId());
        accounts.payable(home, provider, names.nameZh(), names.nameEn());
        String key = key(provider, charge.id(), foreign.seq());
        long fen = foreign.amountFen();
        return tenants.inTenant(home, c -> {
            if (rows.exists(provider, charge.id(), foreign.seq()) > 0) {
                return Outcome.REPLAYED;   // a concurrent delivery posted it meanwhile (the fund is not asked twice)
            }
            List<Share> shares = found.internal() ? fund.outsideShares(c, atHome, found.category(), fen) : List.of();
            long fundFen = shares.stream().mapToLong(Share::amountFen).sum();
            List<Line> lines = new ArrayList<>();
            if (fen - fundFen != 0) {
                lines.add(new Line(payerCode, fen - fundFen));
            }
            for (Share s : shares) {
                lines.add(new Line(s.ledgerCode(), s.amountFen()));
            }
            lines.add(new Line(InterinstAccounts.payableTo(provider), -fen));
            Posted posted = ledger.post(home, new NewTransaction(key, "interinst", "charge", charge.id().toString(),
                    memo(names.slug(), fen, shares), "federation", lines), charge.serviceStart());
            long added = rows.insert(provider, charge.id(), foreign.seq(), charge.userId(), charge.instrumentId(), charge.kind(),
                    charge.serviceStart(), fen, payerCode, foreign.period(), posted.transactionId(), foreign.eventId(), fundFen);
            if (added == 0) {
                return Outcome.REPLAYED;
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("provider", provider.toString());
            details.put("chargeId", charge.id().toString());
            details.put("seq", foreign.seq());
            details.put("amountFen", fen);
            details.put("payerLedgerCode", payerCode);
            details.put("fundFen", fundFen);
            audit.append(c, AuditEntry.system("interinst.payable_recorded", "charge", charge.id().toString(), details));
            return Outcome.POSTED;
        });
    }

    /** A page of the home's payables (of one provider, or all), newest first, with the totals per provider. */
    public PayablePage payables(TenantId home, @Nullable UUID provider, int page, int size) {
        return tenants.inTenant(home, c -> {
            List<InterinstRows.ProviderTotal> totals = rows.totals(provider);
            long sum = totals.stream().mapToLong(InterinstRows.ProviderTotal::amountFen).sum();
            return new PayablePage(rows.payables(provider, size, (long) page * size), totals, sum, rows.countPayables(provider),
                    page, size);
        });
    }

    /**
     * The charge as the home sees it: its tenant the home (so the home's payer rule treats the user as its own) and
     * its version the provider's item sequence (the fund's consumption is recorded once per item).
     */
    static Charge atHome(Charge ch, long seq) {
        return new Charge(ch.id(), ch.userHomeTenant(), ch.sourceType(), ch.sourceId(), ch.kind(), ch.instrumentId(),
                ch.serviceId(), ch.orgUnitId(), ch.userId(), ch.userHomeTenant(), ch.accountCode(), ch.rateGroup(),
                ch.feeStandardId(), ch.feeStandardVersion(), ch.serviceStart(), ch.serviceEnd(), ch.quantity(), ch.unit(),
                ch.amountFen(), ch.status(), ch.createdAt(), seq);
    }

    /**
     * The home posting's memo, which the home's statement shows on the payer's line: the provider, what it charged,
     * and the fund's part when it paid one ({@code outside charge at donghu: 1000.00; 开放测试基金 open-testing fund
     * (30%) 300.00; payer 700.00}; yuan with two decimals, exact).
     */
    static String memo(String provider, long fen, List<Share> shares) {
        StringBuilder m = new StringBuilder("outside charge at ").append(provider).append(": ").append(yuan(fen));
        long rest = fen;
        for (Share s : shares) {
            m.append("; ").append(s.nameZh()).append(" / ").append(s.nameEn()).append(' ').append(yuan(s.amountFen()));
            rest -= s.amountFen();
        }
        if (!shares.isEmpty()) {
            m.append("; payer ").append(yuan(rest));
        }
        return m.length() > 1000 ? m.substring(0, 1000) : m.toString();
    }

    private static String yuan(long fen) {
        return java.math.BigDecimal.valueOf(fen, 2).toPlainString();
    }

    private InterinstRows.TenantName names(UUID tenant) {
        return rows.tenants(new String[]{tenant.toString()}).stream().findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown tenant " + tenant));
    }
}

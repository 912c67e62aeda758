package org.labcommons.core.billing.interinst;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.billing.charges.Charge;
import org.labcommons.core.billing.charges.ChargePayers;
import org.labcommons.core.billing.charges.PayerLine;
import org.labcommons.core.billing.ledger.Ledger;
import org.labcommons.core.billing.ledger.Line;
import org.labcommons.core.billing.ledger.NewTransaction;
import org.labcommons.core.billing.ledger.Posted;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

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

    public HomePayables(TenantTransactions tenants, Ledger ledger, InterinstAccounts accounts, InterinstRows rows, AuditLog audit,
                        @Nullable ChargePayers payers) {
        this.tenants = tenants;
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
        record Found(String payerCode, InterinstRows.TenantName names) {
        }
        Found found = tenants.inTenant(home, c -> {
            if (rows.exists(provider, charge.id(), foreign.seq()) > 0) {
                return null;
            }
            Optional<PayerLine> line = payers == null ? Optional.empty() : payers.payerFor(c, charge);
            // a payer line naming an institution is the provider's view of an outside user: at home it is the person
            return new Found(line.map(PayerLine::ledgerCode)
                    .filter(code -> !code.startsWith("1122.tenant.") && !code.startsWith("2202."))
                    .orElse(InterinstAccounts.person(charge.userId())), names(provider));
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
            Posted posted = ledger.post(home, new NewTransaction(key, "interinst", "charge", charge.id().toString(),
                    "outside charge at " + names.slug(), "federation",
                    List.of(new Line(payerCode, fen), new Line(InterinstAccounts.payableTo(provider), -fen))),
                    charge.serviceStart());
            long added = rows.insert(provider, charge.id(), foreign.seq(), charge.userId(), charge.instrumentId(), charge.kind(),
                    charge.serviceStart(), fen, payerCode, foreign.period(), posted.transactionId(), foreign.eventId());
            if (added == 0) {
                return Outcome.REPLAYED;
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("provider", provider.toString());
            details.put("chargeId", charge.id().toString());
            details.put("seq", foreign.seq());
            details.put("amountFen", fen);
            details.put("payerLedgerCode", payerCode);
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

    private InterinstRows.TenantName names(UUID tenant) {
        return rows.tenants(new String[]{tenant.toString()}).stream().findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown tenant " + tenant));
    }
}

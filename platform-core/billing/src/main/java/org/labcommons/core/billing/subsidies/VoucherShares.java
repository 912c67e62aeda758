package org.labcommons.core.billing.subsidies;

import io.micronaut.core.annotation.Order;
import jakarta.inject.Singleton;
import org.labcommons.core.billing.charges.Charge;
import org.labcommons.core.billing.charges.ChargeShares;
import org.labcommons.core.billing.charges.PayerLine;
import org.labcommons.core.billing.charges.Share;
import org.labcommons.core.billing.ledger.Ledger;
import org.labcommons.core.billing.ledger.LedgerCheckRows;
import org.labcommons.core.billing.ledger.NewAccount;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.sql.Connection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The innovation voucher's share of a charge posting ({@link ChargeShares}, applied after the fund), in the
 * provider's posting transaction: for an external payer ({@code !internal}) whose {@code taxId} is an enterprise
 * registered by the provider's consortium (the first active tenant of kind {@code consortium} up the provider's chain
 * of parents), {@link VoucherClaims} claims in the consortium tenant (bound for the claim, in the same database
 * transaction), and the provider's share is {@code 1122.voucher.<consortiumTenantId>} (the bureau owes it; the
 * enterprise pays the rest). A negative {@code remainingFen} (a waiver or a downward adjustment after posting) returns
 * up to what the charge holds of the voucher, whoever the payer is now; the share is then negative.
 */
@Singleton
@Order(2)
public record VoucherShares(TenantTransactions tenants, VoucherRows rows, VoucherClaims claims, Ledger ledger,
                            LedgerCheckRows checks)
        implements ChargeShares {

    /** The provider's receivable from the bureau. */
    public static String receivable(UUID consortium) {
        return "1122.voucher." + consortium;
    }

    @Override
    public List<Share> sharesOf(Connection c, Charge charge, PayerLine payer, long remainingFen) {
        String taxId = TaxIds.normal(payer.taxId());
        if (remainingFen == 0 || (remainingFen > 0 && (payer.internal() || !TaxIds.valid(taxId)))) {
            return List.of();
        }
        Optional<UUID> consortium = rows.consortiumOf(charge.tenant().value());
        if (consortium.isEmpty() || consortium.get().equals(charge.tenant().value())) {
            return List.of();
        }
        TenantId bureau = new TenantId(consortium.get());
        // each tenant's pending ledger checks run while it is bound (LedgerCheckRows): the provider's first
        checkNow(c);
        Optional<VoucherClaims.Claimed> claimed = tenants.withinTransactionAs(bureau, cc -> {
            Optional<VoucherClaims.Claimed> out = remainingFen > 0 ? claims.claim(cc, bureau, charge, taxId, remainingFen)
                    : claims.claim(cc, bureau, charge, taxIdOfHeld(charge, bureau), remainingFen);
            checks.checkNow(cc);
            return out;
        });
        if (claimed.isEmpty() || claimed.get().amountFen() == 0) {
            return List.of();
        }
        var names = rows.names(bureau.value());
        String zh = names.map(VoucherRows.TenantNames::nameZh).orElse(bureau.toString());
        String en = names.map(VoucherRows.TenantNames::nameEn).orElse(bureau.toString());
        ledger.ensureAccount(charge.tenant(), new NewAccount(receivable(bureau.value()), "asset",
                "应收科技创新券款（" + zh + "）", "Innovation vouchers receivable from " + en, "tenant", bureau.value()));
        return List.of(new Share(receivable(bureau.value()), claimed.get().amountFen(), "voucher",
                "voucher:" + claimed.get().number(), "科技创新券 " + claimed.get().number(),
                "Innovation voucher " + claimed.get().number()));
    }

    private void checkNow(Connection c) {
        try {
            checks.checkNow(c);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** For a return: the tax id of the enterprise whose voucher the charge holds (the payer may have changed). */
    private String taxIdOfHeld(Charge charge, TenantId bureau) {
        return tenants.withinTransactionAs(bureau, cc -> rows.net(charge.tenant().value(), charge.id()).stream()
                .findFirst().flatMap(n -> rows.voucher(n.voucherId())).map(VoucherRows.Stored::taxId).orElse(""));
    }
}

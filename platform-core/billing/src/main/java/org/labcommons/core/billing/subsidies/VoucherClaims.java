package org.labcommons.core.billing.subsidies;

import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.billing.charges.Charge;
import org.labcommons.core.billing.ledger.Ledger;
import org.labcommons.core.billing.ledger.Line;
import org.labcommons.core.billing.ledger.NewAccount;
import org.labcommons.core.billing.ledger.NewTransaction;
import org.labcommons.core.billing.ledger.Posted;
import org.labcommons.core.booking.BookingClock;
import org.labcommons.core.tenancy.TenantId;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A voucher claim at the bureau: runs with the consortium tenant bound (inside the provider's posting transaction,
 * {@code TenantTransactions.withinTransactionAs}), so the claim, the bureau's ledger posting and the provider's
 * posting commit or fail together.
 * <p>
 * A claim asks for {@code baseFen > 0}: the enterprise's usable voucher on the charge's service day (in the
 * consortium's zone; active, valid that day, with a balance; the one expiring first) pays
 * {@code min(baseFen, the batch's per-claim cap, the batch's year cap less what the enterprise claimed under the
 * batch in that calendar year, the voucher's balance)}. The year row ({@code voucher_year_use}) and then the voucher
 * row are locked first, always in that order, so concurrent claims never pass a cap. A return ({@code baseFen < 0})
 * gives back {@code min(|baseFen|, what the charge holds net of the voucher)} to the voucher and the year it was
 * claimed in. One claim per (provider, charge id, charge version): the same again answers the first amount.
 * The bureau posts {@code 6601.voucher.expense +amount / 2241.voucher.<provider> -amount} (a return the mirror),
 * key {@code voucher-claim:<provider>:<charge>:<version>}, and audits {@code voucher.claimed} / {@code voucher.returned}.
 */
@Singleton
public record VoucherClaims(VoucherRows rows, Ledger ledger, AuditLog audit, BookingClock clock, SubsidyEvents events) {
    /** The bureau's expense account for the vouchers it pays. */
    public static final String EXPENSE = "6601.voucher.expense";

    /** The bureau's payable to a provider for redeemed vouchers. */
    public static String payable(UUID provider) {
        return "2241.voucher." + provider;
    }

    /** A claim's outcome: the voucher and the signed amount (0: nothing to claim; empty: no usable voucher). */
    public record Claimed(UUID voucherId, String number, long amountFen) {
    }

    /** Claims (or returns) for a provider's charge posting; call with the consortium tenant bound. */
    public Optional<Claimed> claim(Connection c, TenantId consortium, Charge charge, String taxId, long baseFen)
            throws SQLException {
        UUID provider = charge.tenant().value();
        var replay = rows.claim(provider, charge.id(), charge.version());
        if (replay.isPresent()) {
            return Optional.of(new Claimed(replay.get().voucherId(), replay.get().voucherNumber(), replay.get().amountFen()));
        }
        var enterprise = rows.enterpriseByTaxId(taxId);
        if (enterprise.isEmpty()) {
            return Optional.empty();
        }
        ZoneId zone = ZoneId.of(rows.names(consortium.value()).map(VoucherRows.TenantNames::timeZone).orElse("Asia/Shanghai"));
        LocalDate day = LocalDate.ofInstant(charge.serviceStart(), zone);
        UUID voucherId;
        int year;
        long amount;
        if (baseFen > 0) {
            var usable = rows.usable(enterprise.get().id(), day);
            if (usable.isEmpty()) {
                return Optional.empty();
            }
            voucherId = usable.get();
            VoucherRows.Stored v = rows.voucher(voucherId).orElseThrow();
            year = day.getYear();
            rows.ensureYear(v.enterpriseId(), v.batchId(), year);
            long usedInYear = rows.lockYear(v.enterpriseId(), v.batchId(), year);
            v = rows.lockVoucher(voucherId).orElseThrow();
            amount = Math.max(0, Math.min(Math.min(baseFen, v.perClaimCapFen()),
                    Math.min(v.perYearCapFen() - usedInYear, v.faceValueFen() - v.claimedFen())));
        } else {
            List<VoucherRows.Net> held = rows.net(provider, charge.id());
            if (held.isEmpty() || held.get(0).amountFen() <= 0) {
                return Optional.empty();
            }
            VoucherRows.Net net = held.get(0);
            voucherId = net.voucherId();
            year = net.year();
            VoucherRows.Stored v = rows.voucher(voucherId).orElseThrow();
            rows.lockYear(v.enterpriseId(), v.batchId(), year);
            rows.lockVoucher(voucherId).orElseThrow();
            amount = -Math.min(-baseFen, net.amountFen());
        }
        VoucherRows.Stored v = rows.voucher(voucherId).orElseThrow();
        UUID claimId = UUID.randomUUID();
        if (rows.insertClaim(claimId, voucherId, v.enterpriseId(), provider, charge.id(), charge.version(),
                charge.instrumentId(), day, year, baseFen, amount, clock.now()) == 0) {
            var first = rows.claim(provider, charge.id(), charge.version()).orElseThrow();
            return Optional.of(new Claimed(first.voucherId(), first.voucherNumber(), first.amountFen()));
        }
        if (amount != 0) {
            rows.claimOn(voucherId, amount);
            rows.claimInYear(v.enterpriseId(), v.batchId(), year, amount);
            String providerName = rows.names(provider).map(VoucherRows.TenantNames::nameZh).orElse(provider.toString());
            String providerNameEn = rows.names(provider).map(VoucherRows.TenantNames::nameEn).orElse(provider.toString());
            ledger.ensureAccount(consortium, new NewAccount(EXPENSE, "expense", "科技创新券补贴支出",
                    "Innovation voucher expense", null, null));
            ledger.ensureAccount(consortium, new NewAccount(payable(provider), "liability",
                    "应付服务机构创新券款（" + providerName + "）", "Vouchers payable to " + providerNameEn, "tenant", provider));
            Posted posted = ledger.post(consortium, new NewTransaction(
                    "voucher-claim:" + provider + ":" + charge.id() + ":" + charge.version(), "voucher_claim",
                    "voucher_claim", claimId.toString(), "科技创新券 " + v.number(), "system",
                    List.of(new Line(EXPENSE, amount), new Line(payable(provider), -amount))), charge.serviceStart());
            rows.posted(claimId, posted.transactionId());
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("voucher", v.number());
        details.put("provider", provider.toString());
        details.put("chargeId", charge.id().toString());
        details.put("chargeVersion", charge.version());
        details.put("baseFen", baseFen);
        details.put("amountFen", amount);
        audit.append(c, AuditEntry.system(amount < 0 ? "voucher.returned" : "voucher.claimed", "voucher_claim",
                claimId.toString(), details));
        if (amount != 0) {
            events.voucherClaimed(c, consortium, v, claimId, provider, charge, baseFen, amount);
        }
        return Optional.of(new Claimed(voucherId, v.number(), amount));
    }
}

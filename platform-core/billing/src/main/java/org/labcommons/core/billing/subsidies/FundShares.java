package org.labcommons.core.billing.subsidies;

import io.micronaut.core.annotation.Order;
import jakarta.inject.Singleton;
import org.labcommons.core.billing.charges.Charge;
import org.labcommons.core.billing.charges.ChargeShares;
import org.labcommons.core.billing.charges.PayerLine;
import org.labcommons.core.billing.charges.Share;
import org.labcommons.core.billing.ledger.Ledger;
import org.labcommons.core.billing.ledger.NewAccount;
import org.labcommons.core.booking.BookingClock;

import io.micronaut.core.annotation.Nullable;

import java.sql.Connection;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;

/**
 * The open-testing fund's share of a charge posting ({@link ChargeShares}, applied first), in the posting's tenant
 * transaction (docs/billing.md, "Subsidies and vouchers"):
 * <ul>
 *   <li>{@code remainingFen > 0} (an approval, or an upward adjustment): for an internal payer, the fund period that
 *       applies to the charge (its service day in the tenant's zone inside the period, the instrument and unit
 *       admitted) pays {@code share = floor((remainingFen * bp + 5,000) / 10,000)} (round half up to a whole fen), bp
 *       the payer's user category's share or the period's default, capped by what is left of the budget (0 once
 *       spent). The period's row is locked while it is decided, so concurrent charges never overspend.</li>
 *   <li>{@code remainingFen < 0} (a waiver or a downward adjustment after posting): the fund takes back its part of
 *       the delta, {@code -min(floor((|remainingFen| * bp + 5,000) / 10,000), net)}, bp the share of the charge's first
 *       consumption and net what the charge still holds of the period; the budget gets it back. The returned share
 *       is negative (A posts it as it is: a credit of the subsidy account).</li>
 * </ul>
 * Each posting is recorded once per (charge id, charge version): asked again with the same version, the recorded
 * share comes back and nothing is consumed twice. The share's account {@code 6601.subsidy.open-testing} is ensured
 * here, so the posting may use it at once.
 */
@Singleton
@Order(1)
public record FundShares(FundRows rows, Ledger ledger, BookingClock clock, SubsidyEvents events) implements ChargeShares {
    /** The fund's expense account at the institution. */
    public static final String ACCOUNT = "6601.subsidy.open-testing";

    @Override
    public List<Share> sharesOf(Connection c, Charge charge, PayerLine payer, long remainingFen) {
        if (remainingFen == 0) {
            return List.of();
        }
        var replay = rows.consumption(charge.id(), charge.version());
        if (replay.isPresent()) {
            return share(charge, replay.get().fundId(), replay.get().amountFen(), replay.get().shareBp());
        }
        if (remainingFen < 0) {
            return giveBack(c, charge, remainingFen, false);
        }
        return payer.internal() ? consume(c, charge, payer.userCategory(), remainingFen, false) : List.of();
    }

    /**
     * The fund's share of what the bound home institution owes another institution for its own user's charge there
     * (docs/billing.md, "Between institutions"; called by {@code HomePayables} in the home's posting transaction).
     * {@code atHome} is the provider's charge as the home sees it: tenant the home, version the provider's item
     * sequence (the consumption's idempotency per item). The rule is the one above with two differences: only a
     * period that covers outside services ({@code covers_outside}) and has no instrument or unit limits applies (its
     * limits name the home's own instruments and units), found by the service day in the home's zone; and the user is
     * the home's own (internal), so the payer's category is the home payer account's, else the period's default.
     * {@code amountFen} negative: the fund takes its part of the reduction back, as for a waiver.
     */
    public List<Share> outsideShares(Connection c, Charge atHome, @Nullable String category, long amountFen) {
        if (amountFen == 0) {
            return List.of();
        }
        var replay = rows.consumption(atHome.id(), atHome.version());
        if (replay.isPresent()) {
            return share(atHome, replay.get().fundId(), replay.get().amountFen(), replay.get().shareBp());
        }
        return amountFen > 0 ? consume(c, atHome, category, amountFen, true) : giveBack(c, atHome, amountFen, true);
    }

    private List<Share> consume(Connection c, Charge charge, @Nullable String category, long remainingFen, boolean outside) {
        ZoneId zone = ZoneId.of(rows.tenantZone().orElse("Asia/Shanghai"));
        LocalDate day = LocalDate.ofInstant(charge.serviceStart(), zone);
        var fundId = outside ? rows.applicableOutside(day) : rows.applicable(day, charge.instrumentId(), charge.orgUnitId());
        if (fundId.isEmpty()) {
            return List.of();
        }
        FundRows.Stored fund = rows.lock(fundId.get()).orElseThrow();
        var raced = rows.consumption(charge.id(), charge.version());
        if (raced.isPresent()) {
            return share(charge, raced.get().fundId(), raced.get().amountFen(), raced.get().shareBp());
        }
        int bp = fund.defaultBp();
        if (category != null) {
            for (FundRows.ShareRow s : rows.shares(fund.id())) {
                if (s.userCategory().equals(category)) {
                    bp = s.shareBp();
                }
            }
        }
        long amount = Math.min(portion(remainingFen, bp), Math.max(0, fund.budgetFen() - fund.consumedFen()));
        rows.insertConsumption(UUID.randomUUID(), fund.id(), charge.id(), charge.version(), category, bp, remainingFen,
                amount, clock.now());
        if (amount > 0) {
            rows.consume(fund.id(), amount, clock.now());
            events.shareApplied(c, fund, charge, outside, category, bp, remainingFen, amount);
            if (fund.consumedFen() + amount >= fund.budgetFen()) {
                events.exhausted(c, fund, charge);
            }
        }
        return share(charge, fund.id(), amount, bp);
    }

    private List<Share> giveBack(Connection c, Charge charge, long remainingFen, boolean outside) {
        for (FundRows.Net net : rows.net(charge.id())) {
            if (net.amountFen() <= 0) {
                continue;
            }
            FundRows.Stored locked = rows.lock(net.fundId()).orElseThrow();
            var raced = rows.consumption(charge.id(), charge.version());
            if (raced.isPresent()) {
                return share(charge, raced.get().fundId(), raced.get().amountFen(), raced.get().shareBp());
            }
            long back = Math.min(portion(-remainingFen, net.shareBp()), net.amountFen());
            rows.insertConsumption(UUID.randomUUID(), net.fundId(), charge.id(), charge.version(), null, net.shareBp(),
                    remainingFen, -back, clock.now());
            if (back > 0) {
                rows.consume(net.fundId(), -back, clock.now());
                events.shareApplied(c, locked, charge, outside, null, net.shareBp(), remainingFen, -back);
            }
            return share(charge, net.fundId(), -back, net.shareBp());
        }
        return List.of();
    }

    /** {@code amount * bp / 10,000} rounded half up to a whole fen ({@code amount >= 0}). */
    public static long portion(long amountFen, int bp) {
        return Math.addExact(Math.multiplyExact(amountFen, (long) bp), 5_000L) / 10_000L;
    }

    private List<Share> share(Charge charge, UUID fundId, long amount, int bp) {
        if (amount == 0) {
            return List.of();
        }
        ledger.ensureAccount(charge.tenant(), new NewAccount(ACCOUNT, "expense", "开放测试基金补贴", "Open-testing fund subsidy",
                null, null));
        FundRows.Stored fund = rows.find(fundId).orElseThrow();
        String percent = percent(bp);
        return List.of(new Share(ACCOUNT, amount, "subsidy", "fund:" + fundId,
                fund.nameZh() + "（开放测试基金 " + percent + "）", fund.nameEn() + " (open-testing fund " + percent + ")"));
    }

    /** Basis points as a percentage: 3000 is "30%", 1250 "12.5%". */
    static String percent(int bp) {
        return new java.math.BigDecimal(bp).movePointLeft(2).stripTrailingZeros().toPlainString() + "%";
    }
}

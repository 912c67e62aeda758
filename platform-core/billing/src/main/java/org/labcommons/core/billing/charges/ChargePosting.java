package org.labcommons.core.billing.charges;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.labcommons.core.billing.ledger.Ledger;
import org.labcommons.core.billing.ledger.Line;
import org.labcommons.core.billing.ledger.NewAccount;
import org.labcommons.core.billing.ledger.NewTransaction;
import org.labcommons.core.billing.ledger.Posted;
import org.labcommons.core.booking.BookingClock;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Posts an approved charge, or the delta of a later item of an approved charge, to the ledger (ISSUE17 contract):
 * one {@link Ledger#post} per approval or item, key {@code charge:<chargeId>:<itemSeq>}, source
 * {@code charge}/{@code <chargeId>}; lines: each share ({@link ChargeShares}, in their order, each given what is left)
 * debited, the payer's code ({@link ChargePayers}; none, or empty: {@code 1122.person.<userId>}) debited with the rest,
 * the lab's revenue ({@code 6001.lab.<orgUnitId>}, or {@code 6001.instrument.<instrumentId>} without a unit) credited
 * with the whole delta. A delta below zero: the same lines, negated (shares asked for the delta's absolute value).
 * Runs in the caller's tenant transaction (the ledger joins it); the shares are stored in {@code charge_share}.
 * Nothing is rounded here: shares are whole fen as their beans computed them; a share is capped at what is left.
 */
@Singleton
public class ChargePosting {
    private final Ledger ledger;
    private final ChargeRows rows;
    private final ChargeEvents events;
    private final BookingClock clock;
    private final @Nullable ChargePayers payers;
    private final List<ChargeShares> shares;

    public ChargePosting(Ledger ledger, ChargeRows rows, ChargeEvents events, BookingClock clock,
                         Optional<ChargePayers> payers, List<ChargeShares> shares) {
        this.ledger = ledger;
        this.rows = rows;
        this.events = events;
        this.clock = clock;
        this.payers = payers.orElse(null);
        this.shares = List.copyOf(shares);
    }

    /** The person's receivable: the payer line of a charge no payer account takes. */
    static PayerLine person(Charge charge) {
        return new PayerLine(charge.userId(), "person", "1122.person." + charge.userId(),
                charge.userHomeTenant().equals(charge.tenant()), null, null);
    }

    /** The revenue account of the charge's lab. */
    static String revenueCode(Charge charge) {
        return charge.orgUnitId() != null ? "6001.lab." + charge.orgUnitId() : "6001.instrument." + charge.instrumentId();
    }

    /**
     * Posts {@code deltaFen} (non-zero) of {@code charge} for item {@code itemSeq}; answers the ledger's transaction
     * (replayed when that key was posted before: then nothing is stored again).
     */
    Posted post(Connection c, Charge charge, int itemSeq, long deltaFen, Who who) throws SQLException {
        PayerLine payer = payers == null ? null : payers.payerFor(c, charge).orElse(null);
        if (payer == null) {
            payer = person(charge);
        }
        long whole = Math.abs(deltaFen);
        int sign = deltaFen < 0 ? -1 : 1;
        long remaining = whole;
        List<Share> taken = new ArrayList<>();
        for (ChargeShares bean : shares) {
            if (remaining <= 0) {
                break;
            }
            for (Share s : bean.sharesOf(c, charge, payer, remaining)) {
                long amount = Math.min(s.amountFen(), remaining);
                if (amount <= 0) {
                    continue;
                }
                remaining -= amount;
                taken.add(new Share(s.ledgerCode(), amount, s.kind(), s.reference(), s.nameZh(), s.nameEn()));
            }
        }
        String revenue = revenueCode(charge);
        ensureOwn(charge, payer, revenue);
        Map<String, Long> lines = new LinkedHashMap<>();
        taken.forEach(s -> lines.merge(s.ledgerCode(), sign * s.amountFen(), Long::sum));
        if (remaining > 0) {
            lines.merge(payer.ledgerCode(), sign * remaining, Long::sum);
        }
        lines.merge(revenue, -sign * whole, Long::sum);
        List<Line> posting = lines.entrySet().stream().filter(e -> e.getValue() != 0)
                .map(e -> new Line(e.getKey(), e.getValue())).toList();
        Posted posted = ledger.post(charge.tenant(), new NewTransaction("charge:" + charge.id() + ":" + itemSeq, "charge",
                "charge", charge.id().toString(), charge.kind() + " " + charge.sourceType() + " " + charge.sourceId(),
                who.label(), posting), charge.serviceStart());
        if (posted.replayed()) {
            return posted;
        }
        List<Map<String, Object>> shareList = new ArrayList<>();
        int line = 1;
        for (Share s : taken) {
            rows.share(charge.id(), itemSeq, line++, s.ledgerCode(), sign * s.amountFen(), s.kind(), s.reference(),
                    s.nameZh(), s.nameEn());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", s.kind());
            m.put("amountFen", sign * s.amountFen());
            m.put("reference", s.reference());
            shareList.add(m);
        }
        rows.posted(charge.id(), deltaFen, payer.payerKind(), payer.ledgerCode(), clock.now());
        Charge after = ChargeWriter.view(charge.tenant(), rows.find(charge.id()).orElseThrow());
        Map<String, Object> more = new LinkedHashMap<>();
        more.put("postedFen", deltaFen);
        more.put("itemSeq", itemSeq);
        more.put("payerKind", payer.payerKind());
        more.put("payerLedgerCode", payer.ledgerCode());
        more.put("shares", shareList);
        more.put("period", posted.period().toString());
        more.put("ledgerTransactionId", posted.transactionId().toString());
        events.emit(c, "posted", after, more);
        return posted;
    }

    /** The accounts this part owns exist: the person's receivable (when it is the payer) and the lab's revenue. */
    private void ensureOwn(Charge charge, PayerLine payer, String revenue) {
        if (payer.ledgerCode().equals("1122.person." + charge.userId())) {
            ledger.ensureAccount(charge.tenant(), new NewAccount(payer.ledgerCode(), "asset", "个人应收款",
                    "Receivable from a person", "person", charge.userId()));
        }
        if (charge.orgUnitId() != null) {
            ledger.ensureAccount(charge.tenant(), new NewAccount(revenue, "revenue", "实验室测试收入",
                    "Lab testing revenue", "org_unit", charge.orgUnitId()));
        } else {
            ledger.ensureAccount(charge.tenant(), new NewAccount(revenue, "revenue", "仪器测试收入",
                    "Instrument testing revenue", "instrument", charge.instrumentId()));
        }
    }
}

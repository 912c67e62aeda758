package org.labcommons.core.billing.subsidies;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.exceptions.DataAccessException;
import jakarta.inject.Singleton;
import org.labcommons.core.billing.BillingTopics;
import org.labcommons.core.billing.charges.Charge;
import org.labcommons.core.events.Outbox;
import org.labcommons.core.tenancy.TenantId;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The {@code billing.subsidy.v1} events (docs/events.md), appended in the transaction of the change. Aggregate
 * {@code voucher} (in the bureau's tenant: record key the voucher's id; a voucher keeps no version, so
 * {@code aggregateVersion} is 1 for issued, 2 for a claim or a return, 3 for expired) and
 * {@code subsidy_fund} (record key the fund period's id, version the fund's consumed fen after the change, which only
 * grows while the fund pays and so orders its events). Every payload carries {@code tenantId}; ids only.
 */
@Singleton
public record SubsidyEvents(Outbox outbox) {

    /** {@code fund.share_applied}: a fund period paid (or, negative, took back) its share of a posting. */
    void shareApplied(Connection c, FundRows.Stored fund, Charge charge, boolean outside, @Nullable String category, int bp,
                      long baseFen, long amountFen) {
        Map<String, Object> p = base(charge.tenant());
        p.put("fundId", fund.id().toString());
        p.put("chargeId", charge.id().toString());
        p.put("chargeVersion", charge.version());
        p.put("outside", outside);
        p.put("providerTenantId", outside ? charge.tenant().toString() : null);
        p.put("userCategory", category);
        p.put("shareBp", bp);
        p.put("baseFen", baseFen);
        p.put("amountFen", amountFen);
        p.put("consumedFen", fund.consumedFen() + amountFen);
        p.put("budgetFen", fund.budgetFen());
        emit(c, "fund.share_applied", "subsidy_fund", fund.id(), fund.consumedFen() + amountFen, p);
    }

    /** {@code fund.exhausted}: this share spent the rest of the period's budget (later charges get 0 %). */
    void exhausted(Connection c, FundRows.Stored fund, Charge charge) {
        Map<String, Object> p = base(charge.tenant());
        p.put("fundId", fund.id().toString());
        p.put("budgetFen", fund.budgetFen());
        p.put("chargeId", charge.id().toString());
        p.put("startsOn", fund.startsOn().toString());
        p.put("endsOn", fund.endsOn().toString());
        emit(c, "fund.exhausted", "subsidy_fund", fund.id(), fund.budgetFen(), p);
    }

    /** {@code voucher.issued}, in the bureau's transaction. */
    void voucherIssued(Connection c, TenantId bureau, VoucherRows.Stored v) {
        Map<String, Object> p = base(bureau);
        p.put("voucherId", v.id().toString());
        p.put("number", v.number());
        p.put("batchId", v.batchId().toString());
        p.put("enterpriseId", v.enterpriseId().toString());
        p.put("faceValueFen", v.faceValueFen());
        p.put("validFrom", v.validFrom().toString());
        p.put("validTo", v.validTo().toString());
        emit(c, "voucher.issued", "voucher", v.id(), 1, p);
    }

    /** {@code voucher.claimed} (a positive amount) or {@code voucher.returned} (negative), in the bureau's transaction. */
    void voucherClaimed(Connection c, TenantId bureau, VoucherRows.Stored v, UUID claimId, UUID provider, Charge charge,
                        long baseFen, long amountFen) {
        Map<String, Object> p = base(bureau);
        p.put("voucherId", v.id().toString());
        p.put("claimId", claimId.toString());
        p.put("enterpriseId", v.enterpriseId().toString());
        p.put("providerTenantId", provider.toString());
        p.put("chargeId", charge.id().toString());
        p.put("chargeVersion", charge.version());
        p.put("baseFen", baseFen);
        p.put("amountFen", amountFen);
        p.put("claimedFen", v.claimedFen() + amountFen);
        p.put("balanceFen", v.faceValueFen() - v.claimedFen() - amountFen);
        emit(c, amountFen < 0 ? "voucher.returned" : "voucher.claimed", "voucher", v.id(), 2, p);
    }

    /** {@code voucher.expired}: its last valid day passed (the bureau's zone) with a balance left. */
    void voucherExpired(Connection c, TenantId bureau, VoucherRows.Stored v) {
        Map<String, Object> p = base(bureau);
        p.put("voucherId", v.id().toString());
        p.put("number", v.number());
        p.put("enterpriseId", v.enterpriseId().toString());
        p.put("validTo", v.validTo().toString());
        p.put("balanceFen", v.faceValueFen() - v.claimedFen());
        emit(c, "voucher.expired", "voucher", v.id(), 3, p);
    }

    private void emit(Connection c, String type, String aggregate, UUID id, long version, Map<String, Object> p) {
        try {
            outbox.append(c, new Outbox.Event(BillingTopics.SUBSIDY, type, 1, aggregate, id.toString(), version, p));
        } catch (SQLException e) {
            throw new DataAccessException("event " + type, e);
        }
    }

    private static Map<String, Object> base(TenantId tenant) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("tenantId", tenant.value().toString());
        return p;
    }
}

package org.labcommons.core.billing.subsidies;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/** An innovation voucher as the API shows it: face value, what was claimed and what is left (fen), validity, caps. */
@Serdeable
public record Voucher(UUID id, String number, UUID batchId, String batchName, UUID enterpriseId, String enterpriseName,
                      String taxId, long faceValueFen, long claimedFen, long balanceFen, LocalDate validFrom,
                      LocalDate validTo, String status, long perClaimCapFen, long perYearCapFen, Instant issuedAt) {

    static Voucher of(VoucherRows.Stored s) {
        return new Voucher(s.id(), s.number(), s.batchId(), s.batchName(), s.enterpriseId(), s.enterpriseName(),
                s.taxId(), s.faceValueFen(), s.claimedFen(), s.faceValueFen() - s.claimedFen(), s.validFrom(),
                s.validTo(), s.status(), s.perClaimCapFen(), s.perYearCapFen(), s.issuedAt());
    }

    /** An enterprise to register. */
    @Serdeable
    public record EnterpriseInput(@Nullable String name, @Nullable String taxId, @Nullable String contact) {
    }

    /** An issuance batch: its name and caps (fen). */
    @Serdeable
    public record BatchInput(@Nullable String name, @Nullable Long perClaimCapFen, @Nullable Long perYearCapFen) {
    }

    /** A voucher to issue to an enterprise under a batch. */
    @Serdeable
    public record IssueInput(@Nullable UUID batchId, @Nullable UUID enterpriseId, @Nullable Long faceValueFen,
                             @Nullable LocalDate validFrom, @Nullable LocalDate validTo) {
    }

    /** An enterprise's question: its voucher's number and its tax id. */
    @Serdeable
    public record BalanceQuery(@Nullable String number, @Nullable String taxId) {
    }

    /** A claim as the bureau and the enterprise see it. */
    @Serdeable
    public record Claim(UUID id, String voucherNumber, String enterpriseName, UUID providerTenantId, String providerNameZh,
                        String providerNameEn, UUID chargeId, long chargeVersion, LocalDate serviceDay, int year,
                        long baseFen, long amountFen, Instant createdAt) {
        static Claim of(VoucherRows.ClaimRow r) {
            return new Claim(r.id(), r.voucherNumber(), r.enterpriseName(), r.providerTenantId(), r.providerNameZh(),
                    r.providerNameEn(), r.chargeId(), r.chargeVersion(), r.serviceDay(), r.year(), r.baseFen(),
                    r.amountFen(), r.createdAt());
        }
    }

    /** A voucher's balance and its claims (the enterprise's view). */
    @Serdeable
    public record Balance(Voucher voucher, List<Claim> claims) {
    }

    @Serdeable
    public record Page(List<Voucher> items, long total, int page, int size) {
    }

    @Serdeable
    public record ClaimPage(List<Claim> items, long total, int page, int size) {
    }

    @Serdeable
    public record EnterprisePage(List<VoucherRows.Enterprise> items, long total, int page, int size) {
    }

    @Serdeable
    public record BatchPage(List<VoucherRows.Batch> items, long total, int page, int size) {
    }
}

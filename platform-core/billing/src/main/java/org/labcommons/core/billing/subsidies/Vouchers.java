package org.labcommons.core.billing.subsidies;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.booking.BookingClock;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The bureau's innovation vouchers, in the consortium tenant (V42): enterprises registered by tax id, issuance
 * batches (the caps), vouchers issued to an enterprise under a batch, the claims; and an enterprise's balance by
 * voucher number and tax id ({@link #balance}: both must match, else not found). Every change is audited
 * ({@code voucher_enterprise.registered}, {@code voucher_batch.created}, {@code voucher.issued}). Claims are
 * {@link VoucherClaims}'.
 */
@Singleton
public record Vouchers(TenantTransactions tenants, VoucherRows rows, AuditLog audit, BookingClock clock, SubsidyEvents events) {
    /** The largest face value or cap (fen): 100 million yuan. */
    public static final long MAX_FEN = 10_000_000_000L;
    /** The characters of a voucher number's random part (no 0/O, 1/I). */
    static final String NUMBER_CHARS = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    private static final SecureRandom RANDOM = new SecureRandom();

    public VoucherRows.Enterprise register(TenantId bureau, AuditEntry.Actor actor, UUID userId, Voucher.EnterpriseInput in) {
        List<FieldProblem> p = new ArrayList<>();
        text(p, "name", in.name(), 200, true);
        text(p, "contact", in.contact(), 200, false);
        String taxId = TaxIds.normal(in.taxId());
        if (taxId == null || taxId.isEmpty()) {
            p.add(new FieldProblem("taxId", "not_blank", "validation.not_blank", Map.of()));
        } else if (!TaxIds.valid(taxId)) {
            p.add(new FieldProblem("taxId", "tax_id", "subsidy.validation.tax_id", Map.of()));
        }
        Funds.throwIfAny(p);
        return tenants.inTenant(bureau, c -> {
            UUID id = UUID.randomUUID();
            if (rows.insertEnterprise(id, in.name().strip(), taxId, blankToNull(in.contact()), clock.now(), userId) == 0) {
                throw new ProblemException(HttpStatus.CONFLICT, "enterprise_exists", taxId);
            }
            audit.append(c, actor.entry("voucher_enterprise.registered", "voucher_enterprise", id.toString(),
                    Map.of("taxId", taxId)));
            return rows.enterprise(id).orElseThrow();
        });
    }

    public VoucherRows.Batch createBatch(TenantId bureau, AuditEntry.Actor actor, UUID userId, Voucher.BatchInput in) {
        List<FieldProblem> p = new ArrayList<>();
        text(p, "name", in.name(), 200, true);
        fen(p, "perClaimCapFen", in.perClaimCapFen());
        fen(p, "perYearCapFen", in.perYearCapFen());
        Funds.throwIfAny(p);
        return tenants.inTenant(bureau, c -> {
            UUID id = UUID.randomUUID();
            rows.insertBatch(id, in.name().strip(), in.perClaimCapFen(), in.perYearCapFen(), clock.now(), userId);
            audit.append(c, actor.entry("voucher_batch.created", "voucher_batch", id.toString(),
                    Map.of("perClaimCapFen", in.perClaimCapFen(), "perYearCapFen", in.perYearCapFen())));
            return rows.batch(id).orElseThrow();
        });
    }

    /** Issues a voucher; its number is {@code KJCXQ-<year>-<8 random characters>} (40 random bits). */
    public Voucher issue(TenantId bureau, AuditEntry.Actor actor, UUID userId, Voucher.IssueInput in) {
        List<FieldProblem> p = new ArrayList<>();
        if (in.batchId() == null) {
            p.add(new FieldProblem("batchId", "not_null", "validation.not_null", Map.of()));
        }
        if (in.enterpriseId() == null) {
            p.add(new FieldProblem("enterpriseId", "not_null", "validation.not_null", Map.of()));
        }
        fen(p, "faceValueFen", in.faceValueFen());
        if (in.validFrom() == null) {
            p.add(new FieldProblem("validFrom", "not_null", "validation.not_null", Map.of()));
        }
        if (in.validTo() == null) {
            p.add(new FieldProblem("validTo", "not_null", "validation.not_null", Map.of()));
        } else if (in.validFrom() != null && in.validTo().isBefore(in.validFrom())) {
            p.add(new FieldProblem("validTo", "before_start", "subsidy.validation.ends_before_start", Map.of()));
        }
        Funds.throwIfAny(p);
        Instant now = clock.now();
        return tenants.inTenant(bureau, c -> {
            List<FieldProblem> unknown = new ArrayList<>();
            if (rows.batch(in.batchId()).isEmpty()) {
                unknown.add(new FieldProblem("batchId", "unknown", "subsidy.validation.unknown", Map.of()));
            }
            if (rows.enterprise(in.enterpriseId()).isEmpty()) {
                unknown.add(new FieldProblem("enterpriseId", "unknown", "subsidy.validation.unknown", Map.of()));
            }
            Funds.throwIfAny(unknown);
            UUID id = UUID.randomUUID();
            String number;
            do {
                number = "KJCXQ-" + in.validFrom().getYear() + "-" + random(8);
            } while (rows.insertVoucher(id, number, in.batchId(), in.enterpriseId(), in.faceValueFen(), in.validFrom(),
                    in.validTo(), now, userId) == 0);
            audit.append(c, actor.entry("voucher.issued", "voucher", id.toString(), Map.of("number", number,
                    "faceValueFen", in.faceValueFen(), "enterpriseId", in.enterpriseId().toString())));
            VoucherRows.Stored issued = rows.voucher(id).orElseThrow();
            events.voucherIssued(c, bureau, issued);
            return Voucher.of(issued);
        });
    }

    public Voucher.EnterprisePage enterprises(TenantId bureau, int page, int size) {
        return tenants.inTenant(bureau, c -> new Voucher.EnterprisePage(rows.enterprises(page * size, size),
                rows.countEnterprises(), page, size));
    }

    public Voucher.BatchPage batches(TenantId bureau, int page, int size) {
        return tenants.inTenant(bureau, c -> new Voucher.BatchPage(rows.batches(page * size, size), rows.countBatches(),
                page, size));
    }

    public Voucher.Page vouchers(TenantId bureau, @Nullable UUID enterpriseId, int page, int size) {
        return tenants.inTenant(bureau, c -> new Voucher.Page(rows.vouchers(enterpriseId, page * size, size).stream()
                .map(Voucher::of).toList(), rows.countVouchers(enterpriseId), page, size));
    }

    public Optional<Voucher> voucher(TenantId bureau, UUID id) {
        return tenants.inTenant(bureau, c -> rows.voucher(id).map(Voucher::of));
    }

    public Voucher.ClaimPage claims(TenantId bureau, @Nullable UUID voucherId, @Nullable UUID enterpriseId, int page, int size) {
        return tenants.inTenant(bureau, c -> new Voucher.ClaimPage(rows.claims(voucherId, enterpriseId, page * size, size)
                .stream().map(Voucher.Claim::of).toList(), rows.countClaims(voucherId, enterpriseId), page, size));
    }

    /**
     * A voucher's balance and its claims (at most 200, newest first) for whoever knows its number and its
     * enterprise's tax id, searched in every active consortium; a wrong number and a wrong tax id answer the same
     * (empty).
     */
    public Optional<Voucher.Balance> balance(List<TenantId> consortia, @Nullable String number, @Nullable String taxId) {
        String n = number == null ? "" : number.strip().toUpperCase(java.util.Locale.ROOT);
        String t = TaxIds.normal(taxId);
        if (!n.matches("^[A-Z0-9-]{6,40}$") || !TaxIds.valid(t)) {
            return Optional.empty();
        }
        for (TenantId bureau : consortia) {
            Optional<Voucher.Balance> found = tenants.inTenant(bureau, c -> rows.voucherByNumber(n)
                    .filter(v -> v.taxId().equals(t))
                    .map(v -> new Voucher.Balance(Voucher.of(v), rows.claims(v.id(), null, 0, 200).stream()
                            .map(Voucher.Claim::of).toList())));
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    static String random(int length) {
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append(NUMBER_CHARS.charAt(RANDOM.nextInt(NUMBER_CHARS.length())));
        }
        return b.toString();
    }

    private static void text(List<FieldProblem> p, String field, @Nullable String v, int max, boolean required) {
        if (v == null || v.isBlank()) {
            if (required) {
                p.add(new FieldProblem(field, "not_blank", "validation.not_blank", Map.of()));
            }
        } else if (v.strip().length() > max) {
            p.add(new FieldProblem(field, "size", "validation.size", Map.of("min", 1, "max", max)));
        }
    }

    private static void fen(List<FieldProblem> p, String field, @Nullable Long v) {
        if (v == null) {
            p.add(new FieldProblem(field, "not_null", "validation.not_null", Map.of()));
        } else if (v < 1 || v > MAX_FEN) {
            p.add(new FieldProblem(field, "range", "subsidy.validation.range", Map.of("min", 1, "max", MAX_FEN)));
        }
    }

    private static @Nullable String blankToNull(@Nullable String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}

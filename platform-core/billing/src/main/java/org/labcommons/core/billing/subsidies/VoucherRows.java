package org.labcommons.core.billing.subsidies;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The store of innovation vouchers ({@code voucher_enterprise}, {@code voucher_batch}, {@code voucher},
 * {@code voucher_year_use}, {@code voucher_claim}, V42), in the consortium tenant's bound transaction; and the
 * tenant registry's walk from a provider up to its consortium ({@link #consortiumOf}: global, no tenant needed).
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface VoucherRows extends GenericRepository<VoucherRows.Key, UUID> {
    String VOUCHER_COLUMNS = "v.id, v.number, v.batch_id, b.name as batch_name, v.enterprise_id, e.name as enterprise_name, "
            + "e.tax_id, v.face_value_fen, v.claimed_fen, v.valid_from, v.valid_to, v.status, b.per_claim_cap_fen, "
            + "b.per_year_cap_fen, v.issued_at";
    String VOUCHER_FROM = " from voucher v join voucher_batch b on b.id = v.batch_id join voucher_enterprise e on e.id = v.enterprise_id ";
    String CLAIM_COLUMNS = "c.id, c.voucher_id, v.number as voucher_number, c.enterprise_id, e.name as enterprise_name, "
            + "c.provider_tenant_id, t.name_zh as provider_name_zh, t.name_en as provider_name_en, c.charge_id, "
            + "c.charge_version, c.instrument_id, c.service_day, c.year, c.base_fen, c.amount_fen, c.ledger_transaction_id, c.created_at";
    String CLAIM_FROM = " from voucher_claim c join voucher v on v.id = c.voucher_id join voucher_enterprise e on e.id = c.enterprise_id "
            + "join tenant t on t.id = c.provider_tenant_id ";

    @MappedEntity("voucher")
    record Key(@Id UUID id) {
    }

    /** A registered enterprise. */
    @Serdeable
    @Introspected
    record Enterprise(UUID id, String name, String taxId, @Nullable String contact, Instant createdAt) {
    }

    /** An issuance batch: the caps its vouchers are claimed under. */
    @Serdeable
    @Introspected
    record Batch(UUID id, String name, long perClaimCapFen, long perYearCapFen, Instant createdAt) {
    }

    /** A voucher with its batch's caps and its enterprise. */
    @Introspected
    record Stored(UUID id, String number, UUID batchId, String batchName, UUID enterpriseId, String enterpriseName,
                  String taxId, long faceValueFen, long claimedFen, LocalDate validFrom, LocalDate validTo, String status,
                  long perClaimCapFen, long perYearCapFen, Instant issuedAt) {
    }

    /** A claim with the names a list shows. */
    @Introspected
    record ClaimRow(UUID id, UUID voucherId, String voucherNumber, UUID enterpriseId, String enterpriseName,
                    UUID providerTenantId, String providerNameZh, String providerNameEn, UUID chargeId, long chargeVersion,
                    UUID instrumentId, LocalDate serviceDay, int year, long baseFen, long amountFen,
                    @Nullable UUID ledgerTransactionId, Instant createdAt) {
    }

    /** What a provider's charge claimed net from one voucher. */
    @Introspected
    record Net(UUID voucherId, long amountFen, int year) {
    }

    /** A tenant's names and zone (the registry). */
    @Introspected
    record TenantNames(UUID id, String nameZh, String nameEn, String timeZone) {
    }

    /**
     * The consortium a tenant belongs to: the first active tenant of kind {@code consortium} on its chain of parents
     * (itself included), at most 10 up; global (no tenant bound).
     */
    @Query("with recursive up (id, kind, status, parent_id, depth) as ("
            + "select id, kind, status, parent_id, 0 from tenant where id = :tenantId "
            + "union all select t.id, t.kind, t.status, t.parent_id, up.depth + 1 from tenant t join up on t.id = up.parent_id "
            + "where up.depth < 10) select id from up where kind = 'consortium' and status = 'active' order by depth limit 1")
    Optional<UUID> consortiumOf(UUID tenantId);

    /** The active consortium tenants (global). */
    @Query("select id from tenant where kind = 'consortium' and status = 'active' order by id")
    List<UUID> consortia();

    /** Active vouchers of the bound bureau whose last valid day is before {@code today} and whose expiry was not told yet. */
    @Query("select id from voucher where status = 'active' and valid_to < :today and expired_noted_at is null "
            + "order by valid_to, id limit :limit for update skip locked")
    List<UUID> expiredUnnoted(java.time.LocalDate today, int limit);

    /** Notes that a voucher's expiry was told (1), unless it was already (0). */
    @Query("update voucher set expired_noted_at = :now where id = :id and expired_noted_at is null")
    long noteExpired(UUID id, Instant now);

    @Query("select kind from tenant where id = :tenantId")
    Optional<String> kindOf(UUID tenantId);

    @Query("select id, name_zh, name_en, time_zone from tenant where id = :tenantId")
    Optional<TenantNames> names(UUID tenantId);

    // ------------------------------------------------------------------------------------------------ enterprises

    @Query("insert into voucher_enterprise (tenant_id, id, name, tax_id, contact, created_at, created_by) "
            + "values (app_tenant(), :id, :name, :taxId, :contact, :now, :createdBy) on conflict (tenant_id, tax_id) do nothing")
    long insertEnterprise(UUID id, String name, String taxId, @Nullable String contact, Instant now, UUID createdBy);

    @Query("select id, name, tax_id, contact, created_at from voucher_enterprise where id = :id")
    Optional<Enterprise> enterprise(UUID id);

    @Query("select id, name, tax_id, contact, created_at from voucher_enterprise where tax_id = :taxId")
    Optional<Enterprise> enterpriseByTaxId(String taxId);

    @Query("select id, name, tax_id, contact, created_at from voucher_enterprise order by name, id limit :limit offset :offset")
    List<Enterprise> enterprises(int offset, int limit);

    @Query("select count(*) from voucher_enterprise")
    long countEnterprises();

    // ----------------------------------------------------------------------------------------------------- batches

    @Query("insert into voucher_batch (tenant_id, id, name, per_claim_cap_fen, per_year_cap_fen, created_at, created_by) "
            + "values (app_tenant(), :id, :name, :perClaimCapFen, :perYearCapFen, :now, :createdBy)")
    void insertBatch(UUID id, String name, long perClaimCapFen, long perYearCapFen, Instant now, UUID createdBy);

    @Query("select id, name, per_claim_cap_fen, per_year_cap_fen, created_at from voucher_batch where id = :id")
    Optional<Batch> batch(UUID id);

    @Query("select id, name, per_claim_cap_fen, per_year_cap_fen, created_at from voucher_batch order by created_at desc, id "
            + "limit :limit offset :offset")
    List<Batch> batches(int offset, int limit);

    @Query("select count(*) from voucher_batch")
    long countBatches();

    // ---------------------------------------------------------------------------------------------------- vouchers

    @Query("insert into voucher (tenant_id, id, number, batch_id, enterprise_id, face_value_fen, valid_from, valid_to, "
            + "issued_at, issued_by) values (app_tenant(), :id, :number, :batchId, :enterpriseId, :faceValueFen, :validFrom, "
            + ":validTo, :now, :issuedBy) on conflict (tenant_id, number) do nothing")
    long insertVoucher(UUID id, String number, UUID batchId, UUID enterpriseId, long faceValueFen, LocalDate validFrom,
                       LocalDate validTo, Instant now, UUID issuedBy);

    @Query("select " + VOUCHER_COLUMNS + VOUCHER_FROM + "where v.id = :id")
    Optional<Stored> voucher(UUID id);

    @Query("select " + VOUCHER_COLUMNS + VOUCHER_FROM + "where v.number = :number")
    Optional<Stored> voucherByNumber(String number);

    @Query("select " + VOUCHER_COLUMNS + VOUCHER_FROM + "where (cast(:enterpriseId as uuid) is null or v.enterprise_id = :enterpriseId) "
            + "order by v.issued_at desc, v.id limit :limit offset :offset")
    List<Stored> vouchers(@Nullable UUID enterpriseId, int offset, int limit);

    @Query("select count(*) from voucher v where (cast(:enterpriseId as uuid) is null or v.enterprise_id = :enterpriseId)")
    long countVouchers(@Nullable UUID enterpriseId);

    /** The enterprise's vouchers valid on {@code day} with a balance, the one expiring first first. */
    @Query("select v.id from voucher v where v.enterprise_id = :enterpriseId and v.status = 'active' and v.valid_from <= :day "
            + "and v.valid_to >= :day and v.claimed_fen < v.face_value_fen order by v.valid_to, v.number limit 1")
    Optional<UUID> usable(UUID enterpriseId, LocalDate day);

    /** Locks a voucher for the rest of the transaction. */
    @Query("select " + VOUCHER_COLUMNS + VOUCHER_FROM + "where v.id = :id for update of v")
    Optional<Stored> lockVoucher(UUID id);

    @Query("update voucher set claimed_fen = claimed_fen + :amountFen where id = :id")
    long claimOn(UUID id, long amountFen);

    /** The enterprise's year row under a batch, made when missing. */
    @Query("insert into voucher_year_use (tenant_id, enterprise_id, batch_id, year) values (app_tenant(), :enterpriseId, "
            + ":batchId, :year) on conflict do nothing")
    long ensureYear(UUID enterpriseId, UUID batchId, int year);

    /** Locks the enterprise's year row under a batch and answers what it claimed that year. */
    @Query("select claimed_fen from voucher_year_use where enterprise_id = :enterpriseId and batch_id = :batchId "
            + "and year = :year for update")
    long lockYear(UUID enterpriseId, UUID batchId, int year);

    @Query("update voucher_year_use set claimed_fen = claimed_fen + :amountFen where enterprise_id = :enterpriseId "
            + "and batch_id = :batchId and year = :year")
    long claimInYear(UUID enterpriseId, UUID batchId, int year, long amountFen);

    // ------------------------------------------------------------------------------------------------------ claims

    @Query("insert into voucher_claim (tenant_id, id, voucher_id, enterprise_id, provider_tenant_id, charge_id, charge_version, "
            + "instrument_id, service_day, year, base_fen, amount_fen, created_at) values (app_tenant(), :id, :voucherId, "
            + ":enterpriseId, :providerTenantId, :chargeId, :chargeVersion, :instrumentId, :serviceDay, :year, :baseFen, "
            + ":amountFen, :now) on conflict (tenant_id, provider_tenant_id, charge_id, charge_version) do nothing")
    long insertClaim(UUID id, UUID voucherId, UUID enterpriseId, UUID providerTenantId, UUID chargeId, long chargeVersion,
                     UUID instrumentId, LocalDate serviceDay, int year, long baseFen, long amountFen, Instant now);

    @Query("update voucher_claim set ledger_transaction_id = :transactionId where id = :id")
    long posted(UUID id, UUID transactionId);

    @Query("select " + CLAIM_COLUMNS + CLAIM_FROM + "where c.provider_tenant_id = :providerTenantId and c.charge_id = :chargeId "
            + "and c.charge_version = :chargeVersion")
    Optional<ClaimRow> claim(UUID providerTenantId, UUID chargeId, long chargeVersion);

    /** What a provider's charge claimed net per voucher, largest first. */
    @Query("select voucher_id, sum(amount_fen) as amount_fen, min(year) as year from voucher_claim "
            + "where provider_tenant_id = :providerTenantId and charge_id = :chargeId group by voucher_id order by 2 desc, voucher_id")
    List<Net> net(UUID providerTenantId, UUID chargeId);

    @Query("select " + CLAIM_COLUMNS + CLAIM_FROM + "where (cast(:voucherId as uuid) is null or c.voucher_id = :voucherId) "
            + "and (cast(:enterpriseId as uuid) is null or c.enterprise_id = :enterpriseId) "
            + "order by c.created_at desc, c.id limit :limit offset :offset")
    List<ClaimRow> claims(@Nullable UUID voucherId, @Nullable UUID enterpriseId, int offset, int limit);

    @Query("select count(*) from voucher_claim c where (cast(:voucherId as uuid) is null or c.voucher_id = :voucherId) "
            + "and (cast(:enterpriseId as uuid) is null or c.enterprise_id = :enterpriseId)")
    long countClaims(@Nullable UUID voucherId, @Nullable UUID enterpriseId);
}

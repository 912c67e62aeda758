package org.labcommons.core.billing.charges;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import io.micronaut.serde.annotation.Serdeable;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The store of charges ({@code charge}, {@code charge_item}, {@code charge_share}, {@code charge_dispute}, V40), in
 * the caller's tenant-bound transaction (RLS limits every statement to the bound tenant). Items and shares are only
 * ever inserted; the cached {@code amount_fen} changes only with an item, in the same transaction.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ChargeRows extends GenericRepository<ChargeRows.Key, UUID> {
    /** The columns of {@link Stored}. */
    String COLUMNS = "id, source_type, source_id, source_version, kind, booking_id, instrument_id, service_id, org_unit_id, "
            + "user_id, user_home_tenant_id, account_code, rate_group, fee_standard_id, fee_standard_version, unrated, "
            + "service_start, service_end, quantity, unit, amount_fen, posted_fen, payer_kind, payer_ledger_code, status, "
            + "status_before_dispute, approved_at, approved_by, version, created_at, updated_at";
    /** The filters of {@link #page} and {@link #count}; managed instruments: all, or the listed ones and units. */
    String FILTER = "where (cast(:status as text) is null or status = :status) "
            + "and (cast(:instrumentId as uuid) is null or instrument_id = :instrumentId) "
            + "and (cast(:userId as uuid) is null or user_id = :userId) "
            + "and (cast(:accountCode as text) is null or account_code = :accountCode) "
            + "and (cast(:unrated as boolean) is null or unrated = :unrated) "
            + "and (cast(:from as timestamptz) is null or service_start >= :from) "
            + "and (cast(:until as timestamptz) is null or service_start < :until) "
            + "and (:all or instrument_id = any(cast(:instruments as uuid[])) or instrument_id in (select i.id from instrument i "
            + "where i.org_unit_id in (with recursive sub(id) as (select o.id from org_unit o where o.id = any(cast(:units as uuid[])) "
            + "union select o.id from org_unit o join sub on o.parent_id = sub.id) select id from sub)))";

    /** The key of a row. */
    @MappedEntity("charge")
    record Key(@Id UUID id) {
    }

    /** A stored charge. */
    @Introspected
    record Stored(UUID id, String sourceType, UUID sourceId, long sourceVersion, String kind, @Nullable UUID bookingId,
                  UUID instrumentId, @Nullable UUID serviceId, @Nullable UUID orgUnitId, UUID userId,
                  UUID userHomeTenantId, @Nullable String accountCode, String rateGroup, @Nullable UUID feeStandardId,
                  int feeStandardVersion, boolean unrated, Instant serviceStart, @Nullable Instant serviceEnd,
                  BigDecimal quantity, String unit, long amountFen, long postedFen, @Nullable String payerKind,
                  @Nullable String payerLedgerCode, String status, @Nullable String statusBeforeDispute,
                  @Nullable Instant approvedAt, @Nullable UUID approvedBy, long version, Instant createdAt,
                  Instant updatedAt) {
    }

    /** An item of a charge. */
    @Introspected
    @Serdeable
    record ItemRow(int seq, String kind, long deltaFen, @Nullable BigDecimal quantity, @Nullable String reason,
                   @Nullable Integer correctsSeq, @Nullable UUID actorId, String actor, Instant at) {
    }

    /** A share of a posted item. */
    @Introspected
    @Serdeable
    record ShareRow(int itemSeq, int line, String ledgerCode, long amountFen, String kind, @Nullable String reference,
                    @Nullable String nameZh, @Nullable String nameEn) {
    }

    /** A dispute. */
    @Introspected
    @Serdeable
    record DisputeRow(UUID id, UUID chargeId, UUID openedBy, Instant openedAt, String reason, String status,
                      @Nullable UUID resolvedBy, @Nullable Instant resolvedAt, @Nullable String note,
                      @Nullable Integer itemSeq) {
    }

    /** Adds a charge once per (source, card): 0 when the source already has a charge under that card. */
    @Query("insert into charge (tenant_id, id, source_type, source_id, source_version, kind, booking_id, instrument_id, "
            + "service_id, org_unit_id, user_id, user_home_tenant_id, account_code, rate_group, fee_standard_id, "
            + "fee_standard_version, unrated, service_start, service_end, quantity, unit, status, created_at, updated_at) "
            + "values (app_tenant(), :id, :sourceType, :sourceId, :sourceVersion, :kind, cast(:bookingId as uuid), "
            + ":instrumentId, cast(:serviceId as uuid), cast(:orgUnitId as uuid), :userId, :userHomeTenantId, "
            + "cast(:accountCode as text), :rateGroup, cast(:feeStandardId as uuid), :feeStandardVersion, :unrated, "
            + ":serviceStart, cast(:serviceEnd as timestamptz), :quantity, :unit, 'pending', :now, :now) "
            + "on conflict (tenant_id, source_type, source_id, fee_standard_id) do nothing")
    long insert(UUID id, String sourceType, UUID sourceId, long sourceVersion, String kind, @Nullable UUID bookingId,
                UUID instrumentId, @Nullable UUID serviceId, @Nullable UUID orgUnitId, UUID userId, UUID userHomeTenantId,
                @Nullable String accountCode, String rateGroup, @Nullable UUID feeStandardId, int feeStandardVersion,
                boolean unrated, Instant serviceStart, @Nullable Instant serviceEnd, BigDecimal quantity, String unit,
                Instant now);

    /** The next item number of a charge (the charge is locked by the caller). */
    @Query("select coalesce(max(seq), 0) + 1 from charge_item where charge_id = :chargeId")
    int nextSeq(UUID chargeId);

    /** Appends an item; the caller adds its delta to the cached amount ({@link #addAmount}) in the same transaction. */
    @Query("insert into charge_item (tenant_id, charge_id, seq, kind, delta_fen, quantity, reason, corrects_seq, actor_id, "
            + "actor, at) values (app_tenant(), :chargeId, :seq, :kind, :deltaFen, cast(:quantity as numeric), "
            + "cast(:reason as text), cast(:correctsSeq as integer), cast(:actorId as uuid), :actor, :at)")
    void insertItem(UUID chargeId, int seq, String kind, long deltaFen, @Nullable BigDecimal quantity,
                    @Nullable String reason, @Nullable Integer correctsSeq, @Nullable UUID actorId, String actor, Instant at);

    /** Adds an item's delta to the cached amount (= the sum of the items). */
    @Query("update charge set amount_fen = amount_fen + :deltaFen, version = version + 1, updated_at = :at where id = :id")
    void addAmount(UUID id, long deltaFen, Instant at);

    @Query("select " + COLUMNS + " from charge where id = :id")
    Optional<Stored> find(UUID id);

    /** One charge, locked for the rest of the transaction. */
    @Query("select " + COLUMNS + " from charge where id = :id for update")
    Optional<Stored> lock(UUID id);

    /** The charges of a source (any card), oldest first, locked. */
    @Query("select " + COLUMNS + " from charge where source_type = :sourceType and source_id = :sourceId "
            + "order by created_at, id for update")
    List<Stored> ofSource(String sourceType, UUID sourceId);

    /** The usage charges of a booking from any source (booked time, staff records, sessions), locked. */
    @Query("select " + COLUMNS + " from charge where booking_id = :bookingId and kind = 'usage' order by created_at, id for update")
    List<Stored> usageOfBooking(UUID bookingId);

    /** Sets the rating facts of a re-rated charge (times, quantity, source version). */
    @Query("update charge set service_start = :start, service_end = cast(:end as timestamptz), quantity = :quantity, "
            + "source_version = :sourceVersion, updated_at = :now where id = :id")
    void rerated(UUID id, Instant start, @Nullable Instant end, BigDecimal quantity, long sourceVersion, Instant now);

    /** Records that a source version was seen (no change of amount). */
    @Query("update charge set source_version = greatest(source_version, :sourceVersion) where id = :id")
    void seen(UUID id, long sourceVersion);

    @Query("update charge set status = :status, status_before_dispute = cast(:before as text), version = version + 1, "
            + "updated_at = :now where id = :id")
    void status(UUID id, String status, @Nullable String before, Instant now);

    @Query("update charge set status = 'approved', approved_at = :now, approved_by = cast(:by as uuid), "
            + "version = version + 1, updated_at = :now where id = :id")
    void approve(UUID id, @Nullable UUID by, Instant now);

    /** Adds a posted delta and who pays. */
    @Query("update charge set posted_fen = posted_fen + :deltaFen, payer_kind = :payerKind, "
            + "payer_ledger_code = :payerCode, version = version + 1, updated_at = :now where id = :id")
    void posted(UUID id, long deltaFen, String payerKind, String payerCode, Instant now);

    @Query("select seq, kind, delta_fen, quantity, reason, corrects_seq, actor_id, actor, at from charge_item "
            + "where charge_id = :chargeId order by seq")
    List<ItemRow> items(UUID chargeId);

    @Query("insert into charge_share (tenant_id, charge_id, item_seq, line, ledger_code, amount_fen, kind, reference, "
            + "name_zh, name_en) values (app_tenant(), :chargeId, :itemSeq, :line, :ledgerCode, :amountFen, :kind, "
            + "cast(:reference as text), cast(:nameZh as text), cast(:nameEn as text))")
    void share(UUID chargeId, int itemSeq, int line, String ledgerCode, long amountFen, String kind,
               @Nullable String reference, @Nullable String nameZh, @Nullable String nameEn);

    @Query("select item_seq, line, ledger_code, amount_fen, kind, reference, name_zh, name_en from charge_share "
            + "where charge_id = :chargeId order by item_seq, line")
    List<ShareRow> shares(UUID chargeId);

    @Query("select " + COLUMNS + " from charge " + FILTER + " order by service_start desc, id limit :limit offset :offset")
    List<Stored> page(@Nullable String status, @Nullable UUID instrumentId, @Nullable UUID userId,
                      @Nullable String accountCode, @Nullable Boolean unrated, @Nullable Instant from,
                      @Nullable Instant until, boolean all, String[] instruments, String[] units, int offset, int limit);

    @Query("select count(*) from charge " + FILTER)
    long count(@Nullable String status, @Nullable UUID instrumentId, @Nullable UUID userId, @Nullable String accountCode,
               @Nullable Boolean unrated, @Nullable Instant from, @Nullable Instant until, boolean all,
               String[] instruments, String[] units);

    @Query("insert into charge_dispute (tenant_id, id, charge_id, opened_by, opened_at, reason) "
            + "values (app_tenant(), :id, :chargeId, :openedBy, :now, :reason)")
    void openDispute(UUID id, UUID chargeId, UUID openedBy, String reason, Instant now);

    @Query("select id, charge_id, opened_by, opened_at, reason, status, resolved_by, resolved_at, note, item_seq "
            + "from charge_dispute where charge_id = :chargeId order by opened_at, id")
    List<DisputeRow> disputes(UUID chargeId);

    @Query("select id, charge_id, opened_by, opened_at, reason, status, resolved_by, resolved_at, note, item_seq "
            + "from charge_dispute where id = :id for update")
    Optional<DisputeRow> lockDispute(UUID id);

    @Query("select d.id, d.charge_id, d.opened_by, d.opened_at, d.reason, d.status, d.resolved_by, d.resolved_at, "
            + "d.note, d.item_seq from charge_dispute d join charge c on c.tenant_id = d.tenant_id and c.id = d.charge_id "
            + "where d.status = :status and (:all or c.instrument_id = any(cast(:instruments as uuid[])) or "
            + "c.instrument_id in (select i.id from instrument i where i.org_unit_id in (with recursive sub(id) as "
            + "(select o.id from org_unit o where o.id = any(cast(:units as uuid[])) union select o.id from org_unit o "
            + "join sub on o.parent_id = sub.id) select id from sub))) order by d.opened_at, d.id limit :limit offset :offset")
    List<DisputeRow> disputePage(String status, boolean all, String[] instruments, String[] units, int offset, int limit);

    @Query("update charge_dispute set status = :status, resolved_by = :by, resolved_at = :now, note = cast(:note as text), "
            + "item_seq = cast(:itemSeq as integer) where id = :id and status = 'open'")
    long resolveDispute(UUID id, String status, UUID by, @Nullable String note, @Nullable Integer itemSeq, Instant now);
}

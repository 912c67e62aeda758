package org.labcommons.core.billing.single;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import org.labcommons.core.billing.ledger.Entry;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The store of single settlement: the posted charges of an account that settles singly (V40 {@code charge},
 * {@code charge_share}, the ledger's entries, read only) and its invoice requests (V45 {@code invoice_request}).
 * Runs inside the caller's tenant-bound transaction (RLS limits every statement to the bound tenant).
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface SingleRows extends GenericRepository<SingleRows.Key, UUID> {

    /** The key of a row. */
    @MappedEntity("invoice_request")
    record Key(@Id UUID id) {
    }

    /**
     * A charge posted to the account: its facts, what it was posted at ({@code postedFen}), what the account owes for
     * it (its entries on the account's ledger code: {@code payerFen}, after the fund's and a voucher's parts) and its
     * live invoice request, if any.
     */
    @Introspected
    @io.micronaut.serde.annotation.Serdeable
    record PostedCharge(UUID chargeId, String kind, UUID instrumentId, String instrumentNameZh, String instrumentNameEn,
                        Instant serviceStart, @Nullable Instant serviceEnd, BigDecimal quantity, String unit,
                        long amountFen, long postedFen, long payerFen, @Nullable UUID requestId,
                        @Nullable String requestStatus, @Nullable String invoiceNumber) {
    }

    /** A share of a charge someone else paid (the fund, a voucher). */
    @Introspected
    record ShareRow(String kind, long amountFen, @Nullable String nameZh, @Nullable String nameEn) {
    }

    /** A stored invoice request. */
    @Introspected
    record Stored(UUID id, UUID payerId, UUID chargeId, String organisation, @Nullable String taxId, long amountFen,
                  String items, String status, @Nullable String invoiceNumber, @Nullable String note,
                  @Nullable UUID requestedBy, Instant requestedAt, @Nullable UUID issuedBy, @Nullable Instant issuedAt,
                  @Nullable UUID cancelledBy, @Nullable Instant cancelledAt, @Nullable String cancelReason, long version) {
    }

    String CHARGE_COLUMNS = "select c.id as charge_id, c.kind, c.instrument_id, i.name_zh as instrument_name_zh, "
            + "i.name_en as instrument_name_en, c.service_start, c.service_end, c.quantity, c.unit, c.amount_fen, c.posted_fen, "
            + "coalesce((select sum(e.amount_fen) from ledger_entry e join ledger_transaction t on t.tenant_id = e.tenant_id "
            + "and t.id = e.transaction_id join ledger_account a on a.tenant_id = e.tenant_id and a.id = e.account_id "
            + "where a.code = :code and t.source_type = 'charge' and t.source_id = cast(c.id as text)), 0) as payer_fen, "
            + "r.id as request_id, r.status as request_status, r.invoice_number "
            + "from charge c join instrument i on i.tenant_id = c.tenant_id and i.id = c.instrument_id "
            + "left join invoice_request r on r.tenant_id = c.tenant_id and r.charge_id = c.id and r.status <> 'cancelled' "
            + "where c.payer_ledger_code = :code and c.posted_fen <> 0 ";

    /** A page of the charges posted to the account with ledger code {@code code}, newest service first. */
    @Query(CHARGE_COLUMNS + "order by c.service_start desc, c.id limit :limit offset :offset")
    List<PostedCharge> charges(String code, int limit, long offset);

    @Query("select count(*) from charge c where c.payer_ledger_code = :code and c.posted_fen <> 0")
    long countCharges(String code);

    /** One charge posted to the account. */
    @Query(CHARGE_COLUMNS + "and c.id = :chargeId")
    Optional<PostedCharge> charge(String code, UUID chargeId);

    /** The entries of a charge's postings on the account, in posting order. */
    @Query("select t.id as transaction_id, e.line, a.code as account_code, e.amount_fen, t.period, t.posted_at, t.kind, "
            + "t.source_type, t.source_id, t.reverses, t.memo, t.actor from ledger_entry e "
            + "join ledger_transaction t on t.tenant_id = e.tenant_id and t.id = e.transaction_id "
            + "join ledger_account a on a.tenant_id = e.tenant_id and a.id = e.account_id "
            + "where a.code = :code and t.source_type = 'charge' and t.source_id = cast(:chargeId as text) "
            + "order by t.posted_at, t.id, e.line")
    List<Entry> entries(String code, UUID chargeId);

    /** What others paid of a charge, summed per kind and name. */
    @Query("select kind, sum(amount_fen) as amount_fen, name_zh, name_en from charge_share where charge_id = :chargeId "
            + "group by kind, name_zh, name_en having sum(amount_fen) <> 0 order by kind, name_zh")
    List<ShareRow> shares(UUID chargeId);

    /** The bound tenant's time zone. */
    @Query("select time_zone from tenant where id = app_tenant()")
    Optional<String> zone();

    String REQUEST_COLUMNS = "select id, payer_id, charge_id, organisation, tax_id, amount_fen, cast(items as text) as items, "
            + "status, invoice_number, note, requested_by, requested_at, issued_by, issued_at, cancelled_by, cancelled_at, "
            + "cancel_reason, version from invoice_request ";

    /** A new request, unless the charge has a live one (0 then). */
    @Query("insert into invoice_request (tenant_id, id, payer_id, charge_id, organisation, tax_id, amount_fen, items, note, "
            + "requested_by, requested_at) values (app_tenant(), :id, :payerId, :chargeId, :organisation, :taxId, :amountFen, "
            + "cast(:items as jsonb), :note, :by, :now) on conflict (tenant_id, charge_id) where status <> 'cancelled' do nothing")
    long insert(UUID id, UUID payerId, UUID chargeId, String organisation, @Nullable String taxId, long amountFen,
                String items, @Nullable String note, UUID by, Instant now);

    @Query(REQUEST_COLUMNS + "where id = :id")
    Optional<Stored> find(UUID id);

    @Query(REQUEST_COLUMNS + "where id = :id for update")
    Optional<Stored> lock(UUID id);

    @Query(REQUEST_COLUMNS + "where (cast(:payerId as uuid) is null or payer_id = :payerId) "
            + "and (cast(:status as text) is null or status = :status) order by requested_at desc, id limit :limit offset :offset")
    List<Stored> page(@Nullable UUID payerId, @Nullable String status, int limit, long offset);

    @Query("select count(*) from invoice_request where (cast(:payerId as uuid) is null or payer_id = :payerId) "
            + "and (cast(:status as text) is null or status = :status)")
    long count(@Nullable UUID payerId, @Nullable String status);

    @Query("update invoice_request set status = 'issued', invoice_number = :number, issued_by = :by, issued_at = :now, "
            + "version = version + 1 where id = :id and status = 'requested'")
    long issue(UUID id, String number, UUID by, Instant now);

    @Query("update invoice_request set status = 'cancelled', cancel_reason = :reason, cancelled_by = :by, cancelled_at = :now, "
            + "version = version + 1 where id = :id and status <> 'cancelled'")
    long cancel(UUID id, String reason, UUID by, Instant now);
}

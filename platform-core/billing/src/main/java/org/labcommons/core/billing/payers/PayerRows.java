package org.labcommons.core.billing.payers;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The store of payer accounts, their members, holds and the arrears policy (V41), and the reads of the ledger a
 * payer's admission needs (V38's tables, by account code). Runs in the caller's tenant-bound transaction (RLS).
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface PayerRows extends GenericRepository<PayerRows.Key, UUID> {
    /** The columns of {@link PayerAccount}. */
    String COLUMNS = "id, kind, code, name_zh, name_en, grant_code, finance_code, pi_user_id, org_unit_id, budget_fen, "
            + "valid_from, valid_to, status, settlement, organisation, contact_name, contact_phone, contact_email, tax_id, "
            + "created_at, updated_at, version";
    /** The sum of the entries of the ledger account {@code code} (0 when it does not exist). */
    String LEDGER_SUM = "coalesce((select sum(e.amount_fen) from ledger_entry e join ledger_account a "
            + "on a.tenant_id = e.tenant_id and a.id = e.account_id where a.code = %s), 0)";
    /** The posted charges of {@code 1122.payer.<id>}: entries of transactions whose source is a charge. */
    String POSTED_CHARGES = "coalesce((select sum(e.amount_fen) from ledger_entry e join ledger_account a "
            + "on a.tenant_id = e.tenant_id and a.id = e.account_id join ledger_transaction t on t.tenant_id = e.tenant_id "
            + "and t.id = e.transaction_id where a.code = '1122.payer.' || p.id and t.source_type = 'charge'), 0)";
    /** The active holds of payer {@code p}. */
    String HELD = "coalesce((select sum(h.amount_fen) from deposit_hold h where h.payer_id = p.id and h.state = 'held'), 0)";
    /**
     * What account {@code p} owes since before the cutoff ({@code :now} less the tenant's overdue days) that later
     * credits have not covered (first in, first out): the balance of {@code 1122.payer.<id>} at the cutoff plus the
     * credits after it, never below 0.
     */
    String OVERDUE = "greatest(0, coalesce((select sum(e.amount_fen) filter (where t.posted_at < o.cutoff) "
            + "+ coalesce(sum(e.amount_fen) filter (where t.posted_at >= o.cutoff and e.amount_fen < 0), 0) "
            + "from ledger_entry e join ledger_account a on a.tenant_id = e.tenant_id and a.id = e.account_id "
            + "join ledger_transaction t on t.tenant_id = e.tenant_id and t.id = e.transaction_id "
            + "cross join (select cast(:now as timestamptz) - make_interval(days => coalesce((select overdue_days "
            + "from payer_policy), :defaultDays)) as cutoff) o "
            + "where a.code = '1122.payer.' || p.id), 0))";

    /** The key of a row. */
    @MappedEntity("payer_account")
    record Key(@Id UUID id) {
    }

    /** What an admission reads in one statement: the account, the user's membership and what is overdue. */
    @Introspected
    record Facts(UUID id, String kind, String settlement, String status, @Nullable LocalDate validFrom,
                 @Nullable LocalDate validTo, @Nullable Long budgetFen, @Nullable UUID piUserId,
                 @Nullable String memberState, @Nullable String category, @Nullable String taxId, long overdueFen,
                 String zone) {
    }

    /** A membership with the member's name. */
    @Introspected
    @io.micronaut.serde.annotation.Serdeable
    record MemberRow(UUID payerId, UUID userId, @Nullable String displayName, @Nullable String email, String category,
                     String state, Instant requestedAt, @Nullable Instant decidedAt, @Nullable UUID decidedBy,
                     @Nullable String note) {
    }

    /** A hold. */
    @Introspected
    @io.micronaut.serde.annotation.Serdeable
    record HoldRow(UUID id, UUID payerId, String sourceType, UUID sourceId, long amountFen, String state,
                   Instant createdAt, @Nullable Instant settledAt, @Nullable UUID chargeId) {
    }

    /** An account's money: posted charges, what is overdue, the deposit (credit balance, as a positive amount), holds. */
    @Introspected
    record Money(long postedFen, long overdueFen, long depositFen, long heldFen) {
    }

    // ------------------------------------------------------------------ accounts

    @Query("select " + COLUMNS + " from payer_account where id = :id")
    Optional<PayerAccount> byId(UUID id);

    @Query("select " + COLUMNS + " from payer_account where code = :code")
    Optional<PayerAccount> byCode(String code);

    @Query("select " + COLUMNS + " from payer_account where id = :id for update")
    Optional<PayerAccount> lock(UUID id);

    @Query("select " + COLUMNS + " from payer_account where (cast(:kind as text) is null or kind = :kind) "
            + "and (cast(:status as text) is null or status = :status) and (cast(:q as text) is null "
            + "or code ilike '%' || :q || '%' or name_zh ilike '%' || :q || '%' or name_en ilike '%' || :q || '%' "
            + "or grant_code ilike '%' || :q || '%') order by code limit :limit offset :offset")
    List<PayerAccount> page(@Nullable String kind, @Nullable String status, @Nullable String q, int limit, long offset);

    @Query("select count(*) from payer_account where (cast(:kind as text) is null or kind = :kind) "
            + "and (cast(:status as text) is null or status = :status) and (cast(:q as text) is null "
            + "or code ilike '%' || :q || '%' or name_zh ilike '%' || :q || '%' or name_en ilike '%' || :q || '%' "
            + "or grant_code ilike '%' || :q || '%')")
    long count(@Nullable String kind, @Nullable String status, @Nullable String q);

    /** The accounts a user leads (PI) or is a member of (any state), by code. */
    @Query("select " + COLUMNS + " from payer_account p where p.pi_user_id = :user or exists (select 1 from payer_member m "
            + "where m.payer_id = p.id and m.user_id = :user) order by p.code")
    List<PayerAccount> ofUser(UUID user);

    @Query("insert into payer_account (tenant_id, id, kind, code, name_zh, name_en, grant_code, finance_code, pi_user_id, "
            + "org_unit_id, budget_fen, valid_from, valid_to, status, settlement, organisation, contact_name, contact_phone, "
            + "contact_email, tax_id, created_by) values (app_tenant(), :id, :kind, :code, :nameZh, :nameEn, :grantCode, "
            + ":financeCode, :piUserId, :orgUnitId, :budgetFen, :validFrom, :validTo, :status, :settlement, :organisation, "
            + ":contactName, :contactPhone, :contactEmail, :taxId, :createdBy) on conflict (tenant_id, code) do nothing")
    long insert(UUID id, String kind, String code, String nameZh, String nameEn, @Nullable String grantCode,
                @Nullable String financeCode, @Nullable UUID piUserId, @Nullable UUID orgUnitId, @Nullable Long budgetFen,
                @Nullable LocalDate validFrom, @Nullable LocalDate validTo, String status, String settlement,
                @Nullable String organisation, @Nullable String contactName, @Nullable String contactPhone,
                @Nullable String contactEmail, @Nullable String taxId, @Nullable UUID createdBy);

    /** A new version of an account's terms (the kind and the code stay). */
    @Query("update payer_account set name_zh = :nameZh, name_en = :nameEn, grant_code = :grantCode, "
            + "finance_code = :financeCode, pi_user_id = :piUserId, org_unit_id = :orgUnitId, budget_fen = :budgetFen, "
            + "valid_from = :validFrom, valid_to = :validTo, status = :status, settlement = :settlement, "
            + "organisation = :organisation, contact_name = :contactName, contact_phone = :contactPhone, "
            + "contact_email = :contactEmail, tax_id = :taxId, updated_at = now(), version = version + 1 where id = :id")
    long update(UUID id, String nameZh, String nameEn, @Nullable String grantCode, @Nullable String financeCode,
                @Nullable UUID piUserId, @Nullable UUID orgUnitId, @Nullable Long budgetFen, @Nullable LocalDate validFrom,
                @Nullable LocalDate validTo, String status, String settlement, @Nullable String organisation,
                @Nullable String contactName, @Nullable String contactPhone, @Nullable String contactEmail,
                @Nullable String taxId);

    /** Whether a user exists (the PI named on an account). */
    @Query("select exists (select 1 from user_account where id = :id)")
    boolean userExists(UUID id);

    /** Whether an org unit of the bound tenant exists. */
    @Query("select exists (select 1 from org_unit where id = :id)")
    boolean unitExists(UUID id);

    // ------------------------------------------------------------------ admission

    /**
     * The one statement of an admission: the account by code, the user's membership and what is overdue at
     * {@code :now} (with the tenant's policy, {@code :defaultDays} when it has none), and the tenant's zone.
     */
    @Query("select p.id, p.kind, p.settlement, p.status, p.valid_from, p.valid_to, p.budget_fen, p.pi_user_id, "
            + "m.state as member_state, m.category, p.tax_id, " + OVERDUE + " as overdue_fen, "
            + "(select time_zone from tenant where id = app_tenant()) as zone "
            + "from payer_account p left join payer_member m on m.tenant_id = p.tenant_id and m.payer_id = p.id "
            + "and m.user_id = :user where p.code = :code")
    Optional<Facts> facts(String code, UUID user, Instant now, int defaultDays);

    /** An account's money at {@code :now}. */
    @Query("select " + POSTED_CHARGES + " as posted_fen, " + OVERDUE + " as overdue_fen, "
            + "-" + "coalesce((select sum(e.amount_fen) from ledger_entry e join ledger_account a on a.tenant_id = e.tenant_id "
            + "and a.id = e.account_id where a.code = '2203.deposit.' || p.id), 0) as deposit_fen, " + HELD + " as held_fen "
            + "from payer_account p where p.id = :id")
    Optional<Money> money(UUID id, Instant now, int defaultDays);

    /**
     * A hold on a prepaid account when the deposit less the active holds covers it (after {@link #lock}: a fresh
     * snapshot in READ COMMITTED); 1 held, 0 refused (or the source holds already).
     */
    @Query("insert into deposit_hold (tenant_id, id, payer_id, source_type, source_id, amount_fen) "
            + "select app_tenant(), :id, p.id, :sourceType, :sourceId, :amountFen from payer_account p where p.id = :payerId "
            + "and -" + "coalesce((select sum(e.amount_fen) from ledger_entry e join ledger_account a on a.tenant_id = e.tenant_id "
            + "and a.id = e.account_id where a.code = '2203.deposit.' || p.id), 0) - " + HELD + " >= :amountFen "
            + "on conflict (tenant_id, source_id) do nothing")
    long holdWithinDeposit(UUID id, UUID payerId, String sourceType, UUID sourceId, long amountFen);

    /** A hold on a budgeted account when posted charges plus active holds plus it stay within the budget; 1 held, 0 refused. */
    @Query("insert into deposit_hold (tenant_id, id, payer_id, source_type, source_id, amount_fen) "
            + "select app_tenant(), :id, p.id, :sourceType, :sourceId, :amountFen from payer_account p where p.id = :payerId "
            + "and p.budget_fen - " + POSTED_CHARGES + " - " + HELD + " >= :amountFen "
            + "on conflict (tenant_id, source_id) do nothing")
    long holdWithinBudget(UUID id, UUID payerId, String sourceType, UUID sourceId, long amountFen);

    /** A hold as its events tell it. */
    @io.micronaut.core.annotation.Introspected
    record HoldFact(UUID id, UUID payerId, String sourceType, UUID sourceId, long amountFen, String state,
                    @io.micronaut.core.annotation.Nullable UUID chargeId) {
    }

    /** The hold of a booking or sample request (one per source), whatever its state. */
    @Query("select id, payer_id, source_type, source_id, amount_fen, state, charge_id from deposit_hold where source_id = :sourceId")
    Optional<HoldFact> holdOfSource(UUID sourceId);

    /** The hold a charge captured. */
    @Query("select id, payer_id, source_type, source_id, amount_fen, state, charge_id from deposit_hold where charge_id = :chargeId "
            + "and state = 'captured' order by settled_at desc limit 1")
    Optional<HoldFact> holdOfCharge(UUID chargeId);

    /** Releases a source's active hold (1 released, 0 none). */
    @Query("update deposit_hold set state = 'released', settled_at = :now where source_id = :sourceId and state = 'held'")
    long release(UUID sourceId, Instant now);

    /**
     * Holds still held whose source is over: a booking that ended before {@code cutoff}, a sample request closed,
     * withdrawn, cancelled or rejected before it (its charge, if any, would have captured the hold by then).
     */
    @Query("select h.source_id from deposit_hold h where h.state = 'held' and ("
            + "(h.source_type = 'booking' and exists (select 1 from booking b where b.id = h.source_id and b.ends_at < :cutoff)) "
            + "or (h.source_type = 'sample_request' and exists (select 1 from sample_request s where s.id = h.source_id "
            + "and s.status in ('closed', 'withdrawn', 'cancelled', 'rejected') and s.updated_at < :cutoff))) "
            + "order by h.created_at limit :limit")
    List<UUID> overHolds(Instant cutoff, int limit);

    /**
     * Captures the active hold of a charge's source: the booking or sample request itself, or the booking a usage
     * session or usage record was used against (1 captured, 0 none).
     */
    @Query("update deposit_hold set state = 'captured', settled_at = :now, charge_id = :chargeId where state = 'held' "
            + "and source_id = coalesce(case :sourceType when 'usage_session' then (select booking_id from usage_session "
            + "where id = :sourceId) when 'usage_record' then (select booking_id from usage_record where id = :sourceId) "
            + "end, :sourceId)")
    long capture(String sourceType, UUID sourceId, UUID chargeId, Instant now);

    @Query("select id, payer_id, source_type, source_id, amount_fen, state, created_at, settled_at, charge_id "
            + "from deposit_hold where payer_id = :payerId order by created_at desc limit :limit")
    List<HoldRow> holds(UUID payerId, int limit);

    /** The number of samples of a sample request (its estimate's quantity). */
    @Query("select sample_count from sample_request where id = :id")
    Optional<Integer> sampleCount(UUID id);

    // ------------------------------------------------------------------ members

    @Query("select m.payer_id, m.user_id, u.display_name, u.email, m.category, m.state, m.requested_at, m.decided_at, "
            + "m.decided_by, m.note from payer_member m left join user_account u on u.id = m.user_id "
            + "where m.payer_id = :payerId order by m.state = 'requested' desc, m.requested_at")
    List<MemberRow> members(UUID payerId);

    @Query("select m.payer_id, m.user_id, u.display_name, u.email, m.category, m.state, m.requested_at, m.decided_at, "
            + "m.decided_by, m.note from payer_member m left join user_account u on u.id = m.user_id "
            + "where m.payer_id = :payerId and m.user_id = :userId for update of m")
    Optional<MemberRow> member(UUID payerId, UUID userId);

    /** A request to join (again, after a revocation); 1 written, 0 when one is pending or approved. */
    @Query("insert into payer_member (tenant_id, payer_id, user_id, category, state, requested_at, note) "
            + "values (app_tenant(), :payerId, :userId, :category, 'requested', :now, :note) "
            + "on conflict (tenant_id, payer_id, user_id) do update set category = excluded.category, state = 'requested', "
            + "requested_at = excluded.requested_at, decided_at = null, decided_by = null, note = excluded.note "
            + "where payer_member.state = 'revoked'")
    long request(UUID payerId, UUID userId, String category, Instant now, @Nullable String note);

    @Query("update payer_member set state = :state, decided_at = :now, decided_by = :by, note = :note "
            + "where payer_id = :payerId and user_id = :userId")
    long decide(UUID payerId, UUID userId, String state, UUID by, Instant now, @Nullable String note);

    // ------------------------------------------------------------------ policy

    @Query("select overdue_days from payer_policy")
    Optional<Integer> overdueDays();

    @Query("insert into payer_policy (tenant_id, overdue_days, updated_at, updated_by) values (app_tenant(), :days, now(), :by) "
            + "on conflict (tenant_id) do update set overdue_days = excluded.overdue_days, updated_at = now(), "
            + "updated_by = excluded.updated_by")
    long setOverdueDays(int days, @Nullable UUID by);
}

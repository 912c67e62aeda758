package org.labcommons.core.billing.subsidies;

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
 * The store of the open-testing fund ({@code subsidy_fund}, {@code subsidy_fund_share}, {@code subsidy_consumption},
 * V42). Runs inside the caller's tenant-bound transaction (RLS limits every statement to the bound tenant). Id lists
 * travel as comma-separated text.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface FundRows extends GenericRepository<FundRows.Key, UUID> {
    /** The columns of {@link Stored}. */
    String COLUMNS = "id, name_zh, name_en, starts_on, ends_on, budget_fen, consumed_fen, default_bp, "
            + "array_to_string(instrument_ids, ',') as instrument_ids, array_to_string(org_unit_ids, ',') as org_unit_ids, "
            + "active, created_at, updated_at, covers_outside";

    /** The key of a row. */
    @MappedEntity("subsidy_fund")
    record Key(@Id UUID id) {
    }

    /** A stored fund period. */
    @Introspected
    record Stored(UUID id, String nameZh, String nameEn, LocalDate startsOn, LocalDate endsOn, long budgetFen,
                  long consumedFen, int defaultBp, @Nullable String instrumentIds, @Nullable String orgUnitIds,
                  boolean active, Instant createdAt, Instant updatedAt, boolean coversOutside) {
    }

    /** A category's share. */
    @Introspected
    record ShareRow(UUID fundId, String userCategory, int shareBp) {
    }

    /** A consumption row. */
    @Introspected
    record Consumption(UUID id, UUID fundId, UUID chargeId, long chargeVersion, @Nullable String userCategory,
                       int shareBp, long baseFen, long amountFen, Instant createdAt) {
    }

    /** What a charge consumed from one fund, net. */
    @Introspected
    record Net(UUID fundId, long amountFen, int shareBp) {
    }

    /** The time zone of the bound tenant. */
    @Query("select time_zone from tenant where id = app_tenant()")
    Optional<String> tenantZone();

    @Query("insert into subsidy_fund (tenant_id, id, name_zh, name_en, starts_on, ends_on, budget_fen, default_bp, "
            + "instrument_ids, org_unit_ids, active, created_at, created_by, updated_at) values (app_tenant(), :id, :nameZh, "
            + ":nameEn, :startsOn, :endsOn, :budgetFen, :defaultBp, string_to_array(cast(:instrumentIds as text), ',')::uuid[], "
            + "string_to_array(cast(:orgUnitIds as text), ',')::uuid[], :active, :now, :createdBy, :now)")
    void insert(UUID id, String nameZh, String nameEn, LocalDate startsOn, LocalDate endsOn, long budgetFen, int defaultBp,
                @Nullable String instrumentIds, @Nullable String orgUnitIds, boolean active, Instant now, UUID createdBy);

    @Query("update subsidy_fund set name_zh = :nameZh, name_en = :nameEn, starts_on = :startsOn, ends_on = :endsOn, "
            + "budget_fen = :budgetFen, default_bp = :defaultBp, instrument_ids = string_to_array(cast(:instrumentIds as text), ',')::uuid[], "
            + "org_unit_ids = string_to_array(cast(:orgUnitIds as text), ',')::uuid[], active = :active, updated_at = :now where id = :id")
    long update(UUID id, String nameZh, String nameEn, LocalDate startsOn, LocalDate endsOn, long budgetFen, int defaultBp,
                @Nullable String instrumentIds, @Nullable String orgUnitIds, boolean active, Instant now);

    @Query("delete from subsidy_fund_share where fund_id = :fundId")
    void clearShares(UUID fundId);

    @Query("insert into subsidy_fund_share (tenant_id, fund_id, user_category, share_bp) values (app_tenant(), :fundId, :category, :bp)")
    void insertShare(UUID fundId, String category, int bp);

    @Query("select fund_id, user_category, share_bp from subsidy_fund_share where fund_id = :fundId order by user_category")
    List<ShareRow> shares(UUID fundId);

    @Query("select fund_id, user_category, share_bp from subsidy_fund_share where fund_id = any(cast(string_to_array(:fundIds, ',') as uuid[])) order by user_category")
    List<ShareRow> sharesOf(String fundIds);

    @Query("select " + COLUMNS + " from subsidy_fund where id = :id")
    Optional<Stored> find(UUID id);

    /** One fund period, locked for the rest of the transaction (the consumption's guard against overspending). */
    @Query("select " + COLUMNS + " from subsidy_fund where id = :id for update")
    Optional<Stored> lock(UUID id);

    @Query("select " + COLUMNS + " from subsidy_fund order by starts_on desc, id limit :limit offset :offset")
    List<Stored> page(int offset, int limit);

    @Query("select count(*) from subsidy_fund")
    long count();

    /**
     * The active fund period that pays for a charge on {@code day} of {@code instrumentId} (in {@code unitId}): the
     * periods containing the day whose limits admit it, those limited to instruments first, then to units, then
     * the latest start, then the id.
     */
    @Query("select id from subsidy_fund where active and starts_on <= :day and ends_on >= :day "
            + "and (instrument_ids is null or :instrumentId = any(instrument_ids)) "
            + "and (org_unit_ids is null or cast(:unitId as uuid) = any(org_unit_ids)) "
            + "order by (instrument_ids is null), (org_unit_ids is null), starts_on desc, id limit 1")
    Optional<UUID> applicable(LocalDate day, UUID instrumentId, @Nullable UUID unitId);

    /** Whether a period also pays its share of the institution's payables for its users' charges elsewhere (V45). */
    @Query("update subsidy_fund set covers_outside = :coversOutside where id = :id")
    long coversOutside(UUID id, boolean coversOutside);

    /**
     * The active fund period that pays its share of what the bound (home) institution owes another one for its user's
     * charge there on {@code day}: periods covering outside services (V45 {@code covers_outside}) without instrument or
     * unit limits (those name the home's own instruments and units), the latest start first, then the id.
     */
    @Query("select id from subsidy_fund where active and covers_outside and starts_on <= :day and ends_on >= :day "
            + "and instrument_ids is null and org_unit_ids is null order by starts_on desc, id limit 1")
    Optional<UUID> applicableOutside(LocalDate day);

    @Query("update subsidy_fund set consumed_fen = consumed_fen + :amountFen, updated_at = :now where id = :id")
    long consume(UUID id, long amountFen, Instant now);

    /** A consumption, unless the (charge, version) has one already; the rows added. */
    @Query("insert into subsidy_consumption (tenant_id, id, fund_id, charge_id, charge_version, user_category, share_bp, "
            + "base_fen, amount_fen, created_at) values (app_tenant(), :id, :fundId, :chargeId, :chargeVersion, :category, "
            + ":shareBp, :baseFen, :amountFen, :now) on conflict (tenant_id, charge_id, charge_version) do nothing")
    long insertConsumption(UUID id, UUID fundId, UUID chargeId, long chargeVersion, @Nullable String category, int shareBp,
                           long baseFen, long amountFen, Instant now);

    @Query("select id, fund_id, charge_id, charge_version, user_category, share_bp, base_fen, amount_fen, created_at "
            + "from subsidy_consumption where charge_id = :chargeId and charge_version = :chargeVersion")
    Optional<Consumption> consumption(UUID chargeId, long chargeVersion);

    /** What a charge consumed net per fund (the share of its first consumption), largest first. */
    @Query("select fund_id, sum(amount_fen) as amount_fen, (array_agg(share_bp order by created_at, id))[1] as share_bp "
            + "from subsidy_consumption where charge_id = :chargeId group by fund_id order by 2 desc, fund_id")
    List<Net> net(UUID chargeId);

    @Query("select id, fund_id, charge_id, charge_version, user_category, share_bp, base_fen, amount_fen, created_at "
            + "from subsidy_consumption where fund_id = :fundId order by created_at desc, id limit :limit offset :offset")
    List<Consumption> consumptions(UUID fundId, int offset, int limit);

    @Query("select count(*) from subsidy_consumption where fund_id = :fundId")
    long countConsumptions(UUID fundId);
}

package org.labcommons.core.verification;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The store of verification campaigns ({@code verification_campaign}, {@code verification_item})
 * and the freshness columns of {@code instrument} they change. Runs inside the tenant's
 * transaction (the RLS policies keep every statement to the bound tenant), except {@link #due}, which
 * reads the reviewed function {@code verification_due_campaigns} across tenants. Time is the
 * database's {@code now()}; the lock each statement takes is in its SQL and in
 * {@link VerificationService}'s order.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface VerificationRows extends GenericRepository<VerificationRows.Campaign, UUID> {

    /** A campaign with its progress (append the WHERE clause). */
    String CAMPAIGN = "select v.id, v.name, v.deadline, v.org_unit_id, v.started_by, v.state, "
            + "v.state = 'open' and v.deadline <= now() as overdue, v.created_at, v.closed_at, v.closed_by, "
            + "v.close_reason, p.pending, p.confirmed, p.corrected from verification_campaign v cross join lateral "
            + "(select count(*) filter (where i.state = 'pending') as pending, "
            + "count(*) filter (where i.state = 'confirmed') as confirmed, "
            + "count(*) filter (where i.state = 'corrected') as corrected "
            + "from verification_item i where i.tenant_id = v.tenant_id and i.campaign_id = v.id) p";
    /** An item with its instrument's freshness (append the WHERE clause). */
    String ITEM = "select vi.campaign_id, vi.instrument_id, n.asset_number, n.name_zh, n.name_en, n.org_unit_id, "
            + "vi.state, vi.confirmed_by, vi.confirmed_at, n.archived_at is not null as archived, n.stale_since, "
            + "n.last_verified_at, n.version as instrument_version";
    String ITEM_FROM = " from verification_item vi join instrument n on n.tenant_id = vi.tenant_id "
            + "and n.id = vi.instrument_id";
    /** The items a caller may see: all, or those of its instruments and of its units and the units below them. */
    String VISIBLE = " and (:all or n.id in (:instruments) or n.org_unit_id in (with recursive sub(id) as ("
            + "select o.id from org_unit o where o.id in (:units) union all "
            + "select o.id from org_unit o join sub on o.parent_id = sub.id) select id from sub))";
    /** Pending items of a campaign whose instrument is neither archived nor stale. */
    String PENDING_FRESH = ITEM_FROM + " where vi.campaign_id = :campaignId and vi.state = 'pending' "
            + "and n.archived_at is null and n.stale_since is null order by n.id for update of n";

    /** The columns of a campaign row this store writes. */
    @MappedEntity("verification_campaign")
    record Campaign(@Id UUID id, String name, Instant deadline, @Nullable UUID orgUnitId, UUID startedBy) {
    }

    @Query("select now()")
    Instant now();

    // ---------------------------------------------------------------- campaigns

    boolean existsById(UUID id);

    @Query("insert into verification_campaign (tenant_id, id, name, deadline, org_unit_id, started_by) values "
            + "(app_tenant(), :id, :name, :deadline, :orgUnitId, :startedBy)")
    long start(UUID id, String name, Instant deadline, @Nullable UUID orgUnitId, UUID startedBy);

    /** One pending item per instrument not archived (of {@code orgUnitId} and the units below it, when given). */
    @Query("insert into verification_item (tenant_id, campaign_id, instrument_id) select n.tenant_id, :campaignId, n.id "
            + "from instrument n where n.archived_at is null and (cast(:orgUnitId as uuid) is null or n.org_unit_id in "
            + "(with recursive sub(id) as (select cast(:orgUnitId as uuid) union all "
            + "select o.id from org_unit o join sub on o.parent_id = sub.id) select id from sub))")
    long addItems(UUID campaignId, @Nullable UUID orgUnitId);

    @Query("select count(*) from verification_campaign where (cast(:state as text) is null or state = :state)")
    long count(@Nullable String state);

    @Query(CAMPAIGN + " where (cast(:state as text) is null or v.state = :state) "
            + "order by v.created_at desc, v.id limit :limit offset :offset")
    List<CampaignView> page(@Nullable String state, int offset, int limit);

    @Query(CAMPAIGN + " where v.id = :id")
    Optional<CampaignView> find(UUID id);

    /** Holds the campaign against closing while a confirmation is written. */
    @Query("select state = 'open' as open, deadline <= now() as overdue from verification_campaign "
            + "where id = :id for share")
    Optional<Standing> share(UUID id);

    /** Locks the campaign for closing; its state. */
    @Query("select state from verification_campaign where id = :id for update")
    Optional<String> lockState(UUID id);

    /** Locks the campaign for closing if it is open, due and not held elsewhere; its deadline. */
    @Query("select deadline from verification_campaign where id = :id and state = 'open' and deadline <= now() "
            + "for update skip locked")
    Optional<Instant> lockDue(UUID id);

    @Query("update verification_campaign set state = 'closed', closed_at = now(), close_reason = :reason, "
            + "closed_by = :closedBy where id = :id")
    long close(UUID id, String reason, @Nullable UUID closedBy);

    /** Open campaigns past their deadline, across tenants (the sweep; no tenant bound). */
    @Query("select tenant_id, campaign_id from verification_due_campaigns(:batch)")
    List<Due> due(int batch);

    // ---------------------------------------------------------------- items

    @Query("select count(*)" + ITEM_FROM + " where vi.campaign_id = :campaignId "
            + "and (cast(:state as text) is null or vi.state = :state)" + VISIBLE)
    long countItems(UUID campaignId, @Nullable String state, boolean all, Collection<UUID> instruments,
                    Collection<UUID> units);

    @Query(ITEM + ITEM_FROM + " where vi.campaign_id = :campaignId and (cast(:state as text) is null or vi.state = :state)"
            + VISIBLE + " order by n.asset_number, n.id limit :limit offset :offset")
    List<VerificationItem> items(UUID campaignId, @Nullable String state, boolean all, Collection<UUID> instruments,
                                 Collection<UUID> units, int offset, int limit);

    @Query(ITEM + ITEM_FROM + " where vi.campaign_id = :campaignId and vi.instrument_id = :instrumentId")
    Optional<VerificationItem> item(UUID campaignId, UUID instrumentId);

    /** The instrument's items in open campaigns, soonest deadline first, with each campaign's name and deadline. */
    @Query(ITEM + ", v.name as campaign_name, v.deadline" + ITEM_FROM + " join verification_campaign v "
            + "on v.tenant_id = vi.tenant_id and v.id = vi.campaign_id where vi.instrument_id = :instrumentId "
            + "and v.state = 'open'" + VISIBLE + " order by v.deadline, v.id")
    List<OpenItemRow> openItems(UUID instrumentId, boolean all, Collection<UUID> instruments, Collection<UUID> units);

    @Query("select state from verification_item where campaign_id = :campaignId and instrument_id = :instrumentId")
    Optional<String> itemState(UUID campaignId, UUID instrumentId);

    /** The campaigns, open and before their deadline, in which the instrument is still pending. */
    @Query("select vi.campaign_id from verification_item vi join verification_campaign v on v.tenant_id = vi.tenant_id "
            + "and v.id = vi.campaign_id where v.state = 'open' and v.deadline > now() "
            + "and vi.instrument_id = :instrumentId and vi.state = 'pending'")
    List<UUID> pendingIn(UUID instrumentId);

    @Query("update verification_item set state = :state, confirmed_by = :confirmedBy, confirmed_at = now() "
            + "where instrument_id = :instrumentId and campaign_id in (:campaignIds) and state = 'pending'")
    long verify(UUID instrumentId, Collection<UUID> campaignIds, String state, UUID confirmedBy);

    // ---------------------------------------------------------------- instruments

    /** Locks the instrument for a confirmation; whether it is archived or stale, and its version. */
    @Query("select archived_at is not null as archived, stale_since is not null as stale, version from instrument "
            + "where id = :id for update")
    Optional<InstrumentState> lockInstrument(UUID id);

    /**
     * Locks every instrument still pending in the campaign (neither archived nor stale), in id order,
     * and returns their ids; run again after the wait, it sees every confirmation committed meanwhile.
     */
    @Query("select n.id" + PENDING_FRESH)
    List<UUID> lockPending(UUID campaignId);

    /** Marks the instrument verified now; clearing a stale flag is a change (new version). */
    @Query("update instrument set last_verified_at = now(), stale_since = null, "
            + "version = version + (case when stale_since is null then 0 else 1 end), "
            + "updated_at = case when stale_since is null then updated_at else now() end where id = :id")
    long verified(UUID id);

    @Query("update instrument set stale_since = :staleSince, version = version + 1, updated_at = now() "
            + "where id in (:ids)")
    long flagStale(Collection<UUID> ids, Instant staleSince);

    // ---------------------------------------------------------------- projections

    @Introspected
    record CampaignView(UUID id, String name, Instant deadline, @Nullable UUID orgUnitId, UUID startedBy, String state,
                        boolean overdue, Instant createdAt, @Nullable Instant closedAt, @Nullable UUID closedBy,
                        @Nullable String closeReason, int pending, int confirmed, int corrected) {
        VerificationCampaign toCampaign() {
            return new VerificationCampaign(id, name, deadline, orgUnitId, startedBy, state, overdue, createdAt,
                    closedAt, closedBy, closeReason,
                    new VerificationCampaign.Progress(pending + confirmed + corrected, pending, confirmed, corrected));
        }
    }

    @Introspected
    record OpenItemRow(UUID campaignId, UUID instrumentId, String assetNumber, String nameZh, String nameEn,
                       @Nullable UUID orgUnitId, String state, @Nullable UUID confirmedBy, @Nullable Instant confirmedAt,
                       boolean archived, @Nullable Instant staleSince, @Nullable Instant lastVerifiedAt,
                       long instrumentVersion, String campaignName, Instant deadline) {
        VerificationService.OpenItem toOpenItem() {
            return new VerificationService.OpenItem(new VerificationItem(campaignId, instrumentId, assetNumber, nameZh,
                    nameEn, orgUnitId, state, confirmedBy, confirmedAt, archived, staleSince, lastVerifiedAt,
                    instrumentVersion), campaignName, deadline);
        }
    }

    @Introspected
    record Standing(boolean open, boolean overdue) {
    }

    @Introspected
    record InstrumentState(boolean archived, boolean stale, long version) {
    }

    @Introspected
    record Due(UUID tenantId, UUID campaignId) {
    }
}

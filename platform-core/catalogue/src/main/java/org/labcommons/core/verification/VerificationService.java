package org.labcommons.core.verification;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.catalog.CatalogueEvents;
import org.labcommons.core.catalog.Instrument;
import org.labcommons.core.catalog.InstrumentInput;
import org.labcommons.core.catalog.InstrumentService;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Verification campaigns of one tenant (data freshness, DOMAIN.md): start (snapshot the
 * instruments as pending items), confirm or correct an item, close (now, or by the deadline
 * sweep), read with progress. Every change is audited in its transaction; an instrument whose
 * {@code stale} flag changes gets a catalogue event ({@link CatalogueEvents}) with a new version.
 *
 * <p>Time is the database's ({@code now()}), one clock for every server instance. Locks are taken
 * in one order, campaign row first, then instrument rows (by id when several), so a confirmation
 * and a closing never deadlock: a confirmation holds its campaign {@code for share} and the
 * instrument {@code for update}; a closing holds its campaign {@code for update} (the sweep with
 * {@code skip locked}, so several instances never close one campaign twice) and then every pending
 * instrument, and only then (in a fresh statement, which sees every confirmation that committed
 * meanwhile) flags the ones still pending.
 *
 * <p>Confirming an instrument confirms the record: its pending items in every open campaign of the
 * tenant are marked, not only the one the admin acted in.
 */
@Singleton
public class VerificationService {
    /** The furthest a deadline may lie ahead. */
    public static final int MAX_DAYS = 366;

    private static final String CAMPAIGN_COLUMNS = "v.id, v.name, v.deadline, v.org_unit_id, v.started_by, v.state, "
            + "v.state = 'open' and v.deadline <= now() as overdue, v.created_at, v.closed_at, v.closed_by, v.close_reason, "
            + "p.pending, p.confirmed, p.corrected";
    private static final String PROGRESS = " cross join lateral (select "
            + "count(*) filter (where i.state = 'pending') as pending, "
            + "count(*) filter (where i.state = 'confirmed') as confirmed, "
            + "count(*) filter (where i.state = 'corrected') as corrected "
            + "from verification_item i where i.tenant_id = v.tenant_id and i.campaign_id = v.id) p";
    private static final String ITEM_COLUMNS = "vi.campaign_id, vi.instrument_id, n.asset_number, n.name_zh, n.name_en, "
            + "n.org_unit_id, vi.state, vi.confirmed_by, vi.confirmed_at, n.archived_at is not null, n.stale_since, "
            + "n.last_verified_at, n.version";
    private static final String ITEM_FROM = " from verification_item vi join instrument n "
            + "on n.tenant_id = vi.tenant_id and n.id = vi.instrument_id";

    private final TenantTransactions tenants;
    private final AuditLog audit;
    private final CatalogueEvents events;
    private final InstrumentService instruments;

    public VerificationService(TenantTransactions tenants, AuditLog audit, CatalogueEvents events,
                               InstrumentService instruments) {
        this.tenants = tenants;
        this.audit = audit;
        this.events = events;
        this.instruments = instruments;
    }

    /** A page of campaigns (newest first) and how many there are. */
    public record Page<T>(List<T> items, long total) {
    }

    /**
     * Which items a caller may see: all of them, or those of the instruments and org units (with
     * the units below them) it administers.
     */
    public record ItemVisibility(boolean all, Set<UUID> instruments, Set<UUID> units) {
        public static final ItemVisibility ALL = new ItemVisibility(true, Set.of(), Set.of());
    }

    // ---------------------------------------------------------------- starting

    /**
     * Starts a campaign over the tenant's non-archived instruments (or those of {@code orgUnitId}
     * and the units below it), each a pending item. The deadline must be in the future (database
     * time) and at most {@value #MAX_DAYS} days ahead; a campaign with nothing to verify is refused.
     */
    public VerificationCampaign start(TenantId tenant, UUID userId, AuditEntry.Actor actor, CampaignInput input) {
        return tenants.inTenant(tenant, c -> {
            List<FieldProblem> problems = new ArrayList<>();
            Instant now = databaseNow(c);
            if (!input.deadline().isAfter(now)) {
                problems.add(new FieldProblem("deadline", "in_past", "validation.deadline_in_past", Map.of()));
            } else if (input.deadline().isAfter(now.plus(Duration.ofDays(MAX_DAYS)))) {
                problems.add(new FieldProblem("deadline", "too_far", "validation.deadline_too_far",
                        Map.of("days", MAX_DAYS)));
            }
            if (input.orgUnitId() != null && !exists(c, "select 1 from org_unit where id = ?", input.orgUnitId())) {
                problems.add(new FieldProblem("orgUnitId", "unknown", "validation.unknown_reference", Map.of()));
            }
            if (!problems.isEmpty()) {
                throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", problems);
            }
            UUID id = UUID.randomUUID();
            try (PreparedStatement ps = c.prepareStatement("insert into verification_campaign (tenant_id, id, name, "
                    + "deadline, org_unit_id, started_by) values "
                    + "(app_tenant(), ?, ?, ?, ?, ?)")) {
                ps.setObject(1, id);
                ps.setString(2, input.name().strip());
                ps.setTimestamp(3, Timestamp.from(input.deadline()));
                ps.setObject(4, input.orgUnitId());
                ps.setObject(5, userId);
                ps.executeUpdate();
            }
            int items;
            try (PreparedStatement ps = c.prepareStatement("insert into verification_item (tenant_id, campaign_id, "
                    + "instrument_id) select n.tenant_id, ?, n.id from instrument n where n.archived_at is null "
                    + "and (?::uuid is null or n.org_unit_id in (with recursive sub(id) as (select ?::uuid union all "
                    + "select o.id from org_unit o join sub on o.parent_id = sub.id) select id from sub))")) {
                ps.setObject(1, id);
                ps.setObject(2, input.orgUnitId());
                ps.setObject(3, input.orgUnitId());
                items = ps.executeUpdate();
            }
            if (items == 0) {
                throw new ProblemException(HttpStatus.BAD_REQUEST, "nothing_to_verify");
            }
            Map<String, Object> details = new HashMap<>();
            details.put("name", input.name().strip());
            details.put("deadline", input.deadline().toString());
            if (input.orgUnitId() != null) {
                details.put("orgUnitId", input.orgUnitId().toString());
            }
            details.put("items", items);
            audit.append(c, actor.entry("verification_campaign.started", "verification_campaign", id.toString(),
                    details));
            return find(c, id).orElseThrow();
        });
    }

    // ---------------------------------------------------------------- reading

    public Page<VerificationCampaign> list(TenantId tenant, @Nullable String state, int offset, int limit) {
        return tenants.inTenant(tenant, c -> {
            long total;
            try (PreparedStatement ps = c.prepareStatement(
                    "select count(*) from verification_campaign where (?::text is null or state = ?)")) {
                ps.setString(1, state);
                ps.setString(2, state);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<VerificationCampaign> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select " + CAMPAIGN_COLUMNS
                    + " from verification_campaign v" + PROGRESS + " where (?::text is null or v.state = ?) "
                    + "order by v.created_at desc, v.id limit ? offset ?")) {
                ps.setString(1, state);
                ps.setString(2, state);
                ps.setInt(3, limit);
                ps.setInt(4, offset);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(campaign(rs));
                    }
                }
            }
            return new Page<>(out, total);
        });
    }

    public Optional<VerificationCampaign> find(TenantId tenant, UUID id) {
        return tenants.inTenant(tenant, c -> find(c, id));
    }

    private static Optional<VerificationCampaign> find(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + CAMPAIGN_COLUMNS + " from verification_campaign v"
                + PROGRESS + " where v.id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(campaign(rs)) : Optional.empty();
            }
        }
    }

    /** A page of a campaign's items in asset-number order, optionally in one state; 404 for an unknown campaign. */
    public Page<VerificationItem> items(TenantId tenant, UUID campaignId, @Nullable String state,
                                        ItemVisibility visibility, int offset, int limit) {
        return tenants.inTenant(tenant, c -> {
            if (!exists(c, "select 1 from verification_campaign where id = ?", campaignId)) {
                throw ProblemException.notFound();
            }
            String where = " where vi.campaign_id = ? and (?::text is null or vi.state = ?)" + visibilityClause(visibility);
            long total;
            try (PreparedStatement ps = c.prepareStatement("select count(*)" + ITEM_FROM + where)) {
                bindItemFilter(c, ps, campaignId, state, visibility);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<VerificationItem> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select " + ITEM_COLUMNS + ITEM_FROM + where
                    + " order by n.asset_number, n.id limit ? offset ?")) {
                int k = bindItemFilter(c, ps, campaignId, state, visibility);
                ps.setInt(k++, limit);
                ps.setInt(k, offset);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(item(rs));
                    }
                }
            }
            return new Page<>(out, total);
        });
    }

    /**
     * The instrument's items in open campaigns (what its page shows an admin: "awaiting your
     * confirmation until …"), soonest deadline first, with each campaign.
     */
    public List<OpenItem> openItems(TenantId tenant, UUID instrumentId, ItemVisibility visibility) {
        return tenants.inTenant(tenant, c -> {
            List<OpenItem> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select " + ITEM_COLUMNS + ", v.name, v.deadline"
                    + ITEM_FROM + " join verification_campaign v on v.tenant_id = vi.tenant_id and v.id = vi.campaign_id "
                    + "where vi.instrument_id = ? and v.state = 'open'" + visibilityClause(visibility)
                    + " order by v.deadline, v.id")) {
                ps.setObject(1, instrumentId);
                if (!visibility.all()) {
                    ps.setArray(2, c.createArrayOf("uuid", visibility.instruments().toArray()));
                    ps.setArray(3, c.createArrayOf("uuid", visibility.units().toArray()));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new OpenItem(item(rs), rs.getString(14), rs.getTimestamp(15).toInstant()));
                    }
                }
            }
            return out;
        });
    }

    /** An item of an open campaign with the campaign's name and deadline. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record OpenItem(VerificationItem item, String campaignName, Instant deadline) {
    }

    // ---------------------------------------------------------------- confirming

    /** Confirms the record unchanged. */
    public VerificationItem confirm(TenantId tenant, UUID userId, AuditEntry.Actor actor, UUID campaignId,
                                    UUID instrumentId) {
        return verify(tenant, userId, actor, campaignId, instrumentId, null, null);
    }

    /**
     * Saves {@code correction} through {@link InstrumentService#replace} (its validation, audit and
     * event, and its version check against {@code expectedVersion}) and marks the item corrected, in
     * one transaction; a correction that changes nothing counts as a confirmation.
     */
    public VerificationItem correct(TenantId tenant, UUID userId, AuditEntry.Actor actor, UUID campaignId,
                                    UUID instrumentId, @Nullable Long expectedVersion, InstrumentInput correction) {
        return verify(tenant, userId, actor, campaignId, instrumentId, correction, expectedVersion);
    }

    private VerificationItem verify(TenantId tenant, UUID userId, AuditEntry.Actor actor, UUID campaignId,
                                    UUID instrumentId, @Nullable InstrumentInput correction,
                                    @Nullable Long expectedVersion) {
        return tenants.inTenant(tenant, c -> {
            boolean open;
            boolean overdue;
            try (PreparedStatement ps = c.prepareStatement("select state = 'open', deadline <= now() "
                    + "from verification_campaign where id = ? for share")) {
                ps.setObject(1, campaignId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw ProblemException.notFound();
                    }
                    open = rs.getBoolean(1);
                    overdue = rs.getBoolean(2);
                }
            }
            String itemState;
            try (PreparedStatement ps = c.prepareStatement("select state from verification_item "
                    + "where campaign_id = ? and instrument_id = ?")) {
                ps.setObject(1, campaignId);
                ps.setObject(2, instrumentId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw ProblemException.notFound();
                    }
                    itemState = rs.getString(1);
                }
            }
            boolean archived;
            boolean wasStale;
            long versionBefore;
            try (PreparedStatement ps = c.prepareStatement("select archived_at is not null, stale_since is not null, "
                    + "version from instrument where id = ? for update")) {
                ps.setObject(1, instrumentId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    archived = rs.getBoolean(1);
                    wasStale = rs.getBoolean(2);
                    versionBefore = rs.getLong(3);
                }
            }
            if (!open) {
                throw new ProblemException(HttpStatus.CONFLICT, "campaign_closed");
            }
            if (overdue) {
                throw new ProblemException(HttpStatus.CONFLICT, "deadline_passed");
            }
            if (!VerificationItem.PENDING.equals(itemState)) {
                throw new ProblemException(HttpStatus.CONFLICT, "already_verified", itemState);
            }
            if (archived) {
                throw new ProblemException(HttpStatus.CONFLICT, "instrument_archived");
            }
            String newState = VerificationItem.CONFIRMED;
            if (correction != null) {
                Instrument saved = instruments.replace(tenant, actor, instrumentId, expectedVersion, correction);
                if (saved.version() != versionBefore) {
                    newState = VerificationItem.CORRECTED;
                }
            }
            List<String> alsoIn = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("update verification_item vi set state = ?, confirmed_by = ?, "
                    + "confirmed_at = now() from verification_campaign v where v.tenant_id = vi.tenant_id "
                    + "and v.id = vi.campaign_id and v.state = 'open' and v.deadline > now() "
                    + "and vi.instrument_id = ? and vi.state = 'pending' returning vi.campaign_id")) {
                ps.setString(1, newState);
                ps.setObject(2, userId);
                ps.setObject(3, instrumentId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        UUID other = rs.getObject(1, UUID.class);
                        if (!other.equals(campaignId)) {
                            alsoIn.add(other.toString());
                        }
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("update instrument set last_verified_at = now(), "
                    + "stale_since = null, version = version + (case when stale_since is null then 0 else 1 end), "
                    + "updated_at = case when stale_since is null then updated_at else now() end where id = ?")) {
                ps.setObject(1, instrumentId);
                ps.executeUpdate();
            }
            if (wasStale) {
                events.updated(c, instruments.find(c, instrumentId).orElseThrow());
            }
            Map<String, Object> details = new HashMap<>();
            details.put("campaignId", campaignId.toString());
            details.put("alsoConfirmedIn", alsoIn);
            details.put("staleCleared", wasStale);
            audit.append(c, actor.entry("verification_item." + newState, "instrument", instrumentId.toString(), details));
            return item(c, campaignId, instrumentId);
        });
    }

    // ---------------------------------------------------------------- closing

    /** Closes an open campaign now (manually): its still-pending instruments are flagged stale. */
    public VerificationCampaign close(TenantId tenant, UUID userId, AuditEntry.Actor actor, UUID campaignId) {
        return tenants.inTenant(tenant, c -> {
            String state;
            try (PreparedStatement ps = c.prepareStatement("select state from verification_campaign where id = ? "
                    + "for update")) {
                ps.setObject(1, campaignId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw ProblemException.notFound();
                    }
                    state = rs.getString(1);
                }
            }
            if (!"open".equals(state)) {
                throw new ProblemException(HttpStatus.CONFLICT, "campaign_closed");
            }
            closeLocked(c, campaignId, "manual", userId, actor, databaseNow(c));
            return find(c, campaignId).orElseThrow();
        });
    }

    /**
     * Closes {@code campaignId} if it is still open, its deadline has passed and no other
     * transaction holds it (another instance's sweep, a confirmation in flight): then it is left for
     * the next sweep. Flagged instruments become stale as of the deadline. Idempotent.
     *
     * @return whether this call closed it
     */
    public boolean closeIfDue(TenantId tenant, UUID campaignId) {
        return tenants.inTenant(tenant, c -> {
            Instant deadline;
            try (PreparedStatement ps = c.prepareStatement("select deadline from verification_campaign where id = ? "
                    + "and state = 'open' and deadline <= now() for update skip locked")) {
                ps.setObject(1, campaignId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return false;
                    }
                    deadline = rs.getTimestamp(1).toInstant();
                }
            }
            closeLocked(c, campaignId, "deadline", null, AuditEntry.Actor.SYSTEM, deadline);
            return true;
        });
    }

    /** The campaign row is locked by the caller. */
    private void closeLocked(Connection c, UUID campaignId, String reason, @Nullable UUID closedBy,
                             AuditEntry.Actor actor, Instant staleSince) throws SQLException {
        // 1. wait for (and then hold) every instrument still pending here, in id order
        try (PreparedStatement ps = c.prepareStatement("select n.id" + ITEM_FROM + " where vi.campaign_id = ? "
                + "and vi.state = 'pending' and n.archived_at is null and n.stale_since is null "
                + "order by n.id for update of n")) {
            ps.setObject(1, campaignId);
            ps.executeQuery().close();
        }
        // 2. a fresh statement sees every confirmation that committed while we waited
        List<UUID> flagged = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("update instrument n set stale_since = ?, version = n.version + 1, "
                + "updated_at = now() from verification_item vi where vi.tenant_id = n.tenant_id "
                + "and vi.instrument_id = n.id and vi.campaign_id = ? and vi.state = 'pending' "
                + "and n.archived_at is null and n.stale_since is null returning n.id")) {
            ps.setTimestamp(1, Timestamp.from(staleSince));
            ps.setObject(2, campaignId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    flagged.add(rs.getObject(1, UUID.class));
                }
            }
        }
        flagged.sort(null);
        for (UUID id : flagged) {
            Instrument after = instruments.find(c, id).orElseThrow();
            Map<String, Object> details = new HashMap<>();
            details.put("campaignId", campaignId.toString());
            details.put("staleSince", staleSince.toString());
            details.put("version", after.version());
            audit.append(c, actor.entry("instrument.flagged_stale", "instrument", id.toString(), details));
            events.updated(c, after);
        }
        try (PreparedStatement ps = c.prepareStatement("update verification_campaign set state = 'closed', "
                + "closed_at = now(), close_reason = ?, closed_by = ? where id = ?")) {
            ps.setString(1, reason);
            ps.setObject(2, closedBy);
            ps.setObject(3, campaignId);
            ps.executeUpdate();
        }
        VerificationCampaign.Progress p = find(c, campaignId).orElseThrow().progress();
        Map<String, Object> details = new HashMap<>();
        details.put("reason", reason);
        details.put("pending", p.pending());
        details.put("confirmed", p.confirmed());
        details.put("corrected", p.corrected());
        details.put("flaggedStale", flagged.size());
        audit.append(c, actor.entry("verification_campaign.closed", "verification_campaign", campaignId.toString(),
                details));
    }

    // ---------------------------------------------------------------- rows

    private static VerificationCampaign campaign(ResultSet rs) throws SQLException {
        int pending = rs.getInt("pending");
        int confirmed = rs.getInt("confirmed");
        int corrected = rs.getInt("corrected");
        return new VerificationCampaign(rs.getObject("id", UUID.class), rs.getString("name"),
                rs.getTimestamp("deadline").toInstant(), rs.getObject("org_unit_id", UUID.class),
                rs.getObject("started_by", UUID.class), rs.getString("state"), rs.getBoolean("overdue"),
                rs.getTimestamp("created_at").toInstant(), instant(rs.getTimestamp("closed_at")),
                rs.getObject("closed_by", UUID.class), rs.getString("close_reason"),
                new VerificationCampaign.Progress(pending + confirmed + corrected, pending, confirmed, corrected));
    }

    private static VerificationItem item(Connection c, UUID campaignId, UUID instrumentId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + ITEM_COLUMNS + ITEM_FROM
                + " where vi.campaign_id = ? and vi.instrument_id = ?")) {
            ps.setObject(1, campaignId);
            ps.setObject(2, instrumentId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return item(rs);
            }
        }
    }

    private static VerificationItem item(ResultSet rs) throws SQLException {
        return new VerificationItem(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                rs.getString(4), rs.getString(5), rs.getObject(6, UUID.class), rs.getString(7),
                rs.getObject(8, UUID.class), instant(rs.getTimestamp(9)), rs.getBoolean(10),
                instant(rs.getTimestamp(11)), instant(rs.getTimestamp(12)), rs.getLong(13));
    }

    private static String visibilityClause(ItemVisibility v) {
        if (v.all()) {
            return "";
        }
        return " and (n.id = any(?) or n.org_unit_id in (with recursive sub(id) as (select unnest(?::uuid[]) "
                + "union all select o.id from org_unit o join sub on o.parent_id = sub.id) select id from sub))";
    }

    private static int bindItemFilter(Connection c, PreparedStatement ps, UUID campaignId, @Nullable String state,
                                      ItemVisibility v) throws SQLException {
        int k = 1;
        ps.setObject(k++, campaignId);
        ps.setString(k++, state);
        ps.setString(k++, state);
        if (!v.all()) {
            ps.setArray(k++, c.createArrayOf("uuid", v.instruments().toArray()));
            ps.setArray(k++, c.createArrayOf("uuid", v.units().toArray()));
        }
        return k;
    }

    private static boolean exists(Connection c, String sql, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static Instant databaseNow(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select now()"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getTimestamp(1).toInstant();
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}

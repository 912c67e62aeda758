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
import org.labcommons.core.org.OrgUnitRows;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.sql.Connection;
import java.sql.SQLException;
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
public record VerificationService(TenantTransactions tenants,
                                  AuditLog audit,
                                  CatalogueEvents events,
                                  InstrumentService instruments,
                                  VerificationRows rows,
                                  OrgUnitRows units) {
    /** The furthest a deadline may lie ahead. */
    public static final int MAX_DAYS = 366;

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
            Instant now = rows.now();
            if (!input.deadline().isAfter(now)) {
                problems.add(new FieldProblem("deadline", "in_past", "validation.deadline_in_past", Map.of()));
            } else if (input.deadline().isAfter(now.plus(Duration.ofDays(MAX_DAYS)))) {
                problems.add(new FieldProblem("deadline", "too_far", "validation.deadline_too_far",
                        Map.of("days", MAX_DAYS)));
            }
            if (input.orgUnitId() != null && !units.existsById(input.orgUnitId())) {
                problems.add(new FieldProblem("orgUnitId", "unknown", "validation.unknown_reference", Map.of()));
            }
            if (!problems.isEmpty()) {
                throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", problems);
            }
            UUID id = UUID.randomUUID();
            rows.start(id, input.name().strip(), input.deadline(), input.orgUnitId(), userId);
            long items = rows.addItems(id, input.orgUnitId());
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
            return find(id);
        });
    }

    // ---------------------------------------------------------------- reading

    public Page<VerificationCampaign> list(TenantId tenant, @Nullable String state, int offset, int limit) {
        return tenants.inTenant(tenant, c -> new Page<>(rows.page(state, offset, limit).stream()
                .map(VerificationRows.CampaignView::toCampaign).toList(), rows.count(state)));
    }

    public Optional<VerificationCampaign> find(TenantId tenant, UUID id) {
        return tenants.inTenant(tenant, c -> rows.find(id).map(VerificationRows.CampaignView::toCampaign));
    }

    private VerificationCampaign find(UUID id) {
        return rows.find(id).orElseThrow().toCampaign();
    }

    /** A page of a campaign's items in asset-number order, optionally in one state; 404 for an unknown campaign. */
    public Page<VerificationItem> items(TenantId tenant, UUID campaignId, @Nullable String state,
                                        ItemVisibility visibility, int offset, int limit) {
        return tenants.inTenant(tenant, c -> {
            if (!rows.existsById(campaignId)) {
                throw ProblemException.notFound();
            }
            long total = rows.countItems(campaignId, state, visibility.all(), visibility.instruments(),
                    visibility.units());
            return new Page<>(rows.items(campaignId, state, visibility.all(), visibility.instruments(),
                    visibility.units(), offset, limit), total);
        });
    }

    /**
     * The instrument's items in open campaigns (what its page shows an admin: "awaiting your
     * confirmation until …"), soonest deadline first, with each campaign.
     */
    public List<OpenItem> openItems(TenantId tenant, UUID instrumentId, ItemVisibility visibility) {
        return tenants.inTenant(tenant, c -> rows.openItems(instrumentId, visibility.all(), visibility.instruments(),
                visibility.units()).stream().map(VerificationRows.OpenItemRow::toOpenItem).toList());
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
            VerificationRows.Standing campaign = rows.share(campaignId).orElseThrow(ProblemException::notFound);
            String itemState = rows.itemState(campaignId, instrumentId).orElseThrow(ProblemException::notFound);
            VerificationRows.InstrumentState instrument = rows.lockInstrument(instrumentId).orElseThrow();
            boolean open = campaign.open();
            boolean overdue = campaign.overdue();
            boolean archived = instrument.archived();
            boolean wasStale = instrument.stale();
            long versionBefore = instrument.version();
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
            List<UUID> pending = rows.pendingIn(instrumentId);
            rows.verify(instrumentId, pending, newState, userId);
            List<String> alsoIn = new ArrayList<>();
            for (UUID other : pending) {
                if (!other.equals(campaignId)) {
                    alsoIn.add(other.toString());
                }
            }
            rows.verified(instrumentId);
            if (wasStale) {
                events.updated(c, instruments.find(c, instrumentId).orElseThrow());
            }
            Map<String, Object> details = new HashMap<>();
            details.put("campaignId", campaignId.toString());
            details.put("alsoConfirmedIn", alsoIn);
            details.put("staleCleared", wasStale);
            audit.append(c, actor.entry("verification_item." + newState, "instrument", instrumentId.toString(), details));
            return rows.item(campaignId, instrumentId).orElseThrow();
        });
    }

    // ---------------------------------------------------------------- closing

    /** Closes an open campaign now (manually): its still-pending instruments are flagged stale. */
    public VerificationCampaign close(TenantId tenant, UUID userId, AuditEntry.Actor actor, UUID campaignId) {
        return tenants.inTenant(tenant, c -> {
            String state = rows.lockState(campaignId).orElseThrow(ProblemException::notFound);
            if (!"open".equals(state)) {
                throw new ProblemException(HttpStatus.CONFLICT, "campaign_closed");
            }
            closeLocked(c, campaignId, "manual", userId, actor, rows.now());
            return find(campaignId);
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
            Optional<Instant> deadline = rows.lockDue(campaignId);
            if (deadline.isEmpty()) {
                return false;
            }
            closeLocked(c, campaignId, "deadline", null, AuditEntry.Actor.SYSTEM, deadline.get());
            return true;
        });
    }

    /** The campaign row is locked by the caller. */
    private void closeLocked(Connection c, UUID campaignId, String reason, @Nullable UUID closedBy,
                             AuditEntry.Actor actor, Instant staleSince) throws SQLException {
        // 1. wait for (and then hold) every instrument still pending here, in id order
        rows.lockPending(campaignId);
        // 2. a fresh statement sees every confirmation that committed while we waited
        List<UUID> flagged = new ArrayList<>(rows.lockPending(campaignId));
        if (!flagged.isEmpty()) {
            rows.flagStale(flagged, staleSince);
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
        rows.close(campaignId, reason, closedBy);
        VerificationCampaign.Progress p = find(campaignId).progress();
        Map<String, Object> details = new HashMap<>();
        details.put("reason", reason);
        details.put("pending", p.pending());
        details.put("confirmed", p.confirmed());
        details.put("corrected", p.corrected());
        details.put("flaggedStale", flagged.size());
        audit.append(c, actor.entry("verification_campaign.closed", "verification_campaign", campaignId.toString(),
                details));
    }
}

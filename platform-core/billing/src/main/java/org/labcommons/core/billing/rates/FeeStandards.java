package org.labcommons.core.billing.rates;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.http.HttpStatus;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.booking.BookingClock;
import org.labcommons.core.catalog.Instrument;
import org.labcommons.core.catalog.InstrumentService;
import org.labcommons.core.catalog.RateGroups;
import org.labcommons.core.db.SqlStates;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Fee standards of one tenant (V39 {@code fee_standard}): drafts and their life cycle
 * draft &rarr; submitted &rarr; department_approved &rarr; committee_approved &rarr; filed (with the price authority's
 * {@code filingRef}) &rarr; superseded, or withdrawn before it took effect. Each step is written with its actor, time
 * and note ({@code fee_standard_step}) and audited ({@code fee_standard.<action>}) in the same transaction. A step
 * out of order is 409 {@code wrong_state}; an approval by the person who drafted or submitted the card, or a committee
 * approval by its department approver, is 403 {@code same_approver} (four eyes). Who may ask for each step is
 * {@link FeeStandardAccess}'s.
 * <p>
 * A filed card takes effect on its {@code effectiveFrom} day (in the tenant's zone): at filing when that day has come,
 * else by {@link FeeStandardActivation} on the day. Taking effect supersedes the key's older filed cards and sets the
 * catalogue's published price (instrument_price) from the card through {@link InstrumentService#publishPrice}.
 */
@Singleton
public record FeeStandards(TenantTransactions tenants, AuditLog audit, BookingClock clock, FeeStandardRows rows,
                           RateGroups rateGroups, InstrumentService instruments, JsonMapper json) {
    /** The life cycle's statuses. */
    public static final List<String> STATUSES = List.of("draft", "submitted", "department_approved",
            "committee_approved", "filed", "superseded", "withdrawn");
    /** The statuses a card may be withdrawn from (a filed card only until it takes effect). */
    static final List<String> WITHDRAWABLE = List.of("draft", "submitted", "department_approved", "committee_approved",
            "filed");
    private static final Argument<List<TimeBand>> BANDS = Argument.listOf(TimeBand.class);

    /** A new draft (version = the key's highest + 1) of {@code instrument}, whose caller may manage it. */
    public FeeStandard create(TenantId tenant, AuditEntry.Actor actor, UUID userId, Instrument instrument,
                              FeeStandardInput in) {
        String unit = in.unit() == null ? null : in.unit().strip();
        List<FieldProblem> problems = new ArrayList<>(FeeStandardChecks.terms(in, unit, today(tenant)));
        FeeStandardChecks.key(problems, in.rateGroup(),
                rateGroups.list(tenant).stream().map(RateGroups.RateGroup::code).toList(),
                in.serviceId(), instrument.services().stream().map(Instrument.Service::id).toList());
        throwIfAny(problems);
        String group = in.rateGroup().strip();
        Instant now = clock.now();
        return tenants.inTenant(tenant, c -> {
            UUID id = UUID.randomUUID();
            int version = rows.nextVersion(instrument.id(), in.serviceId(), group);
            try {
                rows.insert(id, instrument.id(), in.serviceId(), group, version, unit, in.priceFen(),
                        orZero(in.minimumFen()), in.rounding() == null ? 1 : in.rounding(),
                        orZero(in.assistedSurchargeFen()), bandsJson(in.timeBands()), in.effectiveFrom(),
                        blankToNull(in.note()), now, userId);
            } catch (DataAccessException e) {
                if (SqlStates.causedBy(e, SqlStates.UNIQUE_VIOLATION)) {   // another draft of the key took the version
                    throw new ProblemException(HttpStatus.CONFLICT, "version_conflict", version);
                }
                throw e;
            }
            step(c, actor, userId, id, "created", null, "draft", now, null, Map.of("version", version));
            return view(rows.find(id).orElseThrow(), false);
        });
    }

    /** Rewrites a draft's terms (its key stays); 409 {@code wrong_state} once it left draft. */
    public FeeStandard edit(TenantId tenant, AuditEntry.Actor actor, UUID userId, UUID id, FeeStandardInput in) {
        String unit = in.unit() == null ? null : in.unit().strip();
        throwIfAny(FeeStandardChecks.terms(in, unit, today(tenant)));
        Instant now = clock.now();
        return tenants.inTenant(tenant, c -> {
            FeeStandardRows.Stored card = rows.lock(id).orElseThrow(ProblemException::notFound);
            if (!"draft".equals(card.status())) {
                throw new ProblemException(HttpStatus.CONFLICT, "wrong_state", card.status());
            }
            rows.updateDraft(id, unit, in.priceFen(), orZero(in.minimumFen()), in.rounding() == null ? 1 : in.rounding(),
                    orZero(in.assistedSurchargeFen()), bandsJson(in.timeBands()), in.effectiveFrom(),
                    blankToNull(in.note()), now);
            step(c, actor, userId, id, "edited", "draft", "draft", now, null, Map.of());
            return view(rows.find(id).orElseThrow(), false);
        });
    }

    /** draft &rarr; submitted (for the department's approval). */
    public FeeStandard submit(TenantId tenant, AuditEntry.Actor actor, UUID userId, UUID id, @Nullable String note) {
        return move(tenant, actor, userId, id, "draft", "submitted", "submitted", note);
    }

    /** submitted &rarr; department_approved, by someone who neither drafted nor submitted it. */
    public FeeStandard approveDepartment(TenantId tenant, AuditEntry.Actor actor, UUID userId, UUID id,
                                         @Nullable String note) {
        return move(tenant, actor, userId, id, "submitted", "department_approved", "department_approved", note);
    }

    /** department_approved &rarr; committee_approved, by someone other than the department's approver. */
    public FeeStandard approveCommittee(TenantId tenant, AuditEntry.Actor actor, UUID userId, UUID id,
                                        @Nullable String note) {
        return move(tenant, actor, userId, id, "department_approved", "committee_approved", "committee_approved", note);
    }

    /**
     * committee_approved &rarr; filed with the price authority's reference ({@code filingRef}, 1-100 characters,
     * required) and the day it takes effect ({@code effectiveFrom}: the card's unless given; not before today). When
     * that day has come the card takes effect at once.
     */
    public FeeStandard file(TenantId tenant, AuditEntry.Actor actor, UUID userId, UUID id, @Nullable String filingRef,
                            @Nullable LocalDate effectiveFrom, @Nullable String note) {
        LocalDate today = today(tenant);
        List<FieldProblem> problems = new ArrayList<>();
        String ref = filingRef == null ? "" : filingRef.strip();
        if (ref.isEmpty()) {
            problems.add(new FieldProblem("filingRef", "not_blank", "validation.not_blank", Map.of()));
        } else if (ref.length() > 100) {
            problems.add(new FieldProblem("filingRef", "size", "validation.size", Map.of("min", 1, "max", 100)));
        }
        if (effectiveFrom != null && effectiveFrom.isBefore(today)) {
            problems.add(new FieldProblem("effectiveFrom", "not_past", "fee.validation.effective_past",
                    Map.of("value", today.toString())));
        }
        checkNote(problems, note);
        throwIfAny(problems);
        Instant now = clock.now();
        return tenants.inTenant(tenant, c -> {
            FeeStandardRows.Stored card = rows.lock(id).orElseThrow(ProblemException::notFound);
            if (!"committee_approved".equals(card.status())) {
                throw new ProblemException(HttpStatus.CONFLICT, "wrong_state", card.status());
            }
            LocalDate from = effectiveFrom != null ? effectiveFrom : card.effectiveFrom();
            if (from.isBefore(today)) {
                throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", List.of(new FieldProblem(
                        "effectiveFrom", "not_past", "fee.validation.effective_past", Map.of("value", today.toString()))));
            }
            try {
                rows.file(id, ref, from, now);
            } catch (DataAccessException e) {
                if (SqlStates.causedBy(e, SqlStates.UNIQUE_VIOLATION)) {   // another filed card of the key that day
                    throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", List.of(new FieldProblem(
                            "effectiveFrom", "taken", "fee.validation.effective_taken", Map.of())));
                }
                throw e;
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("filingRef", ref);
            details.put("effectiveFrom", from.toString());
            step(c, actor, userId, id, "filed", card.status(), "filed", now, note, details);
            if (!from.isAfter(today)) {
                activate(c, actor, userId, id, now);
            }
            return view(rows.find(id).orElseThrow(), false);
        });
    }

    /** Withdraws a card that has not taken effect (any status before filed, or filed for a later day). */
    public FeeStandard withdraw(TenantId tenant, AuditEntry.Actor actor, UUID userId, UUID id, @Nullable String note) {
        List<FieldProblem> problems = new ArrayList<>();
        checkNote(problems, note);
        throwIfAny(problems);
        Instant now = clock.now();
        return tenants.inTenant(tenant, c -> {
            FeeStandardRows.Stored card = rows.lock(id).orElseThrow(ProblemException::notFound);
            if (!WITHDRAWABLE.contains(card.status()) || card.activatedAt() != null) {
                throw new ProblemException(HttpStatus.CONFLICT, "wrong_state", card.status());
            }
            rows.move(id, card.status(), "withdrawn", now);
            step(c, actor, userId, id, "withdrawn", card.status(), "withdrawn", now, note, Map.of());
            return view(rows.find(id).orElseThrow(), false);
        });
    }

    /** One card with its history. */
    public Optional<FeeStandard> find(TenantId tenant, UUID id) {
        return tenants.inTenant(tenant, c -> rows.find(id).map(s -> view(s, true)));
    }

    /** A page of cards (filters null: any), most recently changed first. */
    public FeeStandard.Page list(TenantId tenant, @Nullable UUID instrumentId, @Nullable UUID serviceId,
                                 @Nullable String rateGroup, @Nullable String status, int page, int size) {
        return tenants.inTenant(tenant, c -> new FeeStandard.Page(
                rows.page(instrumentId, serviceId, rateGroup, status, page * size, size).stream()
                        .map(s -> view(s, false)).toList(),
                rows.count(instrumentId, serviceId, rateGroup, status), page, size));
    }

    /**
     * Brings into effect every filed card of the tenant whose day has come (oldest effective date first, so the
     * newest ends as the published price). Safe to run again and in several instances: a card takes effect once.
     *
     * @return how many cards took effect
     */
    public int activateDue(TenantId tenant) {
        LocalDate today = today(tenant);
        List<UUID> due = tenants.inTenant(tenant, c -> rows.due(today, 200));
        int done = 0;
        for (UUID id : due) {
            Instant now = clock.now();
            done += tenants.inTenant(tenant, c -> activate(c, AuditEntry.Actor.SYSTEM, null, id, now) ? 1 : 0);
        }
        return done;
    }

    /** Today in the tenant's zone. */
    public LocalDate today(TenantId tenant) {
        return clock.now().atZone(zone(tenant)).toLocalDate();
    }

    /** The tenant's time zone (Asia/Shanghai when it has none or an unknown one). */
    public ZoneId zone(TenantId tenant) {
        String stored = tenants.inTenant(tenant, c -> rows.tenantZone().orElse(null));
        try {
            return stored == null ? ZoneId.of("Asia/Shanghai") : ZoneId.of(stored);
        } catch (DateTimeException e) {
            return ZoneId.of("Asia/Shanghai");
        }
    }

    /** The card as the rating function reads it. */
    RateCard card(FeeStandardRows.Stored s, ZoneId zone) {
        return new RateCard(s.id(), s.instrumentId(), s.serviceId(), s.rateGroupCode(), s.version(), s.unit(),
                s.priceFen(), s.minimumFen(), s.rounding(), s.assistedSurchargeFen(), bands(s.timeBands()),
                s.effectiveFrom(), s.filingRef(), zone.getId());
    }

    private boolean activate(Connection c, AuditEntry.Actor actor, @Nullable UUID userId, UUID id, Instant now)
            throws SQLException {
        FeeStandardRows.Stored card = rows.lock(id).orElse(null);
        if (card == null || !"filed".equals(card.status()) || card.activatedAt() != null) {
            return false;
        }
        for (UUID older : rows.supersededBy(id, card.instrumentId(), card.serviceId(), card.rateGroupCode(),
                card.effectiveFrom())) {
            rows.move(older, "filed", "superseded", now);
            step(c, actor, userId, older, "superseded", "filed", "superseded", now, null,
                    Map.of("by", id.toString()));
        }
        rows.activated(id, now);
        step(c, actor, userId, id, "activated", "filed", "filed", now, null,
                Map.of("priceFen", card.priceFen(), "unit", card.unit()));
        instruments.publishPrice(c, actor, card.instrumentId(), card.serviceId(), card.rateGroupCode(), card.unit(),
                card.priceFen());
        return true;
    }

    private FeeStandard move(TenantId tenant, AuditEntry.Actor actor, UUID userId, UUID id, String from, String to,
                             String action, @Nullable String note) {
        List<FieldProblem> problems = new ArrayList<>();
        checkNote(problems, note);
        throwIfAny(problems);
        Instant now = clock.now();
        return tenants.inTenant(tenant, c -> {
            FeeStandardRows.Stored card = rows.lock(id).orElseThrow(ProblemException::notFound);
            if (!from.equals(card.status())) {
                throw new ProblemException(HttpStatus.CONFLICT, "wrong_state", card.status());
            }
            List<FeeStandardRows.StepRow> steps = rows.steps(id);
            List<String> earlier = switch (to) {
                case "department_approved" -> List.of("created", "edited", "submitted");
                case "committee_approved" -> List.of("department_approved");
                default -> List.of();
            };
            if (steps.stream().anyMatch(s -> earlier.contains(s.action()) && userId.equals(s.actorId()))) {
                throw new ProblemException(HttpStatus.FORBIDDEN, "same_approver");
            }
            rows.move(id, from, to, now);
            step(c, actor, userId, id, action, from, to, now, note, Map.of());
            return view(rows.find(id).orElseThrow(), false);
        });
    }

    private void step(Connection c, AuditEntry.Actor actor, @Nullable UUID userId, UUID id, String action,
                      @Nullable String from, String to, Instant now, @Nullable String note, Map<String, Object> more)
            throws SQLException {
        String why = blankToNull(note);
        rows.step(id, action, from, to, now, userId, why);
        Map<String, Object> details = new LinkedHashMap<>(more);
        if (from != null) {
            details.put("from", from);
        }
        details.put("to", to);
        if (why != null) {
            details.put("note", why);
        }
        audit.append(c, actor.entry("fee_standard." + action, "fee_standard", id.toString(), details));
    }

    private FeeStandard view(FeeStandardRows.Stored s, boolean withHistory) {
        List<FeeStandard.Step> history = withHistory ? rows.steps(s.id()).stream()
                .map(r -> new FeeStandard.Step(r.seq(), r.action(), r.fromStatus(), r.toStatus(), r.at(), r.actorId(),
                        r.note())).toList() : null;
        return new FeeStandard(s.id(), s.instrumentId(), s.serviceId(), s.rateGroupCode(), s.version(), s.unit(),
                s.priceFen(), s.minimumFen(), s.rounding(), s.assistedSurchargeFen(), bands(s.timeBands()), s.status(),
                s.effectiveFrom(), s.filingRef(), s.note(), s.activatedAt(), s.createdAt(), s.createdBy(),
                s.updatedAt(), history);
    }

    private List<TimeBand> bands(@Nullable String text) {
        if (text == null) {
            return List.of();
        }
        try {
            return json.readValue(text, BANDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private @Nullable String bandsJson(@Nullable List<TimeBand> bands) {
        if (bands == null || bands.isEmpty()) {
            return null;
        }
        try {
            return json.writeValueAsString(bands.stream().map(b -> new TimeBand(List.copyOf(b.days()).stream()
                    .sorted().distinct().toList(), b.from(), b.to(), b.priceFen())).toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void checkNote(List<FieldProblem> problems, @Nullable String note) {
        if (note != null && note.length() > 1000) {
            problems.add(new FieldProblem("note", "size", "validation.size", Map.of("min", 0, "max", 1000)));
        }
    }

    private static void throwIfAny(List<FieldProblem> problems) {
        if (!problems.isEmpty()) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", problems);
        }
    }

    private static long orZero(@Nullable Long fen) {
        return fen == null ? 0 : fen;
    }

    private static @Nullable String blankToNull(@Nullable String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}

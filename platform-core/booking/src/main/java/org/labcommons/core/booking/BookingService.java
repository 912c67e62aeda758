package org.labcommons.core.booking;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.catalog.RateGroupPolicy;
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
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Machine-time bookings (docs/booking.md): every change runs in one transaction bound to the
 * instrument's tenant, checks the instrument's rules, and writes its audit entry and its
 * {@code booking.v1} event in the same transaction. Overlap is refused by the database's exclusion
 * constraints (SQLState 23P01), never by a check-then-insert; the refusal becomes
 * {@link SlotConflictException} with the slot in the way.
 */
@Singleton
public class BookingService {
    /** A booking may be checked in from this long before its start until its end. */
    public static final Duration CHECK_IN_EARLY = Duration.ofMinutes(15);
    private static final String ACTIVE_SQL = "('requested', 'approved', 'checked_in')";

    private final TenantTransactions tenants;
    private final AuditLog audit;
    private final BookingRulesService rulesService;
    private final Qualifications qualifications;
    private final BookingEvents events;
    private final BookingClock clock;
    private final RateGroupPolicy rateGroups;

    public BookingService(TenantTransactions tenants, AuditLog audit, BookingRulesService rulesService,
                          Qualifications qualifications, BookingEvents events, BookingClock clock,
                          RateGroupPolicy rateGroups) {
        this.rateGroups = rateGroups;
        this.tenants = tenants;
        this.audit = audit;
        this.rulesService = rulesService;
        this.qualifications = qualifications;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Who acts: the user, the tenant whose issuer vouched for them (their home), the audit actor,
     * and whether they manage the instrument (staff: approve, record, cancel after the deadline).
     */
    public record Requester(UUID userId, TenantId homeTenant, AuditEntry.Actor actor, boolean staff) {
    }

    /** What a booking request asks for. {@code rateGroup} null: derived from the requester. */
    public record NewBooking(Instant start, Instant end, @Nullable String accountCode, @Nullable String rateGroup,
                             boolean assisted, @Nullable String purpose) {
    }

    /** One occurrence of a recurring request: created, or why not. */
    public record Occurrence(int index, Instant start, Instant end, @Nullable Booking booking,
                             @Nullable ProblemException refusal, @Nullable SlotConflictException conflict) {
        public String outcome() {
            return booking != null ? "created" : conflict != null ? "conflict" : "refused";
        }
    }

    /** A busy interval of an instrument's calendar (no personal data). */
    @Serdeable
    public record Busy(String kind, OffsetDateTime start, OffsetDateTime end, @Nullable String status) {
    }

    /** The database refused the slot (23P01); the transaction is rolled back before the conflict is read. */
    static final class SlotTaken extends RuntimeException {
        final Instant start;
        final Instant end;
        final Instant blockedUntil;

        SlotTaken(Instant start, Instant end, Instant blockedUntil) {
            super("slot taken", null, false, false);
            this.start = start;
            this.end = end;
            this.blockedUntil = blockedUntil;
        }
    }

    // ------------------------------------------------------------------ create

    public Booking create(TenantId tenant, Requester who, UUID instrumentId, NewBooking request) {
        return create(tenant, who, instrumentId, request, null);
    }

    /**
     * What the access decision needs of an instrument, read by the booking's own transaction (its
     * first statement, which also takes the key-share lock): its unit and that unit's ancestors
     * (the unit first), and its sharing scope.
     */
    public record InstrumentAccess(UUID instrumentId, @Nullable UUID orgUnitId, String sharingScope, List<UUID> unitChain) {
    }

    /**
     * The access decision on the instrument a booking is for, made inside the booking's
     * transaction: throws (404, 403) to refuse, else returns whether the requester is the
     * instrument's staff.
     */
    @FunctionalInterface
    public interface Admission {
        boolean staff(InstrumentAccess instrument);
    }

    /**
     * A booking whose access decision ({@code admission}, null: already decided by the caller) is
     * made in the same transaction as the booking itself: one transaction for the whole request.
     * {@code who.staff()} is replaced by the admission's answer.
     */
    public Booking create(TenantId tenant, Requester who, UUID instrumentId, NewBooking request,
                          @Nullable Admission admission) {
        try {
            return tenants.inTenantRetrying(tenant,
                    c -> insert(c, tenant, who, instrumentId, request, null, null, null, null, admission));
        } catch (SlotTaken taken) {
            throw conflict(tenant, instrumentId, who.userId(), taken);
        }
    }

    /**
     * Staff book for someone else (an assisted session, a request by phone): {@code forUser} is the
     * person the booking is for (its requester: their home tenant, their qualification, their
     * limits), acting through the staff member's audit actor with staff rights (any rate group).
     * The staff member is its approver, so it is {@code approved} at once (decided by
     * {@code staffUserId}); every calendar rule and the exclusion constraints apply as usual.
     */
    public Booking createOnBehalf(TenantId tenant, Requester forUser, UUID staffUserId, UUID instrumentId,
                                  NewBooking request) {
        try {
            return tenants.inTenantRetrying(tenant,
                    c -> insert(c, tenant, forUser, instrumentId, request, null, null, null, staffUserId, null));
        } catch (SlotTaken taken) {
            throw conflict(tenant, instrumentId, forUser.userId(), taken);
        }
    }

    /**
     * Weekly occurrences of {@code first} (same local time in the tenant's zone), each in its own
     * transaction: what fits is created, and every occurrence that does not is reported.
     */
    public List<Occurrence> createWeekly(TenantId tenant, Requester who, UUID instrumentId, NewBooking first,
                                         int occurrences) {
        ZoneId zone = ZoneId.of(tenants.inTenant(tenant, BookingRulesService::timeZone));
        UUID series = UUID.randomUUID();
        ZonedDateTime start = first.start().atZone(zone);
        ZonedDateTime end = first.end().atZone(zone);
        List<Occurrence> out = new ArrayList<>();
        for (int i = 0; i < occurrences; i++) {
            Instant s = start.plusWeeks(i).toInstant();
            Instant e = end.plusWeeks(i).toInstant();
            NewBooking one = new NewBooking(s, e, first.accountCode(), first.rateGroup(), first.assisted(), first.purpose());
            int index = i + 1;
            try {
                Booking b = tenants.inTenantRetrying(tenant, c -> insert(c, tenant, who, instrumentId, one, series, index, null));
                out.add(new Occurrence(index, s, e, b, null, null));
            } catch (SlotTaken taken) {
                out.add(new Occurrence(index, s, e, null, null, conflict(tenant, instrumentId, who.userId(), taken)));
            } catch (SlotConflictException conflict) {
                out.add(new Occurrence(index, s, e, null, null, conflict));
            } catch (ProblemException refused) {
                if (refused.status() == HttpStatus.NOT_FOUND) {
                    throw refused;
                }
                out.add(new Occurrence(index, s, e, null, refused, null));
            }
        }
        return out;
    }

    /** Inserts a booking after checking every rule; the caller's transaction is bound to {@code tenant}. */
    Booking insert(Connection c, TenantId tenant, Requester who, UUID instrumentId, NewBooking r,
                   @Nullable UUID seriesId, @Nullable Integer seriesIndex, @Nullable UUID offerId) throws SQLException {
        return insert(c, tenant, who, instrumentId, r, seriesId, seriesIndex, offerId, null, null);
    }

    /**
     * {@code approvedBy}: staff booking on behalf of {@code who}, approved by them at once (null: the
     * rules decide). {@code admission}: the access decision, made here on what the first statement
     * read (null: the caller decided).
     *
     * <p>Statements (round trips) per booking: one reads everything the rules need and takes the
     * locks (the instrument's row key-share, the per-user advisory lock), one counts the user's
     * future bookings and finds a maintenance window in the way (after the locks, so a fresh
     * snapshot), then the insert (returning the row), the audit entry and the outbox event.
     */
    private Booking insert(Connection c, TenantId tenant, Requester who, UUID instrumentId, NewBooking r,
                           @Nullable UUID seriesId, @Nullable Integer seriesIndex, @Nullable UUID offerId,
                           @Nullable UUID approvedBy, @Nullable Admission admission) throws SQLException {
        Instant now = clock.now();
        Prefetched pre = prefetch(c, instrumentId, who.userId(), now);
        if (admission != null) {
            who = new Requester(who.userId(), who.homeTenant(), who.actor(), admission.staff(pre.access()));
        }
        BookingRules rules = pre.rules();
        boolean bookable = pre.bookable();
        boolean outside = !who.homeTenant().equals(tenant);
        String yours = rateGroups.forBooking(tenant, who.homeTenant(), pre.priceGroups());
        String rateGroup = r.rateGroup() != null ? r.rateGroup() : yours;
        List<FieldProblem> problems = new ArrayList<>();
        if (r.rateGroup() != null && !who.staff() && !r.rateGroup().equals(yours)) {
            problems.add(refusal("rateGroup", "rate_group_not_yours", Map.of("value", r.rateGroup())));
        }
        SlotConflictException maintenance = null;
        if (checkRules(c, who, instrumentId, bookable, rules, r.start(), r.end(), rateGroup, r.assisted(), problems)) {
            blockProblem(pre.blockedUntil(), ZoneId.of(rules.timeZone()), problems);
            // the advisory lock is held since the first statement: this count is the serialised one
            try (PreparedStatement ps = c.prepareStatement("select (select count(*) from booking where instrument_id = ? "
                    + "and requester_user_id = ? and status in " + ACTIVE_SQL + " and ends_at > ?), m.lo, m.hi "
                    + "from (select 1) one left join lateral (select lower(period) lo, upper(period) hi "
                    + "from maintenance_window where instrument_id = ? and period && tstzrange(?, ?, '[)') "
                    + "order by lower(period) limit 1) m on true")) {
                ps.setObject(1, instrumentId);
                ps.setObject(2, who.userId());
                ps.setTimestamp(3, Timestamp.from(now));
                ps.setObject(4, instrumentId);
                ps.setTimestamp(5, Timestamp.from(r.start()));
                ps.setTimestamp(6, Timestamp.from(r.end()));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) >= rules.maxFutureBookings()) {
                        problems.add(refusal("requester", "too_many_future_bookings",
                                Map.of("max", rules.maxFutureBookings())));
                    }
                    if (rs.getTimestamp(2) != null) {
                        ZoneId zone = ZoneId.of(rules.timeZone());
                        maintenance = new SlotConflictException(new SlotConflictException.Conflict("maintenance",
                                Booking.at(rs, 2, zone), Booking.at(rs, 3, zone)));
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            throw refused(problems);
        }
        if (maintenance != null) {
            throw maintenance;
        }
        String status = rules.needsApproval(outside, r.assisted()) && approvedBy == null ? "requested" : "approved";
        Instant blockedUntil = r.end().plus(Duration.ofMinutes(rules.bufferMinutes()));
        UUID id = UUID.randomUUID();
        Booking b;
        try (PreparedStatement ps = c.prepareStatement("insert into booking (tenant_id, id, instrument_id, series_id, "
                + "series_index, requester_user_id, requester_tenant_id, account_code, rate_group, assisted, purpose, "
                + "status, starts_at, ends_at, blocked_until, waitlist_offer_id, created_at, updated_at, decided_by, "
                + "decided_at) values (app_tenant(), "
                + "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning " + Booking.COLUMNS)) {
            int i = 1;
            ps.setObject(i++, id);
            ps.setObject(i++, instrumentId);
            ps.setObject(i++, seriesId);
            ps.setObject(i++, seriesIndex);
            ps.setObject(i++, who.userId());
            ps.setObject(i++, who.homeTenant().value());
            ps.setString(i++, blankToNull(r.accountCode()));
            ps.setString(i++, rateGroup);
            ps.setBoolean(i++, r.assisted());
            ps.setString(i++, blankToNull(r.purpose()));
            ps.setString(i++, status);
            ps.setTimestamp(i++, Timestamp.from(r.start()));
            ps.setTimestamp(i++, Timestamp.from(r.end()));
            ps.setTimestamp(i++, Timestamp.from(blockedUntil));
            ps.setObject(i++, offerId);
            ps.setTimestamp(i++, Timestamp.from(now));
            ps.setTimestamp(i++, Timestamp.from(now));
            ps.setObject(i++, approvedBy);
            ps.setTimestamp(i, approvedBy == null ? null : Timestamp.from(now));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                b = Booking.read(rs, ZoneId.of(rules.timeZone()));
            }
        } catch (SQLException e) {
            if ("23P01".equals(e.getSQLState())) {
                throw new SlotTaken(r.start(), r.end(), blockedUntil);
            }
            throw e;
        }
        Map<String, Object> details = new HashMap<>();
        details.put("instrumentId", instrumentId.toString());
        details.put("status", status);
        details.put("start", r.start().toString());
        details.put("end", r.end().toString());
        details.put("rateGroup", rateGroup);
        if (approvedBy != null) {
            details.put("onBehalfOf", who.userId().toString());
            details.put("approvedBy", approvedBy.toString());
        }
        audit.append(c, who.actor().entry("booking.requested", "booking", id.toString(), details));
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("approvalRequired", "requested".equals(status));
        if (approvedBy != null) {
            extra.put("onBehalfOf", true);
        }
        events.booking(c, "requested", b, extra);
        return b;
    }

    /** The rate groups the instrument publishes a machine-time price for (V11, {@code service_id is null}). */
    /** The rate group a requester from {@code requesterHome} would book the instrument under (what pages show before booking). */
    public String rateGroupFor(TenantId tenant, TenantId requesterHome, UUID instrumentId) {
        return tenants.inTenant(tenant, c -> rateGroups.forBooking(tenant, requesterHome, machineTimeRateGroups(c, instrumentId)));
    }

    private static Set<String> machineTimeRateGroups(Connection c, UUID instrumentId) throws SQLException {
        Set<String> out = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("select distinct rate_group_code from instrument_price "
                + "where instrument_id = ? and service_id is null")) {
            ps.setObject(1, instrumentId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /**
     * Every rule a slot must satisfy, as field problems (empty: allowed). {@code excluding} is the
     * booking being rescheduled (it does not count against the user's future bookings).
     */
    private void checkSlot(Connection c, Requester who, UUID instrumentId, boolean bookable, BookingRules rules,
                           Instant start, Instant end, String rateGroup, boolean assisted, @Nullable UUID excluding,
                           List<FieldProblem> problems)
            throws SQLException {
        if (!checkRules(c, who, instrumentId, bookable, rules, start, end, rateGroup, assisted, problems)) {
            return;
        }
        Instant now = clock.now();
        ZoneId zone = ZoneId.of(rules.timeZone());
        try (PreparedStatement ps = c.prepareStatement("select max(blocked_until) from booking_block "
                + "where instrument_id = ? and user_id = ? and blocked_until > ?")) {
            ps.setObject(1, instrumentId);
            ps.setObject(2, who.userId());
            ps.setTimestamp(3, Timestamp.from(now));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                Timestamp until = rs.getTimestamp(1);
                blockProblem(until == null ? null : until.toInstant(), zone, problems);
            }
        }
        if (excluding == null) {
            // the count below holds because the slot lock serialises this instrument's new bookings
            lockSlots(c, instrumentId);
            try (PreparedStatement ps = c.prepareStatement("select count(*) from booking where instrument_id = ? "
                    + "and requester_user_id = ? and status in " + ACTIVE_SQL + " and ends_at > ?")) {
                ps.setObject(1, instrumentId);
                ps.setObject(2, who.userId());
                ps.setTimestamp(3, Timestamp.from(now));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) >= rules.maxFutureBookings()) {
                        problems.add(refusal("requester", "too_many_future_bookings",
                                Map.of("max", rules.maxFutureBookings())));
                    }
                }
            }
        }
    }

    /**
     * The key of the transaction advisory lock on one instrument's calendar. Every transaction that
     * writes an active booking row of the instrument (insert, reschedule, approval, check-in) takes
     * it before that write. Without it, two transactions inserting overlapping slots each find the
     * other's uncommitted row while checking the exclusion constraint, each waits for the other,
     * and PostgreSQL aborts one as a deadlock (40P01) only after {@code deadlock_timeout}; under a
     * few hundred racing clients even five reruns were not always enough (a CI run answered 500).
     * With it, racers for one instrument queue, and the second finds the first's committed row: a
     * clean 23P01 and a 409. The exclusion constraints still decide what may overlap; the lock only
     * orders the contenders. Bookings of different instruments never wait for each other, and the
     * count of a user's future bookings read under the lock holds as before.
     */
    private static String slotLockKey(UUID instrumentId) {
        return SLOT_LOCK_PREFIX + instrumentId;
    }

    /** The prefix of {@link #slotLockKey}, followed by the instrument id as text. */
    private static final String SLOT_LOCK_PREFIX = "booking-slots:";

    /**
     * {@link #lockSlots} for the instrument of a booking (nothing when there is no such booking),
     * before the booking's row is locked: the order every writer keeps (calendar, then row), so an
     * approval and a reschedule of one booking cannot wait for each other in a cycle.
     */
    private static void lockSlotsOf(Connection c, UUID bookingId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select pg_advisory_xact_lock(hashtextextended("
                + "? || instrument_id::text, 0)) from booking where id = ?")) {
            ps.setString(1, SLOT_LOCK_PREFIX);
            ps.setObject(2, bookingId);
            ps.execute();
        }
    }

    /** Takes the advisory lock on the instrument's calendar ({@link #slotLockKey}) until the transaction ends. */
    private static void lockSlots(Connection c, UUID instrumentId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select pg_advisory_xact_lock(hashtextextended(?, 0))")) {
            ps.setString(1, slotLockKey(instrumentId));
            ps.execute();
        }
    }

    private static void blockProblem(@Nullable Instant blockedUntil, ZoneId zone, List<FieldProblem> problems) {
        if (blockedUntil != null) {
            problems.add(refusal("requester", "blocked_no_shows", Map.of("until", Booking.at(blockedUntil, zone).toString())));
        }
    }

    /**
     * The rules a slot must satisfy that need no count (and the requester's authorisation): false
     * when the slot is not even a range (end not after start), so nothing else is checked.
     */
    private boolean checkRules(Connection c, Requester who, UUID instrumentId, boolean bookable, BookingRules rules,
                               Instant start, Instant end, String rateGroup, boolean assisted, List<FieldProblem> problems)
            throws SQLException {
        Instant now = clock.now();
        ZoneId zone = ZoneId.of(rules.timeZone());
        if (!end.isAfter(start)) {
            problems.add(refusal("end", "end_before_start", Map.of()));
            return false;
        }
        long minutes = Duration.between(start, end).toMinutes();
        if (minutes < rules.minSlotMinutes()) {
            problems.add(refusal("end", "slot_too_short", Map.of("min", rules.minSlotMinutes())));
        } else if (minutes > rules.maxSlotMinutes()) {
            problems.add(refusal("end", "slot_too_long", Map.of("max", rules.maxSlotMinutes())));
        }
        if (start.isBefore(now.plus(Duration.ofMinutes(rules.minNoticeMinutes())))) {
            problems.add(refusal("start", "notice_too_short", Map.of("minutes", rules.minNoticeMinutes())));
        }
        if (start.isAfter(now.plus(Duration.ofDays(rules.horizonDays())))) {
            problems.add(refusal("start", "beyond_horizon", Map.of("days", rules.horizonDays())));
        }
        if (!SlotRules.withinHours(rules, zone, start, end)) {
            problems.add(refusal("start", "outside_hours", Map.of()));
        }
        SlotRules.closure(rules, zone, start, end).ifPresent(cl -> problems.add(refusal("start", "closed",
                Map.of("from", cl.from().toString(), "to", cl.to().toString(),
                        "reason", cl.reason() == null ? "" : cl.reason()))));
        if (rules.allowedRateGroups() != null && !rules.allowedRateGroups().contains(rateGroup)) {
            problems.add(refusal("rateGroup", "rate_group_not_allowed", Map.of("value", rateGroup)));
        }
        if (!bookable) {
            problems.add(refusal("instrumentId", "instrument_unavailable", Map.of()));
        }
        if (rules.qualificationRequired() && !assisted) {
            Optional<Qualifications.Authorisation> a = qualifications.find(c, instrumentId, who.userId());
            if (a.isEmpty()) {
                problems.add(refusal("requester", "not_authorised", Map.of()));
            } else if ("revoked".equals(a.get().state())) {
                problems.add(refusal("requester", "authorisation_revoked", Map.of()));
            } else if ("expired".equals(a.get().state())) {
                problems.add(refusal("requester", "authorisation_expired",
                        Map.of("days", rules.authorisationExpiryDays())));
            }
        }
        return true;
    }

    /** What {@link #prefetch} read for a new booking. */
    private record Prefetched(boolean bookable, InstrumentAccess access, BookingRules rules, Set<String> priceGroups,
                              @Nullable Instant blockedUntil) {
    }

    /**
     * The first statement of a new booking: takes the advisory lock on the instrument's calendar
     * ({@link #slotLockKey}: racers for one instrument queue instead of deadlocking in the exclusion
     * check, and the count of the user's future bookings read by the next statement holds) and the
     * key-share lock on the instrument row ({@link #lockInstrumentShared}), and reads whether it may be booked now, what the access decision needs (its unit chain and
     * sharing scope), the tenant's time zone, the rules, the rate groups with a machine-time price,
     * and a no-show block of the user. 404 when the bound tenant has no such instrument.
     */
    private Prefetched prefetch(Connection c, UUID instrumentId, UUID userId, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select i.status in ('in_service', 'idle') and i.archived_at is null, "
                + "i.org_unit_id, i.sharing_scope, "
                + "(with recursive up(id, parent_id, depth) as (select id, parent_id, 0 from org_unit where id = i.org_unit_id "
                + "union all select o.id, o.parent_id, up.depth + 1 from org_unit o join up on o.id = up.parent_id "
                + "where up.depth < 64) select array_agg(id order by depth) from up), "
                + BookingRulesService.TIME_ZONE_SQL + ", "
                + "(select array_agg(distinct p.rate_group_code) from instrument_price p where p.instrument_id = i.id "
                + "and p.service_id is null), "
                + "(select max(k.blocked_until) from booking_block k where k.instrument_id = i.id and k.user_id = ? "
                + "and k.blocked_until > ?), "
                + "pg_advisory_xact_lock(hashtextextended(?, 0))::text, "
                + BookingRulesService.RULE_COLUMNS + " "
                + "from instrument i left join booking_rules r on r.instrument_id = i.id "
                + "where i.id = ? for key share of i")) {
            ps.setObject(1, userId);
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setString(3, slotLockKey(instrumentId));
            ps.setObject(4, instrumentId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw ProblemException.notFound();
                }
                UUID unit = rs.getObject(2, UUID.class);
                java.sql.Array chainArray = rs.getArray(4);
                List<UUID> chain = new ArrayList<>();
                if (chainArray != null) {
                    for (Object o : (Object[]) chainArray.getArray()) {
                        chain.add((UUID) o);
                    }
                }
                String zone = rs.getString(5);
                java.sql.Array groupArray = rs.getArray(6);
                Set<String> groups = new HashSet<>();
                if (groupArray != null) {
                    for (Object o : (Object[]) groupArray.getArray()) {
                        groups.add((String) o);
                    }
                }
                Timestamp blocked = rs.getTimestamp(7);
                BookingRules rules = rulesService.read(rs, 9, instrumentId, zone == null ? "Asia/Shanghai" : zone);
                return new Prefetched(rs.getBoolean(1), new InstrumentAccess(instrumentId, unit, rs.getString(3),
                        List.copyOf(chain)), rules, groups, blocked == null ? null : blocked.toInstant());
            }
        }
    }

    /**
     * Key-share lock on the instrument row: bookings of one instrument do not block each other, but
     * a maintenance window being created (which locks the row for update) waits for them, and they
     * for it, so neither can miss the other. Returns whether the instrument may be booked now
     * (in service or idle, not archived).
     */
    private static boolean lockInstrumentShared(Connection c, UUID instrumentId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select status in ('in_service', 'idle') and archived_at is null "
                + "from instrument where id = ? for key share")) {
            ps.setObject(1, instrumentId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw ProblemException.notFound();
                }
                return rs.getBoolean(1);
            }
        }
    }

    private static void checkMaintenance(Connection c, UUID instrumentId, BookingRules rules, Instant start, Instant end)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select lower(period), upper(period) from maintenance_window "
                + "where instrument_id = ? and period && tstzrange(?, ?, '[)') order by lower(period) limit 1")) {
            ps.setObject(1, instrumentId);
            ps.setTimestamp(2, Timestamp.from(start));
            ps.setTimestamp(3, Timestamp.from(end));
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    ZoneId zone = ZoneId.of(rules.timeZone());
                    throw new SlotConflictException(new SlotConflictException.Conflict("maintenance",
                            Booking.at(rs, 1, zone), Booking.at(rs, 2, zone)));
                }
            }
        }
    }

    /** Reads the active booking in the way of a refused slot (a new transaction: the refused one is gone). */
    SlotConflictException conflict(TenantId tenant, UUID instrumentId, UUID userId, SlotTaken taken) {
        return conflict(tenant, instrumentId, userId, taken, null);
    }

    private SlotConflictException conflict(TenantId tenant, UUID instrumentId, UUID userId, SlotTaken taken,
                                           @Nullable UUID excluding) {
        return tenants.inTenant(tenant, c -> {
            ZoneId zone = ZoneId.of(BookingRulesService.timeZone(c));
            try (PreparedStatement ps = c.prepareStatement("select starts_at, ends_at from booking where instrument_id = ? "
                    + "and status in " + ACTIVE_SQL + " and (slot && tstzrange(?, ?, '[)') "
                    + "or (requester_user_id <> ? and blocked && tstzrange(?, ?, '[)'))) and (?::uuid is null or id <> ?) "
                    + "order by starts_at limit 1")) {
                ps.setObject(1, instrumentId);
                ps.setTimestamp(2, Timestamp.from(taken.start));
                ps.setTimestamp(3, Timestamp.from(taken.end));
                ps.setObject(4, userId);
                ps.setTimestamp(5, Timestamp.from(taken.start));
                ps.setTimestamp(6, Timestamp.from(taken.blockedUntil));
                ps.setObject(7, excluding);
                ps.setObject(8, excluding);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return new SlotConflictException(new SlotConflictException.Conflict("booking",
                                Booking.at(rs, 1, zone), Booking.at(rs, 2, zone)));
                    }
                }
            }
            return new SlotConflictException(new SlotConflictException.Conflict("booking", null, null));
        });
    }

    // ------------------------------------------------------------------ reads

    public Optional<Booking> find(TenantId tenant, UUID id) {
        return tenants.inTenant(tenant, c -> find(c, id, ZoneId.of(BookingRulesService.timeZone(c))));
    }

    static Optional<Booking> find(Connection c, UUID id, ZoneId zone) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + Booking.COLUMNS + " from booking where id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(Booking.read(rs, zone)) : Optional.empty();
            }
        }
    }

    private static Booking forUpdate(Connection c, UUID id, ZoneId zone) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + Booking.COLUMNS + " from booking where id = ? for update")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw ProblemException.notFound();
                }
                return Booking.read(rs, zone);
            }
        }
    }

    /** Bookings of an instrument overlapping [from, to); only {@code userId}'s when given. */
    public List<Booking> forInstrument(TenantId tenant, UUID instrumentId, @Nullable UUID userId, Instant from, Instant to) {
        return tenants.inTenant(tenant, c -> {
            ZoneId zone = ZoneId.of(BookingRulesService.timeZone(c));
            List<Booking> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select " + Booking.COLUMNS + " from booking "
                    + "where instrument_id = ? and (?::uuid is null or requester_user_id = ?) and starts_at < ? and ends_at > ? "
                    + "order by starts_at, id limit 2000")) {
                ps.setObject(1, instrumentId);
                ps.setObject(2, userId);
                ps.setObject(3, userId);
                ps.setTimestamp(4, Timestamp.from(to));
                ps.setTimestamp(5, Timestamp.from(from));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(Booking.read(rs, zone));
                    }
                }
            }
            return out;
        });
    }

    /** The user's bookings in the tenant overlapping [from, to). */
    public List<Booking> mine(TenantId tenant, UUID userId, Instant from, Instant to) {
        return tenants.inTenant(tenant, c -> {
            ZoneId zone = ZoneId.of(BookingRulesService.timeZone(c));
            List<Booking> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select " + Booking.COLUMNS + " from booking "
                    + "where requester_user_id = ? and starts_at < ? and ends_at > ? order by starts_at, id limit 2000")) {
                ps.setObject(1, userId);
                ps.setTimestamp(2, Timestamp.from(to));
                ps.setTimestamp(3, Timestamp.from(from));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(Booking.read(rs, zone));
                    }
                }
            }
            return out;
        });
    }

    /** Free/busy: active bookings (with their buffer) and maintenance windows overlapping [from, to). */
    public List<Busy> busy(TenantId tenant, UUID instrumentId, Instant from, Instant to) {
        return tenants.inTenant(tenant, c -> {
            ZoneId zone = ZoneId.of(BookingRulesService.timeZone(c));
            List<Busy> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select 'booking', starts_at, blocked_until, status from booking "
                    + "where instrument_id = ? and status in " + ACTIVE_SQL + " and starts_at < ? and blocked_until > ? "
                    + "union all select 'maintenance', lower(period), upper(period), null from maintenance_window "
                    + "where instrument_id = ? and period && tstzrange(?, ?, '[)') order by 2 limit 5000")) {
                ps.setObject(1, instrumentId);
                ps.setTimestamp(2, Timestamp.from(to));
                ps.setTimestamp(3, Timestamp.from(from));
                ps.setObject(4, instrumentId);
                ps.setTimestamp(5, Timestamp.from(from));
                ps.setTimestamp(6, Timestamp.from(to));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Busy(rs.getString(1), Booking.at(rs, 2, zone), Booking.at(rs, 3, zone),
                                "booking".equals(rs.getString(1)) && "requested".equals(rs.getString(4)) ? "tentative"
                                        : null));
                    }
                }
            }
            return out;
        });
    }

    // ------------------------------------------------------------------ state changes

    /** Staff approve a requested booking. */
    public Booking approve(TenantId tenant, Requester staff, UUID id, @Nullable String note) {
        return decide(tenant, staff, id, "approved", note);
    }

    /** Staff reject a requested booking; the slot is offered to the waitlist. */
    public Booking reject(TenantId tenant, Requester staff, UUID id, @Nullable String note) {
        return decide(tenant, staff, id, "rejected", note);
    }

    private Booking decide(TenantId tenant, Requester staff, UUID id, String status, @Nullable String note) {
        return tenants.inTenant(tenant, c -> {
            ZoneId zone = ZoneId.of(BookingRulesService.timeZone(c));
            if ("approved".equals(status)) {
                lockSlotsOf(c, id); // the updated row is checked against the exclusion constraints again
            }
            Booking b = forUpdate(c, id, zone);
            requireStatus(b, "requested");
            Instant now = clock.now();
            try (PreparedStatement ps = c.prepareStatement("update booking set status = ?, decided_by = ?, decided_at = ?, "
                    + "decision_note = ?, version = version + 1, updated_at = ? where id = ?")) {
                ps.setString(1, status);
                ps.setObject(2, staff.userId());
                ps.setTimestamp(3, Timestamp.from(now));
                ps.setString(4, blankToNull(note));
                ps.setTimestamp(5, Timestamp.from(now));
                ps.setObject(6, id);
                ps.executeUpdate();
            }
            Booking after = find(c, id, zone).orElseThrow();
            audit.append(c, staff.actor().entry("booking." + status, "booking", id.toString(),
                    Map.of("instrumentId", b.instrumentId().toString(), "note", note == null ? "" : note)));
            events.booking(c, status, after, null);
            if ("rejected".equals(status)) {
                offerNext(c, b.instrumentId(), b.startInstant(), b.endInstant(), b.id());
            }
            return after;
        });
    }

    /**
     * Cancels a requested or approved booking. Its requester may cancel until the rules'
     * cancellation deadline before the start; staff at any time. The freed slot is offered to the
     * first person waiting for it.
     */
    public Booking cancel(TenantId tenant, Requester who, UUID id, @Nullable String reason) {
        return tenants.inTenant(tenant, c -> {
            ZoneId zone = ZoneId.of(BookingRulesService.timeZone(c));
            Booking b = forUpdate(c, id, zone);
            requireStatus(b, "requested", "approved");
            BookingRules rules = rulesService.rules(c, b.instrumentId());
            Instant now = clock.now();
            requireBeforeDeadline(who, rules, b, now);
            try (PreparedStatement ps = c.prepareStatement("update booking set status = 'cancelled', cancelled_by = ?, "
                    + "cancelled_at = ?, decision_note = coalesce(?, decision_note), version = version + 1, "
                    + "updated_at = ? where id = ?")) {
                ps.setObject(1, who.userId());
                ps.setTimestamp(2, Timestamp.from(now));
                ps.setString(3, blankToNull(reason));
                ps.setTimestamp(4, Timestamp.from(now));
                ps.setObject(5, id);
                ps.executeUpdate();
            }
            Booking after = find(c, id, zone).orElseThrow();
            Map<String, Object> details = new HashMap<>();
            details.put("instrumentId", b.instrumentId().toString());
            details.put("by", who.userId().equals(b.requesterUserId()) ? "requester" : "staff");
            details.put("reason", reason == null ? "" : reason);
            audit.append(c, who.actor().entry("booking.cancelled", "booking", id.toString(), details));
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("cancelledBy", details.get("by"));
            events.booking(c, "cancelled", after, extra);
            offerNext(c, b.instrumentId(), b.startInstant(), b.endInstant(), b.id());
            return after;
        });
    }

    /** What {@link #cancelForHome} did. */
    public enum HomeCancel {
        /** the booking was active and is now cancelled */
        CANCELLED,
        /** the booking was already rejected, cancelled or marked a no-show: nothing to do */
        ALREADY_ENDED,
        /** the requester has checked in: the booking is in use and cannot be taken back */
        IN_USE,
        /** no such booking in the owner's data, or its requester's home is another tenant */
        NOT_FOUND
    }

    /**
     * The compensation of the cross-institution saga (docs/federation.md): the requester's home
     * institution refused the booking, so the owner cancels it, as the platform (no user acts: the
     * audit actor is the system, {@code cancelled_by} stays empty), whatever the cancellation
     * deadline, with the reason as the note; the requester is told, the staff too, and the freed
     * slot goes to the waitlist. Only the requester's home tenant may ask: a booking whose
     * {@code requester_tenant_id} is not {@code home} is {@link HomeCancel#NOT_FOUND}. Idempotent:
     * a booking that is no longer active is left alone.
     */
    public HomeCancel cancelForHome(TenantId owner, TenantId home, UUID id, String reason, String note) {
        return tenants.inTenantRetrying(owner, c -> {
            ZoneId zone = ZoneId.of(BookingRulesService.timeZone(c));
            Optional<Booking> found;
            try (PreparedStatement ps = c.prepareStatement("select " + Booking.COLUMNS + " from booking "
                    + "where id = ? and requester_tenant_id = ? for update")) {
                ps.setObject(1, id);
                ps.setObject(2, home.value());
                try (ResultSet rs = ps.executeQuery()) {
                    found = rs.next() ? Optional.of(Booking.read(rs, zone)) : Optional.empty();
                }
            }
            if (found.isEmpty()) {
                return HomeCancel.NOT_FOUND;
            }
            Booking b = found.get();
            if ("checked_in".equals(b.status())) {
                audit.append(c, AuditEntry.system("booking.home_cancel_refused", "booking", id.toString(),
                        Map.of("instrumentId", b.instrumentId().toString(), "reason", reason, "status", b.status())));
                return HomeCancel.IN_USE;
            }
            if (!"requested".equals(b.status()) && !"approved".equals(b.status())) {
                return HomeCancel.ALREADY_ENDED;
            }
            Instant now = clock.now();
            try (PreparedStatement ps = c.prepareStatement("update booking set status = 'cancelled', cancelled_by = null, "
                    + "cancelled_at = ?, decision_note = ?, version = version + 1, updated_at = ? where id = ?")) {
                ps.setTimestamp(1, Timestamp.from(now));
                ps.setString(2, note);
                ps.setTimestamp(3, Timestamp.from(now));
                ps.setObject(4, id);
                ps.executeUpdate();
            }
            Booking after = find(c, id, zone).orElseThrow();
            Map<String, Object> details = new HashMap<>();
            details.put("instrumentId", b.instrumentId().toString());
            details.put("by", "home");
            details.put("reason", reason);
            details.put("homeTenantId", home.toString());
            audit.append(c, AuditEntry.system("booking.cancelled", "booking", id.toString(), details));
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("cancelledBy", "home");
            extra.put("reason", reason);
            events.booking(c, "cancelled", after, extra);
            offerNext(c, b.instrumentId(), b.startInstant(), b.endInstant(), b.id());
            return HomeCancel.CANCELLED;
        });
    }

    private static void requireBeforeDeadline(Requester who, BookingRules rules, Booking b, Instant now) {
        if (!who.staff() && now.isAfter(b.startInstant().minus(Duration.ofHours(rules.cancellationDeadlineHours())))) {
            throw refused(List.of(refusal("start", "cancellation_deadline_passed",
                    Map.of("hours", rules.cancellationDeadlineHours()))));
        }
    }

    /**
     * Moves a requested or approved booking to a new slot: the same rules as a new booking, the
     * requester's cancellation deadline on the old slot, and the exclusion constraints. When the
     * rules want approval for this requester the booking is requested again.
     */
    public Booking reschedule(TenantId tenant, Requester who, UUID id, Instant start, Instant end) {
        Booking before = find(tenant, id).orElseThrow(ProblemException::notFound);
        try {
            return tenants.inTenantRetrying(tenant, c -> {
                ZoneId zone = ZoneId.of(BookingRulesService.timeZone(c));
                lockSlots(c, before.instrumentId());
                boolean bookable = lockInstrumentShared(c, before.instrumentId());
                Booking b = forUpdate(c, id, zone);
                requireStatus(b, "requested", "approved");
                BookingRules rules = rulesService.rules(c, b.instrumentId());
                Instant now = clock.now();
                requireBeforeDeadline(who, rules, b, now);
                List<FieldProblem> problems = new ArrayList<>();
                Requester owner = new Requester(b.requesterUserId(), new TenantId(b.requesterTenantId()), who.actor(),
                        who.staff());
                checkSlot(c, owner, b.instrumentId(), bookable, rules, start, end, b.rateGroup(), b.assisted(), b.id(), problems);
                if (!problems.isEmpty()) {
                    throw refused(problems);
                }
                checkMaintenance(c, b.instrumentId(), rules, start, end);
                boolean outside = !tenant.value().equals(b.requesterTenantId());
                String status = rules.needsApproval(outside, b.assisted()) && !who.staff() ? "requested" : b.status();
                Instant blockedUntil = end.plus(Duration.ofMinutes(rules.bufferMinutes()));
                try (PreparedStatement ps = c.prepareStatement("update booking set starts_at = ?, ends_at = ?, "
                        + "blocked_until = ?, status = ?, version = version + 1, updated_at = ? where id = ?")) {
                    ps.setTimestamp(1, Timestamp.from(start));
                    ps.setTimestamp(2, Timestamp.from(end));
                    ps.setTimestamp(3, Timestamp.from(blockedUntil));
                    ps.setString(4, status);
                    ps.setTimestamp(5, Timestamp.from(now));
                    ps.setObject(6, id);
                    ps.executeUpdate();
                } catch (SQLException e) {
                    if ("23P01".equals(e.getSQLState())) {
                        throw new SlotTaken(start, end, blockedUntil);
                    }
                    throw e;
                }
                Booking after = find(c, id, zone).orElseThrow();
                Map<String, Object> details = new HashMap<>();
                details.put("instrumentId", b.instrumentId().toString());
                details.put("previousStart", b.startInstant().toString());
                details.put("previousEnd", b.endInstant().toString());
                details.put("start", start.toString());
                details.put("end", end.toString());
                audit.append(c, who.actor().entry("booking.rescheduled", "booking", id.toString(), details));
                Map<String, Object> extra = new LinkedHashMap<>();
                extra.put("previousStart", b.startInstant().toString());
                extra.put("previousEnd", b.endInstant().toString());
                events.booking(c, "rescheduled", after, extra);
                offerNext(c, b.instrumentId(), b.startInstant(), b.endInstant(), b.id());
                return after;
            });
        } catch (SlotTaken taken) {
            throw conflict(tenant, before.instrumentId(), before.requesterUserId(), taken, id);
        }
    }

    /** The requester (or staff) checks in: from 15 minutes before the start until the end. Counts as use. */
    public Booking checkIn(TenantId tenant, Requester who, UUID id) {
        return tenants.inTenant(tenant, c -> {
            ZoneId zone = ZoneId.of(BookingRulesService.timeZone(c));
            lockSlotsOf(c, id); // the updated row is checked against the exclusion constraints again
            Booking b = forUpdate(c, id, zone);
            requireStatus(b, "approved");
            Instant now = clock.now();
            if (now.isBefore(b.startInstant().minus(CHECK_IN_EARLY)) || !now.isBefore(b.endInstant())) {
                throw refused(List.of(refusal("start", "check_in_window", Map.of("minutes", CHECK_IN_EARLY.toMinutes()))));
            }
            try (PreparedStatement ps = c.prepareStatement("update booking set status = 'checked_in', checked_in_at = ?, "
                    + "version = version + 1, updated_at = ? where id = ?")) {
                ps.setTimestamp(1, Timestamp.from(now));
                ps.setTimestamp(2, Timestamp.from(now));
                ps.setObject(3, id);
                ps.executeUpdate();
            }
            qualifications.touch(c, b.instrumentId(), b.requesterUserId(), now);
            Booking after = find(c, id, zone).orElseThrow();
            audit.append(c, who.actor().entry("booking.checked_in", "booking", id.toString(),
                    Map.of("instrumentId", b.instrumentId().toString())));
            events.booking(c, "checked_in", after, null);
            return after;
        });
    }

    /**
     * Staff mark an approved booking whose start has passed without a check-in as a no-show. When
     * the user's no-shows on the instrument since their last block reach the rules' threshold, the
     * user is blocked from booking it for {@code noShowBlockDays}.
     */
    public Booking noShow(TenantId tenant, Requester staff, UUID id) {
        return tenants.inTenant(tenant, c -> {
            ZoneId zone = ZoneId.of(BookingRulesService.timeZone(c));
            Booking b = forUpdate(c, id, zone);
            requireStatus(b, "approved");
            Instant now = clock.now();
            if (now.isBefore(b.startInstant())) {
                throw refused(List.of(refusal("start", "not_started", Map.of())));
            }
            try (PreparedStatement ps = c.prepareStatement("update booking set status = 'no_show', no_show_at = ?, "
                    + "version = version + 1, updated_at = ? where id = ?")) {
                ps.setTimestamp(1, Timestamp.from(now));
                ps.setTimestamp(2, Timestamp.from(now));
                ps.setObject(3, id);
                ps.executeUpdate();
            }
            BookingRules rules = rulesService.rules(c, b.instrumentId());
            long count;
            try (PreparedStatement ps = c.prepareStatement("select count(*) from booking where instrument_id = ? "
                    + "and requester_user_id = ? and status = 'no_show' and no_show_at > coalesce((select max(blocked_from) "
                    + "from booking_block where instrument_id = ? and user_id = ?), '-infinity'::timestamptz)")) {
                ps.setObject(1, b.instrumentId());
                ps.setObject(2, b.requesterUserId());
                ps.setObject(3, b.instrumentId());
                ps.setObject(4, b.requesterUserId());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    count = rs.getLong(1);
                }
            }
            Instant blockedUntil = null;
            if (count >= rules.noShowThreshold()) {
                blockedUntil = now.plus(Duration.ofDays(rules.noShowBlockDays()));
                try (PreparedStatement ps = c.prepareStatement("insert into booking_block (tenant_id, id, instrument_id, "
                        + "user_id, no_shows, blocked_from, blocked_until) values "
                        + "(app_tenant(), ?, ?, ?, ?, ?, ?)")) {
                    ps.setObject(1, UUID.randomUUID());
                    ps.setObject(2, b.instrumentId());
                    ps.setObject(3, b.requesterUserId());
                    ps.setLong(4, count);
                    ps.setTimestamp(5, Timestamp.from(now));
                    ps.setTimestamp(6, Timestamp.from(blockedUntil));
                    ps.executeUpdate();
                }
            }
            Booking after = find(c, id, zone).orElseThrow();
            Map<String, Object> details = new HashMap<>();
            details.put("instrumentId", b.instrumentId().toString());
            details.put("noShows", count);
            details.put("blockedUntil", blockedUntil == null ? "" : blockedUntil.toString());
            audit.append(c, staff.actor().entry("booking.no_show", "booking", id.toString(), details));
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("noShows", count);
            extra.put("blockedUntil", blockedUntil == null ? null : blockedUntil.toString());
            events.booking(c, "no_show", after, extra);
            return after;
        });
    }

    // ------------------------------------------------------------------ waitlist hand-over

    /**
     * Offers a freed slot to the first person waiting (oldest entry first) whose wanted slot
     * overlaps it and is now entirely free; the offer is open for the rules' waitlist offer period
     * (never beyond the wanted start).
     */
    void offerNext(Connection c, UUID instrumentId, Instant freedStart, Instant freedEnd, @Nullable UUID freedBooking)
            throws SQLException {
        Instant now = clock.now();
        UUID entry;
        UUID user;
        Instant start;
        Instant end;
        long version;
        try (PreparedStatement ps = c.prepareStatement("select w.id, w.user_id, w.starts_at, w.ends_at, w.version "
                + "from booking_waitlist w where w.instrument_id = ? and w.status = 'waiting' and w.starts_at < ? "
                + "and w.ends_at > ? and w.starts_at > ? and not exists (select 1 from booking b "
                + "where b.instrument_id = w.instrument_id and b.status in " + ACTIVE_SQL
                + " and b.slot && tstzrange(w.starts_at, w.ends_at, '[)')) "
                + "order by w.created_at, w.seq limit 1 for update of w skip locked")) {
            ps.setObject(1, instrumentId);
            ps.setTimestamp(2, Timestamp.from(freedEnd));
            ps.setTimestamp(3, Timestamp.from(freedStart));
            ps.setTimestamp(4, Timestamp.from(now));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return;
                }
                entry = rs.getObject(1, UUID.class);
                user = rs.getObject(2, UUID.class);
                start = rs.getTimestamp(3).toInstant();
                end = rs.getTimestamp(4).toInstant();
                version = rs.getLong(5) + 1;
            }
        }
        BookingRules rules = rulesService.rules(c, instrumentId);
        Instant expires = now.plus(Duration.ofMinutes(rules.waitlistOfferMinutes()));
        if (expires.isAfter(start)) {
            expires = start;
        }
        UUID offer = UUID.randomUUID();
        try (PreparedStatement ps = c.prepareStatement("insert into waitlist_offer (tenant_id, id, waitlist_id, "
                + "instrument_id, user_id, starts_at, ends_at, freed_booking_id, offered_at, expires_at) values "
                + "(app_tenant(), ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setObject(1, offer);
            ps.setObject(2, entry);
            ps.setObject(3, instrumentId);
            ps.setObject(4, user);
            ps.setTimestamp(5, Timestamp.from(start));
            ps.setTimestamp(6, Timestamp.from(end));
            ps.setObject(7, freedBooking);
            ps.setTimestamp(8, Timestamp.from(now));
            ps.setTimestamp(9, Timestamp.from(expires));
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("update booking_waitlist set status = 'offered', "
                + "version = ?, updated_at = ? where id = ?")) {
            ps.setLong(1, version);
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setObject(3, entry);
            ps.executeUpdate();
        }
        Map<String, Object> details = new HashMap<>();
        details.put("offerId", offer.toString());
        details.put("userId", user.toString());
        details.put("expiresAt", expires.toString());
        audit.append(c, AuditEntry.system("waitlist.offered", "waitlist_entry", entry.toString(), details));
        events.offered(c, offer, entry, version, instrumentId, user, start, end, expires, freedBooking);
    }

    // ------------------------------------------------------------------ helpers

    private static void requireStatus(Booking b, String... allowed) {
        for (String s : allowed) {
            if (s.equals(b.status())) {
                return;
            }
        }
        throw new ProblemException(HttpStatus.CONFLICT, "wrong_state", b.status());
    }

    static FieldProblem refusal(String field, String code, Map<String, Object> args) {
        return new FieldProblem(field, code, "booking.refusal." + code, args);
    }

    static ProblemException refused(List<FieldProblem> problems) {
        return new ProblemException(HttpStatus.UNPROCESSABLE_ENTITY, "booking_not_allowed", problems);
    }

    private static String blankToNull(@Nullable String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}

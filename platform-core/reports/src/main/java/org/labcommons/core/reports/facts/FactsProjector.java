package org.labcommons.core.reports.facts;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.labcommons.core.directory.TenantRows;
import org.labcommons.core.events.EventEnvelope;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The handler of the consumer {@code reports.facts}: turns one event into the new contribution of its source and
 * lets {@link FactLedger} replace the old one by a delta. Per source the highest {@code aggregateVersion} wins: an
 * older or equal version changes nothing (the kernel's processed_event already drops a redelivered event id).
 * <ul>
 *   <li>{@code usage.session.*} (measured, source {@code device}): effective minutes of a closed session on its
 *       start day; open 0; superseded 0;</li>
 *   <li>{@code usage.recorded} (staff records): effective minutes only while no measured session of its booking is
 *       known (a session arriving later takes the record's minutes out by a delta, and gives them back when
 *       superseded);</li>
 *   <li>{@code booking.*}: booked minutes of an approved, checked-in or no-show booking on its start day; its user
 *       class and account code (the project) also classify its sessions and records;</li>
 *   <li>{@code sample.*}: samples of a request once received (received, in progress, results ready, closed), on the
 *       day it was first counted; withdrawn, cancelled or rejected: 0;</li>
 *   <li>{@code charge.*}: the charge's amount (fen, the sum of its items) on its service start day;</li>
 *   <li>{@code qualification.granted}: the user is a trainee of the instrument in that month.</li>
 * </ul>
 * Days are the tenant's ({@code tenant.time_zone}).
 */
@Singleton
public class FactsProjector {
    private static final Set<String> BOOKED = Set.of("approved", "checked_in", "no_show");
    private static final Set<String> RECEIVED = Set.of("received", "in_progress", "results_ready", "closed");

    private final FactRows rows;
    private final FactLedger ledger;
    private final TenantRows tenants;
    private final Map<UUID, ZoneId> zones = new ConcurrentHashMap<>();

    public FactsProjector(FactRows rows, FactLedger ledger, TenantRows tenants) {
        this.rows = rows;
        this.ledger = ledger;
        this.tenants = tenants;
    }

    /** Dispatches by event type; other types change nothing. */
    public void handle(Connection c, EventEnvelope e) {
        Map<String, Object> p = e.payload();
        String type = e.type();
        if (type.startsWith("usage.session.")) {
            session(e, p);
        } else if ("usage.recorded".equals(type)) {
            record(e, p);
        } else if ("qualification.granted".equals(type)) {
            rows.trainee(uuid(p, "instrumentId"), day(e.tenantId(), e.occurredAt()).withDayOfMonth(1), uuid(p, "userId"));
        } else if (type.startsWith("booking.")) {
            booking(e, p);
        } else if (type.startsWith("sample.")) {
            sample(e, p);
        } else if (type.startsWith("charge.")) {
            charge(e, p);
        }
    }

    private void session(EventEnvelope e, Map<String, Object> p) {
        String source = text(p, "source");
        if (source != null && !"device".equals(source)) {
            return;   // only measured sessions; a booked-time estimate is no effective use
        }
        UUID id = uuid(p, "id");
        UUID booking = uuid(p, "bookingId");
        lock(booking);
        FactRows.Stored old = rows.source("session", id).orElse(null);
        if (old != null && e.aggregateVersion() <= old.version()) {
            return;
        }
        String status = text(p, "status");
        FactRows.Stored b = booking == null ? null : rows.source("booking", booking).orElse(null);
        boolean holds = !"superseded".equals(status);
        long minutes = "closed".equals(status) ? number(p, "minutes") : 0;
        UUID user = uuid(p, "userId") != null ? uuid(p, "userId") : b == null ? null : b.userId();
        Contribution next = new Contribution(uuid(p, "instrumentId"), day(e.tenantId(), instant(p, "start")),
                b == null ? "internal" : b.userClass(), b == null ? Contribution.serviceType("internal") : b.serviceType(),
                user, b == null ? null : b.project(), booking, minutes, holds ? minutes : 0, 0, 0, 0, holds);
        ledger.replace("session", id, e.aggregateVersion(), old, next);
        if (old != null && old.bookingId() != null && !old.bookingId().equals(booking)) {
            lock(old.bookingId());   // a session moved to another booking (rare; a deadlock here is retried)
            basis(old.bookingId());
        }
        if (booking != null) {
            basis(booking);
        }
    }

    private void record(EventEnvelope e, Map<String, Object> p) {
        UUID id = uuid(p, "id");
        UUID booking = uuid(p, "bookingId");
        lock(booking);
        FactRows.Stored old = rows.source("record", id).orElse(null);
        if (old != null && e.aggregateVersion() <= old.version()) {
            return;
        }
        FactRows.Stored b = booking == null ? null : rows.source("booking", booking).orElse(null);
        Instant start = instant(p, "start");
        long minutes = p.get("minutes") instanceof Number n ? n.longValue()
                : Duration.between(start, instant(p, "end")).toMinutes();
        long effective = booking != null && rows.measured(booking) ? 0 : minutes;
        UUID user = uuid(p, "userId") != null ? uuid(p, "userId") : b == null ? null : b.userId();
        ledger.replace("record", id, e.aggregateVersion(), old, new Contribution(uuid(p, "instrumentId"),
                day(e.tenantId(), start), b == null ? "internal" : b.userClass(),
                b == null ? Contribution.serviceType("internal") : b.serviceType(), user, b == null ? null : b.project(),
                booking, minutes, effective, 0, 0, 0, false));
    }

    /** The basis rule for a booking's staff records: their minutes count only while no measured session is known. */
    private void basis(UUID booking) {
        boolean measured = rows.measured(booking);
        for (FactRows.Stored s : rows.ofBooking(booking)) {
            if ("record".equals(s.kind())) {
                ledger.replace(s.kind(), s.sourceId(), s.version(), s,
                        Contribution.of(s).withEffective(measured ? 0 : s.rawMin()));
            }
        }
    }

    private void booking(EventEnvelope e, Map<String, Object> p) {
        UUID id = uuid(p, "id");
        lock(id);
        FactRows.Stored old = rows.source("booking", id).orElse(null);
        if (old != null && e.aggregateVersion() <= old.version()) {
            return;
        }
        String userClass = Contribution.userClass(e.tenantId(), uuid(p, "requesterTenantId"), text(p, "rateGroup"));
        String serviceType = Contribution.serviceType(userClass);
        Instant start = instant(p, "start");
        long minutes = start == null || instant(p, "end") == null ? 0
                : Duration.between(start, instant(p, "end")).toMinutes();
        long booked = BOOKED.contains(text(p, "status")) ? minutes : 0;
        UUID user = uuid(p, "requesterUserId");
        String project = project(text(p, "accountCode"));
        ledger.replace("booking", id, e.aggregateVersion(), old, new Contribution(uuid(p, "instrumentId"),
                day(e.tenantId(), start), userClass, serviceType, user, project, null, minutes, 0, booked, 0, 0, false));
        // the booking classifies its sessions and records (which may have come first)
        for (FactRows.Stored s : rows.ofBooking(id)) {
            Contribution now = Contribution.of(s).withClass(userClass, serviceType, project,
                    s.userId() != null ? s.userId() : user);
            ledger.replace(s.kind(), s.sourceId(), s.version(), s, now);
        }
    }

    private void sample(EventEnvelope e, Map<String, Object> p) {
        UUID id = uuid(p, "id");
        FactRows.Stored old = rows.source("sample", id).orElse(null);
        if (old != null && e.aggregateVersion() <= old.version()) {
            return;
        }
        boolean received = RECEIVED.contains(text(p, "status"));
        Instant at = instant(p, "at") != null ? instant(p, "at") : e.occurredAt();
        LocalDate day = old != null && old.day() != null ? old.day() : received ? day(e.tenantId(), at) : null;
        String userClass = Contribution.userClass(e.tenantId(), uuid(p, "requesterTenantId"), text(p, "rateGroup"));
        ledger.replace("sample", id, e.aggregateVersion(), old, new Contribution(uuid(p, "instrumentId"), day,
                userClass, Contribution.serviceType(userClass), uuid(p, "requesterUserId"),
                project(text(p, "accountCode")), null, 0, 0, 0, received ? number(p, "sampleCount") : 0, 0, false));
    }

    private void charge(EventEnvelope e, Map<String, Object> p) {
        UUID id = uuid(p, "id");
        FactRows.Stored old = rows.source("charge", id).orElse(null);
        if (old != null && e.aggregateVersion() <= old.version()) {
            return;
        }
        String userClass = Contribution.userClass(e.tenantId(), uuid(p, "requesterTenantId"), text(p, "rateGroup"));
        ledger.replace("charge", id, e.aggregateVersion(), old, new Contribution(uuid(p, "instrumentId"),
                day(e.tenantId(), instant(p, "serviceStart")), userClass, Contribution.serviceType(userClass),
                uuid(p, "userId"), project(text(p, "accountCode")), null, 0, 0, 0, 0, number(p, "amountFen"), false));
    }

    private void lock(@Nullable UUID booking) {
        if (booking != null) {
            rows.lockBooking(booking.toString());
        }
    }

    /** The tenant-zone day of an instant (null stays null). */
    LocalDate day(UUID tenant, @Nullable Instant at) {
        if (at == null) {
            return null;
        }
        ZoneId zone = zones.computeIfAbsent(tenant, t -> tenants.findById(t)
                .map(r -> ZoneId.of(r.timeZone())).orElse(ZoneId.of("Asia/Shanghai")));
        return at.atZone(zone).toLocalDate();
    }

    private static String project(@Nullable String accountCode) {
        return accountCode == null || accountCode.isBlank() ? null : accountCode.strip();
    }

    private static String text(Map<String, Object> p, String key) {
        Object v = p.get(key);
        return v == null ? null : v.toString();
    }

    private static UUID uuid(Map<String, Object> p, String key) {
        String v = text(p, key);
        return v == null || v.isBlank() ? null : UUID.fromString(v);
    }

    private static long number(Map<String, Object> p, String key) {
        Object v = p.get(key);
        if (v instanceof Long || v instanceof Integer || v instanceof Short) {
            return ((Number) v).longValue();
        }   // integers in the events; anything else (a decimal) rounds half up to a whole minute, sample or fen
        return v == null ? 0 : new java.math.BigDecimal(v.toString()).setScale(0, java.math.RoundingMode.HALF_UP).longValue();
    }

    private static Instant instant(Map<String, Object> p, String key) {
        String v = text(p, key);
        return v == null ? null : Instant.parse(v);
    }
}

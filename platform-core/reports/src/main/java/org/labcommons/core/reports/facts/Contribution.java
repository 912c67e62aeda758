package org.labcommons.core.reports.facts;

import io.micronaut.core.annotation.Nullable;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * What one source (a session, a staff record, a booking, a sample request, a charge) contributes to the rollups now:
 * on {@code day} (the tenant's zone; null: nothing yet) for an instrument, user class and service type; its user and
 * project join the month's sets while it contributes anything ({@link #counts()}).
 *
 * @param rawMin the source's own minutes (a staff record's count only while no measured session of its booking
 *               exists: "measured sessions, else staff records")
 */
public record Contribution(UUID instrumentId, @Nullable LocalDate day, String userClass, String serviceType,
                           @Nullable UUID userId, @Nullable String project, @Nullable UUID bookingId, long rawMin,
                           long effectiveMin, long bookedMin, long samples, long revenueFen, boolean measured) {
    /** The user classes: the instrument's own institution, another member of the consortium, outside it. */
    public static final List<String> USER_CLASSES = List.of("internal", "consortium", "external");
    /** The service types (CERS's ShareEffect). */
    public static final List<String> SERVICE_TYPES = List.of("teaching", "research", "service", "open");

    /** Whether it puts anything into the rollups (and so its user and project into the month's sets). */
    public boolean counts() {
        return day != null && (effectiveMin != 0 || bookedMin != 0 || samples != 0 || revenueFen != 0);
    }

    /** The first day of its month. */
    public LocalDate month() {
        return day == null ? null : day.withDayOfMonth(1);
    }

    static Contribution of(FactRows.Stored s) {
        return new Contribution(s.instrumentId(), s.day(), s.userClass(), s.serviceType(), s.userId(), s.project(),
                s.bookingId(), s.rawMin(), s.effectiveMin(), s.bookedMin(), s.samples(), s.revenueFen(), s.measured());
    }

    Contribution withClass(String userClass, String serviceType, @Nullable String project, @Nullable UUID userId) {
        return new Contribution(instrumentId, day, userClass, serviceType, userId, project, bookingId, rawMin,
                effectiveMin, bookedMin, samples, revenueFen, measured);
    }

    Contribution withEffective(long effectiveMin) {
        return new Contribution(instrumentId, day, userClass, serviceType, userId, project, bookingId, rawMin,
                effectiveMin, bookedMin, samples, revenueFen, measured);
    }

    /**
     * The user class of a requester: {@code external} when the rate group says so; {@code consortium} when the
     * requester's home tenant is another member (or the rate group is {@code consortium}); else {@code internal}
     * (no home known: a person with a card or login of the instrument's institution).
     */
    static String userClass(UUID instrumentTenant, @Nullable UUID homeTenant, @Nullable String rateGroup) {
        if ("external".equals(rateGroup)) {
            return "external";
        }
        if ((homeTenant != null && !homeTenant.equals(instrumentTenant)) || "consortium".equals(rateGroup)) {
            return "consortium";
        }
        return "internal";
    }

    /**
     * The service type when no purpose is recorded (the events carry none yet): {@code research} for internal users,
     * {@code service} for consortium members and external users. {@code teaching} and {@code open} come with a
     * purpose in booking.v1 and sample.v1 (docs/reports.md).
     */
    static String serviceType(String userClass) {
        return "internal".equals(userClass) ? "research" : "service";
    }
}

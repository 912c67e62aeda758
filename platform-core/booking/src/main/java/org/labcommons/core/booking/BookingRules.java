package org.labcommons.core.booking;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The booking rules of one instrument (docs/booking.md). {@code weeklyHours} maps a weekday
 * ({@code monday} … {@code sunday}) to the intervals that may be booked, in the tenant's time zone
 * ({@code timeZone}); {@code closures} are local date ranges (inclusive) that may not be booked.
 * {@code custom} is false while the instrument uses the defaults.
 */
@Serdeable
public record BookingRules(@Nullable UUID instrumentId, String timeZone, boolean custom, long version,
                           Map<String, List<Interval>> weeklyHours, List<Closure> closures,
                           int minSlotMinutes, int maxSlotMinutes, int horizonDays, int minNoticeMinutes,
                           int bufferMinutes, int maxFutureBookings, @Nullable List<String> allowedRateGroups,
                           String approvalPolicy, int cancellationDeadlineHours, int noShowThreshold,
                           int noShowBlockDays, boolean qualificationRequired,
                           int authorisationExpiryDays, int waitlistOfferMinutes) {

    public static final List<String> WEEKDAYS =
            List.of("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday");
    public static final List<String> APPROVAL_POLICIES = List.of("never", "outside_users", "always");

    /** A bookable interval of a day, {@code HH:mm}; {@code to} may be {@code 24:00}. */
    @Serdeable
    public record Interval(String from, String to) {
        /** Minutes after midnight of {@code from}. */
        public int fromMinutes() {
            return minutes(from);
        }

        /** Minutes after midnight of {@code to} (1440 for 24:00). */
        public int toMinutes() {
            return minutes(to);
        }

        static int minutes(String hhmm) {
            if ("24:00".equals(hhmm)) {
                return 1440;
            }
            LocalTime t = LocalTime.parse(hhmm);
            return t.getHour() * 60 + t.getMinute();
        }
    }

    /** Closed from {@code from} to {@code to}, both local dates included. */
    @Serdeable
    public record Closure(LocalDate from, LocalDate to, @Nullable String reason) {
    }

    /** The rules of an instrument nobody has set rules for. */
    public static BookingRules defaults(@Nullable UUID instrumentId, String timeZone) {
        Map<String, List<Interval>> hours = new LinkedHashMap<>();
        for (String day : WEEKDAYS) {
            hours.put(day, day.startsWith("s") ? List.of() : List.of(new Interval("08:00", "20:00")));
        }
        return new BookingRules(instrumentId, timeZone, false, 0, hours, List.of(), 30, 480, 60, 60, 0, 10, null,
                "outside_users", 24, 3, 30, true, 180, 120);
    }

    /** Whether a booking by a user of {@code requesterTenant} needs staff approval. */
    public boolean needsApproval(boolean outsideUser, boolean assisted) {
        return switch (approvalPolicy) {
            case "always" -> true;
            case "outside_users" -> outsideUser || assisted;
            default -> assisted;
        };
    }
}

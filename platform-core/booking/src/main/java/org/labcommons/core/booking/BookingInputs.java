package org.labcommons.core.booking;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.UUID;

/** Request bodies of the booking API. Times are ISO-8601 with an offset ({@code 2026-03-02T09:00:00+08:00}). */
public final class BookingInputs {
    private BookingInputs() {
    }

    /**
     * A booking or waitlist request. {@code onBehalfOf}: staff book for this user (the booking's
     * requester); only on {@code POST …/bookings}, only for the instrument's staff.
     */
    @Serdeable
    public record BookingRequest(@NotNull OffsetDateTime start, @NotNull OffsetDateTime end,
                                 @Nullable @Size(min = 1, max = 64) String accountCode,
                                 @Nullable @Pattern(regexp = "^[a-z][a-z0-9_]{1,31}$") String rateGroup,
                                 @Nullable Boolean assisted, @Nullable @Size(max = 1000) String purpose,
                                 @Nullable UUID onBehalfOf) {
        @io.micronaut.core.annotation.Creator
        public BookingRequest {
        }

        /** A request for oneself. */
        public BookingRequest(OffsetDateTime start, OffsetDateTime end, @Nullable String accountCode,
                              @Nullable String rateGroup, @Nullable Boolean assisted, @Nullable String purpose) {
            this(start, end, accountCode, rateGroup, assisted, purpose, null);
        }

        BookingService.NewBooking toNew() {
            return new BookingService.NewBooking(start.toInstant(), end.toInstant(), accountCode, rateGroup,
                    Boolean.TRUE.equals(assisted), purpose);
        }
    }

    /** A weekly series: the first occurrence and how many (1–52). */
    @Serdeable
    public record RecurringRequest(@NotNull OffsetDateTime start, @NotNull OffsetDateTime end,
                                   @NotNull @Min(1) @Max(52) Integer occurrences,
                                   @Nullable @Size(min = 1, max = 64) String accountCode,
                                   @Nullable @Pattern(regexp = "^[a-z][a-z0-9_]{1,31}$") String rateGroup,
                                   @Nullable Boolean assisted, @Nullable @Size(max = 1000) String purpose) {
        BookingService.NewBooking first() {
            return new BookingService.NewBooking(start.toInstant(), end.toInstant(), accountCode, rateGroup,
                    Boolean.TRUE.equals(assisted), purpose);
        }
    }

    @Serdeable
    public record Reschedule(@NotNull OffsetDateTime start, @NotNull OffsetDateTime end) {
    }

    /** A note with a decision (approve, reject) or a reason (cancel). */
    @Serdeable
    public record Note(@Nullable @Size(max = 1000) String note) {
    }

    /** Why staff overturn a no-show (required). */
    @Serdeable
    public record Overturn(@NotBlank @Size(max = 1000) String reason) {
    }

    @Serdeable
    public record UsageInput(@NotNull OffsetDateTime start, @NotNull OffsetDateTime end,
                             @Nullable @Size(max = 2000) String notes) {
    }

    @Serdeable
    public record TrainingInput(@NotNull UUID userId, @NotNull LocalDate trainedOn,
                                @Nullable @Size(max = 2000) String notes, @Nullable Boolean authorise,
                                @Nullable @Size(max = 2000) String authorisationNote) {
    }

    @Serdeable
    public record AuthorisationInput(@Nullable @Size(max = 2000) String note) {
    }

    @Serdeable
    public record MaintenanceInput(@NotNull OffsetDateTime start, @NotNull OffsetDateTime end,
                                   @Nullable @Size(max = 500) String reason) {
    }
}

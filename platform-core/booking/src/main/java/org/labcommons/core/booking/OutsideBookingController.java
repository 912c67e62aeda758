package org.labcommons.core.booking;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.Status;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.validation.Validated;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.AuthenticatedUser;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Booking at another institution, {tenant} being its id or slug; the caller acts in its home
 * tenant. Rules of who may do what: {@link OutsideBookings}. The answers are the same as on the
 * institution's own routes (a booking, 409 {@code slot_conflict}, field problems for rules).
 */
@Controller("/api/v1/federation/{tenant}")
@RequiresRole(PlatformRole.CORE)
@ExecuteOn(TaskExecutors.BLOCKING)
@Validated
public class OutsideBookingController {
    private final OutsideBookings outside;
    private final BookingAccess access;

    public OutsideBookingController(OutsideBookings outside, BookingAccess access) {
        this.outside = outside;
        this.access = access;
    }

    @Operation(summary = "Read another institution's booking rules for an instrument")
    @Get("/instruments/{id}/booking-rules")
    public BookingRules rules(AuthenticatedUser user, @PathVariable String tenant, @PathVariable UUID id) {
        return outside.rules(user, tenant, id);
    }

    /** Free/busy of the instrument (who booked is never shown). */
    @Operation(summary = "Read the free/busy times of another institution's instrument")
    @Get("/instruments/{id}/busy")
    public InstrumentBookingController.Items<BookingService.Busy> busy(AuthenticatedUser user, @PathVariable String tenant,
                                                                       @PathVariable UUID id,
                                                                       @Nullable @QueryValue OffsetDateTime from,
                                                                       @Nullable @QueryValue OffsetDateTime to) {
        Instant[] w = access.window(from, to);
        return new InstrumentBookingController.Items<>(outside.busy(user, tenant, id, w[0], w[1]));
    }

    @Operation(summary = "Book another institution's instrument")
    @Status(HttpStatus.CREATED)
    @Post("/instruments/{id}/bookings")
    public HttpResponse<Booking> book(AuthenticatedUser user, @PathVariable String tenant, @PathVariable UUID id,
                                      @Body @Valid BookingInputs.BookingRequest input) {
        return HttpResponse.created(outside.create(user, tenant, id, input.toNew()));
    }

    @Operation(summary = "Join the waitlist of another institution's instrument")
    @Status(HttpStatus.CREATED)
    @Post("/instruments/{id}/waitlist")
    public HttpResponse<Waitlist.Entry> joinWaitlist(AuthenticatedUser user, @PathVariable String tenant,
                                                     @PathVariable UUID id, @Body @Valid BookingInputs.BookingRequest input) {
        return HttpResponse.created(outside.joinWaitlist(user, tenant, id, input.toNew()));
    }

    /** The caller's bookings at this institution. */
    @Operation(summary = "List the caller's bookings at another institution")
    @Get("/bookings")
    public InstrumentBookingController.Items<Booking> mine(AuthenticatedUser user, @PathVariable String tenant,
                                                           @Nullable @QueryValue OffsetDateTime from,
                                                           @Nullable @QueryValue OffsetDateTime to) {
        Instant[] w = access.window(from, to);
        return new InstrumentBookingController.Items<>(outside.mine(user, tenant, w[0], w[1]));
    }

    @Operation(summary = "Read one booking at another institution")
    @Get("/bookings/{id}")
    public Booking get(AuthenticatedUser user, @PathVariable String tenant, @PathVariable UUID id) {
        return outside.booking(user, tenant, id);
    }

    @Operation(summary = "Cancel a booking at another institution")
    @Post("/bookings/{id}/cancel")
    public Booking cancel(AuthenticatedUser user, @PathVariable String tenant, @PathVariable UUID id,
                          @Nullable @Body @Valid BookingInputs.Note note) {
        return outside.cancel(user, tenant, id, note == null ? null : note.note());
    }

    @Operation(summary = "Move a booking at another institution")
    @Post("/bookings/{id}/reschedule")
    public Booking reschedule(AuthenticatedUser user, @PathVariable String tenant, @PathVariable UUID id,
                              @Body @Valid BookingInputs.Reschedule input) {
        return outside.reschedule(user, tenant, id, input.start().toInstant(),
                input.end().toInstant());
    }

    @Operation(summary = "Check in to a booking at another institution")
    @Post("/bookings/{id}/check-in")
    public Booking checkIn(AuthenticatedUser user, @PathVariable String tenant, @PathVariable UUID id) {
        return outside.checkIn(user, tenant, id);
    }
}

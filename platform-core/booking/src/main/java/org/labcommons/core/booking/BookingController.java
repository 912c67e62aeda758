package org.labcommons.core.booking;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
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
 * One booking of the caller's acting tenant and what can happen to it, the caller's own bookings,
 * and the caller's waitlist entries and offers. Who may do what: {@link BookingAccess}.
 */
@Controller("/api/v1")
@RequiresRole(PlatformRole.CORE)
@ExecuteOn(TaskExecutors.BLOCKING)
@Validated
public class BookingController {
    private final BookingAccess access;
    private final BookingService bookings;
    private final UsageRecords usage;
    private final Waitlist waitlist;

    public BookingController(BookingAccess access, BookingService bookings, UsageRecords usage, Waitlist waitlist) {
        this.access = access;
        this.bookings = bookings;
        this.usage = usage;
        this.waitlist = waitlist;
    }

    /** The caller's own bookings in the acting tenant. */
    @Operation(summary = "List the caller's own bookings")
    @Get("/bookings")
    public InstrumentBookingController.Items<Booking> mine(AuthenticatedUser user,
                                                           @Nullable @QueryValue OffsetDateTime from,
                                                           @Nullable @QueryValue OffsetDateTime to) {
        Instant[] w = access.window(from, to);
        return new InstrumentBookingController.Items<>(bookings.mine(user.actingTenant(), user.userId(), w[0], w[1]));
    }

    @Operation(summary = "Read one booking")
    @Get("/bookings/{id}")
    public Booking get(AuthenticatedUser user, @PathVariable UUID id) {
        return access.booking(user, id).booking();
    }

    @Operation(summary = "Approve a pending booking")
    @Post("/bookings/{id}/approve")
    public Booking approve(AuthenticatedUser user, @PathVariable UUID id, @Nullable @Body @Valid BookingInputs.Note note) {
        access.staffBooking(user, id);
        return bookings.approve(user.actingTenant(), BookingAccess.requester(user, true), id, note == null ? null : note.note());
    }

    @Operation(summary = "Reject a pending booking")
    @Post("/bookings/{id}/reject")
    public Booking reject(AuthenticatedUser user, @PathVariable UUID id, @Nullable @Body @Valid BookingInputs.Note note) {
        access.staffBooking(user, id);
        return bookings.reject(user.actingTenant(), BookingAccess.requester(user, true), id, note == null ? null : note.note());
    }

    @Operation(summary = "Cancel a booking")
    @Post("/bookings/{id}/cancel")
    public Booking cancel(AuthenticatedUser user, @PathVariable UUID id, @Nullable @Body @Valid BookingInputs.Note note) {
        BookingAccess.Seen seen = access.booking(user, id);
        return bookings.cancel(user.actingTenant(), BookingAccess.requester(user, seen.staff()), id,
                note == null ? null : note.note());
    }

    @Operation(summary = "Move a booking to another time")
    @Post("/bookings/{id}/reschedule")
    public Booking reschedule(AuthenticatedUser user, @PathVariable UUID id, @Body @Valid BookingInputs.Reschedule input) {
        BookingAccess.Seen seen = access.booking(user, id);
        return bookings.reschedule(user.actingTenant(), BookingAccess.requester(user, seen.staff()), id,
                input.start().toInstant(), input.end().toInstant());
    }

    @Operation(summary = "Check in to a booking")
    @Post("/bookings/{id}/check-in")
    public Booking checkIn(AuthenticatedUser user, @PathVariable UUID id) {
        BookingAccess.Seen seen = access.booking(user, id);
        return bookings.checkIn(user.actingTenant(), BookingAccess.requester(user, seen.staff()), id);
    }

    @Operation(summary = "Mark a booking as a no-show")
    @Post("/bookings/{id}/no-show")
    public Booking noShow(AuthenticatedUser user, @PathVariable UUID id) {
        access.staffBooking(user, id);
        return bookings.noShow(user.actingTenant(), BookingAccess.requester(user, true), id);
    }

    @Operation(summary = "Overturn a no-show (staff, with a reason): the booking is approved again and the block it caused lifted")
    @Post("/bookings/{id}/no-show/overturn")
    public Booking overturnNoShow(AuthenticatedUser user, @PathVariable UUID id, @Body @Valid BookingInputs.Overturn input) {
        access.staffBooking(user, id);
        return bookings.overturnNoShow(user.actingTenant(), BookingAccess.requester(user, true), id, input.reason());
    }

    @Operation(summary = "Read the usage recorded for a booking")
    @Get("/bookings/{id}/usage")
    public InstrumentBookingController.Items<UsageRecords.UsageRecord> usage(AuthenticatedUser user, @PathVariable UUID id) {
        access.booking(user, id);
        return new InstrumentBookingController.Items<>(usage.forBooking(user.actingTenant(), id));
    }

    @Operation(summary = "Record the usage of a booking")
    @Status(HttpStatus.CREATED)
    @Post("/bookings/{id}/usage")
    public HttpResponse<UsageRecords.UsageRecord> recordUsage(AuthenticatedUser user, @PathVariable UUID id,
                                                              @Body @Valid BookingInputs.UsageInput input) {
        access.staffBooking(user, id);
        return HttpResponse.created(usage.record(user.actingTenant(), BookingAccess.requester(user, true), id,
                input.start().toInstant(), input.end().toInstant(), input.notes()));
    }

    // ---- waitlist

    @Operation(summary = "List the caller's waitlist entries")
    @Get("/waitlist")
    public InstrumentBookingController.Items<Waitlist.Entry> myWaitlist(AuthenticatedUser user) {
        return new InstrumentBookingController.Items<>(waitlist.mine(user.actingTenant(), user.userId()));
    }

    @Operation(summary = "Leave a waitlist")
    @Delete("/waitlist/{entryId}")
    public HttpResponse<Void> withdraw(AuthenticatedUser user, @PathVariable UUID entryId) {
        waitlist.withdraw(user.actingTenant(), BookingAccess.requester(user, false), entryId);
        return HttpResponse.noContent();
    }

    @Operation(summary = "Accept a waitlist offer (books the slot)")
    @Status(HttpStatus.CREATED)
    @Post("/waitlist/offers/{offerId}/accept")
    public HttpResponse<Booking> accept(AuthenticatedUser user, @PathVariable UUID offerId) {
        return HttpResponse.created(waitlist.accept(user.actingTenant(), BookingAccess.requester(user, false), offerId));
    }

    @Operation(summary = "Decline a waitlist offer")
    @Post("/waitlist/offers/{offerId}/decline")
    public HttpResponse<Void> decline(AuthenticatedUser user, @PathVariable UUID offerId) {
        waitlist.decline(user.actingTenant(), BookingAccess.requester(user, false), offerId);
        return HttpResponse.noContent();
    }
}

package org.labcommons.core.booking;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.Status;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.validation.Validated;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import org.labcommons.core.catalog.CatalogueAccess;
import org.labcommons.core.problem.Problem;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.Problems;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.AuthenticatedUser;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Booking on one instrument of the caller's acting tenant: its rules, training and authorisation,
 * maintenance windows, bookings (single and weekly), free/busy and the waitlist. Who may do what:
 * {@link BookingAccess}.
 */
@Controller("/api/v1/instruments/{id}")
@RequiresRole(PlatformRole.CORE)
@ExecuteOn(TaskExecutors.BLOCKING)
@Validated
public class InstrumentBookingController {
    private final BookingAccess access;
    private final BookingRulesService rules;
    private final Qualifications qualifications;
    private final MaintenanceWindows maintenance;
    private final BookingService bookings;
    private final Waitlist waitlist;
    private final Problems problems;

    public InstrumentBookingController(BookingAccess access, BookingRulesService rules, Qualifications qualifications,
                                       MaintenanceWindows maintenance, BookingService bookings, Waitlist waitlist,
                                       Problems problems) {
        this.access = access;
        this.rules = rules;
        this.qualifications = qualifications;
        this.maintenance = maintenance;
        this.bookings = bookings;
        this.waitlist = waitlist;
        this.problems = problems;
    }

    /** A list. */
    @Serdeable
    public record Items<T>(List<T> items) {
    }

    /** The outcome of one occurrence of a weekly series. */
    @Serdeable
    public record OccurrenceReport(int index, OffsetDateTime start, OffsetDateTime end, String outcome,
                                   @Nullable Booking booking, @Nullable String code,
                                   @Nullable List<Problem.FieldError> errors,
                                   @Nullable SlotConflictException.Conflict conflict) {
    }

    /** A weekly series: what was created and, per occurrence, what was not and why. */
    @Serdeable
    public record SeriesReport(@Nullable UUID seriesId, int requested, int created, int notCreated,
                               List<OccurrenceReport> occurrences) {
    }

    // ---- rules

    @Operation(summary = "Read an instrument's booking rules")
    @Get("/booking-rules")
    public BookingRules getRules(AuthenticatedUser user, @PathVariable UUID id) {
        access.readable(user, id);
        return rules.get(user.actingTenant(), id);
    }

    @Operation(summary = "Replace an instrument's booking rules")
    @Put("/booking-rules")
    public BookingRules putRules(AuthenticatedUser user, @PathVariable UUID id, @Body BookingRulesInput input) {
        access.managed(user, id);
        return rules.put(user.actingTenant(), CatalogueAccess.actor(user), id, input);
    }

    // ---- training and authorisation

    @Operation(summary = "List the trainings recorded for an instrument")
    @Get("/trainings")
    public Items<Qualifications.Training> trainings(AuthenticatedUser user, @PathVariable UUID id) {
        access.managed(user, id);
        return new Items<>(qualifications.trainings(user.actingTenant(), id));
    }

    @Operation(summary = "Record a training on an instrument")
    @Status(HttpStatus.CREATED)
    @Post("/trainings")
    public HttpResponse<Qualifications.Training> recordTraining(AuthenticatedUser user, @PathVariable UUID id,
                                                                @Body @Valid BookingInputs.TrainingInput input) {
        access.managed(user, id);
        return HttpResponse.created(qualifications.recordTraining(user.actingTenant(), CatalogueAccess.actor(user),
                user.userId(), id, input.userId(), input.trainedOn(), input.notes(),
                Boolean.TRUE.equals(input.authorise()), input.authorisationNote()));
    }

    @Operation(summary = "List who is authorised to use an instrument")
    @Get("/authorisations")
    public Items<Qualifications.Authorisation> authorisations(AuthenticatedUser user, @PathVariable UUID id) {
        access.managed(user, id);
        return new Items<>(qualifications.list(user.actingTenant(), id));
    }

    /** One user's authorisation: staff see anyone's, a user their own. */
    @Operation(summary = "Read one user's authorisation on an instrument")
    @Get("/authorisations/{userId}")
    public Qualifications.Authorisation authorisation(AuthenticatedUser user, @PathVariable UUID id,
                                                      @PathVariable UUID userId) {
        BookingAccess.Target i = access.readable(user, id);
        if (!userId.equals(user.userId()) && !access.staff(user, i)) {
            throw ProblemException.notFound();
        }
        return qualifications.find(user.actingTenant(), id, userId).orElseThrow(ProblemException::notFound);
    }

    @Operation(summary = "Authorise a user on an instrument")
    @Put("/authorisations/{userId}")
    public Qualifications.Authorisation grant(AuthenticatedUser user, @PathVariable UUID id, @PathVariable UUID userId,
                                              @Nullable @Body @Valid BookingInputs.AuthorisationInput input) {
        access.managed(user, id);
        return qualifications.grant(user.actingTenant(), CatalogueAccess.actor(user), user.userId(), id, userId,
                input == null ? null : input.note());
    }

    @Operation(summary = "Revoke a user's authorisation on an instrument")
    @Delete("/authorisations/{userId}")
    public Qualifications.Authorisation revoke(AuthenticatedUser user, @PathVariable UUID id, @PathVariable UUID userId) {
        access.managed(user, id);
        return qualifications.revoke(user.actingTenant(), CatalogueAccess.actor(user), user.userId(), id, userId);
    }

    // ---- maintenance

    @Operation(summary = "List an instrument's maintenance windows")
    @Get("/maintenance")
    public Items<MaintenanceWindows.Window> maintenance(AuthenticatedUser user, @PathVariable UUID id,
                                                       @Nullable @QueryValue OffsetDateTime from,
                                                       @Nullable @QueryValue OffsetDateTime to) {
        access.readable(user, id);
        Instant[] w = access.window(from, to);
        return new Items<>(maintenance.list(user.actingTenant(), id, w[0], w[1]));
    }

    @Operation(summary = "Add a maintenance window to an instrument")
    @Status(HttpStatus.CREATED)
    @Post("/maintenance")
    public HttpResponse<MaintenanceWindows.Window> addMaintenance(AuthenticatedUser user, @PathVariable UUID id,
                                                                 @Body @Valid BookingInputs.MaintenanceInput input) {
        access.managed(user, id);
        return HttpResponse.created(maintenance.create(user.actingTenant(), CatalogueAccess.actor(user), user.userId(),
                id, input.start().toInstant(), input.end().toInstant(), input.reason()));
    }

    @Operation(summary = "Remove a maintenance window")
    @Delete("/maintenance/{windowId}")
    public HttpResponse<Void> deleteMaintenance(AuthenticatedUser user, @PathVariable UUID id, @PathVariable UUID windowId) {
        access.managed(user, id);
        maintenance.delete(user.actingTenant(), CatalogueAccess.actor(user), id, windowId);
        return HttpResponse.noContent();
    }

    // ---- bookings

    /** Staff see every booking of the instrument in the window; anyone else only their own. */
    @Operation(summary = "List an instrument's bookings in a time window")
    @Get("/bookings")
    public Items<Booking> bookings(AuthenticatedUser user, @PathVariable UUID id,
                                   @Nullable @QueryValue OffsetDateTime from, @Nullable @QueryValue OffsetDateTime to) {
        BookingAccess.Target i = access.readable(user, id);
        Instant[] w = access.window(from, to);
        return new Items<>(bookings.forInstrument(user.actingTenant(), id, access.staff(user, i) ? null : user.userId(),
                w[0], w[1]));
    }

    @Operation(summary = "Book an instrument")
    @Status(HttpStatus.CREATED)
    @Post("/bookings")
    public HttpResponse<Booking> book(HttpRequest<?> request, AuthenticatedUser user, @PathVariable UUID id,
                                      @Body @Valid BookingInputs.BookingRequest input) {
        if (input.onBehalfOf() != null && !input.onBehalfOf().equals(user.userId())) {
            BookingAccess.Target i = access.bookable(user, id);
            return HttpResponse.created(bookings.createOnBehalf(user.actingTenant(),
                    access.onBehalf(user, i, input.onBehalfOf()), user.userId(), id, input.toNew()));
        }
        // the access decision is made inside the booking's transaction (one transaction per request)
        return HttpResponse.created(bookings.create(user.actingTenant(), BookingAccess.requester(user, false),
                id, input.toNew(), access.admission(user)));
    }

    @Operation(summary = "Book an instrument every week")
    @Status(HttpStatus.CREATED)
    @Post("/bookings/recurring")
    public HttpResponse<SeriesReport> bookWeekly(HttpRequest<?> request, AuthenticatedUser user, @PathVariable UUID id,
                                                 @Body @Valid BookingInputs.RecurringRequest input) {
        BookingAccess.Target i = access.bookable(user, id);
        List<BookingService.Occurrence> outcomes = bookings.createWeekly(user.actingTenant(),
                BookingAccess.requester(user, access.staff(user, i)), id, input.first(), input.occurrences());
        ZoneId zone = ZoneId.of(rules.get(user.actingTenant(), id).timeZone());
        Locale locale = Problems.locale(request);
        List<OccurrenceReport> reports = new ArrayList<>();
        UUID series = null;
        int created = 0;
        for (BookingService.Occurrence o : outcomes) {
            List<Problem.FieldError> errors = null;
            String code = null;
            if (o.refusal() != null) {
                code = o.refusal().code();
                errors = new ArrayList<>();
                for (ProblemException.FieldProblem p : o.refusal().fieldProblems()) {
                    errors.add(problems.fieldError(locale, p.field(), p.code(), p.messageKey(), p.args()));
                }
            } else if (o.conflict() != null) {
                code = "slot_conflict";
            } else {
                created++;
                series = o.booking().seriesId();
            }
            reports.add(new OccurrenceReport(o.index(), Booking.at(o.start(), zone), Booking.at(o.end(), zone),
                    o.outcome(), o.booking(), code, errors, o.conflict() == null ? null : o.conflict().conflict()));
        }
        SeriesReport report = new SeriesReport(series, outcomes.size(), created, outcomes.size() - created, reports);
        return HttpResponse.status(created > 0 ? HttpStatus.CREATED : HttpStatus.CONFLICT).body(report);
    }

    /** Free/busy for the calendar: who booked is not shown. */
    @Operation(summary = "Read an instrument's free/busy times")
    @Get("/busy")
    public Items<BookingService.Busy> busy(AuthenticatedUser user, @PathVariable UUID id,
                                           @Nullable @QueryValue OffsetDateTime from,
                                           @Nullable @QueryValue OffsetDateTime to) {
        access.readable(user, id);
        Instant[] w = access.window(from, to);
        return new Items<>(bookings.busy(user.actingTenant(), id, w[0], w[1]));
    }

    @Operation(summary = "Join an instrument's waitlist for a time")
    @Status(HttpStatus.CREATED)
    @Post("/waitlist")
    public HttpResponse<Waitlist.Entry> joinWaitlist(AuthenticatedUser user, @PathVariable UUID id,
                                                     @Body @Valid BookingInputs.BookingRequest input) {
        BookingAccess.Target i = access.bookable(user, id);
        if (input.onBehalfOf() != null && !input.onBehalfOf().equals(user.userId())) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", List.of(new ProblemException.FieldProblem(
                    "onBehalfOf", "unsupported", "validation.booking.on_behalf_unsupported", java.util.Map.of())));
        }
        return HttpResponse.created(waitlist.join(user.actingTenant(), BookingAccess.requester(user, access.staff(user, i)),
                id, input.toNew()));
    }
}

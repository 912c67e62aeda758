package org.labcommons.core.usage.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.labcommons.core.booking.BookingAccess;
import org.labcommons.core.booking.BookingPeople;
import org.labcommons.core.booking.StaffQueue;
import org.labcommons.core.catalog.InstrumentForm;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.tenancy.TenantTransactions;
import org.labcommons.core.web.PageForbiddenException;
import org.labcommons.core.web.Pages;

import java.net.URI;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The staff's queue of unattributed sessions (power without identity, outside bookings) at
 * {@code /staff/usage/unattributed}: the sessions of the instruments the caller manages, newest first,
 * {@link #PAGE} a page, each with a form to attribute it to a person (e-mail, sign-in name or account
 * id, as the booking desk takes them) and optionally to one of the instrument's bookings around it,
 * with a reason. The form posts to this page, which calls {@link SessionAttribution} (the operation the
 * API offers too), then redirects back; a refusal is shown on the session's card.
 */
@Controller("/staff/usage/unattributed")
@RequiresRole(PlatformRole.CORE)
@ExecuteOn(TaskExecutors.BLOCKING)
public class UnattributedPages {
    static final int PAGE = 20;
    /** How far around a session the bookings offered for it reach. */
    static final Duration AROUND = Duration.ofHours(2);

    private final Pages pages;
    private final UsagePageSupport support;
    private final UsagePageRows rows;
    private final TenantTransactions tenants;
    private final StaffQueue queue;
    private final BookingPeople people;
    private final SessionAttribution attribution;
    private final BookingAccess access;

    public UnattributedPages(Pages pages, UsagePageSupport support, UsagePageRows rows, TenantTransactions tenants,
                             StaffQueue queue, BookingPeople people, SessionAttribution attribution, BookingAccess access) {
        this.access = access;
        this.pages = pages;
        this.support = support;
        this.rows = rows;
        this.tenants = tenants;
        this.queue = queue;
        this.people = people;
        this.attribution = attribution;
    }

    /** A session in the queue, with the bookings around it the form offers. */
    public record QueueRow(UUID id, UUID instrumentId, String instrument, String span, long minutes, String grade,
                           @Nullable String energy, List<Option> bookings, String timelineHref) {
    }

    /** A booking the form offers. */
    public record Option(UUID id, String label) {
    }

    /** What was typed into a refused form. */
    public record Typed(UUID session, String person, String booking, String reason) {
    }

    @Get(produces = MediaType.TEXT_HTML)
    public HttpResponse<?> queue(HttpRequest<?> request, AuthenticatedUser user, @Nullable @QueryValue Integer page,
                                 @Nullable @QueryValue String done) {
        Map<String, Object> model = model(request, user, UsagePageSupport.page(page));
        model.put("done", "attributed".equals(done) ? done : null);
        return pages.respond(request, HttpStatus.OK, "usage/unattributed", model);
    }

    @Post(value = "/{id}/attribute", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<?> attribute(HttpRequest<?> request, AuthenticatedUser user, @PathVariable String id,
                                     @Nullable @Body String body) {
        UUID sessionId = UsagePageSupport.uuid(id);
        Map<String, List<String>> form = InstrumentForm.decode(body);
        Typed typed = new Typed(sessionId, field(form, "person"), field(form, "booking"), field(form, "reason"));
        int page = UsagePageSupport.page(number(field(form, "page")));
        // the session must be one of the caller's instruments before anything typed is looked at
        UUID instrument = tenants.inTenant(user.actingTenant(), c -> rows.sessionInstrument(sessionId))
                .orElseThrow(ProblemException::notFound);
        try {
            access.managed(user, instrument);
        } catch (ProblemException e) {
            if (e.status() == HttpStatus.FORBIDDEN) {
                throw new PageForbiddenException(PageForbiddenException.FORBIDDEN);
            }
            throw e;
        }
        try {
            BookingPeople.Person person = people.lookup(user.actingTenant(), typed.person()).orElseThrow(() ->
                    new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", List.of(new FieldProblem("person",
                            "person", "validation.usage.person", Map.of()))));
            UUID booking = null;
            if (!typed.booking().isEmpty()) {
                try {
                    booking = UUID.fromString(typed.booking());
                } catch (IllegalArgumentException e) {
                    throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", List.of(new FieldProblem(
                            "bookingId", "booking", "validation.usage.booking", Map.of())));
                }
            }
            attribution.attribute(user, sessionId, person.userId(), booking, typed.reason());
        } catch (ProblemException e) {
            if (e.status() == HttpStatus.NOT_FOUND) {
                throw e;
            }
            if (e.status() == HttpStatus.FORBIDDEN) {
                throw new PageForbiddenException(PageForbiddenException.FORBIDDEN);
            }
            Map<String, Object> model = model(request, user, page);
            model.put("typed", typed);
            return pages.respond(request, e.status(), "usage/unattributed", pages.withProblem(request, model, e));
        }
        return HttpResponse.seeOther(URI.create("/staff/usage/unattributed?done=attributed" + (page > 0 ? "&page=" + page : "")));
    }

    private Map<String, Object> model(HttpRequest<?> request, AuthenticatedUser user, int page) {
        List<StaffQueue.ManagedInstrument> managed = queue.managed(user);
        if (managed.isEmpty()) {
            throw new PageForbiddenException(PageForbiddenException.FORBIDDEN);
        }
        Map<String, Object> model = pages.model(request);
        boolean zh = (boolean) model.get("zh");
        ZoneId zone = UsagePageSupport.zone(support.tenant(user));
        List<UUID> ids = managed.stream().map(StaffQueue.ManagedInstrument::id).toList();
        record Queue(List<QueueRow> rows, long total) {
        }
        Queue q = tenants.inTenant(user.actingTenant(), c -> {
            List<QueueRow> out = new ArrayList<>();
            for (UsagePageRows.Session s : rows.unattributed(ids, page * PAGE, PAGE)) {
                java.time.Instant end = s.endedAt() == null ? s.startedAt() : s.endedAt();
                List<Option> around = rows.bookings(s.instrumentId(), s.startedAt().minus(AROUND), end.plus(AROUND)).stream()
                        .map(b -> new Option(b.id(), UsagePageSupport.span(b.startsAt(), b.endsAt(), zone) + " · "
                                + (b.userName() == null ? b.requesterUserId().toString() : b.userName()))).toList();
                out.add(new QueueRow(s.id(), s.instrumentId(), UsagePageSupport.name(zh, s.instrumentNameZh(), s.instrumentNameEn()),
                        UsagePageSupport.span(s.startedAt(), s.endedAt(), zone), support.minutes(s.startedAt(), s.endedAt()),
                        s.grade(), s.energyWh() == null ? null : s.energyWh().stripTrailingZeros().toPlainString() + " Wh",
                        around, "/instruments/" + s.instrumentId() + "/usage?day=" + s.startedAt().atZone(zone).toLocalDate()));
            }
            return new Queue(out, rows.countUnattributed(ids));
        });
        model.put("rows", q.rows());
        model.put("total", q.total());
        model.put("page", page);
        model.put("size", PAGE);
        model.put("zone", zone.getId());
        return model;
    }

    private static String field(Map<String, List<String>> form, String name) {
        List<String> v = form.get(name);
        return v == null || v.isEmpty() || v.get(0) == null ? "" : v.get(0).strip();
    }

    private static @Nullable Integer number(String s) {
        try {
            return s.isEmpty() ? null : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}

package org.labcommons.core.booking.web;

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
import org.labcommons.core.booking.BookingClock;
import org.labcommons.core.booking.BookingPeople;
import org.labcommons.core.booking.BookingRules;
import org.labcommons.core.booking.BookingRulesInput;
import org.labcommons.core.booking.BookingRulesService;
import org.labcommons.core.booking.MaintenanceWindows;
import org.labcommons.core.booking.Qualifications;
import org.labcommons.core.booking.SlotConflictException;
import org.labcommons.core.booking.StaffQueue;
import org.labcommons.core.catalog.CatalogueAccess;
import org.labcommons.core.directory.TenantDirectory.TenantProfile;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.web.Pages;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Training and authorisation management for one instrument
 * ({@code /staff/instruments/{id}/qualifications}): the authorised users with their state (valid,
 * expired, revoked), last use and expiry; recording a training (optionally authorising at once);
 * granting and revoking authorisations; the instrument's maintenance windows (list, add, remove);
 * and its booking rules, shown and editable in a form of the main fields (a PUT of the whole set
 * through {@link BookingRulesService}, the fields the form does not show kept as they are). Only
 * the instrument's staff see it ({@link BookingAccess#managed}); others get the forbidden page,
 * an instrument that is not theirs to see the 404 page.
 */
@Controller("/staff/instruments/{id}")
@RequiresRole(PlatformRole.CORE)
@ExecuteOn(TaskExecutors.BLOCKING)
public class StaffQualificationPages {
    static final List<String> NOTICES = List.of("trained", "granted", "revoked", "maintenance_added",
            "maintenance_removed", "rules_saved", "rules_conflict");
    private static final Pattern INTERVAL = Pattern.compile("^(\\d{1,2}:\\d{2})\\s*[-–~]\\s*(\\d{1,2}:\\d{2})$");

    private final Pages pages;
    private final StaffPageSupport support;
    private final BookingAccess access;
    private final Qualifications qualifications;
    private final MaintenanceWindows maintenance;
    private final BookingRulesService rules;
    private final BookingPeople people;
    private final StaffQueue queue;
    private final BookingClock clock;

    public StaffQualificationPages(Pages pages, StaffPageSupport support, BookingAccess access,
                                   Qualifications qualifications, MaintenanceWindows maintenance,
                                   BookingRulesService rules, BookingPeople people, StaffQueue queue, BookingClock clock) {
        this.pages = pages;
        this.support = support;
        this.access = access;
        this.qualifications = qualifications;
        this.maintenance = maintenance;
        this.rules = rules;
        this.people = people;
        this.queue = queue;
        this.clock = clock;
    }

    /** An authorisation as listed. */
    public record AuthRow(UUID userId, String name, @Nullable String contact, String state, String granted,
                          String lastUsed, String expires, boolean revoked) {
    }

    /** A training as listed. */
    public record TrainingRow(String name, String trainedOn, String trainer, @Nullable String notes) {
    }

    /** A maintenance window as listed. */
    public record WindowRow(UUID id, String start, String end, @Nullable String reason) {
    }

    @Get(value = "/qualifications", produces = MediaType.TEXT_HTML)
    public HttpResponse<?> page(HttpRequest<?> request, AuthenticatedUser user, @PathVariable String id, @Nullable @QueryValue String done) {
        UUID instrument = managed(user, id);
        Map<String, Object> model = model(request, user, instrument);
        model.put("done", done != null && NOTICES.contains(done) ? done : null);
        return pages.respond(request, HttpStatus.OK, "booking/staff/qualifications", model);
    }

    @Post(value = "/trainings", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<?> recordTraining(HttpRequest<?> request, AuthenticatedUser user, @PathVariable String id, @Nullable @Body String body) {
        UUID instrument = managed(user, id);
        Map<String, List<String>> form = StaffPageSupport.form(body);
        Map<String, String> values = values(form, "person", "trainedOn", "trainer", "notes", "authorise");
        List<FieldProblem> problems = new ArrayList<>();
        BookingPeople.Person person = lookup(user, values.get("person"), "person", problems);
        UUID trainer = user.userId();
        if (!values.get("trainer").isEmpty()) {
            BookingPeople.Person t = lookup(user, values.get("trainer"), "trainer", problems);
            trainer = t == null ? null : t.userId();
        }
        LocalDate on = StaffPageSupport.date(values.get("trainedOn"));
        if (on == null) {
            problems.add(new FieldProblem("trainedOn", "invalid", "staff.invalid_date", Map.of()));
        }
        if (values.get("notes").length() > 2000) {
            problems.add(new FieldProblem("notes", "size", "staff.too_long", Map.of("max", 2000)));
        }
        if (!problems.isEmpty()) {
            return again(request, user, instrument, "training", values, problems);
        }
        boolean authorise = !values.get("authorise").isEmpty();
        try {
            qualifications.recordTraining(user.actingTenant(), CatalogueAccess.actor(user), trainer, instrument,
                    person.userId(), on, values.get("notes").isEmpty() ? null : values.get("notes"), authorise, null);
        } catch (ProblemException e) {
            return again(request, user, instrument, "training", values, e);
        }
        return done(instrument, authorise ? "granted" : "trained");
    }

    @Post(value = "/authorisations", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<?> grant(HttpRequest<?> request, AuthenticatedUser user, @PathVariable String id, @Nullable @Body String body) {
        UUID instrument = managed(user, id);
        Map<String, String> values = values(StaffPageSupport.form(body), "person", "note");
        List<FieldProblem> problems = new ArrayList<>();
        BookingPeople.Person person = lookup(user, values.get("person"), "person", problems);
        if (values.get("note").length() > 2000) {
            problems.add(new FieldProblem("note", "size", "staff.too_long", Map.of("max", 2000)));
        }
        if (!problems.isEmpty()) {
            return again(request, user, instrument, "grant", values, problems);
        }
        qualifications.grant(user.actingTenant(), CatalogueAccess.actor(user), user.userId(), instrument, person.userId(),
                values.get("note").isEmpty() ? null : values.get("note"));
        return done(instrument, "granted");
    }

    /** Grants again (an expired or revoked authorisation) for a user already listed. */
    @Post(value = "/authorisations/{userId}/grant", consumes = MediaType.APPLICATION_FORM_URLENCODED,
            produces = MediaType.TEXT_HTML)
    public HttpResponse<?> regrant(AuthenticatedUser user, @PathVariable String id, @PathVariable String userId) {
        UUID instrument = managed(user, id);
        UUID person = listed(user, instrument, userId);
        qualifications.grant(user.actingTenant(), CatalogueAccess.actor(user), user.userId(), instrument, person, null);
        return done(instrument, "granted");
    }

    @Post(value = "/authorisations/{userId}/revoke", consumes = MediaType.APPLICATION_FORM_URLENCODED,
            produces = MediaType.TEXT_HTML)
    public HttpResponse<?> revoke(AuthenticatedUser user, @PathVariable String id, @PathVariable String userId) {
        UUID instrument = managed(user, id);
        UUID person = listed(user, instrument, userId);
        try {
            qualifications.revoke(user.actingTenant(), CatalogueAccess.actor(user), user.userId(), instrument, person);
        } catch (ProblemException e) {
            if (e.status() != HttpStatus.NOT_FOUND) {
                throw e;
            }
            // revoked meanwhile: the list shows it
        }
        return done(instrument, "revoked");
    }

    @Post(value = "/maintenance", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<?> addMaintenance(HttpRequest<?> request, AuthenticatedUser user, @PathVariable String id, @Nullable @Body String body) {
        UUID instrument = managed(user, id);
        Map<String, String> values = values(StaffPageSupport.form(body), "start", "end", "reason");
        ZoneId zone = StaffPageSupport.zone(support.tenant(user));
        Instant start = StaffPageSupport.local(values.get("start"), zone);
        Instant end = StaffPageSupport.local(values.get("end"), zone);
        List<FieldProblem> problems = new ArrayList<>();
        if (start == null) {
            problems.add(new FieldProblem("start", "invalid", "staff.invalid_time", Map.of()));
        }
        if (end == null) {
            problems.add(new FieldProblem("end", "invalid", "staff.invalid_time", Map.of()));
        }
        if (values.get("reason").length() > 500) {
            problems.add(new FieldProblem("reason", "size", "staff.too_long", Map.of("max", 500)));
        }
        if (!problems.isEmpty()) {
            return again(request, user, instrument, "maintenance", values, problems);
        }
        try {
            maintenance.create(user.actingTenant(), CatalogueAccess.actor(user), user.userId(), instrument, start, end,
                    values.get("reason").isEmpty() ? null : values.get("reason"));
        } catch (ProblemException e) {
            return again(request, user, instrument, "maintenance", values, e);
        } catch (SlotConflictException e) {
            Map<String, Object> model = model(request, user, instrument);
            model.put("maintenanceForm", values);
            @SuppressWarnings("unchecked")
            Map<String, String> t = (Map<String, String>) model.get("t");
            model.put("conflict", StaffPageSupport.fill(t.get("staff.conflict." + e.conflict().kind()),
                    StaffPageSupport.conflictArgs(e, zone)));
            return pages.respond(request, HttpStatus.CONFLICT, "booking/staff/qualifications", model);
        }
        return done(instrument, "maintenance_added");
    }

    @Post(value = "/maintenance/{windowId}/delete", consumes = MediaType.APPLICATION_FORM_URLENCODED,
            produces = MediaType.TEXT_HTML)
    public HttpResponse<?> removeMaintenance(AuthenticatedUser user, @PathVariable String id, @PathVariable String windowId) {
        UUID instrument = managed(user, id);
        UUID window = StaffPageSupport.uuid(windowId);
        if (window == null) {
            throw new StaffPageSupport.NotFound();
        }
        StaffPageSupport.guarded(() -> {
            maintenance.delete(user.actingTenant(), CatalogueAccess.actor(user), instrument, window);
            return null;
        });
        return done(instrument, "maintenance_removed");
    }

    /** The main rule fields; the others (closures, allowed rate groups, …) are kept as stored. */
    @Post(value = "/rules", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<?> saveRules(HttpRequest<?> request, AuthenticatedUser user, @PathVariable String id, @Nullable @Body String body) {
        UUID instrument = managed(user, id);
        Map<String, List<String>> form = StaffPageSupport.form(body);
        List<String> names = new ArrayList<>(List.of("version", "minSlotMinutes", "maxSlotMinutes", "horizonDays",
                "minNoticeMinutes", "bufferMinutes", "approvalPolicy", "cancellationDeadlineHours", "noShowThreshold",
                "qualificationRequired"));
        BookingRules.WEEKDAYS.forEach(d -> names.add("hours." + d));
        Map<String, String> values = values(form, names.toArray(String[]::new));
        BookingRules current = rules.get(user.actingTenant(), instrument);
        List<FieldProblem> problems = new ArrayList<>();
        Map<String, List<BookingRules.Interval>> hours = new LinkedHashMap<>();
        for (String day : BookingRules.WEEKDAYS) {
            List<BookingRules.Interval> intervals = intervals(values.get("hours." + day));
            if (intervals == null) {
                problems.add(new FieldProblem("hours." + day, "invalid", "staff.rules.hours_invalid", Map.of()));
            } else {
                hours.put(day, intervals);
            }
        }
        Integer minSlot = number(values, "minSlotMinutes", problems);
        Integer maxSlot = number(values, "maxSlotMinutes", problems);
        Integer horizon = number(values, "horizonDays", problems);
        Integer notice = number(values, "minNoticeMinutes", problems);
        Integer buffer = number(values, "bufferMinutes", problems);
        Integer deadline = number(values, "cancellationDeadlineHours", problems);
        Integer noShows = number(values, "noShowThreshold", problems);
        Long version = null;
        try {
            version = Long.parseLong(values.get("version"));
        } catch (NumberFormatException e) {
            // no version: an unconditional save
        }
        if (!problems.isEmpty()) {
            return again(request, user, instrument, "rules", values, problems);
        }
        BookingRulesInput input = new BookingRulesInput(version, hours, current.closures(), minSlot, maxSlot, horizon,
                notice, buffer, current.maxFutureBookings(), current.allowedRateGroups(), values.get("approvalPolicy"),
                deadline, noShows, current.noShowBlockDays(), !values.get("qualificationRequired").isEmpty(),
                current.authorisationExpiryDays(), current.waitlistOfferMinutes());
        try {
            rules.put(user.actingTenant(), CatalogueAccess.actor(user), instrument, input);
        } catch (ProblemException e) {
            if ("version_conflict".equals(e.code())) {
                return done(instrument, "rules_conflict");
            }
            return again(request, user, instrument, "rules", values, rulesFields(e));
        }
        return done(instrument, "rules_saved");
    }

    // ---------------------------------------------------------------- the model

    private Map<String, Object> model(HttpRequest<?> request, AuthenticatedUser user, UUID instrument) {
        Map<String, Object> model = pages.model(request);
        boolean zh = (boolean) model.get("zh");
        TenantProfile tenant = support.tenant(user);
        ZoneId zone = StaffPageSupport.zone(tenant);
        StaffQueue.ManagedInstrument i = queue.managed(user).stream().filter(m -> m.id().equals(instrument)).findFirst()
                .orElseThrow(StaffPageSupport.NotFound::new);
        List<Qualifications.Authorisation> auths = qualifications.list(user.actingTenant(), instrument);
        List<Qualifications.Training> trainings = qualifications.trainings(user.actingTenant(), instrument);
        Set<UUID> ids = new HashSet<>();
        auths.forEach(a -> ids.add(a.userId()));
        trainings.forEach(t -> {
            ids.add(t.userId());
            if (t.trainerUserId() != null) {
                ids.add(t.trainerUserId());
            }
        });
        Map<UUID, BookingPeople.Person> names = people.names(user.actingTenant(), ids);
        List<AuthRow> authRows = new ArrayList<>();
        for (Qualifications.Authorisation a : auths) {
            BookingPeople.Person p = names.get(a.userId());
            authRows.add(new AuthRow(a.userId(), p == null ? a.userId().toString() : p.label(),
                    p == null ? null : p.email() != null ? p.email() : p.subject(), a.state(),
                    StaffPageSupport.shown(a.grantedAt(), zone), StaffPageSupport.shown(a.lastUsedAt(), zone),
                    StaffPageSupport.shown(a.expiresAt(), zone), a.revokedAt() != null));
        }
        List<TrainingRow> trainingRows = new ArrayList<>();
        for (Qualifications.Training t : trainings.subList(0, Math.min(trainings.size(), 50))) {
            BookingPeople.Person p = names.get(t.userId());
            BookingPeople.Person tr = t.trainerUserId() == null ? null : names.get(t.trainerUserId());
            trainingRows.add(new TrainingRow(p == null ? t.userId().toString() : p.label(), t.trainedOn().toString(),
                    tr == null ? "—" : tr.label(), t.notes()));
        }
        Instant now = clock.now();
        List<WindowRow> windows = new ArrayList<>();
        for (MaintenanceWindows.Window w : maintenance.list(user.actingTenant(), instrument, now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(366)))) {
            windows.add(new WindowRow(w.id(), StaffPageSupport.shown(w.start().toInstant(), zone),
                    StaffPageSupport.shown(w.end().toInstant(), zone), w.reason()));
        }
        BookingRules r = rules.get(user.actingTenant(), instrument);
        Map<String, String> hours = new LinkedHashMap<>();
        for (String day : BookingRules.WEEKDAYS) {
            List<BookingRules.Interval> list = r.weeklyHours().getOrDefault(day, List.of());
            hours.put(day, String.join(", ", list.stream().map(x -> x.from() + "-" + x.to()).toList()));
        }
        Map<String, String> rulesForm = new LinkedHashMap<>();
        rulesForm.put("version", Long.toString(r.version()));
        rulesForm.put("minSlotMinutes", Integer.toString(r.minSlotMinutes()));
        rulesForm.put("maxSlotMinutes", Integer.toString(r.maxSlotMinutes()));
        rulesForm.put("horizonDays", Integer.toString(r.horizonDays()));
        rulesForm.put("minNoticeMinutes", Integer.toString(r.minNoticeMinutes()));
        rulesForm.put("bufferMinutes", Integer.toString(r.bufferMinutes()));
        rulesForm.put("approvalPolicy", r.approvalPolicy());
        rulesForm.put("cancellationDeadlineHours", Integer.toString(r.cancellationDeadlineHours()));
        rulesForm.put("noShowThreshold", Integer.toString(r.noShowThreshold()));
        rulesForm.put("qualificationRequired", r.qualificationRequired() ? "true" : "");
        hours.forEach((d, v) -> rulesForm.put("hours." + d, v));

        model.put("instrumentId", instrument.toString());
        model.put("instrumentName", i.name(zh));
        model.put("assetNumber", i.assetNumber());
        model.put("tenantName", tenant.name(zh));
        model.put("zone", zone.getId());
        model.put("authorisations", authRows);
        model.put("trainings", trainingRows);
        model.put("windows", windows);
        model.put("rules", r);
        model.put("hours", hours);
        model.put("weekdays", BookingRules.WEEKDAYS);
        model.put("policies", BookingRules.APPROVAL_POLICIES);
        model.put("rulesForm", rulesForm);
        model.put("rulesOpen", false);
        model.put("today", LocalDate.ofInstant(now, zone).toString());
        model.put("trainingForm", Map.of("person", "", "trainedOn", LocalDate.ofInstant(now, zone).toString(),
                "trainer", "", "notes", "", "authorise", "true"));
        model.put("grantForm", Map.of("person", "", "note", ""));
        model.put("maintenanceForm", Map.of("start", "", "end", "", "reason", ""));
        model.put("formError", "");
        model.put("errors", Map.of());
        return model;
    }

    /** The page again with what was typed into {@code which} form and the problems, 400. */
    private HttpResponse<?> again(HttpRequest<?> request, AuthenticatedUser user, UUID instrument, String which,
                                  Map<String, String> values, List<FieldProblem> problems) {
        return again(request, user, instrument, which, values,
                new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", problems));
    }

    private HttpResponse<?> again(HttpRequest<?> request, AuthenticatedUser user, UUID instrument, String which,
                                  Map<String, String> values, ProblemException e) {
        Map<String, Object> model = model(request, user, instrument);
        model.put(which + "Form", values);
        model.put("formError", which);
        if ("rules".equals(which)) {
            model.put("rulesOpen", true);
        }
        return pages.respond(request, e.status(), "booking/staff/qualifications", pages.withProblem(request, model, e));
    }

    private HttpResponse<?> done(UUID instrument, String done) {
        return HttpResponse.seeOther(URI.create("/staff/instruments/" + instrument + "/qualifications?done=" + done));
    }

    private UUID managed(AuthenticatedUser user, String id) {
        UUID instrument = StaffPageSupport.uuid(id);
        if (instrument == null) {
            throw new StaffPageSupport.NotFound();
        }
        StaffPageSupport.guarded(() -> access.managed(user, instrument));
        return instrument;
    }

    /** A user listed on the instrument (holding or having held an authorisation); 404 otherwise. */
    private UUID listed(AuthenticatedUser user, UUID instrument, String userId) {
        UUID person = StaffPageSupport.uuid(userId);
        if (person == null || qualifications.find(user.actingTenant(), instrument, person).isEmpty()) {
            throw new StaffPageSupport.NotFound();
        }
        return person;
    }

    @Nullable
    private BookingPeople.Person lookup(AuthenticatedUser user, String typed, String field, List<FieldProblem> problems) {
        BookingPeople.Person p = typed.isEmpty() ? null : people.lookup(user.actingTenant(), typed).orElse(null);
        if (p == null) {
            problems.add(new FieldProblem(field, "unknown", "staff.person_unknown", Map.of()));
        }
        return p;
    }

    private static Map<String, String> values(Map<String, List<String>> form, String... names) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String n : names) {
            out.put(n, StaffPageSupport.field(form, n));
        }
        return out;
    }

    @Nullable
    private static Integer number(Map<String, String> values, String name, List<FieldProblem> problems) {
        try {
            return Integer.parseInt(values.get(name));
        } catch (NumberFormatException e) {
            problems.add(new FieldProblem(name, "invalid", "staff.rules.number", Map.of()));
            return null;
        }
    }

    /** {@code 08:00-12:00, 13:00-20:00} → intervals; empty → closed; null when unreadable. */
    @Nullable
    static List<BookingRules.Interval> intervals(String typed) {
        List<BookingRules.Interval> out = new ArrayList<>();
        if (typed == null || typed.isBlank()) {
            return out;
        }
        for (String part : typed.split("[,，;；]")) {
            if (part.isBlank()) {
                continue;
            }
            Matcher m = INTERVAL.matcher(part.strip());
            if (!m.matches()) {
                return null;
            }
            out.add(new BookingRules.Interval(pad(m.group(1)), pad(m.group(2))));
        }
        return out;
    }

    private static String pad(String hhmm) {
        return hhmm.length() == 4 ? "0" + hhmm : hhmm;
    }

    /** The service's field names ({@code weeklyHours.monday[0]}) as the form's ({@code hours.monday}). */
    private static ProblemException rulesFields(ProblemException e) {
        List<FieldProblem> out = new ArrayList<>();
        for (FieldProblem p : e.fieldProblems()) {
            String f = p.field();
            if (f.startsWith("weeklyHours.")) {
                f = "hours." + f.substring("weeklyHours.".length()).replaceAll("\\[.*$", "");
            }
            out.add(new FieldProblem(f, p.code(), p.messageKey(), p.args()));
        }
        return new ProblemException(e.status(), e.code(), out, e.args());
    }
}

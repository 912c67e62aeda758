package org.labcommons.core.samples;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Part;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.multipart.CompletedFileUpload;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import jakarta.inject.Singleton;
import org.labcommons.core.booking.BookingAccess;
import org.labcommons.core.catalog.InstrumentDocuments;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.Action;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.tenancy.TenantTransactions;
import org.labcommons.core.web.NavContributor;
import org.labcommons.core.web.NavLink;
import org.labcommons.core.web.PageForbiddenException;
import org.labcommons.core.web.Pages;
import org.labcommons.core.web.WebCaller;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The sample-request pages (zh-CN/en, usable on a phone, plain forms that work without JavaScript,
 * POST-redirect-GET): the "send samples" form reached from the public instrument page, the
 * caller's requests, one request with its history, downloads and the actions the caller may take,
 * and the staff queue. The same {@link SampleRequests} and {@link SampleAccess} as the API; pages
 * act in the caller's home tenant (as every page does, {@link WebCaller}).
 */
@Controller("/samples")
@RequiresRole(PlatformRole.CORE)
@ExecuteOn(TaskExecutors.BLOCKING)
public class SamplePages {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    private static final List<String> ACTIONS = List.of("accept", "reject", "receive", "start", "close", "withdraw", "cancel");

    private final Pages pages;
    private final SampleAccess access;
    private final SampleRequests requests;
    private final SampleSettings settings;
    private final TenantTransactions tenants;
    private final SampleRequestRows rows;

    public SamplePages(Pages pages, SampleAccess access, SampleRequests requests, SampleSettings settings,
                       TenantTransactions tenants, SampleRequestRows rows) {
        this.pages = pages;
        this.access = access;
        this.requests = requests;
        this.settings = settings;
        this.tenants = tenants;
        this.rows = rows;
    }

    /** "My sample requests" for users, "sample queue" for those who manage instruments. */
    @Singleton
    public static class Nav implements NavContributor {
        @Override
        public List<NavLink> navLinks() {
            return List.of(NavLink.everyone("nav.samples", "/samples/mine", 30),
                    NavLink.forAction("nav.samples.queue", "/samples/queue", Action.MANAGE_INSTRUMENT, 31));
        }
    }

    // ------------------------------------------------------------------ lists

    /** {@code /samples}: the same as {@code /samples/mine}. */
    @Get(produces = MediaType.TEXT_HTML)
    public HttpResponse<String> root(HttpRequest<?> request, AuthenticatedUser user, @Nullable @QueryValue String status,
                                     @Nullable @QueryValue String page) {
        return list(request, user, "mine", status, page);
    }

    @Get(value = "/mine", produces = MediaType.TEXT_HTML)
    public HttpResponse<String> mine(HttpRequest<?> request, AuthenticatedUser user, @Nullable @QueryValue String status,
                                     @Nullable @QueryValue String page) {
        return list(request, user, "mine", status, page);
    }

    @Get(value = "/queue", produces = MediaType.TEXT_HTML)
    public HttpResponse<String> queue(HttpRequest<?> request, AuthenticatedUser user, @Nullable @QueryValue String status,
                                      @Nullable @QueryValue String page) {
        return list(request, user, "staff", status, page);
    }

    private HttpResponse<String> list(HttpRequest<?> request, AuthenticatedUser user, String role, @Nullable String status, @Nullable String page) {
        if ("staff".equals(role) && !access.managed(user).any()) {
            // instrument or unit admins manage part of the tenant: the queue is theirs too
            throw new PageForbiddenException(PageForbiddenException.FORBIDDEN);
        }
        Map<String, Object> model = pages.model(request);
        String chosen = status == null ? "" : status;
        String filter = chosen.isEmpty() && "staff".equals(role) ? String.join(",", SampleRequest.OPEN) : chosen;
        SampleRequests.Page<SampleRequest> result;
        try {
            result = SampleRequestController.list(access, requests, settings, user, role, filter, null, page, null);
        } catch (ProblemException e) {
            if (e.status() != HttpStatus.BAD_REQUEST) {
                throw e;
            }
            result = SampleRequestController.list(access, requests, settings, user, role, null, null, null, null);
        }
        model.put("role", role);
        model.put("result", result);
        model.put("rows", result.items().stream().map(r -> row(r, model)).toList());
        model.put("status", chosen);
        model.put("statuses", SampleRequest.STATUSES);
        return pages.respond(request, HttpStatus.OK, "samples/list", model);
    }

    private Map<String, Object> row(SampleRequest r, Map<String, Object> model) {
        boolean zh = Boolean.TRUE.equals(model.get("zh"));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("r", r);
        m.put("instrument", zh ? r.instrumentNameZh() : r.instrumentNameEn());
        m.put("service", r.serviceId() == null && r.serviceNameZh() == null ? null : zh ? r.serviceNameZh() : r.serviceNameEn());
        m.put("submitted", when(r.submittedAt()));
        return m;
    }

    // ------------------------------------------------------------------ new

    @Get(value = "/new", produces = MediaType.TEXT_HTML)
    public HttpResponse<String> form(HttpRequest<?> request, AuthenticatedUser user, @Nullable @QueryValue String instrument) {
        UUID id = uuid(instrument);
        Map<String, Object> model = formModel(request, user, id);
        model.put("form", Map.of("sampleCount", "1", "hazards", List.of("none")));
        return pages.respond(request, HttpStatus.OK, "samples/new", model);
    }

    private Map<String, Object> formModel(HttpRequest<?> request, AuthenticatedUser user, @Nullable UUID instrument) {
        if (instrument == null) {
            throw ProblemException.notFound();
        }
        access.submittable(user, instrument);
        Map<String, Object> model = pages.model(request);
        boolean zh = Boolean.TRUE.equals(model.get("zh"));
        List<Map<String, Object>> services = new ArrayList<>();
        String name = tenants.inTenant(user.actingTenant(), c -> {
            for (SampleRequestRows.Service offered : rows.servicesOffered(instrument)) {
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("id", offered.id().toString());
                s.put("name", zh ? offered.nameZh() : offered.nameEn());
                s.put("requirements", offered.sampleRequirements());
                services.add(s);
            }
            SampleRequestRows.Names names = rows.instrumentNames(instrument).orElseThrow(ProblemException::notFound);
            return zh ? names.nameZh() : names.nameEn();
        });
        model.put("instrumentId", instrument.toString());
        model.put("instrumentName", name);
        model.put("services", services);
        model.put("hazardKinds", SampleRequest.HAZARDS);
        return model;
    }

    @Post(value = "/new", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<String> submit(HttpRequest<?> request, AuthenticatedUser user, @Nullable @QueryValue String instrument,
                                       @Body Map<String, Object> form) {
        UUID id = uuid(instrument);
        Map<String, Object> model = formModel(request, user, id);
        BookingAccess.Target t = access.submittable(user, id);
        Integer count = integer(text(form, "sampleCount"));
        List<String> items = text(form, "items") == null ? List.of() : List.of(text(form, "items").split("\\R"));
        List<String> hazards = values(form, "hazards");
        SampleInputs.NewRequest in = new SampleInputs.NewRequest(uuid(text(form, "serviceId")), count, items,
                text(form, "sampleInfo"), hazards, text(form, "safetyNotes"), text(form, "accountCode"));
        try {
            if (count == null && text(form, "sampleCount") != null) {
                throw SampleRequests.invalid(List.of(SampleRequests.problem("sampleCount", "range",
                        "validation.sample.count", Map.of("min", 1, "max", 1000))));
            }
            SampleRequest r = requests.submit(user.actingTenant(), SampleAccess.actor(user, t.staff()), id, in);
            return HttpResponse.seeOther(URI.create("/samples/" + r.id() + "?done=submitted" + lang(request, "&")));
        } catch (ProblemException e) {
            if (e.status() == HttpStatus.NOT_FOUND || e.status() == HttpStatus.FORBIDDEN) {
                throw e;
            }
            Map<String, Object> echo = new LinkedHashMap<>();
            form.forEach((k, v) -> echo.put(k, v));
            echo.put("hazards", hazards);
            model.put("form", echo);
            return pages.respond(request, HttpStatus.BAD_REQUEST, "samples/new", pages.withProblem(request, model, e));
        }
    }

    // ------------------------------------------------------------------ one request

    @Get(value = "/{id}", produces = MediaType.TEXT_HTML)
    public HttpResponse<String> detail(HttpRequest<?> request, AuthenticatedUser user, @PathVariable String id, @Nullable @QueryValue String done) {
        Map<String, Object> model = detailModel(request, user, uuid(id));
        model.put("done", done != null && (ACTIONS.contains(done) || done.equals("submitted") || done.equals("results"))
                ? done : null);
        return pages.respond(request, HttpStatus.OK, "samples/detail", model);
    }

    private Map<String, Object> detailModel(HttpRequest<?> request, AuthenticatedUser user, @Nullable UUID id) {
        if (id == null) {
            throw ProblemException.notFound();
        }
        SampleAccess.Seen seen = access.seen(user, id);
        SampleRequest r = seen.request();
        Map<String, Object> model = pages.model(request);
        model.putAll(row(r, model));
        model.put("staff", seen.staff());
        model.put("requester", seen.requester());
        List<Map<String, Object>> history = new ArrayList<>();
        for (SampleRequest.Event e : r.history()) {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("e", e);
            h.put("at", when(e.at()));
            history.add(h);
        }
        model.put("history", history);
        List<Map<String, Object>> files = new ArrayList<>();
        for (SampleRequest.ResultFile f : r.files()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("f", f);
            m.put("href", "/samples/" + r.id() + "/results/" + f.id());
            m.put("sizeText", f.sizeBytes() < 1024 ? f.sizeBytes() + " B" : f.sizeBytes() < 1024 * 1024
                    ? (f.sizeBytes() / 1024) + " KB" : String.format("%.1f MB", f.sizeBytes() / (1024.0 * 1024)));
            files.add(m);
        }
        model.put("files", files);
        String s = r.status();
        boolean staff = seen.staff();
        model.put("can", Map.of(
                "accept", staff && s.equals("submitted"),
                "reject", staff && s.equals("submitted"),
                "receive", staff && s.equals("accepted"),
                "start", staff && s.equals("received"),
                "results", staff && (s.equals("in_progress") || s.equals("results_ready")),
                "close", staff && s.equals("results_ready"),
                "withdraw", seen.requester() && (s.equals("submitted") || s.equals("accepted")),
                "cancel", staff && (s.equals("submitted") || s.equals("accepted") || s.equals("received"))));
        model.put("maxMb", Math.max(1, settings.getMaxFileBytes() / (1024 * 1024)));
        model.put("maxFiles", settings.getMaxFiles());
        model.put("zone", r.submittedAt().getOffset().getId());
        return model;
    }

    /** accept, reject, receive, start, close, withdraw, cancel: a plain form post, then back to the request. */
    @Post(value = "/{id}/{action}", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<String> act(HttpRequest<?> request, AuthenticatedUser user, @PathVariable String id, @PathVariable String action,
                                    @Body Map<String, Object> form) {
        UUID rid = uuid(id);
        if (rid == null || !ACTIONS.contains(action)) {
            throw ProblemException.notFound();
        }
        Long version = longValue(text(form, "version"));
        String note = text(form, "note");
        try {
            switch (action) {
                case "withdraw" -> {
                    SampleAccess.Seen seen = access.requester(user, rid);
                    requests.withdraw(user.actingTenant(), SampleAccess.actor(user, seen.staff()), rid, version, note);
                }
                default -> {
                    access.staff(user, rid);
                    var who = SampleAccess.actor(user, true);
                    var tenant = user.actingTenant();
                    switch (action) {
                        case "accept" -> requests.accept(tenant, who, rid, version, note);
                        case "reject" -> requests.reject(tenant, who, rid, version, note);
                        case "receive" -> {
                            String raw = text(form, "receivedCount");
                            Integer count = integer(raw);
                            if (count == null && raw != null) {
                                throw SampleRequests.invalid(List.of(SampleRequests.problem("receivedCount", "range",
                                        "validation.sample.count", Map.of("min", 0, "max", 1000))));
                            }
                            requests.receive(tenant, who, rid, version, count, note);
                        }
                        case "start" -> requests.start(tenant, who, rid, version, note);
                        case "close" -> requests.close(tenant, who, rid, version, note);
                        case "cancel" -> requests.cancel(tenant, who, rid, version, note);
                        default -> throw ProblemException.notFound();
                    }
                }
            }
            return HttpResponse.seeOther(URI.create("/samples/" + rid + "?done=" + action + lang(request, "&")));
        } catch (ProblemException e) {
            if (e.status() == HttpStatus.NOT_FOUND || e.status() == HttpStatus.FORBIDDEN) {
                throw e;
            }
            return failed(request, user, rid, action, e);
        }
    }

    /** Results or a report: a multipart form (the CSRF token travels as its {@code _csrf} part). */
    @Post(value = "/{id}/results", consumes = MediaType.MULTIPART_FORM_DATA, produces = MediaType.TEXT_HTML)
    public HttpResponse<String> results(HttpRequest<?> request, AuthenticatedUser user, @PathVariable String id,
                                        @Nullable @Part("file") CompletedFileUpload file,
                                        @Nullable @Part("note") String note,
                                        @Nullable @Part("version") String version) throws IOException {
        UUID rid = uuid(id);
        if (rid == null) {
            throw ProblemException.notFound();
        }
        access.staff(user, rid);
        try {
            List<SampleRequests.Upload> uploads = file == null || file.getFilename() == null || file.getFilename().isBlank()
                    ? List.of() : List.of(SampleRequestController.read(file, settings.getMaxFileBytes()));
            requests.addResults(user.actingTenant(), SampleAccess.actor(user, true), rid, longValue(version), uploads, note);
            return HttpResponse.seeOther(URI.create("/samples/" + rid + "?done=results" + lang(request, "&")));
        } catch (ProblemException e) {
            if (e.status() == HttpStatus.NOT_FOUND || e.status() == HttpStatus.FORBIDDEN) {
                throw e;
            }
            return failed(request, user, rid, "results", e);
        }
    }

    private HttpResponse<String> failed(HttpRequest<?> request, AuthenticatedUser user, UUID id, String action,
                                        ProblemException e) {
        Map<String, Object> model = detailModel(request, user, id);
        model.put("failedAction", action);
        pages.withProblem(request, model, e);
        return pages.respond(request, e.status(), "samples/detail", model);
    }

    @Get("/{id}/results/{fileId}")
    public HttpResponse<byte[]> download(AuthenticatedUser user, @PathVariable String id, @PathVariable String fileId) {
        UUID rid = uuid(id);
        UUID fid = uuid(fileId);
        if (rid == null || fid == null) {
            throw ProblemException.notFound();
        }
        access.seen(user, rid);
        SampleRequests.Content c = requests.file(user.actingTenant(), rid, fid).orElseThrow(ProblemException::notFound);
        return InstrumentDocuments.response(new InstrumentDocuments.Content(c.fileName(), c.contentType(), c.bytes()));
    }

    // ------------------------------------------------------------------ helpers

    private static String when(@Nullable OffsetDateTime t) {
        return t == null ? "" : WHEN.format(t);
    }

    private static String lang(HttpRequest<?> request, String sep) {
        String lang = request.getParameters().get("lang");
        return lang == null ? "" : sep + "lang=" + URLEncoder.encode(lang, StandardCharsets.UTF_8);
    }

    @Nullable
    private static String text(Map<String, Object> form, String name) {
        Object v = form.get(name);
        if (v instanceof List<?> l) {
            v = l.isEmpty() ? null : l.get(0);
        }
        return v == null || v.toString().isBlank() ? null : v.toString();
    }

    private static List<String> values(Map<String, Object> form, String name) {
        Object v = form.get(name);
        if (v == null) {
            return List.of();
        }
        if (v instanceof List<?> l) {
            return l.stream().map(String::valueOf).toList();
        }
        return List.of(v.toString());
    }

    @Nullable
    private static Integer integer(@Nullable String s) {
        try {
            return s == null ? null : Integer.valueOf(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Nullable
    private static Long longValue(@Nullable String s) {
        try {
            return s == null || s.isBlank() ? null : Long.valueOf(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Nullable
    private static UUID uuid(@Nullable String s) {
        try {
            return s == null || s.isBlank() ? null : UUID.fromString(s.strip());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}

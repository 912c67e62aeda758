package org.labcommons.core.reports.ratings;

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
import org.labcommons.core.catalog.CatalogueAccess;
import org.labcommons.core.catalog.Instrument;
import org.labcommons.core.catalog.InstrumentService;
import org.labcommons.core.directory.TenantDirectory;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.web.Pages;

import java.net.URI;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The ratings' pages: {@code /my/ratings}, the caller's completed bookings and ready sample requests (also their
 * bookings at other institutions, where the deployment keeps them) with a form each: rate, or change within the
 * window; {@code /staff/instruments/{id}/ratings}, an instrument's ratings without raters, with a reply form each,
 * for the staff who manage it. A form posts and answers 303 back to its page, or the page again with the problem
 * (422) under the form that failed.
 */
@Controller
@RequiresRole(PlatformRole.CORE)
@ExecuteOn(TaskExecutors.BLOCKING)
public class RatingPages {
    static final int LIMIT = 50;
    static final int PAGE = 20;
    static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    private final Pages pages;
    private final Ratings ratings;
    private final RatingSubjects subjects;
    private final InstrumentService instruments;
    private final CatalogueAccess catalogue;
    private final TenantDirectory directory;

    public RatingPages(Pages pages, Ratings ratings, RatingSubjects subjects, InstrumentService instruments,
                       CatalogueAccess catalogue, TenantDirectory directory) {
        this.pages = pages;
        this.ratings = ratings;
        this.subjects = subjects;
        this.instruments = instruments;
        this.catalogue = catalogue;
        this.directory = directory;
    }

    /** One line of /my/ratings: what was served, where, when, and the caller's rating of it (null: not rated). */
    public record Line(String key, String kind, String subjectId, @Nullable String owner, String instrument,
                       @Nullable String institution, String served, Rating.@Nullable Own rating, @Nullable String until) {
    }

    @Get(value = "/my/ratings", produces = MediaType.TEXT_HTML)
    public HttpResponse<String> mine(HttpRequest<?> request, AuthenticatedUser caller) {
        return pages.respond(request, HttpStatus.OK, "reports/ratings-mine", mineModel(request, caller));
    }

    @Post(value = "/my/ratings", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<String> rate(HttpRequest<?> request, AuthenticatedUser caller, @Body Map<String, String> form) {
        String kind = form.getOrDefault("subjectKind", "");
        String owner = blank(form.get("owner"));
        String key = kind + "-" + form.getOrDefault("subjectId", "");
        try {
            List<FieldProblem> problems = new ArrayList<>();
            Integer score = score(form.get("score"), problems);
            UUID subjectId = uuid(form.get("subjectId"));
            if (!RatingSubjects.KINDS.contains(kind) || subjectId == null) {
                throw ProblemException.notFound();
            }
            problems.addAll(ratings.check(score, form.get("comment")));
            Ratings.throwIfAny(problems);
            UUID ratingId = uuid(form.get("ratingId"));
            if (ratingId == null) {
                ratings.rate(CatalogueAccess.actor(caller), subjects.held(caller, owner, kind, subjectId), score,
                        form.get("comment"));
            } else {
                ratings.change(subjects.tenantOf(caller, owner), CatalogueAccess.actor(caller), caller.userId(),
                        ratingId, score, form.get("comment"));
            }
        } catch (ProblemException e) {
            if (e.status() == HttpStatus.NOT_FOUND || e.status() == HttpStatus.INTERNAL_SERVER_ERROR) {
                throw e;
            }
            Map<String, Object> model = mineModel(request, caller);
            model.put("failed", key);
            return pages.respond(request, HttpStatus.UNPROCESSABLE_ENTITY, "reports/ratings-mine",
                    pages.withProblem(request, model, e));
        }
        return HttpResponse.seeOther(URI.create("/my/ratings" + lang(request, "?") + "#rated-" + key));
    }

    @Get(value = "/staff/instruments/{id}/ratings", produces = MediaType.TEXT_HTML)
    public HttpResponse<String> staff(HttpRequest<?> request, AuthenticatedUser caller, @PathVariable UUID id,
                                      @Nullable @QueryValue Integer page) {
        return pages.respond(request, HttpStatus.OK, "reports/ratings-staff", staffModel(request, caller, id, page));
    }

    @Post(value = "/staff/instruments/{id}/ratings/{ratingId}/reply", consumes = MediaType.APPLICATION_FORM_URLENCODED,
            produces = MediaType.TEXT_HTML)
    public HttpResponse<String> reply(HttpRequest<?> request, AuthenticatedUser caller, @PathVariable UUID id,
                                      @PathVariable UUID ratingId, @Body Map<String, String> form) {
        catalogue.managed(caller, id);
        if (!ratings.instrumentOf(caller.actingTenant(), ratingId).map(id::equals).orElse(false)) {
            throw ProblemException.notFound();
        }
        try {
            ratings.reply(caller.actingTenant(), CatalogueAccess.actor(caller), caller.userId(), ratingId, form.get("body"));
        } catch (ProblemException e) {
            if (e.status() == HttpStatus.NOT_FOUND) {
                throw e;
            }
            Map<String, Object> model = staffModel(request, caller, id, null);
            model.put("failed", ratingId.toString());
            return pages.respond(request, HttpStatus.UNPROCESSABLE_ENTITY, "reports/ratings-staff",
                    pages.withProblem(request, model, e));
        }
        return HttpResponse.seeOther(URI.create("/staff/instruments/" + id + "/ratings" + lang(request, "?")));
    }

    private Map<String, Object> mineModel(HttpRequest<?> request, AuthenticatedUser caller) {
        Map<String, Object> model = pages.model(request);
        boolean zh = Boolean.TRUE.equals(model.get("zh"));
        ZoneId zone = zone(caller.actingTenant());
        List<RatingSubjects.Rateable> found = subjects.rateable(caller, LIMIT);
        Map<TenantId, List<UUID>> byTenant = new LinkedHashMap<>();
        found.forEach(r -> byTenant.computeIfAbsent(r.tenant(), k -> new ArrayList<>()).add(r.id()));
        Map<UUID, Rating.Own> rated = new HashMap<>();
        byTenant.forEach((t, ids) -> rated.putAll(ratings.ofSubjects(t, caller.userId(), ids)));
        Map<UUID, String> names = new HashMap<>();
        List<Line> lines = new ArrayList<>();
        for (RatingSubjects.Rateable r : found) {
            String name = r.instrumentNameZh() != null ? (zh || r.instrumentNameEn() == null ? r.instrumentNameZh()
                    : r.instrumentNameEn()) : names.computeIfAbsent(r.instrumentId(), i -> instruments.find(r.tenant(), i)
                    .map(x -> name(x, zh)).orElse(i.toString()));
            Rating.Own own = rated.get(r.id());
            lines.add(new Line(r.kind() + "-" + r.id(), r.kind(), r.id().toString(), r.ownerRef(), name,
                    r.ownerNameZh() == null ? null : (zh ? r.ownerNameZh() : r.ownerNameEn()),
                    WHEN.format(r.servedAt().atZone(zone)), own,
                    own == null ? null : WHEN.format(own.changeableUntil().atZone(zone))));
        }
        model.put("lines", lines);
        model.put("zone", zone.getId());
        return model;
    }

    private Map<String, Object> staffModel(HttpRequest<?> request, AuthenticatedUser caller, UUID id,
                                           @Nullable Integer page) {
        Instrument instrument = catalogue.managed(caller, id);
        Map<String, Object> model = pages.model(request);
        boolean zh = Boolean.TRUE.equals(model.get("zh"));
        int p = page == null || page < 0 ? 0 : page;
        ZoneId zone = zone(caller.actingTenant());
        Rating.Summary summary = ratings.summary(caller.actingTenant(), id, false, p, PAGE);
        model.put("instrument", name(instrument, zh));
        model.put("instrumentId", id);
        model.put("aggregate", summary.aggregate());
        model.put("rows", summary.comments().items());
        model.put("dates", summary.comments().items().stream().collect(java.util.stream.Collectors.toMap(
                r -> r.id().toString(), r -> WHEN.format(r.updatedAt().atZone(zone)))));
        model.put("total", summary.comments().total());
        model.put("page", p);
        model.put("size", PAGE);
        return model;
    }

    private ZoneId zone(TenantId tenant) {
        return directory.activeProfile(tenant.toString()).map(t -> ZoneId.of(t.timeZone())).orElse(ZoneId.of("Asia/Shanghai"));
    }

    static String name(Instrument i, boolean zh) {
        return zh || i.nameEn() == null ? i.nameZh() : i.nameEn();
    }

    private static @Nullable Integer score(@Nullable String v, List<FieldProblem> problems) {
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(v.strip());
        } catch (NumberFormatException e) {
            problems.add(new FieldProblem("score", "invalid_format", "validation.invalid_format", Map.of()));
            return 0;
        }
    }

    private static @Nullable UUID uuid(@Nullable String v) {
        try {
            return v == null || v.isBlank() ? null : UUID.fromString(v.strip());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static @Nullable String blank(@Nullable String v) {
        return v == null || v.isBlank() ? null : v.strip();
    }

    static String lang(HttpRequest<?> request, String prefix) {
        String lang = request.getParameters().get("lang");
        return lang == null || !lang.matches("[a-zA-Z-]{2,10}") ? "" : prefix + "lang=" + lang;
    }
}

package org.labcommons.core.billing.interinst;

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
import jakarta.inject.Singleton;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.Action;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.web.NavContributor;
import org.labcommons.core.web.NavLink;
import org.labcommons.core.web.Pages;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The pages between institutions (zh-CN/en, phone first), over the same services and rules as the API
 * ({@link InterinstAccess}):
 * <ul>
 *   <li>{@code /admin/netting}: the consortium's netting runs and one run's pairs ({@code ?run=}, else the newest); the
 *       consortium admin starts a run for a month, an institution's finance office sees its pairs and confirms its
 *       side ({@code POST /admin/netting/{run}/pairs/{pair}/confirm});</li>
 *   <li>{@code /admin/disbursement}: the shares (default and per unit) and the quarterly runs with their lines, for
 *       finance and institution admins.</li>
 * </ul>
 * A form post answers 303 back to its page, or the page again with the problem under its field (422).
 */
@Controller("/admin")
@RequiresRole(PlatformRole.CORE)
@ExecuteOn(TaskExecutors.BLOCKING)
public class InterinstPages {
    private final InterinstAccess access;
    private final Netting netting;
    private final Disbursement disbursement;
    private final Pages pages;

    public InterinstPages(InterinstAccess access, Netting netting, Disbursement disbursement, Pages pages) {
        this.access = access;
        this.netting = netting;
        this.disbursement = disbursement;
        this.pages = pages;
    }

    /** The two pages in the navigation: finance (both) and the consortium admin (netting). */
    @Singleton
    public static class Nav implements NavContributor {
        @Override
        public List<NavLink> navLinks() {
            return List.of(
                    NavLink.forAction("nav.interinst.netting", "/admin/netting", Action.SETTLE_ACCOUNTS, 160),
                    NavLink.forAction("nav.interinst.netting", "/admin/netting", Action.OPERATE_PLATFORM, 161),
                    NavLink.forAction("nav.interinst.disbursement", "/admin/disbursement", Action.SETTLE_ACCOUNTS, 162));
        }
    }

    @Get(value = "/netting", produces = MediaType.TEXT_HTML)
    public HttpResponse<String> netting(HttpRequest<?> request, AuthenticatedUser caller, @Nullable @QueryValue UUID run) {
        return pages.respond(request, HttpStatus.OK, "billing/netting", nettingModel(request, caller, run));
    }

    @Post(value = "/netting", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<String> start(HttpRequest<?> request, AuthenticatedUser caller, @Body Map<String, String> form) {
        var consortium = access.requireOperator(caller);
        try {
            var run = netting.start(consortium, form.get("period"), caller.userId(), InterinstAccess.actor(caller));
            return HttpResponse.seeOther(URI.create("/admin/netting?run=" + run.run().id() + lang(request, "&")));
        } catch (ProblemException e) {
            return failed(request, "billing/netting", nettingModel(request, caller, null), e);
        }
    }

    @Post(value = "/netting/{run}/pairs/{pair}/confirm", consumes = MediaType.APPLICATION_FORM_URLENCODED,
            produces = MediaType.TEXT_HTML)
    public HttpResponse<String> confirm(HttpRequest<?> request, AuthenticatedUser caller, @PathVariable UUID run,
                                        @PathVariable String pair, @Body Map<String, String> form) {
        var institution = access.requireFinance(caller);
        try {
            netting.confirm(institution, run, pair, caller.userId(), InterinstAccess.actor(caller));
            return HttpResponse.seeOther(URI.create("/admin/netting?run=" + run + lang(request, "&")));
        } catch (ProblemException e) {
            return failed(request, "billing/netting", nettingModel(request, caller, run), e);
        }
    }

    @Get(value = "/disbursement", produces = MediaType.TEXT_HTML)
    public HttpResponse<String> disbursement(HttpRequest<?> request, AuthenticatedUser caller, @Nullable @QueryValue UUID run) {
        return pages.respond(request, HttpStatus.OK, "billing/disbursement", disbursementModel(request, caller, run));
    }

    @Post(value = "/disbursement/shares", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<String> shares(HttpRequest<?> request, AuthenticatedUser caller, @Body Map<String, String> form) {
        var tenant = access.requireFinance(caller);
        try {
            UUID unit = blank(form.get("unitId")) ? null : uuid(form.get("unitId"));
            disbursement.setShares(tenant, unit, number(form.get("labBp")), number(form.get("departmentBp")),
                    number(form.get("institutionBp")), caller.userId(), InterinstAccess.actor(caller));
            return HttpResponse.seeOther(URI.create("/admin/disbursement" + lang(request, "?")));
        } catch (ProblemException e) {
            return failed(request, "billing/disbursement", disbursementModel(request, caller, null), e);
        }
    }

    @Post(value = "/disbursement/runs", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<String> runQuarter(HttpRequest<?> request, AuthenticatedUser caller, @Body Map<String, String> form) {
        var tenant = access.requireFinance(caller);
        try {
            var run = disbursement.run(tenant, form.get("quarter"), caller.userId(), InterinstAccess.actor(caller));
            return HttpResponse.seeOther(URI.create("/admin/disbursement?run=" + run.run().id() + lang(request, "&")));
        } catch (ProblemException e) {
            return failed(request, "billing/disbursement", disbursementModel(request, caller, null), e);
        }
    }

    private Map<String, Object> nettingModel(HttpRequest<?> request, AuthenticatedUser caller, @Nullable UUID run) {
        Netting.Viewer viewer = access.viewer(caller);
        Map<String, Object> model = pages.model(request);
        Netting.NettingPage runs = netting.runs(viewer, 0, 24);
        UUID shown = run != null ? run : runs.items().isEmpty() ? null : runs.items().get(0).id();
        model.put("runs", runs.items());
        model.put("run", shown == null ? null : netting.run(viewer, shown));
        model.put("operator", viewer.institution() == null);
        model.put("me", viewer.institution() == null ? "" : viewer.institution().toString());
        return model;
    }

    private Map<String, Object> disbursementModel(HttpRequest<?> request, AuthenticatedUser caller, @Nullable UUID run) {
        var tenant = access.requireFinance(caller);
        Map<String, Object> model = pages.model(request);
        Disbursement.DisbursementPage runs = disbursement.runs(tenant, 0, 24);
        UUID shown = run != null ? run : runs.items().isEmpty() ? null : runs.items().get(0).id();
        model.put("shares", disbursement.shares(tenant));
        model.put("runs", runs.items());
        model.put("run", shown == null ? null : disbursement.view(tenant, shown, false));
        return model;
    }

    private HttpResponse<String> failed(HttpRequest<?> request, String view, Map<String, Object> model, ProblemException e) {
        if (e.status() == HttpStatus.NOT_FOUND || e.status() == HttpStatus.FORBIDDEN) {
            throw e;
        }
        return pages.respond(request, HttpStatus.UNPROCESSABLE_ENTITY, view, pages.withProblem(request, model, e));
    }

    private static boolean blank(@Nullable String s) {
        return s == null || s.isBlank();
    }

    private static UUID uuid(String s) {
        try {
            return UUID.fromString(s.trim());
        } catch (IllegalArgumentException e) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", List.of(
                    new ProblemException.FieldProblem("unitId", "format", "validation.invalid_format", Map.of())));
        }
    }

    private static Integer number(@Nullable String s) {
        try {
            return blank(s) ? null : Integer.valueOf(s.trim());
        } catch (NumberFormatException e) {
            return -1; // answered as out of range
        }
    }

    private static String lang(HttpRequest<?> request, String prefix) {
        String lang = request.getParameters().get("lang");
        return lang == null || !lang.matches("[a-zA-Z-]{2,10}") ? "" : prefix + "lang=" + lang;
    }
}

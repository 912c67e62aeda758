package org.labcommons.core.usage.credentials;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.multipart.CompletedFileUpload;
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

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * {@code /admin/credentials} (zh-CN/en, phone width): the acting tenant's cards and login names, searchable and
 * paged, each removable, with the campus card system's CSV import and its per-line report. For staff and
 * institution admins ({@link PersonCredentials#mayManage}); the same service as the API. The import is posted by
 * htmx (the multipart body carries the CSRF token in the {@code X-CSRF-Token} header).
 */
@Controller("/admin/credentials")
@RequiresRole(PlatformRole.CORE)
@ExecuteOn(TaskExecutors.BLOCKING)
public class CredentialPages {
    static final int PAGE_SIZE = 50;
    private final PersonCredentials credentials;
    private final Pages pages;

    public CredentialPages(PersonCredentials credentials, Pages pages) {
        this.credentials = credentials;
        this.pages = pages;
    }

    /** The page's place in the navigation, for those who may authorise users. */
    @Singleton
    public static class Nav implements NavContributor {
        @Override
        public List<NavLink> navLinks() {
            return List.of(NavLink.forAction("nav.admin.credentials", "/admin/credentials", Action.AUTHORISE_USERS, 115));
        }
    }

    @Get(produces = MediaType.TEXT_HTML)
    public HttpResponse<String> list(HttpRequest<?> request, AuthenticatedUser caller, @Nullable @QueryValue String q,
                                     @Nullable @QueryValue Integer page) {
        credentials.requireManager(caller);
        return pages.respond(request, HttpStatus.OK, "usage/credentials", model(request, caller, q, page, null));
    }

    @Post(value = "/import", consumes = MediaType.MULTIPART_FORM_DATA, produces = MediaType.TEXT_HTML)
    public HttpResponse<String> importCsv(HttpRequest<?> request, AuthenticatedUser caller, CompletedFileUpload file)
            throws IOException {
        AuthenticatedUser user = credentials.requireManager(caller);
        byte[] bytes;
        try (InputStream in = file.getInputStream()) {
            bytes = in.readNBytes(PersonCredentials.MAX_IMPORT_BYTES + 1);
        }
        try {
            PersonCredentials.ImportReport report = credentials.importCsv(user.actingTenant(),
                    CredentialController.actor(user), user.userId(), bytes);
            return pages.respond(request, HttpStatus.OK, "usage/credentials", model(request, user, null, null, report));
        } catch (ProblemException e) {
            // 200 so that htmx swaps the form with its problem in
            return pages.respond(request, HttpStatus.OK, "usage/credentials",
                    pages.withProblem(request, model(request, user, null, null, null), e));
        }
    }

    @Post(value = "/remove", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<String> remove(HttpRequest<?> request, AuthenticatedUser caller, @Body Map<String, String> form) {
        AuthenticatedUser user = credentials.requireManager(caller);
        String kind = form.getOrDefault("kind", "");
        if (!List.of("card", "login").contains(kind)) {
            throw ProblemException.notFound();
        }
        credentials.remove(user.actingTenant(), CredentialController.actor(user), kind, form.getOrDefault("value", ""));
        String lang = request.getParameters().get("lang");
        return HttpResponse.seeOther(URI.create("/admin/credentials" + (lang == null ? "" : "?lang=" + lang)));
    }

    private Map<String, Object> model(HttpRequest<?> request, AuthenticatedUser user, @Nullable String q,
                                      @Nullable Integer page, @Nullable PersonCredentials.ImportReport report) {
        int p = page == null || page < 0 ? 0 : page;
        PersonCredentials.Page found = credentials.list(user.actingTenant(), null, null, q, p, PAGE_SIZE);
        Map<String, Object> model = pages.model(request);
        model.put("q", q == null ? "" : q);
        model.put("items", found.items());
        model.put("total", found.total());
        model.put("page", p);
        model.put("size", PAGE_SIZE);
        model.put("report", report);
        model.put("maxMb", PersonCredentials.MAX_IMPORT_BYTES / (1024 * 1024));
        return model;
    }
}

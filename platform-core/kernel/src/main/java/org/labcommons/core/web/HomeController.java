package org.labcommons.core.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.views.View;
import org.labcommons.core.directory.TenantDirectory;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;

import java.util.Map;

/** The consortium's front page: a search box (when this process serves /search), who is a member and what they share, in zh-CN or en. */
@Controller
@RequiresRole(PlatformRole.CORE)
public class HomeController {
    private final TenantDirectory directory;
    private final Pages pages;

    public HomeController(TenantDirectory directory, Pages pages) {
        this.directory = directory;
        this.pages = pages;
    }

    @Get(produces = MediaType.TEXT_HTML)
    @View("home")
    @ExecuteOn(TaskExecutors.BLOCKING)
    public Map<String, Object> home(HttpRequest<?> request, @Nullable @QueryValue String lang) {
        Map<String, Object> model = pages.model(request, lang);
        model.put("tenants", directory.activeTenants());
        model.put("searchPage", pages.hasPage("/search"));
        return model;
    }
}

package org.labcommons.core.web;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.views.View;
import org.labcommons.core.directory.TenantDirectory;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.AuthenticatedUser;

import java.util.Map;

/**
 * {@code GET /account}: the signed-in person's page (who the platform takes them for, their
 * institution and their roles there), the page counterpart of {@code GET /api/v1/me}.
 */
@Controller
@RequiresRole(PlatformRole.CORE)
public class AccountController {
    private final Pages pages;
    private final TenantDirectory directory;

    public AccountController(Pages pages, TenantDirectory directory) {
        this.pages = pages;
        this.directory = directory;
    }

    @Get(value = "/account", produces = MediaType.TEXT_HTML)
    @View("account")
    @ExecuteOn(TaskExecutors.BLOCKING)
    public Map<String, Object> account(HttpRequest<?> request, AuthenticatedUser caller) {
        Map<String, Object> model = pages.model(request);
        directory.activeTenants().stream().filter(t -> t.id().equals(caller.homeTenant())).findFirst()
                .ifPresent(t -> model.put("homeTenant", t));
        return model;
    }
}

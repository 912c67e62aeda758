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
import org.labcommons.core.i18n.Messages;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.web.auth.WebSession;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** The consortium's front page: who is a member and what they share, in zh-CN or en. */
@Controller
@RequiresRole(PlatformRole.CORE)
public class HomeController {
    private final TenantDirectory directory;
    private final Messages messages;

    public HomeController(TenantDirectory directory, Messages messages) {
        this.directory = directory;
        this.messages = messages;
    }

    @Get(produces = MediaType.TEXT_HTML)
    @View("home")
    @ExecuteOn(TaskExecutors.BLOCKING)
    public Map<String, Object> home(HttpRequest<?> request, @Nullable @QueryValue String lang) {
        Locale locale = UiLocale.resolve(request, lang);
        Map<String, Object> model = new HashMap<>();
        model.put("t", messages.all(locale));
        model.put("lang", locale.toLanguageTag());
        model.put("zh", Messages.ZH_CN.equals(locale));
        model.put("tenants", directory.activeTenants());
        request.getAttribute(WebSession.ATTRIBUTE, WebSession.class).ifPresent(s -> model.put("session", s));
        return model;
    }
}

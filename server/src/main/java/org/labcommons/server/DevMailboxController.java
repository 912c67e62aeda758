package org.labcommons.server;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.views.View;
import org.labcommons.core.web.Pages;
import org.labcommons.devstack.mail.DevMailServer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /dev/mailbox}: every mail the dev stack's SMTP server received, newest first, so a
 * person trying the platform in dev mode can read an invitation and open its link. It exists only
 * in dev mode: {@link DevMode} sets {@value #ENABLED} and hands the running {@link DevMailServer}
 * to the application; a production process has neither, so the route does not exist there.
 */
@Controller("/dev/mailbox")
@Requires(property = DevMailboxController.ENABLED, value = "true")
@Requires(beans = DevMailServer.class)
public class DevMailboxController {
    public static final String ENABLED = "labcommons.dev.mailbox";

    private final DevMailServer mail;
    private final Pages pages;

    public DevMailboxController(DevMailServer mail, Pages pages) {
        this.mail = mail;
        this.pages = pages;
    }

    @Get(produces = MediaType.TEXT_HTML)
    @View("dev/mailbox")
    @ExecuteOn(TaskExecutors.BLOCKING)
    public Map<String, Object> mailbox(HttpRequest<?> request) {
        List<DevMailServer.ReceivedMail> all = new ArrayList<>(mail.messages());
        Collections.reverse(all);
        Map<String, Object> model = pages.model(request);
        model.put("messages", all);
        model.put("smtpPort", mail.port());
        return model;
    }
}

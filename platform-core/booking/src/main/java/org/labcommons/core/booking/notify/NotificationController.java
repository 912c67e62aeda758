package org.labcommons.core.booking.notify;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import org.labcommons.core.booking.BookingAccess;
import org.labcommons.core.catalog.CatalogueAccess;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.Problems;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.AuthenticatedUser;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The caller's in-app notifications in the acting tenant (newest first, worded in the caller's
 * Accept-Language), marking one read, and the language their notification mail is written in.
 */
@Controller("/api/v1/notifications")
@RequiresRole(PlatformRole.CORE)
@ExecuteOn(TaskExecutors.BLOCKING)
public class NotificationController {
    private final Notifications notifications;
    private final CatalogueAccess catalogue;

    public NotificationController(Notifications notifications, CatalogueAccess catalogue) {
        this.notifications = notifications;
        this.catalogue = catalogue;
    }

    @Serdeable
    public record Items(List<Notifications.Notice> items, long unread) {
    }

    @Serdeable
    public record LanguageInput(@Nullable String language) {
    }

    @Operation(summary = "List the caller's notifications")
    @Get
    public Items list(HttpRequest<?> request, AuthenticatedUser caller, @Nullable @QueryValue Boolean unread) {
        AuthenticatedUser user = member(caller);
        List<Notifications.Notice> items = notifications.list(user.actingTenant(), user.userId(),
                Boolean.TRUE.equals(unread), Problems.locale(request));
        return new Items(items, items.stream().filter(n -> !n.read()).count());
    }

    @Operation(summary = "Mark a notification as read")
    @Post("/{id}/read")
    public HttpResponse<?> read(AuthenticatedUser caller, @PathVariable UUID id) {
        AuthenticatedUser user = member(caller);
        notifications.markRead(user.actingTenant(), user.userId(), id);
        return HttpResponse.noContent();
    }

    @Operation(summary = "Set the language of the caller's notifications")
    @Put("/language")
    public HttpResponse<?> language(AuthenticatedUser caller, @Body LanguageInput input) {
        AuthenticatedUser user = member(caller);
        String language = input == null ? null : input.language();
        if (!"zh-CN".equals(language) && !"en".equals(language)) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", List.of(
                    new ProblemException.FieldProblem("language", "language", "validation.notification.language", Map.of())));
        }
        notifications.setLanguage(user.userId(), language, user.actingTenant());
        return HttpResponse.noContent();
    }

    /** The caller, who must be a member of the acting tenant. */
    private AuthenticatedUser member(AuthenticatedUser user) {
        catalogue.requireMember(user);
        return user;
    }
}

package org.labcommons.tenantadmin.devices;

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
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.web.PageForbiddenException;
import org.labcommons.core.web.Pages;
import org.labcommons.iot.devices.Device;
import org.labcommons.iot.devices.DeviceKind;
import org.labcommons.iot.devices.DeviceRegistry;
import org.labcommons.iot.devices.NewDevice;
import org.labcommons.iot.devices.Provisioned;

import java.net.URI;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The institution admin's device pages ({@code /admin/devices}, zh-CN and en, phone first): the
 * list with status, a device's page, create, rotate and revoke. They call {@link DeviceRegistry} as
 * the API does. A secret is shown once, on the page that answers the create or rotate form (never
 * stored, never in a redirect or a later page); its config file is offered as a {@code data:} link
 * on that page. A device of another tenant is a 404 page.
 */
@Controller("/admin/devices")
@RequiresRole(PlatformRole.TENANT_ADMIN)
@ExecuteOn(TaskExecutors.BLOCKING)
public class DevicePages {
    static final int PAGE_SIZE = 20;
    private static final String FORM = MediaType.APPLICATION_FORM_URLENCODED;
    private static final List<String> NOTICES = List.of("revoked", "key_registered");

    private final Pages pages;
    private final DeviceRegistry registry;
    private final DeviceAccess access;
    private final DeviceViews views;

    public DevicePages(Pages pages, DeviceRegistry registry, DeviceAccess access, DeviceViews views) {
        this.pages = pages;
        this.registry = registry;
        this.access = access;
        this.views = views;
    }

    @Get(produces = MediaType.TEXT_HTML)
    public HttpResponse<String> list(HttpRequest<?> request, AuthenticatedUser caller,
                                     @QueryValue(defaultValue = "0") int page) {
        AuthenticatedUser user = require(caller);
        int shown = Math.max(0, Math.min(page, 100_000));
        DeviceRegistry.Page listed = registry.list(user.actingTenant(), null, shown, PAGE_SIZE);
        Map<String, Object> model = views.base(request, user);
        model.put("devices", listed.items());
        model.put("total", listed.total());
        model.put("page", shown);
        model.put("size", PAGE_SIZE);
        model.put("attached", views.attachments(user.actingTenant(), listed.items(), DeviceViews.zh(model)));
        return pages.respond(request, HttpStatus.OK, "devices/list", model);
    }

    @Get(value = "/new", produces = MediaType.TEXT_HTML)
    public HttpResponse<String> newForm(HttpRequest<?> request, AuthenticatedUser caller,
                                        @Nullable @QueryValue UUID instrumentId) {
        AuthenticatedUser user = require(caller);
        Map<String, String> form = new HashMap<>();
        form.put("kind", DeviceKind.POWER_INTERLOCK.code());
        if (instrumentId != null) {
            form.put("instrumentId", instrumentId.toString());
        }
        return formPage(request, user, form, null, HttpStatus.OK);
    }

    @Post(value = "/new", consumes = FORM, produces = MediaType.TEXT_HTML)
    public HttpResponse<String> create(HttpRequest<?> request, AuthenticatedUser caller, @Body Map<String, String> form) {
        AuthenticatedUser user = require(caller);
        try {
            UUID instrumentId = blank(form.get("instrumentId")) ? null : UUID.fromString(form.get("instrumentId").strip());
            Provisioned created = registry.create(user.actingTenant(), DeviceAccess.actor(user), user.userId(),
                    new NewDevice(form.get("kind"), form.get("name"), instrumentId, form.get("room"),
                            form.get("publicKey"), "on".equals(form.get("claimCode")) || "true".equals(form.get("claimCode"))));
            return credentials(request, user, created, "created");
        } catch (IllegalArgumentException e) {
            return formPage(request, user, form, new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed",
                    List.of(new ProblemException.FieldProblem("instrumentId", "invalid", "validation.invalid_format",
                            Map.of()))), HttpStatus.UNPROCESSABLE_ENTITY);
        } catch (ProblemException e) {
            if (e.fieldProblems().isEmpty()) {
                throw e;
            }
            return formPage(request, user, form, e, HttpStatus.UNPROCESSABLE_ENTITY);
        }
    }

    @Get(value = "/{id}", produces = MediaType.TEXT_HTML)
    public HttpResponse<String> detail(HttpRequest<?> request, AuthenticatedUser caller, @PathVariable String id,
                                       @Nullable @QueryValue String done) {
        AuthenticatedUser user = require(caller);
        Device device = find(user, id);
        Map<String, Object> model = views.base(request, user);
        model.put("device", device);
        model.put("attached", views.attachments(user.actingTenant(), List.of(device), DeviceViews.zh(model)));
        model.put("done", done != null && NOTICES.contains(done) ? done : null);
        return pages.respond(request, HttpStatus.OK, "devices/detail", model);
    }

    @Post(value = "/{id}/rotate", consumes = FORM, produces = MediaType.TEXT_HTML)
    public HttpResponse<String> rotate(HttpRequest<?> request, AuthenticatedUser caller, @PathVariable String id) {
        AuthenticatedUser user = require(caller);
        Device device = find(user, id);
        return credentials(request, user, registry.rotate(user.actingTenant(), DeviceAccess.actor(user), device.id()),
                "rotated");
    }

    @Get(value = "/{id}/revoke", produces = MediaType.TEXT_HTML)
    public HttpResponse<String> confirmRevoke(HttpRequest<?> request, AuthenticatedUser caller, @PathVariable String id) {
        AuthenticatedUser user = require(caller);
        Device device = find(user, id);
        if (device.revoked()) {
            return HttpResponse.<String>seeOther(URI.create("/admin/devices/" + device.id()));
        }
        Map<String, Object> model = views.base(request, user);
        model.put("device", device);
        return pages.respond(request, HttpStatus.OK, "devices/revoke", model);
    }

    @Post(value = "/{id}/revoke", consumes = FORM, produces = MediaType.TEXT_HTML)
    public HttpResponse<String> revoke(HttpRequest<?> request, AuthenticatedUser caller, @PathVariable String id) {
        AuthenticatedUser user = require(caller);
        Device device = find(user, id);
        if (!device.revoked()) {
            registry.revoke(user.actingTenant(), DeviceAccess.actor(user), user.userId(), device.id());
        }
        return HttpResponse.<String>seeOther(URI.create("/admin/devices/" + device.id() + "?done=revoked"));
    }

    @Post(value = "/{id}/public-key", consumes = FORM, produces = MediaType.TEXT_HTML)
    public HttpResponse<String> registerKey(HttpRequest<?> request, AuthenticatedUser caller, @PathVariable String id,
                                           @Body Map<String, String> form) {
        AuthenticatedUser user = require(caller);
        Device device = find(user, id);
        try {
            registry.registerKey(user.actingTenant(), DeviceAccess.actor(user), device.id(), form.get("publicKey"));
            return HttpResponse.<String>seeOther(URI.create("/admin/devices/" + device.id() + "?done=key_registered"));
        } catch (ProblemException e) {
            if (e.fieldProblems().isEmpty()) {
                throw e;
            }
            Map<String, Object> model = pages.withProblem(request, views.base(request, user), e);
            model.put("device", device);
            model.put("attached", views.attachments(user.actingTenant(), List.of(device), DeviceViews.zh(model)));
            model.put("keyForm", form);
            return pages.respond(request, HttpStatus.UNPROCESSABLE_ENTITY, "devices/detail", model);
        }
    }

    private HttpResponse<String> formPage(HttpRequest<?> request, AuthenticatedUser user, Map<String, String> form,
                                          @Nullable ProblemException problem, HttpStatus status) {
        Map<String, Object> model = views.base(request, user);
        if (problem != null) {
            model = pages.withProblem(request, model, problem);
        }
        model.put("form", form);
        model.put("kinds", Arrays.stream(DeviceKind.values()).map(DeviceKind::code).toList());
        model.put("instruments", views.instrumentChoices(user.actingTenant(), DeviceViews.zh(model)));
        return pages.respond(request, status, "devices/new", model);
    }

    /** The page that shows a secret (or claim code) once, with the config file as a download. */
    private HttpResponse<String> credentials(HttpRequest<?> request, AuthenticatedUser user, Provisioned p, String what) {
        Map<String, Object> model = views.base(request, user);
        model.put("device", p.device());
        model.put("secret", p.secret());
        model.put("claimCode", p.claimCode());
        model.put("config", p.config());
        model.put("configHref", p.config() == null ? null : DeviceViews.dataLink(p.config()));
        model.put("fileName", "device-" + p.device().id() + ".json");
        model.put("what", what);
        model.put("attached", views.attachments(user.actingTenant(), List.of(p.device()), DeviceViews.zh(model)));
        return pages.respond(request, HttpStatus.OK, "devices/credentials",
                model).header("Cache-Control", "no-store");
    }

    private AuthenticatedUser require(AuthenticatedUser user) {
        if (!access.allows(user)) {
            throw new PageForbiddenException(PageForbiddenException.FORBIDDEN);
        }
        return user;
    }

    private Device find(AuthenticatedUser user, String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound();
        }
        return registry.find(user.actingTenant(), uuid).orElseThrow(ProblemException::notFound);
    }

    private static boolean blank(@Nullable String s) {
        return s == null || s.isBlank();
    }
}

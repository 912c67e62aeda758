package org.labcommons.core.web;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.views.View;
import io.micronaut.core.annotation.Nullable;
import org.labcommons.core.directory.TenantDirectory;
import org.labcommons.core.org.OrgUnit;
import org.labcommons.core.org.OrgUnitService;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.security.RoleAssignment;
import org.labcommons.core.security.ScopeType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code GET /account}: the signed-in person's page (who the platform takes them for, their
 * institution and their roles there), the page counterpart of {@code GET /api/v1/me}. A role's scope is
 * named (the unit or the instrument, in the page's language), never shown as an id.
 */
@Controller
@RequiresRole(PlatformRole.CORE)
public class AccountController {
    private final Pages pages;
    private final TenantDirectory directory;
    private final OrgUnitService units;
    private final Optional<InstrumentNames> instruments;

    public AccountController(Pages pages, TenantDirectory directory, OrgUnitService units,
                             Optional<InstrumentNames> instruments) {
        this.pages = pages;
        this.directory = directory;
        this.units = units;
        this.instruments = instruments;
    }

    /** A role as the page shows it: the role, the kind of scope, and the scope's name (null for the whole institution). */
    public record RoleView(String role, String scopeType, @Nullable String scopeName) {
    }

    @Get(value = "/account", produces = MediaType.TEXT_HTML)
    @View("account")
    @ExecuteOn(TaskExecutors.BLOCKING)
    public Map<String, Object> account(HttpRequest<?> request, AuthenticatedUser caller) {
        Map<String, Object> model = pages.model(request);
        directory.activeTenants().stream().filter(t -> t.id().equals(caller.homeTenant())).findFirst()
                .ifPresent(t -> model.put("homeTenant", t));
        model.put("roleViews", roleViews(caller, Boolean.TRUE.equals(model.get("zh"))));
        return model;
    }

    private List<RoleView> roleViews(AuthenticatedUser caller, boolean zh) {
        List<UUID> instrumentIds = caller.roles().stream().filter(r -> r.scopeType() == ScopeType.INSTRUMENT
                && r.scopeId() != null).map(RoleAssignment::scopeId).toList();
        Map<UUID, String> instrumentNames = instrumentIds.isEmpty() ? Map.of()
                : instruments.map(n -> n.names(caller.actingTenant(), instrumentIds, zh)).orElse(Map.of());
        List<RoleView> out = new ArrayList<>();
        for (RoleAssignment r : caller.roles()) {
            String name = null;
            if (r.scopeId() != null && r.scopeType() == ScopeType.ORG_UNIT) {
                name = units.find(r.tenant(), r.scopeId()).map(u -> unitName(u, zh)).orElse(null);
            } else if (r.scopeId() != null && r.scopeType() == ScopeType.INSTRUMENT) {
                name = instrumentNames.get(r.scopeId());
            }
            out.add(new RoleView(r.role().id(), r.scopeType().id(), name));
        }
        return out;
    }

    private static String unitName(OrgUnit u, boolean zh) {
        return zh ? u.nameZh() : u.nameEn();
    }
}

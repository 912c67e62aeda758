package org.labcommons.core.catalog;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestBean;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.labcommons.core.directory.TenantDirectory.TenantProfile;
import org.labcommons.core.directory.TenantDirectory;
import org.labcommons.core.org.OrgUnit;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.web.PageForbiddenException;
import org.labcommons.core.web.Pages;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import static org.labcommons.core.catalog.InstrumentAdminPages.PAGE_SIZE;
import static org.labcommons.core.catalog.InstrumentAdminPages.SORTS;

/**
 * The institution admin's instrument list for their acting tenant: the API's filters, sort and
 * paging as a form, the export link with the same filters, and which rows the caller may manage
 * ({@link CatalogueAccess}). The editor and documents are {@link InstrumentAdminPages}.
 */
@Controller("/admin/instruments")
@RequiresRole(PlatformRole.CORE)
@ExecuteOn(TaskExecutors.BLOCKING)
public class InstrumentListPages {
    private final InstrumentService service;
    private final CatalogueAccess rules;
    private final Classifications classifications;
    private final TenantDirectory directory;
    private final CataloguePages catalogue;
    private final Pages pages;

    public InstrumentListPages(InstrumentService service, CatalogueAccess rules, Classifications classifications,
                               TenantDirectory directory, CataloguePages catalogue, Pages pages) {
        this.service = service;
        this.rules = rules;
        this.classifications = classifications;
        this.directory = directory;
        this.catalogue = catalogue;
        this.pages = pages;
    }

    /**
     * The list page's form fields, as typed: a value the page cannot use is left out of the filter
     * (the page shows the list without it) rather than refused as the API would.
     */
    @Introspected
    public record ListForm(@Nullable @QueryValue String q, @Nullable @QueryValue String status,
                           @Nullable @QueryValue String scope, @Nullable @QueryValue String classification,
                           @Nullable @QueryValue String orgUnitId, @Nullable @QueryValue String minValue,
                           @Nullable @QueryValue String maxValue, @Nullable @QueryValue String requiresIot,
                           @Nullable @QueryValue String stale, @Nullable @QueryValue String flag,
                           @Nullable @QueryValue String sort, @Nullable @QueryValue String includeArchived,
                           @Nullable @QueryValue String page) {
    }

    @Get(produces = MediaType.TEXT_HTML)
    public HttpResponse<?> list(HttpRequest<?> request, AuthenticatedUser user, @RequestBean ListForm form,
                                @Nullable @QueryValue String done) {
        Map<String, Object> model = pages.model(request);
        boolean zh = (boolean) model.get("zh");
        TenantProfile tenant = tenantOf(user);
        boolean manager = rules.mayManageSomething(user);

        String q = blankToNull(form.q());
        String chosenStatus = CataloguePages.oneOf(InstrumentQuery.STATUSES, form.status()) ? form.status() : null;
        String chosenScope = CataloguePages.oneOf(InstrumentQuery.SCOPES, form.scope())
                && (manager || !"private".equals(form.scope())) ? form.scope() : null;
        String chosenClass = form.classification() != null && classifications.exists(form.classification())
                ? form.classification() : null;
        Map<UUID, OrgUnit> units = catalogue.unitsOf(user.actingTenant());
        UUID asked = CataloguePages.uuid(form.orgUnitId());
        UUID unit = asked != null && units.containsKey(asked) ? asked : null;
        Long min = yuanToFen(form.minValue());
        Long max = yuanToFen(form.maxValue());
        Boolean iot = bool(form.requiresIot());
        Boolean isStale = bool(form.stale());
        String chosenFlag = CataloguePages.oneOf(InstrumentQuery.FLAGS.keySet(), form.flag()) ? form.flag() : null;
        String chosenSort = CataloguePages.oneOf(SORTS, form.sort()) ? form.sort() : "assetNumber";
        String apiSort = chosenSort.equals("name") ? (zh ? "nameZh" : "nameEn") : chosenSort;
        boolean archived = "true".equals(form.includeArchived()) && manager;
        int pageNo = CataloguePages.pageNumber(form.page());

        InstrumentFilter filter = new InstrumentFilter(q, chosenStatus, chosenScope, chosenClass, unit, min, max, iot,
                isStale, chosenFlag, apiSort, archived);
        InstrumentQuery query = guarded(() -> rules.query(user, filter, pageNo * PAGE_SIZE, PAGE_SIZE));
        InstrumentService.Page result = service.list(user.actingTenant(), query);
        int last = CataloguePages.lastPage(result.total());
        if (pageNo > last && result.total() > 0) {
            result = service.list(user.actingTenant(), query.page(last * PAGE_SIZE, PAGE_SIZE));
        }
        Map<UUID, Boolean> manageable = new HashMap<>();
        for (Instrument i : result.items()) {
            manageable.put(i.id(), rules.mayManage(user, i));
        }
        // likely duplicates of the records on this page, for those who manage them
        Map<UUID, java.util.List<LikelyDuplicates.Duplicate>> likely = rules.likelyDuplicates(user,
                result.items().stream().map(Instrument::id).toList());

        Map<String, String> params = new LinkedHashMap<>();
        params.put("q", q);
        params.put("status", chosenStatus);
        params.put("scope", chosenScope);
        params.put("classification", chosenClass);
        params.put("orgUnitId", unit == null ? null : unit.toString());
        params.put("minValue", min == null ? null : PageFormat.yuan(min));
        params.put("maxValue", max == null ? null : PageFormat.yuan(max));
        params.put("requiresIot", iot == null ? null : iot.toString());
        params.put("stale", isStale == null ? null : isStale.toString());
        params.put("flag", chosenFlag);
        params.put("sort", chosenSort.equals("assetNumber") ? null : chosenSort);
        params.put("includeArchived", archived ? "true" : null);

        // the export takes the API's parameters: the same filters, money in fen
        Map<String, String> api = new LinkedHashMap<>();
        api.put("q", q);
        api.put("status", chosenStatus);
        api.put("scope", chosenScope);
        api.put("classification", chosenClass);
        api.put("orgUnitId", unit == null ? null : unit.toString());
        api.put("minValueFen", min == null ? null : min.toString());
        api.put("maxValueFen", max == null ? null : max.toString());
        api.put("requiresIot", iot == null ? null : iot.toString());
        api.put("stale", isStale == null ? null : isStale.toString());
        api.put("flag", chosenFlag);
        api.put("sort", apiSort);
        api.put("includeArchived", archived ? "true" : null);

        model.put("tenant", tenant);
        model.put("tenantName", tenant.name(zh));
        model.put("fmt", new PageFormat((Locale) model.get("locale"), zh, tenant.timeZone(), classifications, units));
        model.put("items", result.items());
        model.put("total", result.total());
        model.put("manageable", manageable);
        model.put("duplicates", likely);
        model.put("manager", manager);
        model.put("canCreate", manager);
        model.put("f", params);
        model.put("advanced", java.util.stream.Stream.of("orgUnitId", "status", "scope", "flag", "requiresIot", "stale",
                "minValue", "maxValue").anyMatch(k -> params.get(k) != null));
        model.put("q", params.get("q") == null ? "" : params.get("q"));
        model.put("sort", chosenSort);
        model.put("includeArchived", archived);
        model.put("statuses", InstrumentQuery.STATUSES);
        model.put("scopes", manager ? InstrumentQuery.SCOPES : InstrumentQuery.SCOPES.subList(1, 5));
        model.put("flags", InstrumentForm.FLAGS);
        model.put("sorts", SORTS);
        model.put("classOptions", catalogue.classOptions(zh, 2));
        model.put("unitOptions", units.values().stream()
                .map(u -> new CataloguePages.Option(u.id().toString(), (zh ? u.nameZh() : u.nameEn()) + " (" + u.code() + ")", 1))
                .toList());
        model.put("pageLinks", CataloguePages.pageLinks("/admin/instruments", params, Math.min(pageNo, last), last));
        model.put("exportHref", CataloguePages.href("/api/v1/instruments/export", api, 0));
        model.put("done", "archived".equals(done) ? "archived" : null);
        model.put("catalogueHref", "/t/" + tenant.slug() + "/instruments");
        return CataloguePages.html(HttpStatus.OK, "admin/instruments/list", model);
    }

    private static <T> T guarded(java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (ProblemException e) {
            if (e.status() == HttpStatus.FORBIDDEN) {
                throw new PageForbiddenException(PageForbiddenException.FORBIDDEN);
            }
            throw e;
        }
    }

    private TenantProfile tenantOf(AuthenticatedUser user) {
        return directory.activeProfile(user.actingTenant().toString())
                .orElseThrow(() -> new PageForbiddenException(PageForbiddenException.SUSPENDED));
    }

    @Nullable
    private static Long yuanToFen(@Nullable String typed) {
        if (typed == null || typed.isBlank()) {
            return null;
        }
        try {
            long fen = InstrumentForm.fen(typed);
            return fen < 0 ? null : fen;
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }

    @Nullable
    private static Boolean bool(@Nullable String v) {
        return "true".equals(v) ? Boolean.TRUE : "false".equals(v) ? Boolean.FALSE : null;
    }

    @Nullable
    private static String blankToNull(@Nullable String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}

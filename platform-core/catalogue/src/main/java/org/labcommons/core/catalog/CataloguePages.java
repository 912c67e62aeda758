package org.labcommons.core.catalog;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.views.ModelAndView;
import org.labcommons.core.directory.TenantDirectory.TenantProfile;
import org.labcommons.core.directory.TenantDirectory;
import org.labcommons.core.org.OrgUnit;
import org.labcommons.core.org.OrgUnitService;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.web.Pages;
import org.labcommons.core.web.maps.MapTiles;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A tenant's public catalogue as pages: the searchable list at {@code /t/{slug}/instruments} and
 * each instrument's page with its location on a map. What a viewer sees is exactly what
 * {@link PublicCatalogue} lets them see (a visitor: public entries; a signed-in member of the
 * consortium, the network or the institution: more). An unknown or suspended tenant, and an
 * instrument the viewer may not see, are the same 404 page. {@code /catalogue} leads a signed-in
 * person to their own institution's catalogue and anyone else to the list of members.
 */
@Controller
@RequiresRole(PlatformRole.CORE)
@ExecuteOn(TaskExecutors.BLOCKING)
public class CataloguePages {
    static final int PAGE_SIZE = 20;
    static final List<String> PUBLIC_SORTS = List.of("name", "-originalValue", "originalValue", "-purchaseDate",
            "-updatedAt");

    private final PublicCatalogue catalogue;
    private final Classifications classifications;
    private final OrgUnitService units;
    private final InstrumentDocuments documents;
    private final TenantDirectory directory;
    private final Pages pages;
    private final YourPrice yourPrice;
    private final CatalogueAccess access;
    private final List<InstrumentPagePanel> panels;
    private final MapTiles maps;

    public CataloguePages(PublicCatalogue catalogue, Classifications classifications, OrgUnitService units,
                          InstrumentDocuments documents, TenantDirectory directory, Pages pages,
                          YourPrice yourPrice, CatalogueAccess access, List<InstrumentPagePanel> panels, MapTiles maps) {
        this.catalogue = catalogue;
        this.classifications = classifications;
        this.units = units;
        this.documents = documents;
        this.directory = directory;
        this.pages = pages;
        this.yourPrice = yourPrice;
        this.access = access;
        this.panels = panels;
        this.maps = maps;
    }

    /** A choice in a select: its value, its label and its depth (for indenting level-2 classes). */
    public record Option(String value, String label, int level) {
    }

    /** The published prices of one rate group, as the instrument page lists them; {@code yours}: the viewer's group. */
    public record PriceGroup(String code, String name, List<PriceLine> lines, boolean yours) {
    }

    /** One price: what it is for (machine time or a service), the amount and the unit, a note. */
    public record PriceLine(String what, String amount, String unit, @Nullable String note) {
    }

    /** A link to another page of results. */
    public record PageLink(String label, @Nullable String href, boolean current) {
    }

    /** The navigation's "Catalogue": one's own institution when signed in, else the members on the home page. */
    @Get(value = "/catalogue", produces = MediaType.TEXT_HTML)
    public HttpResponse<?> mine(@Nullable AuthenticatedUser caller) {
        Optional<TenantProfile> tenant = Optional.ofNullable(caller).flatMap(c -> directory.activeProfile(c.actingTenant().toString()))
                .filter(t -> "institution".equals(t.kind()));
        return HttpResponse.seeOther(URI.create(tenant.map(t -> "/t/" + t.slug() + "/instruments").orElse("/#tenants")));
    }

    @Get(value = "/t/{slug}/instruments", produces = MediaType.TEXT_HTML)
    public HttpResponse<?> list(HttpRequest<?> request, @Nullable AuthenticatedUser viewer, @PathVariable String slug,
                                @Nullable @QueryValue String q, @Nullable @QueryValue String status,
                                @Nullable @QueryValue String classification, @Nullable @QueryValue String sort,
                                @Nullable @QueryValue String page) {
        Optional<TenantProfile> found = owner(slug);
        if (found.isEmpty()) {
            return notFound(request);
        }
        TenantProfile owner = found.get();
        Map<String, Object> model = pages.model(request);
        boolean zh = (boolean) model.get("zh");
        String chosenStatus = oneOf(InstrumentQuery.STATUSES, status) ? status : null;
        String chosenClass = classification != null && classifications.exists(classification)
                && classifications.find(classification).get().level() <= 2 ? classification : null;
        String chosenSort = oneOf(PUBLIC_SORTS, sort) ? sort : "name";
        String column = chosenSort.equals("name") ? (zh ? "nameZh" : "nameEn") : chosenSort.replace("-", "");
        int pageNo = pageNumber(page);
        String text = q == null || q.isBlank() ? null : q.strip();
        InstrumentQuery query = new InstrumentQuery(text, chosenStatus, null, chosenClass, null, null, null, null, null,
                null, List.of(), false, column, chosenSort.startsWith("-"), pageNo * PAGE_SIZE, PAGE_SIZE);
        InstrumentService.Page result = catalogue.list(owner, viewer, query);
        int last = lastPage(result.total());
        if (pageNo > last && result.total() > 0) {
            pageNo = last;
            result = catalogue.list(owner, viewer, query.page(pageNo * PAGE_SIZE, PAGE_SIZE));
        }

        model.put("owner", owner);
        model.put("ownerName", owner.name(zh));
        model.put("fmt", format(model, owner));
        model.put("items", result.items());
        model.put("total", result.total());
        model.put("q", text == null ? "" : text);
        model.put("status", chosenStatus == null ? "" : chosenStatus);
        model.put("classification", chosenClass == null ? "" : chosenClass);
        model.put("sort", chosenSort);
        model.put("statuses", InstrumentQuery.STATUSES);
        model.put("sorts", PUBLIC_SORTS);
        model.put("classOptions", classOptions(zh, 2));
        model.put("signedIn", viewer != null);
        model.put("searchHref", !pages.hasPage("/search") ? null
                : text == null ? "/search" : "/search?q=" + URLEncoder.encode(text, StandardCharsets.UTF_8));
        String base = "/t/" + owner.slug() + "/instruments";
        Map<String, String> params = new LinkedHashMap<>();
        params.put("q", text);
        params.put("status", chosenStatus);
        params.put("classification", chosenClass);
        params.put("sort", chosenSort.equals("name") ? null : chosenSort);
        model.put("pageLinks", pageLinks(base, params, pageNo, last));
        model.put("pageNo", pageNo + 1);
        model.put("pageCount", last + 1);
        return html(HttpStatus.OK, "catalogue/list", model);
    }

    @Get(value = "/t/{slug}/instruments/{id}", produces = MediaType.TEXT_HTML)
    public HttpResponse<?> detail(HttpRequest<?> request, @Nullable AuthenticatedUser viewer, @PathVariable String slug,
                                  @PathVariable String id) {
        Optional<TenantProfile> owner = owner(slug);
        UUID instrumentId = uuid(id);
        if (owner.isEmpty() || instrumentId == null) {
            return notFound(request);
        }
        Optional<Instrument> found = catalogue.find(owner.get(), viewer, instrumentId);
        if (found.isEmpty()) {
            return notFound(request);
        }
        Map<String, Object> model = pages.model(request);
        boolean zh = (boolean) model.get("zh");
        boolean staff = staffOf(owner.get(), viewer, found.get());
        // the owner's staff see the record as it is stored (with its internal note); anyone else the public copy
        Instrument i = staff ? catalogue.instruments().find(owner.get().id(), instrumentId).orElse(found.get()) : found.get();
        PageFormat fmt = format(model, owner.get());
        model.put("owner", owner.get());
        model.put("ownerName", owner.get().name(zh));
        model.put("fmt", fmt);
        model.put("i", i);
        model.put("classPath", classifications.path(i.classificationCode()));
        model.put("staff", staff);
        model.put("flagsSet", flagsSet(i).stream().filter(f -> !INTERNAL_FLAGS.contains(f)).toList());
        model.put("internalFlagsSet", staff ? flagsSet(i).stream().filter(INTERNAL_FLAGS::contains).toList() : List.of());
        boolean located = i.latitude() != null && i.longitude() != null;
        model.put("hasLocation", located);
        // where the deployment's tiles draw the stored (WGS-84) place: moved to GCJ-02 for such a provider
        model.put("mapPoint", located ? maps.point(i.latitude().doubleValue(), i.longitude().doubleValue()) : null);
        model.put("mapLabel", String.join(" ", List.of(fmt.name(i), nz(i.building()), nz(i.room()))).strip());
        model.put("base", "/t/" + owner.get().slug() + "/instruments");
        YourPrice.View yours = yourPrice.of(owner.get(), i, viewer, zh);
        model.put("yourPrice", yours);
        List<PriceGroup> groups = i.prices().isEmpty() ? List.of()
                : priceGroups(i, yours.groups(), fmt, zh, castMessages(model), yours.code());
        model.put("priceGroups", groups);
        model.put("yourGroup", groups.stream().filter(PriceGroup::yours).findFirst().orElse(null));
        List<InstrumentPagePanel.Panel> extra = new ArrayList<>();
        for (InstrumentPagePanel contributor : panels) {
            contributor.panel(owner.get(), i, viewer, zh).ifPresent(extra::add);
        }
        extra.sort(java.util.Comparator.comparingInt(InstrumentPagePanel.Panel::order));
        model.put("panels", extra);
        return html(HttpStatus.OK, "catalogue/detail", model);
    }

    /** A document of an instrument the viewer may see, as an attachment. */
    @Get("/t/{slug}/instruments/{id}/documents/{documentId}")
    public HttpResponse<?> document(HttpRequest<?> request, @Nullable AuthenticatedUser viewer, @PathVariable String slug,
                                    @PathVariable String id,
                                    @PathVariable String documentId) {
        Optional<TenantProfile> owner = owner(slug);
        UUID instrumentId = uuid(id);
        UUID docId = uuid(documentId);
        if (owner.isEmpty() || instrumentId == null || docId == null
                || catalogue.find(owner.get(), viewer, instrumentId).isEmpty()) {
            return notFound(request);
        }
        return documents.content(owner.get().id(), instrumentId, docId)
                .<HttpResponse<?>>map(InstrumentDocuments::response)
                .orElseGet(() -> notFound(request));
    }

    /** The prices grouped by rate group, in the tenant's order of groups (internal, consortium, external...). */
    static List<PriceGroup> priceGroups(Instrument i, List<RateGroups.RateGroup> groups, PageFormat fmt, boolean zh,
                                        Map<String, String> t, @Nullable String yours) {
        Map<String, String> names = new LinkedHashMap<>();
        groups.forEach(g -> names.put(g.code(), g.name(zh)));
        i.prices().forEach(p -> names.putIfAbsent(p.rateGroup(), p.rateGroup()));
        Map<UUID, Instrument.Service> services = i.services().stream()
                .collect(Collectors.toMap(Instrument.Service::id, Function.identity()));
        List<PriceGroup> out = new ArrayList<>();
        for (Map.Entry<String, String> g : names.entrySet()) {
            List<PriceLine> lines = new ArrayList<>();
            for (Instrument.Price p : i.prices()) {
                if (!p.rateGroup().equals(g.getKey())) {
                    continue;
                }
                Instrument.Service s = p.serviceId() == null ? null : services.get(p.serviceId());
                String what = s == null ? t.getOrDefault("catalogue.price.machine_time", "") : fmt.serviceName(s);
                String note = zh ? (p.noteZh() != null ? p.noteZh() : p.noteEn()) : (p.noteEn() != null ? p.noteEn() : p.noteZh());
                lines.add(new PriceLine(what, PageFormat.price(p.amountFen()),
                        t.getOrDefault("catalogue.price.per." + p.unit(), p.unit()), note));
            }
            if (!lines.isEmpty()) {
                out.add(new PriceGroup(g.getKey(), g.getValue(), lines, g.getKey().equals(yours)));
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> castMessages(Map<String, Object> model) {
        return (Map<String, String>) model.get("t");
    }

    // ---------------------------------------------------------------- shared with the admin pages

    private Optional<TenantProfile> owner(String slug) {
        if (slug == null || !slug.matches("[a-z0-9-]{2,63}")) {
            return Optional.empty();
        }
        return catalogue.owner(slug);
    }

    PageFormat format(Map<String, Object> model, TenantProfile tenant) {
        return new PageFormat((Locale) model.get("locale"), (boolean) model.get("zh"), tenant.timeZone(),
                classifications, unitsOf(tenant.id()));
    }

    Map<UUID, OrgUnit> unitsOf(TenantId tenant) {
        return units.list(tenant, null, null, 0, 2000).stream()
                .collect(Collectors.toMap(OrgUnit::id, Function.identity(), (a, b) -> a, LinkedHashMap::new));
    }

    /** Level-1 classes, each followed by its level-2 classes when {@code depth} is 2. */
    List<Option> classOptions(boolean zh, int depth) {
        List<Option> out = new ArrayList<>();
        for (Classifications.Entry top : classifications.children(null)) {
            out.add(new Option(top.code(), top.code() + " " + top.name(zh), 1));
            if (depth >= 2) {
                for (Classifications.Entry second : classifications.children(top.code())) {
                    out.add(new Option(second.code(), second.code() + " " + second.name(zh), 2));
                }
            }
        }
        return out;
    }

    /**
     * Whether {@code viewer} is staff of the instrument's owner: acting in the owning institution and
     * allowed to manage this instrument ({@link CatalogueAccess#mayManage}). Only staff see the
     * record's internal part on the public page.
     */
    boolean staffOf(TenantProfile owner, @Nullable AuthenticatedUser viewer, Instrument i) {
        return viewer != null && viewer.actingTenant().equals(owner.id()) && access.mayManage(viewer, i);
    }

    /** Flags for the owner's own administration (funding, evaluation): shown to staff only. */
    static final List<String> INTERNAL_FLAGS = List.of("fundSubsidised", "benefitEvaluation");

    static List<String> flagsSet(Instrument i) {
        List<String> out = new ArrayList<>();
        InstrumentInput.Flags f = i.flags();
        if (f.fundSubsidised()) {
            out.add("fundSubsidised");
        }
        if (f.benefitEvaluation()) {
            out.add("benefitEvaluation");
        }
        if (f.sharedPlatform()) {
            out.add("sharedPlatform");
        }
        if (f.listedInCers()) {
            out.add("listedInCers");
        }
        if (f.customsSupervised()) {
            out.add("customsSupervised");
        }
        return out;
    }

    static int pageNumber(@Nullable String page) {
        try {
            int n = page == null ? 1 : Integer.parseInt(page.strip());
            return Math.max(0, Math.min(n, 100_000) - 1);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static int lastPage(long total) {
        return total == 0 ? 0 : (int) ((total - 1) / PAGE_SIZE);
    }

    /** Previous, numbered (around the current one) and next links; pages count from 1 in addresses. */
    static List<PageLink> pageLinks(String base, Map<String, String> params, int current, int last) {
        List<PageLink> out = new ArrayList<>();
        if (last == 0) {
            return out;
        }
        out.add(new PageLink("‹", current > 0 ? href(base, params, current - 1) : null, false));
        int from = Math.max(0, current - 2);
        int to = Math.min(last, current + 2);
        if (from > 0) {
            out.add(new PageLink("1", href(base, params, 0), false));
            if (from > 1) {
                out.add(new PageLink("…", null, false));
            }
        }
        for (int p = from; p <= to; p++) {
            out.add(new PageLink(Integer.toString(p + 1), p == current ? null : href(base, params, p), p == current));
        }
        if (to < last) {
            if (to < last - 1) {
                out.add(new PageLink("…", null, false));
            }
            out.add(new PageLink(Integer.toString(last + 1), href(base, params, last), false));
        }
        out.add(new PageLink("›", current < last ? href(base, params, current + 1) : null, false));
        return out;
    }

    /** {@code base?k=v&…&page=n} with empty parameters left out ({@code page} only beyond the first). */
    static String href(String base, Map<String, String> params, int page) {
        StringBuilder out = new StringBuilder(base);
        char sep = '?';
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (e.getValue() != null && !e.getValue().isBlank()) {
                out.append(sep).append(e.getKey()).append('=').append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
                sep = '&';
            }
        }
        if (page > 0) {
            out.append(sep).append("page=").append(page + 1);
        }
        return out.toString();
    }

    /** Whether {@code value} is one of {@code allowed} (null never is; immutable collections refuse to be asked). */
    static boolean oneOf(java.util.Collection<String> allowed, @Nullable String value) {
        return value != null && allowed.contains(value);
    }

    static UUID uuid(String s) {
        try {
            return s == null ? null : UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    HttpResponse<?> notFound(HttpRequest<?> request) {
        return html(HttpStatus.NOT_FOUND, "notfound", pages.model(request));
    }

    static HttpResponse<?> html(HttpStatus status, String view, Map<String, Object> model) {
        return HttpResponse.status(status).contentType(MediaType.TEXT_HTML_TYPE).body(new ModelAndView<>(view, model));
    }
}

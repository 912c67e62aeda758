package org.labcommons.search;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.web.Pages;
import org.labcommons.core.web.maps.ChinaCoordinates;
import org.labcommons.core.web.maps.MapTiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The consortium-wide search as a page, {@code GET /search} (public): a query box with
 * autocomplete, facets as links with counts, the hits with owner, services, status and the price
 * of the rate group that applies to the viewer, a map of the located hits, distance from the
 * browser's position and pages of results. It calls {@link SearchService#search} with the caller
 * the web kit resolves from the browser's session, so a signed-in person sees exactly what their
 * access token would show through the API ({@code /api/v1/search/instruments}). A wrong parameter
 * is a 400 page naming the field; a search that cannot run is a 503 page.
 *
 * <p>{@code GET /search/suggest} answers the page's autocomplete with the API's JSON
 * ({@code {"items": [{"text", "kind"}]}}), from the same session-aware {@link SearchService#suggest},
 * so a member's suggestions include what the member may see and a visitor's only public entries.
 */
@Controller
@RequiresRole(PlatformRole.SEARCH)
@ExecuteOn(TaskExecutors.BLOCKING)
public class SearchPages {
    static final int PAGE_SIZE = 20;
    /** The radius choices (km) offered with a position. */
    static final List<Integer> RADII = List.of(5, 10, 50, 100, 500);
    /** Parameters in the order page links write them; {@code lang} is kept when the address had it. */
    static final List<String> PARAMS = List.of("q", "classL1", "classL2", "classL3", "province", "institution", "status",
            "service", "valueBand", "sort", "lat", "lon", "radiusKm", "lang");

    private static final Logger LOG = LoggerFactory.getLogger(SearchPages.class);

    private final SearchService search;
    private final Pages pages;
    private final MapTiles maps;

    public SearchPages(SearchService search, Pages pages, MapTiles maps) {
        this.search = search;
        this.pages = pages;
        this.maps = maps;
    }

    /** A facet group as the page shows it: its links (selected ones remove the selection) and a link clearing it. */
    public record FacetGroup(String name, String label, List<FacetLink> links, @Nullable String clearHref) {
    }

    /** One value of a facet with its count; {@code href} adds it (or, when selected, removes it). */
    public record FacetLink(String key, String label, long count, boolean selected, String href) {
    }

    /** A chosen filter shown above the results, with the link that removes it. */
    public record Chip(String facet, String label, String removeHref) {
    }

    /** A hidden field of the search form; {@code facet} marks a facet selection. */
    public record Hidden(String name, String value, boolean facet) {
    }

    /** A choice in a select. */
    public record Choice(String value, String label, boolean selected) {
    }

    @Get(value = "/search", produces = MediaType.TEXT_HTML)
    public HttpResponse<?> page(HttpRequest<?> request, @Nullable AuthenticatedUser caller) {
        Map<String, Object> model = pages.model(request);
        boolean zh = (boolean) model.get("zh");
        @SuppressWarnings("unchecked")
        Map<String, String> t = (Map<String, String>) model.get("t");
        Locale locale = (Locale) model.get("locale");
        Map<String, String> params = new LinkedHashMap<>();
        for (String name : PARAMS) {
            String v = request.getParameters().get(name);
            if (v != null && !v.isBlank()) {
                params.put(name, v.strip());
            }
        }
        model.put("signedIn", caller != null);
        model.put("q", params.getOrDefault("q", ""));
        model.put("searchLang", zh ? "zh" : "en");
        model.put("radii", RADII);
        model.put("newSearchHref", params.containsKey("lang") ? "/search?lang=" + enc(params.get("lang")) : "/search");

        String page = request.getParameters().get("page");
        SearchParams.Parsed parsed = SearchParams.parse(name -> "page".equals(name) ? page : params.get(name),
                zh ? "zh" : "en", PAGE_SIZE);
        if (!parsed.ok()) {
            form(model, t, params, null);
            model.put("failed", true);
            pages.withProblem(request, model, new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", parsed.problems()));
            model.put("fieldLabels", fieldLabels(t));
            return pages.respond(request, HttpStatus.BAD_REQUEST, "search/page", model);
        }
        SearchQuery query = parsed.query();
        form(model, t, params, query);
        SearchService.Result result;
        try {
            result = search.search(query, caller);
        } catch (SearchAdmission.Busy busy) {
            // overload: the same 503 page, and the browser (or a crawler) is told when to come back
            model.put("unavailable", true);
            return pages.respond(request, HttpStatus.SERVICE_UNAVAILABLE, "search/page", model)
                    .header("Retry-After", Long.toString(busy.retryAfterSeconds()));
        } catch (RuntimeException e) {
            LOG.warn("search page: the search failed", e);
            model.put("unavailable", true);
            return pages.respond(request, HttpStatus.SERVICE_UNAVAILABLE, "search/page", model);
        }
        SearchPageFormat fmt = new SearchPageFormat(t, zh, maps);
        model.put("result", result);
        // the pager never offers a page beyond what the index pages to
        model.put("pagerTotal", Math.min(result.total(), SearchParams.MAX_WINDOW));
        List<SearchPageFormat.Hit> hits = result.items().stream().map(fmt::hit).toList();
        model.put("hits", hits);
        long located = hits.stream().filter(h -> h.mapLat() != null).count();
        model.put("located", located);
        model.put("locatedText", located > 0 && located < hits.size()
                ? new MessageFormat(t.get(result.total() > hits.size() ? "search.page.map.located.page" : "search.page.map.located"), locale)
                        .format(new Object[]{hits.size(), located})
                : null);
        // the tile source itself: the layout model's mapTiles (Pages), the same for every map
        ChinaCoordinates.LatLon here = query.hasPoint() ? maps.point(query.lat(), query.lon()) : null;
        model.put("hereLat", here == null ? null : here.lat());
        model.put("hereLon", here == null ? null : here.lon());
        model.put("countText", new MessageFormat(t.get("search.page.count"), locale).format(new Object[]{result.total()}));
        model.put("interpreted", result.interpretedAs().isEmpty() ? null
                : t.get("search.page.interpreted").replace("{0}", String.join(" · ", result.interpretedAs())));
        model.put("facets", facets(result, params, t, fmt));
        model.put("chips", chips(result, params, t, fmt));
        model.put("clearAllHref", hasFilter(params) ? href(without(params, SearchService.FACETS)) : null);
        return pages.respond(request, HttpStatus.OK, "search/page", model);
    }

    @Get(value = "/search/suggest", produces = MediaType.APPLICATION_JSON)
    public SearchController.Suggestions suggest(@Nullable AuthenticatedUser user, @Nullable @QueryValue String q,
                                                @Nullable @QueryValue String lang, @Nullable @QueryValue String size) {
        if (q == null || q.isBlank() || q.length() > 100) {
            return new SearchController.Suggestions(List.of());
        }
        String language = "en".equals(lang) ? "en" : "zh";
        int n = 8;
        try {
            n = size == null ? 8 : Math.max(1, Math.min(20, Integer.parseInt(size.strip())));
        } catch (NumberFormatException e) {
            // the default
        }
        return new SearchController.Suggestions(search.suggest(q, language, n, user));
    }

    /** The form's state: sort and radius choices, the position in use. */
    private void form(Map<String, Object> model, Map<String, String> t, Map<String, String> params, @Nullable SearchQuery q) {
        boolean point = q != null && q.hasPoint();
        model.put("hasPoint", point);
        model.put("lat", point ? params.get("lat") : null);
        model.put("lon", point ? params.get("lon") : null);
        String sort = q == null ? params.getOrDefault("sort", "relevance") : q.sort();
        model.put("sorts", List.of(new Choice("relevance", t.get("search.page.sort.relevance"), !"distance".equals(sort)),
                new Choice("distance", t.get("search.page.sort.distance"), "distance".equals(sort))));
        String radius = params.get("radiusKm");
        List<Choice> radii = new ArrayList<>();
        radii.add(new Choice("", t.get("search.page.radius.any"), radius == null));
        for (int r : RADII) {
            radii.add(new Choice(Integer.toString(r), MessageFormat.format(t.get("search.page.radius.km"), Integer.toString(r)),
                    radius != null && isNumber(radius) && Double.parseDouble(radius) == r));
        }
        model.put("radiusChoices", radii);
        model.put("nearActive", point ? MessageFormat.format(t.get("search.page.near.active"), params.get("lat"), params.get("lon")) : null);
        model.put("clearPointHref", point ? href(without(params, List.of("lat", "lon", "radiusKm", "sort"))) : null);
        // the form carries the chosen facets (search.js drops them when the text changes), the position
        // and the language asked for
        List<Hidden> hidden = new ArrayList<>();
        for (String name : PARAMS) {
            boolean facet = SearchService.FACETS.contains(name);
            boolean position = point && (name.equals("lat") || name.equals("lon"));
            boolean keep = name.equals("lang") || (q != null && (facet || position)); // a failed search keeps nothing wrong
            if (params.containsKey(name) && keep) {
                hidden.add(new Hidden(name, params.get(name), facet));
            }
        }
        model.put("hidden", hidden);
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private List<FacetGroup> facets(SearchService.Result result, Map<String, String> params, Map<String, String> t,
                                    SearchPageFormat fmt) {
        List<FacetGroup> out = new ArrayList<>();
        for (String facet : SearchService.FACETS) {
            if (!shown(facet, params)) {
                continue;
            }
            List<SearchService.Bucket> buckets = result.facets().getOrDefault(facet, List.of());
            List<FacetLink> links = new ArrayList<>();
            for (SearchService.Bucket b : buckets) {
                String target = b.selected() ? href(without(params, cleared(facet))) : href(with(params, facet, b.key()));
                links.add(new FacetLink(b.key(), fmt.facetLabel(facet, b), b.count(), b.selected(), target));
            }
            if (links.isEmpty() && !params.containsKey(facet)) {
                continue;
            }
            out.add(new FacetGroup(facet, t.get("search.page.facet." + facet), links,
                    params.containsKey(facet) ? href(without(params, cleared(facet))) : null));
        }
        return out;
    }

    /** The lower classification levels appear once the level above them is chosen. */
    private static boolean shown(String facet, Map<String, String> params) {
        return switch (facet) {
            case "classL2" -> params.containsKey("classL1") || params.containsKey("classL2");
            case "classL3" -> params.containsKey("classL2") || params.containsKey("classL3");
            default -> true;
        };
    }

    /** The parameters a facet's removal clears: itself and, for a classification level, the levels below it. */
    private static List<String> cleared(String facet) {
        return switch (facet) {
            case "classL1" -> List.of("classL1", "classL2", "classL3");
            case "classL2" -> List.of("classL2", "classL3");
            default -> List.of(facet);
        };
    }

    private List<Chip> chips(SearchService.Result result, Map<String, String> params, Map<String, String> t,
                             SearchPageFormat fmt) {
        List<Chip> out = new ArrayList<>();
        for (String facet : SearchService.FACETS) {
            String key = params.get(facet);
            if (key == null) {
                continue;
            }
            String label = result.facets().getOrDefault(facet, List.of()).stream().filter(b -> b.key().equals(key))
                    .findFirst().map(b -> fmt.facetLabel(facet, b))
                    .orElseGet(() -> fmt.facetLabel(facet, new SearchService.Bucket(key, key, 0, true)));
            out.add(new Chip(facet, t.get("search.page.facet." + facet) + ": " + label, href(without(params, cleared(facet)))));
        }
        return out;
    }

    private static boolean hasFilter(Map<String, String> params) {
        return SearchService.FACETS.stream().anyMatch(params::containsKey);
    }

    private static Map<String, String> with(Map<String, String> params, String name, String value) {
        Map<String, String> out = new LinkedHashMap<>(params);
        out.put(name, value);
        return out;
    }

    private static Map<String, String> without(Map<String, String> params, List<String> names) {
        Map<String, String> out = new LinkedHashMap<>(params);
        names.forEach(out::remove);
        return out;
    }

    /** {@code /search?…} with the parameters in {@link #PARAMS} order, back on the first page. */
    static String href(Map<String, String> params) {
        StringBuilder out = new StringBuilder("/search");
        char sep = '?';
        for (String name : PARAMS) {
            String v = params.get(name);
            if (v != null && !v.isBlank()) {
                out.append(sep).append(name).append('=').append(enc(v));
                sep = '&';
            }
        }
        return out.toString();
    }

    private static Map<String, String> fieldLabels(Map<String, String> t) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : List.of("q", "page", "sort", "lat", "lon", "radiusKm", "classL1", "classL2", "classL3",
                "province", "institution", "status", "service", "valueBand")) {
            out.put(name, t.getOrDefault("search.page.param." + name, name));
        }
        return out;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}

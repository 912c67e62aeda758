package org.labcommons.search;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.SearchRequest;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import org.apache.http.entity.ContentType;
import org.apache.http.nio.entity.NStringEntity;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.RestClient;
import org.labcommons.core.catalog.Classifications;
import org.labcommons.core.catalog.RateGroupPolicy;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.search.TenantRegistry.TenantInfo;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The consortium-wide instrument search: one query over every tenant's published entries.
 *
 * <p><b>Visibility is part of the query</b>: {@link #filters} puts the viewer's visibility, the
 * exclusion of inactive tenants and {@code visible: true} into {@code bool.filter}, and the same
 * filter list serves hits, total, facet counts (aggregations run over the filtered hits; no
 * {@code post_filter}, no {@code global} aggregation) and suggestions. Nothing reaches the caller
 * that the filter did not admit.
 *
 * <p><b>Matching</b>: the words that name an instrument type ({@link Synonyms}) must match one of
 * the type's names in its own language's fields — checked by the document's precomputed
 * {@code typeKeys} where the index has them ({@link #query}); the remaining words then rank (or, when no type
 * was named, must match across names, model, manufacturer, classification, services, owner and
 * description, with typo tolerance on the English fields and exact model and asset-number matches
 * ranked first). Numbers in the query ("400M", "600兆") favour instruments with that number in
 * their name or model.
 */
@Singleton
@RequiresRole(PlatformRole.SEARCH)
public record SearchService(ElasticsearchClient client,
                            InstrumentIndex index,
                            TenantRegistry registry,
                            Synonyms synonyms,
                            Classifications classifications,
                            RateGroupPolicy rateGroups,
                            JsonMapper json,
                            SearchAdmission admission,
                            RestClient rest) {
    private static final java.util.regex.Pattern LONG_LATIN_WORD = java.util.regex.Pattern.compile("[A-Za-z]{5,}");
    private static final ContentType NDJSON = ContentType.create("application/x-ndjson", StandardCharsets.UTF_8);
    /** What a hit shows (descriptions, flags and the search-only fields stay in the index). */
    static final List<String> SOURCE_FIELDS = List.of("id", "tenantId", "tenantSlug", "ownerNameZh", "ownerNameEn",
            "nameZh", "nameEn", "model", "manufacturer", "classificationCode", "classificationPath", "orgUnitNameZh",
            "orgUnitNameEn", "building", "room", "location", "status", "sharingScope", "valueBand", "services", "prices",
            "stale");
    static final List<String> FACETS = List.of("classL1", "classL2", "classL3", "province", "institution", "status",
            "service", "valueBand");

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Price(@Nullable String serviceId, String rateGroup, String unit, long amountFen) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Item(String id, String tenantSlug, String ownerNameZh, String ownerNameEn, String nameZh, String nameEn,
                       @Nullable String model, @Nullable String manufacturer, @Nullable String classificationCode,
                       List<Map<String, Object>> classificationPath, @Nullable String orgUnitNameZh,
                       @Nullable String orgUnitNameEn, @Nullable String building, @Nullable String room,
                       @Nullable Map<String, Object> location, @Nullable Double distanceKm, String status,
                       String sharingScope, String valueBand, List<Map<String, Object>> services,
                       String rateGroup, List<Price> prices, boolean stale, String url) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Bucket(String key, String label, long count, boolean selected) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Result(List<Item> items, long total, int page, int size, Map<String, List<Bucket>> facets,
                         List<String> interpretedAs, long tookMs, long engineMs) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Suggestion(String text, String kind) {
    }

    /** The visibility of {@code user} (null: a visitor); an unknown or inactive home tenant sees what visitors see. */
    public Viewer viewer(@Nullable AuthenticatedUser user) {
        if (user == null) {
            return Viewer.VISITOR;
        }
        Optional<TenantInfo> home = registry.find(user.homeTenant().value());
        if (home.isEmpty() || !home.get().active()) {
            return Viewer.VISITOR;
        }
        Set<String> own = new LinkedHashSet<>(List.of(user.homeTenant().toString(), user.actingTenant().toString()));
        List<String> networks = new ArrayList<>();
        networks.add(home.get().id().toString());
        if (home.get().parentId() != null) {
            networks.add(home.get().parentId().toString());
        }
        return new Viewer(true, List.copyOf(own), List.copyOf(networks), user.homeTenant().toString());
    }

    /** One search, within the admission limit ({@link SearchAdmission.Busy} when the search is full). */
    public Result search(SearchQuery q, @Nullable AuthenticatedUser user) {
        return search(q, true, user);
    }

    /** One search; {@code withFacets} false leaves the facets out (empty), for callers that do not show them. */
    public Result search(SearchQuery q, boolean withFacets, @Nullable AuthenticatedUser user) {
        long started = System.nanoTime();
        return admission.run(() -> doSearch(q, withFacets, user, started));
    }

    private Result doSearch(SearchQuery q, boolean withFacets, @Nullable AuthenticatedUser user, long started) {
        Viewer viewer = viewer(user);
        Synonyms.Expansion expansion = q.q() == null || q.q().isBlank()
                ? new Synonyms.Expansion(List.of(), "") : synonyms.expand(q.q());
        List<Object> filters = filters(viewer, q);
        Map<String, Object> query = query(q.q(), expansion, filters, true);
        // the page: its hits only (no exact total, no aggregations), only the stored fields a hit shows
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("query", query);
        page.put("from", q.page() * q.size());
        page.put("size", q.size());
        page.put("track_total_hits", false);
        page.put("sort", sort(q));
        page.put("_source", m("includes", SOURCE_FIELDS));
        // the counts: total and facets over the same query and filters, size 0, so Elasticsearch's shard
        // request cache answers a repeat (any viewer with the same visibility) until the index changes
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("query", query(q.q(), expansion, filters, false));
        counts.put("size", 0);
        counts.put("track_total_hits", true);
        if (withFacets) {
            counts.put("aggs", aggregations(q));
        }
        Map<String, Object> answer = msearch(List.of(page, counts));
        List<Map<String, Object>> responses = list(answer.get("responses"));
        Map<String, Object> pageAnswer = checked(responses.get(0));
        Map<String, Object> countAnswer = checked(responses.get(1));
        Function<TenantId, String> group = rateGroups.forRequester(user);
        List<Item> items = new ArrayList<>();
        for (Map<String, Object> hit : list(map(pageAnswer.get("hits")).get("hits"))) {
            items.add(item(map(hit.get("_source")), q, group));
        }
        Object totalValue = map(map(countAnswer.get("hits")).get("total")).get("value");
        long total = totalValue instanceof Number n ? n.longValue() : items.size();
        List<String> interpreted = expansion.groups().stream().map(Synonyms.Group::label).toList();
        Map<String, List<Bucket>> facets = withFacets ? facets(map(countAnswer.get("aggregations")), q) : Map.of();
        long took = answer.get("took") instanceof Number n ? n.longValue() : 0;
        return new Result(items, total, q.page(), q.size(), facets, interpreted,
                (System.nanoTime() - started) / 1_000_000, took);
    }

    /** Up to {@code size} completions of {@code prefix}: names of instruments and types the viewer may see. */
    public List<Suggestion> suggest(String prefix, String lang, int size, @Nullable AuthenticatedUser user) {
        String text = prefix.strip();
        if (text.isEmpty()) {
            return List.of();
        }
        return admission.run(() -> doSuggest(text, lang, size, user));
    }

    private List<Suggestion> doSuggest(String text, String lang, int size, @Nullable AuthenticatedUser user) {
        boolean zh = !"en".equals(lang);
        Viewer viewer = viewer(user);
        List<Object> should = List.of(
                m("match_phrase_prefix", m("nameZh", m("query", text, "boost", 3))),
                m("match_bool_prefix", m("nameEn.std", m("query", text, "boost", 3))),
                m("prefix", m("nameZh.kw", m("value", text.toLowerCase(java.util.Locale.ROOT), "boost", 5))),
                m("prefix", m("nameEn.kw", m("value", text.toLowerCase(java.util.Locale.ROOT), "boost", 5))),
                m("prefix", m("modelCompact", m("value", InstrumentDocument.compact(text) == null ? text : InstrumentDocument.compact(text), "boost", 2))),
                m("match_phrase_prefix", m("classNamesZh", m("query", text))),
                m("match_bool_prefix", m("classNamesEn", m("query", text))));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", m("bool", m("should", should, "minimum_should_match", 1, "filter", filters(viewer, null))));
        body.put("size", 40);
        body.put("_source", m("includes", List.of("nameZh", "nameEn", "model", "classificationPath")));
        SearchResponse<Map> response = execute(body);
        String lower = text.toLowerCase(java.util.Locale.ROOT);
        Set<String> seen = new LinkedHashSet<>();
        List<Suggestion> out = new ArrayList<>();
        List<Suggestion> types = new ArrayList<>();
        for (Hit<Map> hit : response.hits().hits()) {
            Map<?, ?> s = hit.source();
            String name = (String) (zh ? s.get("nameZh") : s.get("nameEn"));
            String other = (String) (zh ? s.get("nameEn") : s.get("nameZh"));
            String pick = name != null && name.toLowerCase(java.util.Locale.ROOT).contains(lower) ? name
                    : other != null && other.toLowerCase(java.util.Locale.ROOT).contains(lower) ? other : name;
            if (pick != null && seen.add(pick)) {
                out.add(new Suggestion(pick, "instrument"));
            }
            if (s.get("classificationPath") instanceof List<?> path && !path.isEmpty()
                    && path.get(path.size() - 1) instanceof Map<?, ?> leaf) {
                String label = (String) (zh ? leaf.get("nameZh") : leaf.get("nameEn"));
                if (label != null && label.toLowerCase(java.util.Locale.ROOT).contains(lower) && seen.add(label)) {
                    types.add(new Suggestion(label, "classification"));
                }
            }
        }
        List<Suggestion> all = new ArrayList<>(types);
        all.addAll(out);
        return all.subList(0, Math.min(size, all.size()));
    }

    /** Every filter of a search: visibility, live tenants, live documents, then the facet and geo selections. */
    List<Object> filters(Viewer viewer, @Nullable SearchQuery q) {
        List<Object> f = new ArrayList<>();
        f.add(m("term", m("visible", true)));
        f.add(visibility(viewer));
        Set<String> inactive = registry.inactiveIds();
        if (!inactive.isEmpty()) {
            f.add(m("bool", m("must_not", List.of(m("terms", m("tenantId", List.copyOf(inactive)))))));
        }
        if (q != null) {
            term(f, "classL1", q.classL1());
            term(f, "classL2", q.classL2());
            term(f, "classL3", q.classL3());
            term(f, "provinceCode", q.province());
            term(f, "tenantSlug", q.institution());
            term(f, "status", q.status());
            term(f, q.zh() ? "serviceNamesZh.kw" : "serviceNamesEn.kw", q.service());
            term(f, "valueBand", q.valueBand());
            if (q.hasPoint() && q.radiusKm() != null) {
                f.add(m("geo_distance", m("distance", q.radiusKm() + "km", "location", m("lat", q.lat(), "lon", q.lon()))));
            }
        }
        return f;
    }

    /** The visibility clause for {@code viewer}: what it may see and nothing else. */
    static Map<String, Object> visibility(Viewer viewer) {
        if (!viewer.member()) {
            return m("term", m("sharingScope", "public"));
        }
        List<Object> any = new ArrayList<>();
        any.add(m("terms", m("sharingScope", List.of("public", "consortium"))));
        any.add(m("bool", m("filter", List.of(m("term", m("sharingScope", "network")),
                m("terms", m("networkId", viewer.networks()))))));
        any.add(m("terms", m("tenantId", viewer.ownTenants())));
        return m("bool", m("should", any, "minimum_should_match", 1));
    }

    private static void term(List<Object> filters, String field, @Nullable String value) {
        if (value != null && !value.isBlank()) {
            filters.add(m("term", m(field, value)));
        }
    }

    /**
     * The query of a search. A named type the index has keys for ({@link InstrumentIndex#keyedGroups})
     * is one {@code term} on {@code typeKeys} in {@code bool.filter}: it decides which documents
     * match, so Elasticsearch no longer walks the postings of every member in every language field
     * over the whole index; the member-by-member clauses stay, as an optional {@code should}, only to
     * score the documents the filter admitted (same ranking as before). A type the index has no keys
     * for (a group an admin added or edited since the index was built) is expanded and required as
     * before. {@code scoring} false (the count search: total and facets) leaves out every clause
     * that only ranks.
     */
    private Map<String, Object> query(@Nullable String original, Synonyms.Expansion e, List<Object> filters,
                                      boolean scoring) {
        List<Object> must = new ArrayList<>();
        List<Object> should = new ArrayList<>();
        List<Object> filter = new ArrayList<>(filters);
        Set<String> keyed = e.groups().isEmpty() ? Set.of() : index.keyedGroups();
        boolean typeFiltered = false;
        for (Synonyms.Group g : e.groups()) {
            boolean byKey = keyed.contains(g.id());
            if (byKey) {
                filter.add(m("term", m("typeKeys", g.id())));
                typeFiltered = true;
            }
            if (byKey && !scoring) {
                continue;
            }
            List<Object> any = new ArrayList<>();
            for (String term : g.terms()) {
                any.add(termQuery(term));
            }
            (byKey ? should : must).add(m("dis_max", m("queries", any, "tie_breaker", 0.1)));
        }
        String rest = e.rest();
        if (!rest.isBlank()) {
            Map<String, Object> restQuery = restQuery(rest, original == null ? rest : original.strip());
            if (e.groups().isEmpty()) {
                must.add(restQuery);
            } else if (scoring) {
                should.add(restQuery);
            }
            List<String> numbers = InstrumentDocument.numbers(rest);
            if (!numbers.isEmpty() && scoring) {
                should.add(m("terms", m("numbers", numbers, "boost", 15)));
            }
        }
        if (must.isEmpty() && !typeFiltered) {
            must.add(m("match_all", m()));
        }
        // with a typeKeys filter and nothing required, the should clauses only score (minimum 0)
        Map<String, Object> bool = new LinkedHashMap<>();
        if (!must.isEmpty()) {
            bool.put("must", must);
        }
        if (!should.isEmpty()) {
            bool.put("should", should);
        }
        bool.put("filter", filter);
        return m("bool", bool);
    }

    /** One name of a type, searched in the fields of its language. */
    private static Map<String, Object> termQuery(String term) {
        boolean latin = term.chars().allMatch(c -> c < 0x2E80);
        if (!latin) {
            return m("bool", m("should", List.of(
                    m("match", m("nameZh", m("query", term, "operator", "and", "boost", 4))),
                    m("match", m("classNamesZh", m("query", term, "operator", "and", "boost", 2))),
                    m("match", m("serviceNamesZh", m("query", term, "operator", "and", "boost", 1))),
                    m("match", m("descriptionZh", m("query", term, "operator", "and", "boost", 0.3)))),
                    "minimum_should_match", 1));
        }
        return m("bool", m("should", List.of(
                m("match", m("nameEn", m("query", term, "operator", "and", "boost", 4))),
                m("match", m("nameZh", m("query", term, "operator", "and", "boost", 3))),
                m("match", m("classNamesEn", m("query", term, "operator", "and", "boost", 2))),
                m("match", m("serviceNamesEn", m("query", term, "operator", "and", "boost", 1))),
                m("match", m("descriptionEn", m("query", term, "operator", "and", "boost", 0.3)))),
                "minimum_should_match", 1));
    }

    /** Free words: across every text field, typo-tolerant in English, exact model/asset numbers first. */
    private static Map<String, Object> restQuery(String rest, String original) {
        List<Object> any = new ArrayList<>();
        any.add(m("multi_match", m("query", rest, "type", "cross_fields", "operator", "and", "fields", List.of(
                "nameZh^3", "nameZh.smart^2", "nameEn^3", "nameEn.std^2", "model^4", "manufacturer^2",
                "classNamesZh^2", "classNamesEn^2", "serviceNamesZh", "serviceNamesEn", "ownerNameZh", "ownerNameEn",
                "orgUnitNameZh", "orgUnitNameEn", "building", "descriptionZh^0.3", "descriptionEn^0.3"))));
        if (LONG_LATIN_WORD.matcher(rest).find()) {
            // typo tolerance only where a typo is plausible: a Latin word of five letters or more
            any.add(m("multi_match", m("query", rest, "type", "best_fields", "operator", "and", "fuzziness", "AUTO",
                    "prefix_length", 1, "max_expansions", 20, "fields", List.of("nameEn.std^2", "classNamesEn", "serviceNamesEn"),
                    "boost", 0.6)));
        }
        String compact = InstrumentDocument.compact(original);
        if (compact != null && compact.length() >= 3) {
            any.add(m("term", m("modelCompact", m("value", compact, "boost", 10))));
            any.add(m("prefix", m("modelCompact", m("value", compact, "boost", 4))));
        }
        any.add(m("term", m("assetNumber", m("value", original.toLowerCase(java.util.Locale.ROOT), "boost", 10))));
        return m("bool", m("should", any, "minimum_should_match", 1));
    }

    private static List<Object> sort(SearchQuery q) {
        List<Object> sort = new ArrayList<>();
        if ("distance".equals(q.sort()) && q.hasPoint()) {
            sort.add(m("_geo_distance", m("location", m("lat", q.lat(), "lon", q.lon()), "order", "asc", "unit", "km")));
        }
        sort.add("_score");
        sort.add(m("nameZh.kw", "asc"));
        sort.add(m("id", "asc"));
        return sort;
    }

    private static Map<String, Object> aggregations(SearchQuery q) {
        Map<String, Object> aggs = new LinkedHashMap<>();
        aggs.put("classL1", m("terms", m("field", "classL1", "size", 30)));
        // the finer levels are counted once the level above is chosen (drill-down; halves the work)
        if (q.classL1() != null || q.classL2() != null || q.classL3() != null) {
            aggs.put("classL2", m("terms", m("field", "classL2", "size", 30)));
        }
        if (q.classL2() != null || q.classL3() != null) {
            aggs.put("classL3", m("terms", m("field", "classL3", "size", 30)));
        }
        aggs.put("province", m("terms", m("field", "provinceCode", "size", 40)));
        aggs.put("institution", m("terms", m("field", "tenantSlug", "size", 50)));
        aggs.put("status", m("terms", m("field", "status", "size", 10)));
        aggs.put("service", m("terms", m("field", q.zh() ? "serviceNamesZh.kw" : "serviceNamesEn.kw", "size", 20)));
        aggs.put("valueBand", m("terms", m("field", "valueBand", "size", 10)));
        return aggs;
    }

    private Map<String, List<Bucket>> facets(Map<String, Object> aggs, SearchQuery q) {
        Map<String, String> selected = new LinkedHashMap<>();
        selected.put("classL1", q.classL1());
        selected.put("classL2", q.classL2());
        selected.put("classL3", q.classL3());
        selected.put("province", q.province());
        selected.put("institution", q.institution());
        selected.put("status", q.status());
        selected.put("service", q.service());
        selected.put("valueBand", q.valueBand());
        Map<String, TenantInfo> bySlug = new LinkedHashMap<>();
        for (TenantInfo t : registry.all()) {
            bySlug.put(t.slug(), t);
        }
        Map<String, List<Bucket>> out = new LinkedHashMap<>();
        for (String facet : FACETS) {
            List<Bucket> buckets = new ArrayList<>();
            if (aggs.get(facet) instanceof Map<?, ?> a) {
                for (Map<String, Object> b : list(a.get("buckets"))) {
                    String key = String.valueOf(b.get("key"));
                    long count = b.get("doc_count") instanceof Number n ? n.longValue() : 0;
                    buckets.add(new Bucket(key, label(facet, key, q.zh(), bySlug), count, key.equals(selected.get(facet))));
                }
            }
            out.put(facet, buckets);
        }
        return out;
    }

    private String label(String facet, String key, boolean zh, Map<String, TenantInfo> bySlug) {
        return switch (facet) {
            case "classL1", "classL2", "classL3" -> classifications.find(key).map(c -> c.name(zh)).orElse(key);
            case "province" -> Provinces.name(key, zh);
            case "institution" -> bySlug.containsKey(key) ? bySlug.get(key).name(zh) : key;
            default -> key;
        };
    }

    @SuppressWarnings("unchecked")
    private Item item(Map<String, Object> s, SearchQuery q, Function<TenantId, String> group) {
        String tenantId = (String) s.get("tenantId");
        String rateGroup = group.apply(new TenantId(java.util.UUID.fromString(tenantId)));
        List<Price> prices = new ArrayList<>();
        for (Object o : (List<Object>) s.getOrDefault("prices", List.of())) {
            if (o instanceof Map<?, ?> p && rateGroup.equals(p.get("rateGroup")) && p.get("amountFen") instanceof Number amount) {
                prices.add(new Price((String) p.get("serviceId"), rateGroup, String.valueOf(p.get("unit")), amount.longValue()));
            }
        }
        Map<String, Object> location = (Map<String, Object>) s.get("location");
        Double distance = null;
        if (location != null && q.hasPoint()) {
            distance = Math.round(haversineKm(q.lat(), q.lon(), ((Number) location.get("lat")).doubleValue(),
                    ((Number) location.get("lon")).doubleValue()) * 10) / 10.0;
        }
        String slug = (String) s.get("tenantSlug");
        return new Item((String) s.get("id"), slug, (String) s.get("ownerNameZh"), (String) s.get("ownerNameEn"),
                (String) s.get("nameZh"), (String) s.get("nameEn"), (String) s.get("model"), (String) s.get("manufacturer"),
                (String) s.get("classificationCode"), (List<Map<String, Object>>) s.getOrDefault("classificationPath", List.of()),
                (String) s.get("orgUnitNameZh"), (String) s.get("orgUnitNameEn"), (String) s.get("building"),
                (String) s.get("room"), location, distance, (String) s.get("status"), (String) s.get("sharingScope"),
                (String) s.get("valueBand"), (List<Map<String, Object>>) s.getOrDefault("services", List.of()),
                rateGroup, prices, Boolean.TRUE.equals(s.get("stale")),
                "/t/" + slug + "/instruments/" + s.get("id"));
    }

    static double haversineKm(double lat1, double lon1, double lat2, double lon2) {
        double dLat = Math.toRadians(lat2 - lat1);
        double dLon = Math.toRadians(lon2 - lon1);
        double a = Math.sin(dLat / 2) * Math.sin(dLat / 2) + Math.cos(Math.toRadians(lat1)) * Math.cos(Math.toRadians(lat2))
                * Math.sin(dLon / 2) * Math.sin(dLon / 2);
        return 6371.0088 * 2 * Math.atan2(Math.sqrt(a), Math.sqrt(1 - a));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private SearchResponse<Map> execute(Map<String, Object> body) {
        try {
            String text = json.writeValueAsString(body);
            SearchRequest request = SearchRequest.of(b -> b.withJson(new StringReader(text)).index(index.alias()));
            return client.search(request, Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Several searches in one round trip ({@code _msearch}); the answer as plain maps. Going through the
     * low-level client skips the typed client's second JSON model (request and response were built
     * and parsed twice).
     */
    private Map<String, Object> msearch(List<Map<String, Object>> bodies) {
        try {
            StringBuilder ndjson = new StringBuilder();
            for (Map<String, Object> body : bodies) {
                // a count-only search (size 0) asks for the shard request cache explicitly
                ndjson.append(Integer.valueOf(0).equals(body.get("size")) ? "{\"request_cache\":true}\n" : "{}\n")
                        .append(json.writeValueAsString(body)).append('\n');
            }
            Request request = new Request("POST", "/" + index.alias() + "/_msearch");
            request.setEntity(new NStringEntity(ndjson.toString(), NDJSON));
            Response response = rest.performRequest(request);
            try (InputStream in = response.getEntity().getContent()) {
                return map(json.readValue(in, Map.class));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One answer of an {@code _msearch}: an error inside it (per search, with status 200 overall) is thrown. */
    private static Map<String, Object> checked(Map<String, Object> answer) {
        if (answer.containsKey("error")) {
            throw new IllegalStateException("elasticsearch search failed: " + answer.get("error"));
        }
        return answer;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(@Nullable Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(@Nullable Object o) {
        return o instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
    }

    /** A JSON object from key/value pairs, in order. */
    static Map<String, Object> m(Object... kv) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            out.put((String) kv[i], kv[i + 1]);
        }
        return out;
    }
}

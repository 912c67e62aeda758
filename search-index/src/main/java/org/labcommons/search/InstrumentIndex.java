package org.labcommons.search;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.Conflicts;
import co.elastic.clients.elasticsearch._types.VersionType;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.elasticsearch.indices.PutIndexTemplateRequest;
import co.elastic.clients.json.JsonData;
import jakarta.inject.Singleton;
import org.labcommons.core.catalog.CatalogueProjection;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.search.TenantRegistry.TenantInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The instrument index: an index template ({@code resources/search/instrument-index.json}), an
 * alias readers use, and rebuilds without downtime.
 *
 * <p>A rebuild ({@link #reindexAll()}) creates a new concrete index from the template, points the
 * {@code -next} alias at it, projects every active institution's catalogue into it from PostgreSQL
 * ({@link CatalogueProjection}, the same payload the events carry), then swaps the read alias in one
 * atomic alias update and drops the old index. While it runs, the projector writes every event to
 * both aliases, and every write carries the record's version with {@code version_type=external_gte},
 * so whichever of the rebuild and an event comes last, the newest version wins. An event can never
 * be lost to the rebuild: its change was committed before it was published (outbox), so the rebuild
 * reads that state or newer.
 *
 * <p>{@link #ensureReady()} (at start of the search role) installs the template, and rebuilds when
 * the alias is missing or its index was made from an older {@link #MAPPING_VERSION}.
 */
@Singleton
@RequiresRole(PlatformRole.SEARCH)
public class InstrumentIndex {
    /** Bump when the template changes incompatibly: the next start rebuilds. */
    public static final int MAPPING_VERSION = 2;
    /** How long the synonym groups an index was built with are remembered before they are read again. */
    private static final long KEYED_GROUPS_TTL_NANOS = 10_000_000_000L;
    private static final Logger LOG = LoggerFactory.getLogger(InstrumentIndex.class);

    private final ElasticsearchClient client;
    private final SearchSettings settings;
    private final TenantRegistry registry;
    private final CatalogueProjection projection;
    private final Synonyms synonyms;
    private volatile Set<String> keyedGroups;
    private volatile long keyedGroupsAt;

    public InstrumentIndex(ElasticsearchClient client, SearchSettings settings, TenantRegistry registry,
                           CatalogueProjection projection, Synonyms synonyms) {
        this.client = client;
        this.synonyms = synonyms;
        this.settings = settings;
        this.registry = registry;
        this.projection = projection;
    }

    /** The alias every query reads. */
    public String alias() {
        return settings.alias();
    }

    /** What a rebuild did. */
    public record Rebuild(String index, long documents, long visible, long tookMillis) {
    }

    public synchronized void ensureReady() {
        try {
            putTemplate();
            if (!client.indices().existsAlias(a -> a.name(alias())).value()) {
                LOG.info("search: alias {} missing, building the instrument index", alias());
                reindexAll();
                return;
            }
            for (var entry : client.indices().getMapping(m -> m.index(alias())).result().entrySet()) {
                Map<String, JsonData> meta = entry.getValue().mappings().meta();
                String version = meta == null || meta.get("mappingVersion") == null ? "0" : meta.get("mappingVersion").to(String.class);
                if (!String.valueOf(MAPPING_VERSION).equals(version)) {
                    LOG.info("search: index {} has mapping version {}, rebuilding with {}", entry.getKey(), version, MAPPING_VERSION);
                    reindexAll();
                    return;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Builds a new index from PostgreSQL and swaps the alias to it; readers never see a gap. */
    public synchronized Rebuild reindexAll() {
        long started = System.nanoTime();
        try {
            putTemplate();
            dropAbandonedRebuild();
            String index = alias() + "-v" + MAPPING_VERSION + "-" + System.currentTimeMillis();
            client.indices().create(c -> c.index(index));
            // the synonym groups this index is built with: a query uses a group's typeKeys only if
            // it is one of these (a group added or edited since then is expanded into its members)
            List<String> groups = synonyms.groups().stream().map(Synonyms.Group::id).distinct().toList();
            client.indices().putMapping(p -> p.index(index).meta(Map.of(
                    "mappingVersion", JsonData.of(String.valueOf(MAPPING_VERSION)),
                    "synonymGroups", JsonData.of(groups))));
            client.indices().updateAliases(u -> u.actions(a -> a.add(ad -> ad.index(index).alias(settings.nextAlias()))));
            AtomicLong documents = new AtomicLong();
            AtomicLong visible = new AtomicLong();
            registry.invalidate();
            for (TenantInfo t : registry.all()) {
                if (!t.active() || !"institution".equals(t.kind())) {
                    continue;
                }
                projection.forEach(new TenantId(t.id()), page -> {
                    List<Write> writes = writes(page, t);
                    visible.addAndGet(writes.stream().filter(w -> Boolean.TRUE.equals(w.document().get("visible"))).count());
                    write(List.of(index), writes, false);
                    documents.addAndGet(writes.size());
                });
            }
            Set<String> old = indicesOf(alias());
            client.indices().updateAliases(u -> {
                for (String o : old) {
                    u.actions(a -> a.remove(r -> r.index(o).alias(alias())));
                }
                u.actions(a -> a.add(ad -> ad.index(index).alias(alias())));
                u.actions(a -> a.remove(r -> r.index(index).alias(settings.nextAlias())));
                return u;
            });
            for (String o : old) {
                client.indices().delete(d -> d.index(o).ignoreUnavailable(true));
            }
            client.indices().refresh(r -> r.index(index));
            keyedGroups = Set.copyOf(groups);
            keyedGroupsAt = System.nanoTime();
            Rebuild result = new Rebuild(index, documents.get(), visible.get(), (System.nanoTime() - started) / 1_000_000);
            LOG.info("search: rebuilt {} with {} documents ({} visible) in {} ms", index, result.documents(),
                    result.visible(), result.tookMillis());
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The synonym-group ids every document of the live index carries keys for (recorded in the
     * index's {@code _meta} when it was built; re-read every 10 s, another node may have rebuilt).
     * Empty when unknown or when {@code labcommons.search.type-keys} is false: then every group is
     * expanded into its members, as before typeKeys.
     */
    public Set<String> keyedGroups() {
        if (!settings.isTypeKeys()) {
            return Set.of();
        }
        Set<String> known = keyedGroups;
        if (known != null && System.nanoTime() - keyedGroupsAt < KEYED_GROUPS_TTL_NANOS) {
            return known;
        }
        Set<String> read = null;
        try {
            for (var entry : client.indices().getMapping(m -> m.index(alias())).result().entrySet()) {
                Map<String, JsonData> meta = entry.getValue().mappings().meta();
                Set<String> ids = meta == null || meta.get("synonymGroups") == null ? Set.of()
                        : Set.copyOf(meta.get("synonymGroups").to(List.class));
                if (read == null) {
                    read = new java.util.HashSet<>(ids);
                } else {
                    read.retainAll(ids);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("search: could not read the synonym groups of {} ({}); expanding every group", alias(), e.toString());
        }
        known = read == null ? Set.of() : Set.copyOf(read);
        keyedGroups = known;
        keyedGroupsAt = System.nanoTime();
        return known;
    }

    /** The search document of one projected record (full or tombstone), with its synonym keys. */
    Map<String, Object> document(Map<String, Object> payload, long version, TenantInfo owner) {
        return InstrumentDocument.of(payload, version, owner, synonyms);
    }

    /** One document write: the record's id, version and document (full or tombstone). */
    record Write(String id, long version, Map<String, Object> document) {
    }

    /**
     * Writes to the live alias and, while a rebuild runs, to the rebuild's alias too. A version
     * conflict means the index already holds this version or a newer one: that is success.
     */
    void write(List<Write> writes) {
        List<String> targets = new ArrayList<>();
        targets.add(alias());
        try {
            if (client.indices().existsAlias(a -> a.name(settings.nextAlias())).value()) {
                targets.add(settings.nextAlias());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        write(targets, writes, true);
    }

    private void write(List<String> targets, List<Write> writes, boolean throughAliases) {
        if (writes.isEmpty()) {
            return;
        }
        BulkRequest.Builder bulk = new BulkRequest.Builder().requireAlias(throughAliases);
        for (String target : targets) {
            for (Write w : writes) {
                bulk.operations(op -> op.index(i -> i.index(target).id(w.id()).version(w.version())
                        .versionType(VersionType.ExternalGte).document(w.document())));
            }
        }
        try {
            BulkResponse response = client.bulk(bulk.build());
            if (response.errors()) {
                for (BulkResponseItem item : response.items()) {
                    if (item.error() == null || item.status() == 409) {
                        continue; // written, or the index already holds this version or a newer one
                    }
                    if (throughAliases && "index_not_found_exception".equals(item.error().type())
                            && !alias().equals(item.index())) {
                        continue; // a rebuild finished between resolving the aliases and writing
                    }
                    throw new IllegalStateException("search: could not index " + item.id() + " in " + item.index()
                            + ": " + item.error().type() + " " + item.error().reason());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes every document of {@code tenant} (a suspension); its tombstones go too. */
    void deleteTenant(UUID tenant) {
        try {
            for (String target : List.of(alias(), settings.nextAlias())) {
                if (client.indices().existsAlias(a -> a.name(target)).value()) {
                    client.deleteByQuery(d -> d.index(target).conflicts(Conflicts.Proceed).refresh(true)
                            .query(q -> q.term(t -> t.field("tenantId").value(tenant.toString()))));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Projects one tenant's whole catalogue again (a reactivation); returns the documents written. */
    long reprojectTenant(TenantInfo tenant) {
        AtomicLong documents = new AtomicLong();
        projection.forEach(new TenantId(tenant.id()), page -> {
            List<Write> writes = writes(page, tenant);
            write(writes);
            documents.addAndGet(writes.size());
        });
        return documents.get();
    }

    /** The documents of one page of {@code owner}'s projected records. */
    private List<Write> writes(List<CatalogueProjection.Projected> page, TenantInfo owner) {
        List<Write> writes = new ArrayList<>(page.size());
        for (CatalogueProjection.Projected p : page) {
            writes.add(new Write(p.id().toString(), p.version(), document(p.payload(), p.version(), owner)));
        }
        return writes;
    }

    /** Makes everything written so far searchable now (tests and benchmarks; production relies on the refresh interval). */
    public void refresh() {
        try {
            client.indices().refresh(r -> r.index(alias()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Set<String> indicesOf(String alias) throws IOException {
        if (!client.indices().existsAlias(a -> a.name(alias)).value()) {
            return Set.of();
        }
        return client.indices().getAlias(a -> a.name(alias)).result().keySet();
    }

    private void dropAbandonedRebuild() throws IOException {
        Set<String> live = indicesOf(alias());
        for (String index : indicesOf(settings.nextAlias())) {
            if (!live.contains(index)) {
                LOG.warn("search: dropping {} left by an unfinished rebuild", index);
                client.indices().delete(d -> d.index(index).ignoreUnavailable(true));
            } else {
                client.indices().updateAliases(u -> u.actions(a -> a.remove(r -> r.index(index).alias(settings.nextAlias()))));
            }
        }
    }

    private void putTemplate() throws IOException {
        String body;
        try (InputStream in = InstrumentIndex.class.getResourceAsStream("/search/instrument-index.json")) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("\"${shards}\"", String.valueOf(settings.getShards()))
                    .replace("\"${replicas}\"", String.valueOf(settings.getReplicas()))
                    .replace("${refreshInterval}", settings.getRefreshInterval())
                    .replace("${mappingVersion}", String.valueOf(MAPPING_VERSION));
        }
        String template = "{\"index_patterns\":[\"" + alias() + "-v*\"],\"priority\":100,\"template\":" + body + "}";
        client.indices().putIndexTemplate(PutIndexTemplateRequest.of(b -> b.withJson(new StringReader(template))
                .name(alias())));
    }
}

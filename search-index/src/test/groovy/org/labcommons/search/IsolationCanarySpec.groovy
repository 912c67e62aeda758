package org.labcommons.search

import co.elastic.clients.elasticsearch.ElasticsearchClient
import io.micronaut.json.JsonMapper
import jakarta.inject.Inject
import org.labcommons.core.events.Outbox
import org.labcommons.core.tenancy.TenantId
import org.labcommons.core.tenancy.TenantTransactions
import org.labcommons.testkit.PlatformSpec
import spock.lang.Shared

/**
 * The isolation canary: unique marker words are planted in the names, models, services and
 * descriptions of private, tenant-only and scoped entries of other tenants (and of a suspended
 * one), then every way the search answers — hits, totals, every facet and its counts, filters,
 * suggestions, both languages — is probed by a visitor and by members of each institution. A
 * marker may surface only where its sharing scope admits the viewer; a control entry (public)
 * proves the probes would see a leak. Elasticsearch itself must not hold the unpublished markers.
 */
class IsolationCanarySpec extends PlatformSpec {
    @Inject TenantTransactions tenants
    @Inject JsonMapper json
    @Inject Outbox outbox
    @Inject InstrumentIndex index
    @Inject ElasticsearchClient es
    @Shared SearchFixture f
    @Shared TenantId d
    @Shared Map<String, Map> planted = [:]
    @Shared Map<String, String> viewers

    /** The canaries: owner, scope, and who may see each (a = user of A, b = admin of B, c = admin of C, v = visitor). */
    static final List<List> CANARIES = [
            ['privb', 'b', 'private', []],
            ['tenb', 'b', 'tenant', []],
            ['netb', 'b', 'network', ['a', 'b']],
            ['netc', 'c', 'network', ['c']],
            ['consc', 'c', 'consortium', ['a', 'b', 'c']],
            ['pubc', 'c', 'public', ['a', 'b', 'c', 'v']],
            ['pubd', 'd', 'public', []],
    ]

    String marker(String key) { "cnry${f.run}${key}".toString() }

    def setup() {
        if (f != null) {
            return
        }
        f = new SearchFixture(ctx)
        String adminD
        (d, adminD) = f.institutionOfN1('uni-d', '丁大学', 'University D', '330300')
        Map owners = [b: f.adminB, c: f.adminC, d: adminD]
        CANARIES.each { key, owner, scope, seenBy ->
            String m = marker(key)
            planted[key] = f.create(owners[owner], [assetNumber: "CAN-${m}", nameZh: "金丝雀仪器${m}", nameEn: "Canary instrument ${m}",
                    model: "M${m}X", manufacturer: "Maker ${m}", sharingScope: scope, originalValueFen: 20_000_000L,
                    classificationCode: '020101', descriptionEn: "common${f.run} canary ${m}", descriptionZh: "金丝雀 ${m}",
                    latitude: 30.27, longitude: 120.15,
                    services: [[nameZh: "服务${m}", nameEn: "Service ${m}"]]])
        }
        // everything published has arrived (the control is visible), then D is suspended
        SearchFixture.eventually { found(null, 'pubd') && found(null, 'pubc') && found(f.userA, 'netb') && found(f.adminC, 'netc') }
        f.lifecycle(d, 'suspended', outbox)
        SearchFixture.eventually { !found(null, 'pubd') }
        viewers = [a: f.userA, b: f.adminB, c: f.adminC, v: null]
    }

    private boolean found(String token, String key) {
        f.search(token, [q: marker(key), size: 50]).body.items*.id.contains(planted[key].id)
    }

    private List<String> hidden(String viewer) {
        CANARIES.findAll { !(viewer in it[3]) }.collect { it[0] as String }
    }

    private List<String> shown(String viewer) {
        CANARIES.findAll { viewer in it[3] }.collect { it[0] as String }
    }

    def "no query, total, facet or filter reveals a canary to a viewer outside its scope (#viewer)"() {
        given:
        String token = viewers[viewer]
        List<String> leaks = []

        when: 'each hidden marker is searched for every way the API allows'
        hidden(viewer).each { key ->
            String m = marker(key)
            Map rec = planted[key]
            for (String q : [m, "M${m}X", "Maker ${m}", "Service ${m}", "服务${m}", "金丝雀仪器${m}", "CAN-${m}", "canary ${m}"]) {
                for (String lang : ['zh', 'en']) {
                    def r = f.search(token, [q: q, lang: lang, size: 50]).body
                    // typo tolerance may bring other canaries this viewer may see; never this one,
                    // never a count or a facet bucket beyond what was returned, never its words
                    boolean admittedOnly = r.items.every { item -> shown(viewer).any { planted[it].id == item.id } }
                    boolean countsAgree = r.total == r.items.size() && r.facets.values().every { buckets -> (buckets*.count.sum() ?: 0) <= r.items.size() }
                    if (r.items*.id.contains(rec.id) || !admittedOnly || !countsAgree || json.writeValueAsString(r).contains(m)) {
                        leaks << "${key}: q=${q} lang=${lang} total=${r.total}".toString()
                    }
                }
            }
            // owner filter and geo filter without text
            def byOwner = f.search(token, [institution: f.slug(key == 'pubd' ? f.c : (rec.tenantId == f.b.toString() ? f.b : f.c)), size: 50]).body
            if (byOwner.items*.id.contains(rec.id)) { leaks << "${key}: institution filter".toString() }
            def near = f.search(token, [lat: 30.27, lon: 120.15, radiusKm: 1, sort: 'distance', size: 50]).body
            if (near.items*.id.contains(rec.id)) { leaks << "${key}: geo filter".toString() }
            if (f.search(token, [q: "common${f.run}", size: 50]).body.items*.id.contains(rec.id)) { leaks << "${key}: shared word".toString() }
        }

        then:
        leaks == []

        where:
        viewer << ['v', 'a', 'b', 'c']
    }

    def "a viewer sees exactly the canaries its scope admits, and the counts and facets agree (#viewer)"() {
        given:
        String token = viewers[viewer]

        when:
        def r = f.search(token, [q: "common${f.run}", size: 50]).body
        def expected = shown(viewer).collect { planted[it].id }

        then: 'the control and the admitted entries are found: the probes above would have seen a leak'
        r.items*.id as Set == expected as Set
        r.total == expected.size()
        (r.facets.institution*.count.sum() ?: 0) == expected.size()
        r.facets.institution*.key as Set == shown(viewer).collect { it == 'netb' ? f.slug(f.b) : f.slug(f.c) } as Set
        (r.facets.classL1*.count.sum() ?: 0) == expected.size()
        (r.facets.valueBand*.count.sum() ?: 0) == expected.size()

        where:
        viewer << ['v', 'a', 'b', 'c']
    }

    def "suggestions never complete a hidden marker (#viewer)"() {
        given:
        String token = viewers[viewer]

        when:
        List<String> suggested = []
        ['zh', 'en'].each { lang ->
            ["cnry${f.run}", "金丝雀仪器cnry${f.run}", "Canary instrument cnry${f.run}", "Mcnry${f.run}"].each { prefix ->
                suggested.addAll(f.suggest(token, [q: prefix, lang: lang, size: 20]).body.items*.text)
            }
        }
        def revealed = CANARIES.collect { it[0] as String }.findAll { key -> suggested.any { it.contains(marker(key)) } }

        then: 'exactly the admitted ones can be suggested, and the control is'
        revealed.every { it in shown(viewer) }
        revealed.contains('pubc')

        where:
        viewer << ['v', 'a', 'b', 'c']
    }

    def "Elasticsearch holds no text of unpublished entries: private and tenant-only records are tombstones"() {
        when:
        def hits = ['privb', 'tenb'].collectEntries { key ->
            def response = es.search({ s -> s.index(index.alias()).query { q -> q.multiMatch { mm -> mm.query(marker(key))
                    .type(co.elastic.clients.elasticsearch._types.query_dsl.TextQueryType.Phrase)
                    .fields(['nameEn', 'nameZh', 'descriptionEn', 'model', 'manufacturer', 'serviceNamesEn', 'assetNumber']) } } } as java.util.function.Function, Map)
            [(key): response.hits().total().value()]
        }
        def stones = ['privb', 'tenb'].collect { key ->
            es.get({ g -> g.index(index.alias()).id(planted[key].id as String) } as java.util.function.Function, Map).source()
        }

        then:
        hits == [privb: 0L, tenb: 0L]
        stones.every { it.visible == false && !it.containsKey('nameZh') && !it.containsKey('nameEn') }
    }
}

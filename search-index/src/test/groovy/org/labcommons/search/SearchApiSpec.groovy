package org.labcommons.search

import io.micronaut.json.JsonMapper
import jakarta.inject.Inject
import org.labcommons.testkit.PlatformSpec
import spock.lang.Shared

/**
 * The search API: synonyms across languages and abbreviations, model numbers, typos, facets that
 * narrow, distance filter and sort, pagination, the rate group each viewer would pay, suggestions,
 * and field-level errors for bad parameters.
 */
class SearchApiSpec extends PlatformSpec {
    @Inject JsonMapper json
    @Shared SearchFixture f
    @Shared Map<String, Map> rec = [:]

    def setup() {
        if (f != null) {
            return
        }
        f = new SearchFixture(ctx)
        String r = f.run
        // A (Hangzhou): a Chinese-named TEM; B (Ningbo): an English-named TEM; C (Wuhan): two NMRs and a flow cytometer
        rec.temA = f.create(f.adminA, [assetNumber: "T-${r}-1", nameZh: "场发射透射电子显微镜", nameEn: "Field emission TEM ${r}",
                model: 'JEM-2100F', manufacturer: 'JEOL', originalValueFen: 1_200_000_000L, classificationCode: '010101',
                latitude: 30.27, longitude: 120.15, descriptionZh: "批次${r}"])
        rec.temB = f.create(f.adminB, [assetNumber: "T-${r}-2", nameZh: "电镜${r}", nameEn: "Transmission electron microscope",
                model: 'Talos F200X', manufacturer: 'Thermo Fisher', originalValueFen: 1_800_000_000L, classificationCode: '010101',
                latitude: 29.87, longitude: 121.55, descriptionEn: "batch ${r}"])
        rec.nmr400 = f.create(f.adminC, [assetNumber: "N-${r}-1", nameZh: "400M核磁共振波谱仪", nameEn: "400 MHz NMR spectrometer ${r}",
                model: 'AVANCE III HD 400', manufacturer: 'Bruker', originalValueFen: 350_000_000L, classificationCode: '010601',
                latitude: 30.52, longitude: 114.36, status: 'in_service', sharingScope: 'consortium',
                services: [[nameZh: '氢谱', nameEn: '1H spectrum']]])
        rec.nmr600 = f.create(f.adminC, [assetNumber: "N-${r}-2", nameZh: "600兆核磁共振谱仪${r}", nameEn: "NMR spectrometer",
                model: 'AVANCE NEO 600', manufacturer: 'Bruker', originalValueFen: 900_000_000L, classificationCode: '010601',
                latitude: 30.52, longitude: 114.36, status: 'under_repair'])
        rec.facs = f.create(f.adminC, [assetNumber: "F-${r}-1", nameZh: "流式细胞分选仪${r}", nameEn: "Cell sorter",
                model: 'FACSAria III', manufacturer: 'BD', originalValueFen: 400_000_000L, classificationCode: '011012',
                latitude: 30.52, longitude: 114.36])
        SearchFixture.eventually(30) { rec.values().every { r2 -> f.search(f.userA, [q: r2.assetNumber]).body.items*.id.contains(r2.id) } }
    }

    private List ids(String token, Map params) {
        f.search(token, params + [size: 50]).body.items*.id.findAll { it in rec.values()*.id }
    }

    def "one name of a type finds the others: #q"() {
        expect:
        ids(f.userA, [q: q]).containsAll(expected.collect { rec[it].id })

        where:
        q                                  | expected
        'TEM'                              | ['temA', 'temB']
        '透射电镜'                          | ['temA', 'temB']
        'transmission electron microscope' | ['temA', 'temB']
        'tranmission electron microscope'  | ['temA', 'temB']
        '核磁'                              | ['nmr400', 'nmr600']
        'NMR'                              | ['nmr400', 'nmr600']
        'FACS'                             | ['facs']
        '流式'                              | ['facs']
        'flow cytomter'                    | ['facs']
    }

    def "words beyond the type rank: 400M NMR puts the 400 MHz first, 600兆核磁 the 600; a model number finds its instrument first"() {
        expect:
        ids(f.userA, [q: '400M NMR']).first() == rec.nmr400.id
        ids(f.userA, [q: '600兆核磁']).first() == rec.nmr600.id
        ids(f.userA, [q: 'JEM-2100F']).first() == rec.temA.id
        ids(f.userA, [q: 'jem2100f']).first() == rec.temA.id
        ids(f.userA, [q: 'FACSAria']).first() == rec.facs.id
        !ids(f.userA, [q: 'TEM']).contains(rec.nmr400.id)
    }

    def "the interpretation is reported; facets count the hits and a selection narrows both"() {
        when:
        def all = f.search(f.userA, [q: 'NMR', institution: f.slug(f.c), lang: 'en', size: 50]).body
        def repairing = f.search(f.userA, [q: 'NMR', institution: f.slug(f.c), status: 'under_repair', size: 50]).body

        then:
        all.interpretedAs == ['NMR']
        all.items*.id as Set == [rec.nmr400.id, rec.nmr600.id] as Set
        all.facets.status.find { it.key == 'under_repair' }.count == 1
        all.facets.institution*.key == [f.slug(f.c)]
        all.facets.institution[0].label == 'University C'
        all.facets.province*.key == ['420000']
        all.facets.valueBand*.key as Set == ['1m-5m', 'ge5m'] as Set
        repairing.items*.id == [rec.nmr600.id]
        repairing.facets.status == [[key: 'under_repair', label: 'under_repair', count: 1, selected: true]]
    }

    def "facets=false answers the same hits and total without facets; a repeated search counts the same"() {
        when:
        def with = f.search(f.userA, [q: 'NMR', institution: f.slug(f.c)]).body
        def without = f.search(f.userA, [q: 'NMR', institution: f.slug(f.c), facets: 'false']).body
        def again = f.search(f.userA, [q: 'NMR', institution: f.slug(f.c)]).body

        then:
        without.items*.id == with.items*.id
        without.total == with.total
        without.total == 2
        without.facets == [:]
        with.facets.institution*.key == [f.slug(f.c)]
        again.facets == with.facets
        again.total == with.total
    }

    def "a point and a radius filter by distance, and distance sort puts the nearest first"() {
        when: 'from Hangzhou, within 200 km: A (0 km) and B (Ningbo, ~140 km), not Wuhan'
        def near = f.search(f.userA, [q: 'TEM', lat: 30.27, lon: 120.15, radiusKm: 200, sort: 'distance', size: 50]).body
        def mine = near.items.findAll { it.id in rec.values()*.id }

        then:
        mine*.id == [rec.temA.id, rec.temB.id]
        mine[0].distanceKm == 0.0d
        mine[1].distanceKm > 100 && mine[1].distanceKm < 200
        ids(f.userA, [q: 'NMR', lat: 30.27, lon: 120.15, radiusKm: 200]).isEmpty()
    }

    def "the answer says how long the search took, in the service and in the engine"() {
        when:
        def times = (1..20).collect { f.search(null, [q: it % 2 ? 'NMR' : '透射电镜']).body }.collect { [it.tookMs, it.engineMs] }
        println "search service / engine ms: ${times}"

        then:
        times.every { it[0] >= it[1] && it[1] >= 0 }
    }

    def "pages do not overlap and add up to the total"() {
        when:
        def p0 = f.search(f.userA, [q: f.run, size: 2, page: 0]).body
        def p1 = f.search(f.userA, [q: f.run, size: 2, page: 1]).body
        def p2 = f.search(f.userA, [q: f.run, size: 2, page: 2]).body

        then:
        p0.total == 5
        (p0.items*.id + p1.items*.id + p2.items*.id) as Set == rec.values()*.id as Set
        p2.items.size() == 1
    }

    def "each hit carries its owner and the rate group the viewer would pay"() {
        expect: "A's own people pay internal, members elsewhere consortium, visitors external"
        f.search(f.userA, [q: rec.temA.assetNumber]).body.items.find { it.id == rec.temA.id }.rateGroup == 'internal'
        f.search(f.adminC, [q: rec.temA.assetNumber]).body.items.find { it.id == rec.temA.id }.rateGroup == 'consortium'
        f.search(null, [q: rec.temA.assetNumber]).body.items.find { it.id == rec.temA.id }.rateGroup == 'external'
        f.search(null, [q: rec.temA.assetNumber]).body.items.find { it.id == rec.temA.id }.ownerNameEn == 'University A'
        f.search(null, [q: rec.temA.assetNumber]).body.items.find { it.id == rec.temA.id }.url == "/t/${f.slug(f.a)}/instruments/${rec.temA.id}".toString()

        and: 'the consortium-scoped NMR is not there for a visitor'
        f.search(null, [q: rec.nmr400.assetNumber]).body.items*.id.disjoint([rec.nmr400.id])
    }

    def "suggestions complete names and types the viewer may see"() {
        when:
        def zh = f.suggest(f.userA, [q: '流式细胞分', lang: 'zh']).body.items*.text
        def en = f.suggest(f.userA, [q: 'Cell sor', lang: 'en']).body.items*.text
        def visitor = f.suggest(null, [q: '400M核磁', lang: 'zh']).body.items*.text

        then:
        zh.contains("流式细胞分选仪${f.run}".toString())
        en.contains('Cell sorter')
        !visitor.contains('400M核磁共振波谱仪')
    }

    def "bad parameters are refused with the field named: #params"() {
        when:
        def r = f.get(path, null, params)

        then:
        r.status == 400
        r.body.toString().contains(field)

        where:
        path                           | params                                  | field
        '/api/v1/search/instruments'   | [size: 500]                             | 'size'
        '/api/v1/search/instruments'   | [page: 499, size: 50]                   | 'page'
        '/api/v1/search/instruments'   | [lat: 30.1]                             | 'lon'
        '/api/v1/search/instruments'   | [sort: 'distance']                      | 'lat'
        '/api/v1/search/instruments'   | [lat: 91, lon: 0]                       | 'lat'
        '/api/v1/search/instruments'   | [classL1: '01']                         | 'classL1'
        '/api/v1/search/instruments'   | [institution: 'A B']                    | 'institution'
        '/api/v1/search/instruments'   | [valueBand: 'huge']                     | 'valueBand'
        '/api/v1/search/instruments'   | [q: 'x' * 201]                          | 'q'
        '/api/v1/search/suggest'       | [q: '']                                 | 'q'
        '/api/v1/search/instruments'   | [lang: 'fr']                            | 'lang'
    }

    def "rebuilding the index is for the consortium operator only"() {
        expect:
        f.send('POST', '/api/v1/search/reindex', null).status == 401
        f.send('POST', '/api/v1/search/reindex', f.adminA).status == 403
    }
}

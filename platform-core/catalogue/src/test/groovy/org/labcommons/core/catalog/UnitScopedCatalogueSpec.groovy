package org.labcommons.core.catalog

import org.apache.poi.ss.usermodel.CellType
import org.apache.poi.xssf.usermodel.XSSFWorkbook
import org.labcommons.core.web.auth.WebSessions
import org.labcommons.testkit.IsolationProbe
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld
import spock.lang.Shared

import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.time.Duration

import static org.labcommons.testkit.TenantWorld.*

/**
 * Unit-scoped admins see only their units: a list, its count, the export (register, Uniquip, .xlsx) and
 * the admin list page show a private record to exactly those who may read it by id. An instrument
 * admin of lab A sees lab A's private records (and those of the units below it), never sibling lab
 * B's; a department admin sees both labs'; an institution admin sees every record; a plain member
 * sees none. The isolation probe has lab A's admin probe lab B.
 */
class UnitScopedCatalogueSpec extends PlatformSpec {
    @Shared TenantWorld world
    @Shared Map<String, String> assets = [:]
    @Shared HttpClient http = HttpClient.newHttpClient()

    def setupSpec() {
        world = TenantWorld.build(ctx) {
            institution('uni') {
                unit('chem')
                unit('lab-a', kind: 'lab', parent: 'chem')
                unit('lab-a-nmr', kind: 'lab', parent: 'lab-a')
                unit('lab-b', kind: 'lab', parent: 'chem')
                rateGroup('internal')
                person('head', INSTITUTION_ADMIN)
                person('dora', INSTRUMENT_ADMIN, unit: 'chem')
                person('anna', INSTRUMENT_ADMIN, unit: 'lab-a')
                person('ben', INSTRUMENT_ADMIN, unit: 'lab-b')
                person('carl', USER)
            }
        }
        String r = world.run.toUpperCase(Locale.ROOT)
        record('A private', 'lab-a', 'private', "APRIV${r}")
        record('A nmr private', 'lab-a-nmr', 'private', "ANMR${r}")
        record('A shared', 'lab-a', 'tenant', "ASHARE${r}")
        record('B private', 'lab-b', 'private', "BPRIV${r}",
                [contacts: [[name: 'Dr Secret', phone: '0571-1234 5678', email: "secret-b-${world.run}@uni.example".toString()]],
                 prices  : [[rateGroup: 'internal', unit: 'hour', amountFen: 9_876_543]]])
        record('B shared', 'lab-b', 'tenant', "BSHARE${r}")
        record('Unitless private', null, 'private', "NOUNIT${r}")
    }

    private void record(String name, String unit, String scope, String asset, Map more = [:]) {
        world.within('uni') {
            instrument(name, unit: unit, scope: scope, valueFen: 30_000_000L,
                    body: [assetNumber: asset, nameEn: "${name} ${world.run}".toString()] + more)
        }
        assets[name] = asset
    }

    /** What each person may read: the shared records, and the private ones of the units they manage. */
    static final Map<String, List<String>> SEES = [
            head: ['A private', 'A nmr private', 'A shared', 'B private', 'B shared', 'Unitless private'],
            dora: ['A private', 'A nmr private', 'A shared', 'B private', 'B shared'],
            anna: ['A private', 'A nmr private', 'A shared', 'B shared'],
            ben : ['A shared', 'B private', 'B shared'],
            carl: ['A shared', 'B shared']]

    String id(String name) { world.instrument(name).id as String }

    List<String> assetsOf(List<String> names) { names.collect { assets[it] }.sort() }

    Map download(String query, String token) {
        def r = http.send(HttpRequest.newBuilder(URI.create("${baseUrl}/api/v1/instruments/export?${query}"))
                .header('Authorization', 'Bearer ' + token).header('Accept-Language', 'en').build(),
                HttpResponse.BodyHandlers.ofByteArray())
        [status: r.statusCode(), bytes: r.body()]
    }

    /** The world's asset numbers that appear in {@code text}. */
    List<String> assetsIn(String text) { assets.values().findAll { text.contains(it) }.sort() }

    List<String> assetsInXlsx(byte[] bytes) {
        def wb = new XSSFWorkbook(new ByteArrayInputStream(bytes))
        def cells = []
        wb.getSheetAt(0).each { row -> row.each { c -> if (c.cellType == CellType.STRING) { cells << c.stringCellValue } } }
        assetsIn(cells.join('\n'))
    }

    /** A signed-in browser of {@code name}: its session cookie. */
    String cookie(String name) {
        def p = world.person(name)
        def created = ctx.getBean(WebSessions).create(p.tenant.issuer, p.subject, p.subject, Duration.ofHours(1))
        "LC_SESSION=${created.rawId()}".toString()
    }

    def "#name lists, counts and exports exactly the private records a read by id shows them"() {
        given:
        String token = world.token(name)
        List<String> expected = SEES[name]
        List<String> privates = expected.findAll { it.contains('private') }

        when:
        def list = api.get('/api/v1/instruments?size=200', token)
        def pagedTotals = (0..<expected.size()).collect { api.get("/api/v1/instruments?size=1&page=${it}", token).body }
        def onlyPrivate = api.get('/api/v1/instruments?scope=private&size=200', token)
        def inLabB = api.get("/api/v1/instruments?orgUnitId=${world.unit('uni', 'lab-b')}&size=200", token)
        def reads = assets.keySet().collectEntries { [it, api.get("/api/v1/instruments/${id(it)}", token).status] }
        def csv = download('format=csv', token)
        def uniquip = download('format=uniquip', token)
        def xlsx = download('format=xlsx', token)

        then: 'the list and its total hold exactly what a read by id shows'
        reads.findAll { it.value == 200 }.keySet().sort() == expected.sort()
        reads.findAll { it.value != 200 }.every { it.value == 404 }
        list.status == 200
        list.body.items*.assetNumber.sort() == assetsOf(expected)
        list.body.total == expected.size()
        pagedTotals.every { it.total == expected.size() }
        pagedTotals.collect { it.items[0].assetNumber }.sort() == assetsOf(expected)

        and: 'filters and counts follow the same rule'
        inLabB.body.items*.assetNumber.sort() == assetsOf(expected.findAll { it.startsWith('B ') })
        inLabB.body.total == expected.count { it.startsWith('B ') }
        if (privates) {
            assert onlyPrivate.status == 200
            assert onlyPrivate.body.items*.assetNumber.sort() == assetsOf(privates)
            assert onlyPrivate.body.total == privates.size()
        } else {
            assert onlyPrivate.status == 403
        }

        and: 'every export holds the same records, and no contact or price of the others'
        [csv, uniquip, xlsx].every { it.status == 200 }
        assetsIn(new String(csv.bytes, 'UTF-8')) == assetsOf(expected)
        assetsIn(new String(uniquip.bytes, 'UTF-8')) == assetsOf(expected)
        assetsInXlsx(xlsx.bytes) == assetsOf(expected)
        new String(csv.bytes, 'UTF-8').contains("secret-b-${world.run}") == ('B private' in expected)
        new String(uniquip.bytes, 'UTF-8').contains("secret-b-${world.run}") == ('B private' in expected)
        list.body.toString().contains('9876543') == ('B private' in expected)

        where:
        name << ['head', 'dora', 'anna', 'ben', 'carl']
    }

    def "the admin list page shows a unit admin their lab's private records and none of a sibling lab's"() {
        when:
        def page = { String who, String query ->
            http.send(HttpRequest.newBuilder(URI.create("${baseUrl}/admin/instruments${query}"))
                    .header('Cookie', cookie(who)).header('Accept-Language', 'en').build(), HttpResponse.BodyHandlers.ofString())
        }
        def anna = page('anna', '')
        def annaPrivate = page('anna', '?scope=private')
        def head = page('head', '?scope=private')

        then:
        anna.statusCode() == 200
        assetsIn(anna.body()) == assetsOf(SEES.anna)
        assetsIn(annaPrivate.body()) == assetsOf(['A private', 'A nmr private'])
        assetsIn(head.body()) == assetsOf(['A private', 'A nmr private', 'B private', 'Unitless private'])
    }

    def "lab A's admin probing lab B: every single read answers as for a missing record, and no list, count or export shows it (isolation probe)"() {
        given:
        String annaToken = world.token('anna')
        def foreign = [id('B private'), id('Unitless private')]
        def secrets = [assets['B private'], assets['Unitless private'], "B private ${world.run}".toString(),
                       "Unitless private ${world.run}".toString(), "secret-b-${world.run}".toString(), '9876543']
        def snapshotOfB = {
            ['B private', 'Unitless private'].collect {
                def b = api.get("/api/v1/instruments/${id(it)}", world.token('head')).body
                [b.id, b.version, b.room, b.archivedAt, b.contacts, b.prices*.amountFen]
            }
        }
        String body = api.write([assetNumber: "PROBE-${world.run}".toString(), nameZh: '探针', nameEn: 'Probe',
                                 originalValueFen: 30_000_000L, status: 'in_service', sharingScope: 'tenant', room: 'HACKED'])
        def api_ = { IsolationProbe.against(baseUrl, [Authorization: 'Bearer ' + annaToken, 'Accept-Language': 'en']) }
        def pages_ = { IsolationProbe.against(baseUrl, [Cookie: cookie('anna'), 'Accept-Language': 'en']) }

        when:
        def reads = api_()
                .probe('GET', '/api/v1/instruments/{id}')
                .probe('PUT', '/api/v1/instruments/{id}', body)
                .probe('DELETE', '/api/v1/instruments/{id}')
                .probe('GET', '/api/v1/instruments/{id}/documents/{id}')
                .listing('GET', '/api/v1/instruments?size=200')
                .listing('GET', '/api/v1/instruments?size=200&includeArchived=true')
                .listing('GET', '/api/v1/instruments?scope=private&size=200')
                .listing('GET', '/api/v1/instruments?q=private&size=200')
                .listing('GET', '/api/v1/instruments/export?format=csv')
                .listing('GET', '/api/v1/instruments/export?format=uniquip')
                .listing('GET', '/api/v1/instruments/export?format=csv&scope=private')
                .run(foreign, secrets, snapshotOfB)
        def pageReads = pages_()
                .probe('GET', '/admin/instruments/{id}/edit')
                .listing('GET', '/admin/instruments')
                .listing('GET', '/admin/instruments?scope=private')
                .listing('GET', '/admin/instruments?q=private')
                .run(foreign, secrets, snapshotOfB)
        // one unit per run: a list of one unit may rightly name the other units (its records' units, the filter's options)
        def byUnit = ['lab-b', 'chem'].collect { unit ->
            api_().listing('GET', '/api/v1/instruments?orgUnitId={id}&size=200')
                    .listing('GET', '/api/v1/instruments?orgUnitId={id}&scope=private&size=200')
                    .listing('GET', '/api/v1/instruments/export?format=csv&orgUnitId={id}')
                    .listing('GET', '/api/v1/instruments/export?format=uniquip&orgUnitId={id}')
                    .run([world.unit('uni', unit) as String], secrets + foreign, snapshotOfB)
        }
        def byUnitPage = ['lab-b', 'chem'].collect { unit ->
            pages_().listing('GET', '/admin/instruments?orgUnitId={id}')
                    .run([world.unit('uni', unit) as String], secrets + foreign, snapshotOfB)
        }
        def reports = [reads, pageReads] + byUnit + byUnitPage
        println "isolation probe (unit-scoped admin, sibling lab): ${reports.sum { it.probesMade() }} probes, " +
                "${reports.sum { it.leaks().size() }} leaks"

        then:
        reports.every { it.leaks() == [] && !it.dataOfOwnerChanged() }
        reports.sum { it.outcomes().size() } == 2 * (4 + 7) + 2 * (1 + 3) + 2 * 4 + 2 * 1
        reads.outcomes().findAll { !it.probe().listing() }.every { it.foreignStatus() == 404 }
        reads.outcomes().findAll { it.probe().listing() }.every { it.foreignStatus() == 200 }

        when: 'the control: the institution admin, who may see lab B, is caught by the same probe'
        def control = IsolationProbe.against(baseUrl, [Authorization: 'Bearer ' + world.token('head'), 'Accept-Language': 'en'])
                .probe('GET', '/api/v1/instruments/{id}')
                .listing('GET', '/api/v1/instruments?size=200')
                .listing('GET', '/api/v1/instruments/export?format=csv')
                .run(foreign, secrets, snapshotOfB)

        then:
        control.leaks().size() == control.outcomes().size()
    }
}

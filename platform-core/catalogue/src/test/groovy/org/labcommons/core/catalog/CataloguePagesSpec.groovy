package org.labcommons.core.catalog

import io.micronaut.json.JsonMapper
import jakarta.inject.Inject
import org.labcommons.core.security.Role
import org.labcommons.testkit.IsolationProbe
import org.labcommons.testkit.PlatformSpec
import spock.lang.Shared

import javax.sql.DataSource
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.nio.charset.StandardCharsets

/**
 * The catalogue's pages over plain HTTP: who may open what (signed out → sign-in, another
 * tenant's instrument → the same 404 as a missing one, a plain member → no private records and no
 * editor), the editor's server rules (500k private needs an exemption, optimistic versions,
 * field errors in the page's language), documents, archiving, the admin list's filters and the
 * export link, and the public pages' visibility.
 */
class CataloguePagesSpec extends PlatformSpec {
    static final String FORM = 'application/x-www-form-urlencoded'

    @Inject DataSource dataSource
    @Inject JsonMapper json
    @Inject InstrumentService service

    @Shared CatalogueFixture a
    @Shared CatalogueFixture b
    @Shared CatalogueFixture.Session adminA
    @Shared CatalogueFixture.Session adminB
    @Shared CatalogueFixture.Session memberA
    HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()

    def setup() {
        if (a == null) {
            a = new CatalogueFixture('a', ctx).withDemoInstruments(service)
            b = new CatalogueFixture('b', ctx).withDemoInstruments(service)
            adminA = a.session("admin-a-${a.run}".toString(), Role.INSTITUTION_ADMIN)
            adminB = b.session("admin-b-${b.run}".toString(), Role.INSTITUTION_ADMIN)
            memberA = a.session("member-a-${a.run}".toString())
        }
    }

    String app(String path) { "http://localhost:${server.port}${path}" }

    HttpResponse<String> get(String path, CatalogueFixture.Session s = null) {
        def r = HttpRequest.newBuilder(URI.create(app(path))).GET()
        if (s) { r.header('Cookie', s.cookie) }
        http.send(r.build(), HttpResponse.BodyHandlers.ofString())
    }

    HttpResponse<String> post(String path, CatalogueFixture.Session s, Map<String, Object> fields, boolean withToken = true) {
        Map all = withToken ? ['_csrf': s.csrf] + fields : fields
        String body = all.collect { k, v -> enc(k as String) + '=' + enc(v == null ? '' : v.toString()) }.join('&')
        def r = HttpRequest.newBuilder(URI.create(app(path))).header('Content-Type', FORM)
                .POST(HttpRequest.BodyPublishers.ofString(body))
        if (s) { r.header('Cookie', s.cookie) }
        http.send(r.build(), HttpResponse.BodyHandlers.ofString())
    }

    static String enc(String s) { URLEncoder.encode(s, StandardCharsets.UTF_8) }

    /** What the editor sends for a new instrument (value in yuan, classification level by level). */
    Map<String, Object> editorForm(String asset, Map<String, Object> more = [:]) {
        [assetNumber: asset, nameZh: '场发射扫描电镜', nameEn: 'Field-emission SEM', model: 'SU8010', manufacturer: 'Hitachi',
         countryCode: 'JP', originalValue: '600000', cls1: '010000', cls2: '010100', cls3: '010102',
         orgUnitId: a.units.CHEM.toString(), building: '材料楼', room: 'E108', latitude: '30.3125', longitude: '120.3441',
         status: 'in_service', purpose: 'general', ratedAnnualHours: '1500', sharingScope: 'public',
         'flag.sharedPlatform': 'on', 'services[0].nameZh': '形貌观察', 'services[0].nameEn': 'Morphology',
         'services[0].sampleRequirements': '干燥固体', 'contacts[0].name': '李老师', 'contacts[0].email': 'sem@example.org'] + more
    }

    static String text(String html) {
        html.replaceAll('(?s)<script.*?</script>', '').replaceAll('<[^>]+>', ' ').replaceAll('&amp;', '&')
                .replaceAll('&#39;', "'").replaceAll('\\s+', ' ')
    }

    /** The text of the element with this id (up to its closing tag; elements of the same name must not nest). */
    static String between(String html, String id) {
        int at = html.indexOf("id=\"${id}\"")
        assert at >= 0: "no #${id} in the page"
        int open = html.lastIndexOf('<', at)
        String tag = (html.substring(open + 1) =~ /^[a-z0-9]+/)[0]
        int end = html.indexOf("</${tag}>", at)
        text(html.substring(html.indexOf('>', at) + 1, end)).strip()
    }

    // ---------------------------------------------------------------- access

    def "signed out, the admin pages send the browser to sign in and back; a form post without a session is refused"() {
        when:
        def list = get('/admin/instruments?status=idle')
        def create = get('/admin/instruments/new')
        def edit = get("/admin/instruments/${a.instruments.nmr.id()}/edit")
        def posted = post('/admin/instruments/new', null, editorForm("OUT-${a.run}".toString()), false)

        then:
        [list, create, edit].every { it.statusCode() == 303 }
        URLDecoder.decode(list.headers().firstValue('Location').get(), StandardCharsets.UTF_8) == '/login?returnTo=/admin/instruments?status=idle'
        URLDecoder.decode(edit.headers().firstValue('Location').get(), StandardCharsets.UTF_8) == "/login?returnTo=/admin/instruments/${a.instruments.nmr.id()}/edit".toString()
        posted.statusCode() == 403
        service.list(a.tenant, new InstrumentQuery("OUT-${a.run}".toString(), null, null, null, null, null, null, null,
                null, null, null, true, 'assetNumber', false, 0, 10)).total() == 0
    }

    def "a user of tenant B gets the same 404 for A's instruments as for missing ones, and changes nothing (isolation probe)"() {
        given:
        def foreign = [a.instruments.confocal.id().toString(), a.instruments.secret.id().toString()]
        def snapshotOfA = {
            service.list(a.tenant, new InstrumentQuery(null, null, null, null, null, null, null, null, null, null, null, true,
                    'assetNumber', false, 0, 100)).items().collect { [it.id(), it.version(), it.room(), it.archivedAt(), it.documents().size()] }
        }
        String form = editorForm("ISO-${b.run}".toString(), [version: '1']).collect { k, v -> enc(k) + '=' + enc(v.toString()) }.join('&')

        when:
        def report = IsolationProbe.against(app(''), [Cookie: adminB.cookie, 'X-CSRF-Token': adminB.csrf, 'Content-Type': FORM,
                                                      'Accept-Language': 'en'])
                .probe('GET', '/admin/instruments/{id}/edit')
                .probe('POST', '/admin/instruments/{id}/edit', form)
                .probe('POST', '/admin/instruments/{id}/archive', '')
                .probe('GET', '/admin/instruments/{id}/documents/{id}')
                .probe('POST', '/admin/instruments/{id}/documents/{id}/delete', '')
                .probe('GET', '/admin/instruments?orgUnitId={id}')
                .probe('GET', "/t/${a.slug}/instruments/{id}".toString())
                .probe('GET', "/t/${a.slug}/instruments/{id}/documents/{id}".toString())
                .run(foreign, snapshotOfA)
        println "isolation probe (catalogue pages): ${report.probesMade()} probes, ${report.leaks().size()} leaks"

        then:
        report.leaks() == []
        !report.dataOfOwnerChanged()
        report.outcomes().findAll { !it.probe().path().contains('orgUnitId') }.every { it.foreignStatus() == 404 }
        report.outcomes().find { it.probe().path().contains('orgUnitId') }.foreignStatus() == 200
    }

    def "a plain member sees no private instrument in the list (pages and API alike) and may not open the editor"() {
        when:
        def list = get('/admin/instruments?lang=en', memberA)
        def listOfAdmin = get('/admin/instruments?lang=en', adminA)
        def apiMember = json.readValue(http.send(HttpRequest.newBuilder(URI.create(app('/api/v1/instruments?size=200')))
                .header('Authorization', 'Bearer ' + a.token(memberA.subject)).build(), HttpResponse.BodyHandlers.ofString()).body(), Map)
        def apiAdmin = json.readValue(http.send(HttpRequest.newBuilder(URI.create(app('/api/v1/instruments?size=200')))
                .header('Authorization', 'Bearer ' + a.token(adminA.subject)).build(), HttpResponse.BodyHandlers.ofString()).body(), Map)

        then:
        list.statusCode() == 200
        !list.body().contains(a.instruments.secret.assetNumber())
        list.body().contains(a.instruments.confocal.assetNumber())
        !list.body().contains('id="new-instrument"')
        !list.body().contains('/edit"')
        listOfAdmin.body().contains(a.instruments.secret.assetNumber())
        listOfAdmin.body().contains('id="new-instrument"')
        !apiMember.items*.sharingScope.contains('private')
        apiAdmin.items*.sharingScope.contains('private')

        expect: 'the editor: 403 page for what they may read, 404 for what they may not see'
        get('/admin/instruments/new', memberA).statusCode() == 403
        get('/admin/instruments/new', memberA).headers().firstValue('Content-Type').get().startsWith('text/html')
        get("/admin/instruments/${a.instruments.nmr.id()}/edit", memberA).statusCode() == 403
        get("/admin/instruments/${a.instruments.secret.id()}/edit", memberA).statusCode() == 404
        post("/admin/instruments/${a.instruments.nmr.id()}/archive", memberA, [:]).statusCode() == 403
        service.find(a.tenant, a.instruments.nmr.id()).get().archivedAt() == null
    }

    // ---------------------------------------------------------------- the editor's rules

    def "500,000 RMB or more kept private needs an exemption: the error stands next to the field, in the page's language"() {
        given:
        String asset = "PRIV-${a.run}".toString()

        when:
        def en = post('/admin/instruments/new?lang=en', adminA, editorForm(asset, [sharingScope: 'private']))
        def zh = post('/admin/instruments/new?lang=zh-CN', adminA, editorForm(asset, [sharingScope: 'private']))

        then:
        en.statusCode() == 400
        between(en.body(), 'err-exemptionReason').contains('500,000 RMB or more may only stay private')
        en.body().contains('id="error-summary"')
        en.body().contains('value="' + asset + '"')      // what was typed comes back
        en.body().contains('value="600000"')
        zh.statusCode() == 400
        between(zh.body(), 'err-exemptionReason').contains('50 万元')

        when:
        def saved = post('/admin/instruments/new', adminA, editorForm(asset, [sharingScope: 'private', exemptionReason: 'special_purpose']))
        def id = UUID.fromString(saved.headers().firstValue('Location').get().split('/')[3])
        def stored = service.find(a.tenant, id).get()

        then:
        saved.statusCode() == 303
        saved.headers().firstValue('Location').get().endsWith('/edit?done=created')
        stored.sharingScope() == 'private'
        stored.exemptionReason() == 'special_purpose'
        stored.originalValueFen() == 60_000_000L
        stored.requiresIot()
        stored.classificationCode() == '010102'
        stored.flags().sharedPlatform() && !stored.flags().customsSupervised()
        stored.services()*.nameEn() == ['Morphology']
        stored.contacts()*.email() == ['sem@example.org']
    }

    def "bad input: every problem at once, next to its field; nothing is written"() {
        when:
        def r = post('/admin/instruments/new?lang=en', adminA, editorForm('', [nameEn: '', originalValue: '12.345',
                latitude: '95', longitude: '', countryCode: 'XX1', cls1: '010000', cls2: '010100', cls3: '019999',
                'contacts[0].email': 'not-an-address', purchaseDate: '2024-02-30']))

        then:
        r.statusCode() == 400
        between(r.body(), 'err-assetNumber') == 'must not be blank'
        between(r.body(), 'err-nameEn') == 'must not be blank'
        between(r.body(), 'err-originalValue').contains('at most two decimals')
        between(r.body(), 'err-latitude') == 'must be at most 90'
        between(r.body(), 'err-purchaseDate').contains('2024-05-31')
        between(r.body(), 'err-countryCode') == 'has the wrong format'
        r.body().contains('not a valid e-mail address')
    }

    def "the same asset number twice is refused next to the field"() {
        when:
        def r = post('/admin/instruments/new?lang=en', adminA, editorForm(a.instruments.tem.assetNumber()))

        then:
        r.statusCode() == 409
        between(r.body(), 'err-assetNumber') == 'is already taken'
    }

    def "optimistic versions: whoever saves second is told someone else saved first, and nothing of theirs is written"() {
        given:
        def created = post('/admin/instruments/new', adminA, editorForm("VER-${a.run}".toString()))
        String id = created.headers().firstValue('Location').get().split('/')[3]
        def page = get("/admin/instruments/${id}/edit", adminA)

        expect:
        page.statusCode() == 200
        page.body().contains('name="version" value="1"')

        when:
        def first = post("/admin/instruments/${id}/edit?lang=en", adminA, editorForm("VER-${a.run}".toString(), [version: '1', room: 'E201']))
        def second = post("/admin/instruments/${id}/edit?lang=en", adminA, editorForm("VER-${a.run}".toString(), [version: '1', room: 'E999']))

        then:
        first.statusCode() == 303
        first.headers().firstValue('Location').get().endsWith('/edit?done=saved')
        second.statusCode() == 409
        between(second.body(), 'conflict').contains('Someone else changed this record')
        between(second.body(), 'conflict').contains('version 2')
        second.body().contains('value="E999"')              // the second editor's input is still on the page
        service.find(a.tenant, UUID.fromString(id)).get().room() == 'E201'
        service.find(a.tenant, UUID.fromString(id)).get().version() == 2
    }

    def "'add a service' re-renders the form with another row and saves nothing"() {
        when:
        def r = post('/admin/instruments/new?lang=en', adminA, editorForm("ROW-${a.run}".toString(), [_add: 'service']))

        then:
        r.statusCode() == 200
        r.body().contains('name="services[1].nameZh"')
        r.body().contains('value="形貌观察"')
        service.list(a.tenant, new InstrumentQuery("ROW-${a.run}".toString(), null, null, null, null, null, null, null,
                null, null, null, true, 'assetNumber', false, 0, 10)).total() == 0
    }

    def "the classification chooser offers the next level for a choice"() {
        when:
        def r = get('/admin/instruments/classes?cls1=010000&cls2=&cls3=', adminA)

        then:
        r.statusCode() == 200
        r.body().contains('id="class-chooser"')
        r.body().contains('<option value="010600"')
        !r.body().contains('<option value="010601"')

        when: 'a search by name or code'
        def found = get('/admin/instruments/classes?find=SEM&lang=en', adminA)

        then:
        found.body().contains('hx-get="/admin/instruments/classes?cls1=010000&amp;cls2=010100&amp;cls3=010102"')
        text(found.body()).contains('010102 Scanning electron microscopes (SEM)')
    }

    // ---------------------------------------------------------------- documents and archiving

    HttpResponse<String> upload(String id, CatalogueFixture.Session s, String name, byte[] bytes, boolean token = true) {
        String boundary = 'lc' + UUID.randomUUID().toString().replace('-', '')
        def out = new ByteArrayOutputStream()
        out << "--${boundary}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nmanual\r\n".toString().getBytes(StandardCharsets.UTF_8)
        out << "--${boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"${name}\"\r\nContent-Type: application/octet-stream\r\n\r\n".toString().getBytes(StandardCharsets.UTF_8)
        out << bytes
        out << "\r\n--${boundary}--\r\n".toString().getBytes(StandardCharsets.UTF_8)
        def r = HttpRequest.newBuilder(URI.create(app("/admin/instruments/${id}/documents?lang=en")))
                .header('Cookie', s.cookie).header('HX-Request', 'true')
                .header('Content-Type', "multipart/form-data; boundary=${boundary}".toString())
                .POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray()))
        if (token) { r.header('X-CSRF-Token', s.csrf) }
        http.send(r.build(), HttpResponse.BodyHandlers.ofString())
    }

    def "documents: uploaded through the page (htmx, CSRF header), listed, downloadable from the public page; refusals explained"() {
        given:
        def nmr = a.instruments.nmr

        when:
        def ok = upload(nmr.id().toString(), adminA, 'manual.pdf', '%PDF-1.4\n1 0 obj\n'.bytes)
        def html = upload(nmr.id().toString(), adminA, 'evil.html', '<script>alert(1)</script>'.bytes)
        def noToken = upload(nmr.id().toString(), adminA, 'manual2.pdf', '%PDF-1.4\n'.bytes, false)
        def doc = service.find(a.tenant, nmr.id()).get().documents().find { it.fileName() == 'manual.pdf' }
        def download = http.send(HttpRequest.newBuilder(URI.create(app("/t/${a.slug}/instruments/${nmr.id()}/documents/${doc.id()}"))).build(),
                HttpResponse.BodyHandlers.ofString())
        def detail = get("/t/${a.slug}/instruments/${nmr.id()}")

        then:
        ok.statusCode() == 200
        ok.body().startsWith('<section id="documents"')
        ok.body().contains('manual.pdf')
        between(ok.body(), 'doc-done') == 'The document was uploaded.'
        ok.body().contains('at most 10 MB per file')
        html.statusCode() == 200
        between(html.body(), 'doc-error').contains('only PDF, Word')
        noToken.statusCode() == 403
        download.statusCode() == 200
        download.headers().firstValue('Content-Disposition').get().startsWith('attachment')
        download.body().startsWith('%PDF-1.4')
        detail.body().contains("/t/${a.slug}/instruments/${nmr.id()}/documents/${doc.id()}")

        when: 'the document is removed again'
        def removed = post("/admin/instruments/${nmr.id()}/documents/${doc.id()}/delete", adminA, [:])

        then:
        removed.statusCode() == 303
        service.find(a.tenant, nmr.id()).get().documents().every { it.fileName() != 'manual.pdf' }
    }

    def "archiving (a confirmed POST) takes the instrument off the admin list and the public catalogue"() {
        given:
        def created = post('/admin/instruments/new', adminA, editorForm("ARC-${a.run}".toString()))
        String id = created.headers().firstValue('Location').get().split('/')[3]

        expect:
        get("/t/${a.slug}/instruments/${id}").statusCode() == 200

        when:
        def archived = post("/admin/instruments/${id}/archive", adminA, [:])

        then:
        archived.statusCode() == 303
        archived.headers().firstValue('Location').get() == '/admin/instruments?done=archived'
        get("/t/${a.slug}/instruments/${id}").statusCode() == 404
        !get("/admin/instruments?q=ARC-${a.run}".toString(), adminA).body().contains('data-asset="ARC-')
        get("/admin/instruments?q=ARC-${a.run}&includeArchived=true".toString(), adminA).body().contains('data-asset="ARC-')
    }

    // ---------------------------------------------------------------- the admin list

    def "the admin list filters like the API (value range, IoT, flag, stale, sort) and links the export with the same filters"() {
        when:
        def r = get('/admin/instruments?minValue=1000000&requiresIot=true&sort=-originalValue&lang=en', adminA)
        def assets = (r.body() =~ /data-asset="([^"]+)"/).collect { it[1] }
        def stale = get('/admin/instruments?stale=true', adminA)
        def customs = get('/admin/instruments?flag=customsSupervised', adminA)
        def export = (r.body() =~ /id="export" href="([^"]+)"/)[0][1].replace('&amp;', '&')

        then:
        r.statusCode() == 200
        assets == [a.instruments.tem, a.instruments.secret, a.instruments.confocal, a.instruments.nmr, a.instruments.nmr300]*.assetNumber()
        (stale.body() =~ /data-asset="([^"]+)"/).collect { it[1] } == [a.instruments.tem.assetNumber()]
        (customs.body() =~ /data-asset="([^"]+)"/).collect { it[1] }.contains(a.instruments.nmr.assetNumber())
        export == '/api/v1/instruments/export?minValueFen=100000000&requiresIot=true&sort=-originalValue'
        r.body().contains('¥6,800,000')
    }

    // ---------------------------------------------------------------- the public pages

    def "public catalogue: a visitor sees the public entries only; a member of the institution sees more"() {
        when:
        def visitor = get("/t/${a.slug}/instruments?lang=en")
        def member = get("/t/${a.slug}/instruments?lang=en", memberA)
        def other = get("/t/${a.slug}/instruments?lang=en", adminB)

        then:
        visitor.statusCode() == 200
        (visitor.body() =~ /data-scope="([a-z]+)"/).collect { it[1] }.toSet() == ['public'] as Set
        visitor.body().contains('400 MHz NMR spectrometer')
        visitor.body().contains('¥3,200,000')
        !visitor.body().contains(a.instruments.secret.nameEn())
        (member.body() =~ /data-scope="([a-z]+)"/).collect { it[1] }.toSet() == ['public', 'consortium', 'tenant'] as Set
        (other.body() =~ /data-scope="([a-z]+)"/).collect { it[1] }.toSet() == ['public', 'consortium'] as Set
        [visitor, member, other].every { !it.body().contains(a.instruments.secret.assetNumber()) }
    }

    def "unknown and suspended institutions, and instruments one may not see, are a 404 page"() {
        given:
        def c = new CatalogueFixture('c', ctx).withDemoInstruments(service)
        def publicOfC = c.instruments.nmr.id()

        expect:
        get("/t/${c.slug}/instruments/${publicOfC}").statusCode() == 200

        when:
        c.suspend(dataSource)

        then:
        get("/t/${c.slug}/instruments").statusCode() == 404
        get("/t/${c.slug}/instruments/${publicOfC}").statusCode() == 404
        get('/t/no-such-institution/instruments').statusCode() == 404
        get('/t/no-such-institution/instruments').body().contains('id="not-found"')
        get("/t/${a.slug}/instruments/${a.instruments.secret.id()}").statusCode() == 404
        get("/t/${a.slug}/instruments/${a.instruments.confocal.id()}").statusCode() == 404
        get("/t/${a.slug}/instruments/${a.instruments.confocal.id()}", memberA).statusCode() == 200
        get("/t/${a.slug}/instruments/not-a-uuid").statusCode() == 404
    }

    def "the instrument page: facts in the page's language, dates in the institution's time zone, the stale notice"() {
        when:
        def tem = get("/t/${a.slug}/instruments/${a.instruments.tem.id()}?lang=en")
        def nmr = get("/t/${a.slug}/instruments/${a.instruments.nmr.id()}?lang=zh-CN")

        then:
        tem.statusCode() == 200
        between(tem.body(), 'stale-notice').contains('flagged on 2025-03-01')
        tem.body().contains('Last confirmed on 2024-03-01.')
        between(tem.body(), 'value') == '¥6,800,000'
        between(tem.body(), 'country') == 'Japan'
        nmr.body().contains('data-lat="30.2636"')
        nmr.body().contains('data-lon="120.1236"')
        nmr.body().contains('data-map-lat="30.2636" data-map-lon="120.1236"')   // WGS-84 tiles (the default): drawn where stored
        between(nmr.body(), 'country') == '瑞士'
        text(nmr.body()).contains('化学楼')
        text(nmr.body()).contains('海关监管')
        text(nmr.body()).contains('一维氢谱')
        !nmr.body().contains('id="stale-notice"')
    }
}

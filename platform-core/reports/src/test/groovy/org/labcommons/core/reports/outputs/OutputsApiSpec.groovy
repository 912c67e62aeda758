package org.labcommons.core.reports.outputs

import io.micronaut.json.JsonMapper
import org.labcommons.core.reports.RatingFixture
import org.labcommons.core.tenancy.TenantId
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
 * Outputs through /api/v1/reports/outputs: a user records a paper for an instrument they may read (recorded), staff
 * confirm it and only confirmed outputs count in the yearly figures; staff's own are confirmed at once; field errors
 * for a bad DOI, patent number, missing grant code and year; a spreadsheet import's dry run lists the row errors and
 * writes nothing, a clean file is written whole; another institution finds nothing.
 */
class OutputsApiSpec extends PlatformSpec {
    static final String BASE = '/api/v1/reports/outputs'
    @Shared TenantWorld world
    @Shared String nmr
    @Shared String sem
    @Shared UUID donghu

    def setup() {
        if (world != null) {
            return
        }
        world = TenantWorld.build(ctx) {
            institution('out-donghu') {
                rateGroup('internal')
                unit('out-lab')
                person('out-manager', INSTRUMENT_ADMIN, unit: 'out-lab')
                person('out-ann', USER)
                person('out-bob', USER)
                instrument('NMR outputs', unit: 'out-lab')
                instrument('SEM outputs', unit: 'out-lab')
            }
            institution('out-xiling') {
                person('out-xadmin', INSTITUTION_ADMIN)
            }
        }
        nmr = world.instrument('NMR outputs').id
        sem = world.instrument('SEM outputs').id
        donghu = world.tenant('out-donghu').id
    }

    Map paper(Map more = [:]) {
        [kind: 'paper', category: 'journal', title: 'Solid-state NMR of zeolites', year: 2025, people: '张三, 李四',
         doi: 'https://doi.org/10.1021/jacs.5b01234', instrumentIds: [nmr]] + more
    }

    Map upload(String who, String instrumentId, boolean dryRun, String csv) {
        String boundary = 'b' + UUID.randomUUID().toString().replace('-', '')
        byte[] body = ("--${boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"outputs.csv\"\r\n" +
                "Content-Type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n").toString().getBytes('UTF-8')
        def r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("${baseUrl}${BASE}/import?instrumentId=${instrumentId}&dryRun=${dryRun}"))
                .timeout(Duration.ofSeconds(60)).header('Authorization', 'Bearer ' + world.token(who)).header('Accept-Language', 'en')
                .header('Content-Type', "multipart/form-data; boundary=${boundary}".toString())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString())
        [status: r.statusCode(), body: r.body() ? ctx.getBean(JsonMapper).readValue(r.body(), Map) : [:]]
    }

    def "a user's paper is recorded, the staff confirm it, and only confirmed outputs count in the year"() {
        given:
        def figures = { ctx.getBean(Outputs).instrumentYear(new TenantId(donghu), UUID.fromString(nmr), 2025) }
        long before = figures().papers()

        when:
        def made = api.post(BASE, world.token('out-ann'), paper())
        String id = made.body.id

        then:
        made.status == 201
        made.body.status == 'recorded'
        made.body.doi == '10.1021/jacs.5b01234'
        figures().papers() == before
        api.get("${BASE}/${id}", world.token('out-bob')).status == 404
        api.post("${BASE}/${id}/confirm", world.token('out-ann'), [:]).status == 403

        when:
        def confirmed = api.post("${BASE}/${id}/confirm", world.token('out-manager'), [:])
        def twice = api.post("${BASE}/${id}/confirm", world.token('out-manager'), [:])
        def edit = api.put("${BASE}/${id}", world.token('out-ann'), paper(title: 'changed'))

        then:
        confirmed.body.status == 'confirmed'
        confirmed.body.confirmedBy == world.person('out-manager').userId.toString()
        twice.status == 409
        edit.status == 409
        edit.body.code == 'wrong_state'
        figures().papers() == before + 1
        figures().papersByCategory()['journal'] >= 1
        RatingFixture.count(donghu, "select count(*) from audit_event where target_type = 'research_output' and target_id = ? and action in ('research_output.created', 'research_output.confirmed')", [id]) == 2
        api.get(BASE, world.token('out-ann')).body.items*.id.contains(id)
        api.get("${BASE}?instrumentId=${nmr}&status=confirmed", world.token('out-manager')).body.items*.id.contains(id)
        api.get("${BASE}?instrumentId=${nmr}", world.token('out-ann')).status == 403
    }

    def "staff record confirmed outputs; awards, patents and projects count by kind"() {
        when:
        def patent = api.post(BASE, world.token('out-manager'), [kind: 'patent', category: 'invention', title: '一种核磁探头', year: 2024,
                                                                people: '王五', patentNumber: 'zl202310123456.7', instrumentIds: [sem, nmr]])
        def project = api.post(BASE, world.token('out-manager'), [kind: 'project', title: '国家自然科学基金', year: 2024, people: '王五',
                                                                 grantCode: '22175001', instrumentIds: [sem]])
        def figures = ctx.getBean(Outputs).instrumentYear(new TenantId(donghu), UUID.fromString(sem), 2024)

        then:
        patent.status == 201
        patent.body.status == 'confirmed'
        patent.body.patentNumber == 'ZL202310123456.7'
        patent.body.instrumentIds as Set == [sem, nmr] as Set
        project.body.status == 'confirmed'
        figures.patents() == 1
        figures.projects() == 1
        figures.papers() == 0
    }

    def "bad input is problem+json with a field error per bad field"() {
        when:
        def bad = api.post(BASE, world.token('out-ann'), [kind: 'paper', category: 'invention', title: '', year: 1800,
                                                         people: 'x', doi: '10.12/abc', patentNumber: 'CN1', instrumentIds: []])
        def noCode = api.post(BASE, world.token('out-ann'), [kind: 'project', title: 'P', year: 2024, people: 'x', instrumentIds: [nmr]])
        def badPatent = api.post(BASE, world.token('out-ann'), [kind: 'patent', title: 'P', year: 2024, people: 'x',
                                                               patentNumber: 'not a number', instrumentIds: [nmr]])
        def unknown = api.post(BASE, world.token('out-ann'), paper(doi: null, instrumentIds: [UUID.randomUUID().toString()]))
        api.post(BASE, world.token('out-ann'), paper(doi: '10.5555/dup.1'))
        def taken = api.post(BASE, world.token('out-bob'), paper(doi: 'doi:10.5555/DUP.1'))
        def badList = api.get("${BASE}?kind=book&size=0", world.token('out-ann'))

        then:
        bad.status == 400
        bad.body.errors*.field as Set == ['category', 'title', 'year', 'doi', 'patentNumber', 'instrumentIds'] as Set
        noCode.body.errors*.field == ['grantCode']
        badPatent.body.errors*.field == ['patentNumber']
        unknown.status == 404
        taken.status == 400
        taken.body.errors*.field == ['doi']
        taken.body.errors*.code == ['taken']
        badList.body.errors*.field as Set == ['kind', 'size'] as Set
    }

    def "a spreadsheet's dry run lists the row errors and writes nothing; a clean file is imported whole and confirmed"() {
        given:
        String header = '类型,名称,年份,作者,DOI,专利号,项目编号\n'
        String bad = header + '论文,Good paper,2023,A,10.1000/good.1,,\n' + '论文,Bad DOI,2023,B,not-a-doi,,\n' + '项目,No code,2023,C,,,\n'
        String good = header + '论文,Imported paper,2023,A,10.1000/imp.1,,\n' + 'award,Imported award,2023,B,,,\n'
        long before = api.get("${BASE}?instrumentId=${sem}&size=200", world.token('out-manager')).body.total

        when:
        def dry = upload('out-manager', sem, true, bad)
        def real = upload('out-manager', sem, false, bad)

        then:
        dry.status == 200
        dry.body.rows == 3
        dry.body.valid == 1
        dry.body.created == 0
        dry.body.errors.collect { [it.row, it.field] } == [[3, 'doi'], [4, 'grantCode']]
        real.body.created == 0
        api.get("${BASE}?instrumentId=${sem}&size=200", world.token('out-manager')).body.total == before

        when:
        def check = upload('out-manager', sem, true, good)
        def done = upload('out-manager', sem, false, good)
        def byUser = upload('out-ann', sem, true, good)
        def noHeader = upload('out-manager', sem, true, 'a,b\n1,2\n')

        then:
        !check.body.errors
        check.body.created == 0
        done.body.created == 2
        api.get("${BASE}?instrumentId=${sem}&year=2023&size=200", world.token('out-manager')).body.items.every { it.status == 'confirmed' && it.source == 'import' }
        byUser.status == 403
        noHeader.status == 400
        noHeader.body.errors*.field == ['file']
    }

    def "another institution's admin neither sees nor changes Donghu's outputs"() {
        given:
        String id = api.post(BASE, world.token('out-ann'), paper(doi: null, title: 'isolation')).body.id
        def snapshot = { api.get("${BASE}?instrumentId=${nmr}&size=200", world.token('out-manager')).body.items.collect { [it.id, it.status, it.title] }.sort { it.toString() } }
        def headers = [Authorization: 'Bearer ' + world.token('out-xadmin'), 'Accept-Language': 'en']

        when:
        def report = IsolationProbe.against(baseUrl, headers)
                .probe('GET', "${BASE}/{id}")
                .probe('PUT', "${BASE}/{id}", '{"kind":"paper","title":"x","year":2024,"people":"x","instrumentIds":["' + nmr + '"]}')
                .probe('POST', "${BASE}/{id}/confirm", '{}')
                .listing('GET', "${BASE}?size=200")
                .run([id], snapshot)
        def byInstrument = IsolationProbe.against(baseUrl, headers)
                .probe('GET', "${BASE}?instrumentId={id}")
                .probe('POST', BASE, '{"kind":"paper","title":"x","year":2024,"people":"x","instrumentIds":["{id}"]}')
                .run([nmr], snapshot)

        then:
        report.leaks() == []
        !report.dataOfOwnerChanged()
        byInstrument.leaks() == []
        !byInstrument.dataOfOwnerChanged()
        upload('out-xadmin', nmr, false, 'kind,title,year,people\npaper,x,2024,x\n').status == 404
    }
}

package org.labcommons.core.reports.evaluation

import io.micronaut.json.JsonMapper
import org.labcommons.testkit.IsolationProbe
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld
import spock.lang.Shared
import spock.lang.Stepwise

import java.sql.SQLException

import static org.labcommons.testkit.TenantWorld.*

/**
 * The yearly evaluation through /api/v1/reports/evaluations: the built-in schemes seeded per tenant; figures staff
 * enter (who, when, why); a run over the covered instruments (>= 400,000 RMB, or flagged) reproducing the Tsinghua
 * form's worked example for the 300 MHz NMR, with its inputs stored, population figures and ranks, an explanation
 * task below 150 h and "not available" for missing figures; publish freezes; changed inputs make a new version with
 * a visible difference; scheme versions validated field by field; roles; another institution finds nothing.
 */
@Stepwise
class EvaluationApiSpec extends PlatformSpec {
    static final String BASE = '/api/v1/reports/evaluations'
    static final int YEAR = 2015
    @Shared TenantWorld world
    @Shared UUID tenant
    @Shared String nmr300, tem, idle, cheap, flagged
    @Shared String firstRun, secondRun

    def setup() {
        if (world != null) {
            return
        }
        def made = TenantWorld.build(ctx) {
            institution('ev-donghu') {
                unit('ev-chem')
                person('ev-admin', INSTITUTION_ADMIN)
                person('ev-manager', INSTRUMENT_ADMIN, unit: 'ev-chem')
                person('ev-finance', FINANCE)
                instrument('300M NMR', unit: 'ev-chem', valueFen: 300_000_000L, body: [ratedAnnualHours: 1600, purpose: 'general'])
                instrument('TEM', valueFen: 800_000_000L, body: [ratedAnnualHours: 2000, purpose: 'special'])
                instrument('Idle XRD', unit: 'ev-chem', valueFen: 45_000_000L, body: [ratedAnnualHours: 1500])
                instrument('Cheap balance', valueFen: 2_000_000L, body: [ratedAnnualHours: 1000])
                instrument('Flagged AFM', valueFen: 30_000_000L, body: [ratedAnnualHours: 1200, flags: [fundSubsidised: false, benefitEvaluation: true, sharedPlatform: false, listedInCers: false, customsSupervised: false]])
            }
            institution('ev-xiling') {
                person('ev-other', INSTITUTION_ADMIN)
            }
        }
        world = made
        tenant = made.tenant('ev-donghu').id
        nmr300 = made.instrument('300M NMR').id
        tem = made.instrument('TEM').id
        idle = made.instrument('Idle XRD').id
        cheap = made.instrument('Cheap balance').id
        flagged = made.instrument('Flagged AFM').id
    }

    Map enter(String who, String instrument, String figure, Object value, String reason = 'from the 2015 form') {
        api.post("${BASE}/figures", world.token(who), [instrumentId: instrument, year: YEAR, figure: figure,
                                                       value: value, reason: reason])
    }

    long audited(String action) {
        TenantWorld.inTenant(tenant) { c ->
            def ps = c.prepareStatement('select count(*) from audit_event where action = ?')
            ps.setString(1, action)
            ps.executeQuery().with { next(); getLong(1) }
        }
    }

    def "the built-in schemes are seeded once per tenant: tsinghua (35/30/15/20 %) and national (40/40/20 %)"() {
        when:
        def list = api.get("${BASE}/schemes", world.token('ev-admin'))
        def again = api.get("${BASE}/schemes", world.token('ev-admin'))

        then:
        list.status == 200
        list.body.total == 2
        again.body.total == 2
        list.body.items*.code as Set == ['tsinghua', 'national'] as Set
        def ts = list.body.items.find { it.code == 'tsinghua' }
        ts.groups*.weight == [0.35, 0.30, 0.15, 0.20]
        ts.groups*.cap == [100, 100, 100, 100]
        ts.groups[0].items[0].rule.kind == 'utilisation'
        ts.minValueFen == 40_000_000
        list.body.items.find { it.code == 'national' }.groups*.nameZh == ['运行使用', '共享服务成效', '组织管理']
        audited('evaluation_scheme.seeded') == 2
    }

    def "figures are entered with who, when and why; bad ones are 400 naming each field; managers enter for their instruments only"() {
        when: "the worked example's figures for the 300 MHz NMR (its manager), and the others' (the admin)"
        def entered = [
                enter('ev-manager', nmr300, 'effectiveHours', 3800.0), enter('ev-manager', nmr300, 'ordinaryProjects', 16),
                enter('ev-manager', nmr300, 'keyProjects', 4), enter('ev-manager', nmr300, 'departments', 10),
                enter('ev-manager', nmr300, 'researchers', 50), enter('ev-manager', nmr300, 'externalFeesFen', 7_000_000),
                enter('ev-manager', nmr300, 'nationalAwards', 0), enter('ev-manager', nmr300, 'provincialAwards', 0),
                enter('ev-manager', nmr300, 'sciPapers', 30), enter('ev-manager', nmr300, 'corePapers', 0),
                enter('ev-manager', nmr300, 'patents', 0), enter('ev-manager', nmr300, 'trainings', 2)]
        [tem].each { i ->
            [effectiveHours: 2000, ordinaryProjects: 5, keyProjects: 1, departments: 3, researchers: 20, externalFeesFen: 0,
             nationalAwards: 0, provincialAwards: 0, sciPapers: 10, corePapers: 2, patents: 1, trainings: 1].each { k, v ->
                assert enter('ev-admin', i, k, v).status == 201
            }
        }
        def idleHours = enter('ev-manager', idle, 'effectiveHours', 120)
        def figures = api.get("${BASE}/figures?instrumentId=${nmr300}&year=${YEAR}", world.token('ev-manager'))

        then:
        entered*.status.every { it == 201 }
        idleHours.status == 201
        entered[0].body.enteredBy == world.person('ev-manager').userId.toString()
        entered[0].body.reason == 'from the 2015 form'
        figures.body.current.size() == 12
        figures.body.current.find { it.figure == 'externalFeesFen' }.value == 7_000_000
        audited('evaluation_figure.entered') >= 25

        when:
        def bad = api.post("${BASE}/figures", world.token('ev-manager'), [instrumentId: nmr300, year: 1999,
                                                                        figure: 'no such!', value: -1, reason: ' '])
        def notTheirs = enter('ev-manager', tem, 'effectiveHours', 1)
        def finance = enter('ev-finance', nmr300, 'effectiveHours', 1)

        then:
        bad.status == 400
        bad.body.code == 'validation_failed'
        bad.body.errors*.field as Set == ['year', 'figure', 'value', 'reason'] as Set
        notTheirs.status == 403
        finance.status == 403
    }

    def "a run scores the covered instruments: the worked example is 35.0, 30.0 and 9.0, each score keeps its inputs"() {
        when:
        def started = api.post("${BASE}/runs", world.token('ev-admin'), [year: YEAR])
        firstRun = started.body.id
        def run = api.get("${BASE}/runs/${firstRun}", world.token('ev-admin')).body
        def nmr = run.scores.find { it.instrumentId == nmr300 }

        then: "covered: >= 400,000 RMB or flagged; not the cheap balance"
        started.status == 201
        run.status == 'draft'
        run.version == 1
        run.scores*.instrumentId as Set == [nmr300, tem, idle, flagged] as Set
        run.covered == 4

        and: "the worked example"
        nmr.card.groups.find { it.code == 'machine_time' }.weighted == 35.0
        nmr.card.groups.find { it.code == 'public_service' }.weighted == 30.0
        nmr.card.groups.find { it.code == 'public_service' }.sum == 164.0
        nmr.card.groups.find { it.code == 'results' }.weighted == 9.0
        nmr.total == 76.0
        nmr.inputs.figures.ratedHours == 1600
        nmr.inputs.sources.ratedHours == 'catalogue'
        nmr.inputs.sources.sciPapers.startsWith('entered:')

        and: "missing figures are not available, not zero; they are not ranked"
        def xrd = run.scores.find { it.instrumentId == idle }
        xrd.total == null
        xrd.rank == null
        xrd.card.missing.contains('sciPapers')
        run.scores.find { it.instrumentId == flagged }.card.missing.contains('effectiveHours')

        and: "ranks and population figures over the available ones"
        run.scored == 2
        nmr.rank == 1
        run.scores.find { it.instrumentId == tem }.rank == 2
        run.meanHours == 2900.0      // (3800 + 2000) / 2
        run.sdHours == 900.0
        run.meanScore != null

        and: "an explanation task for the instrument below 150 h, for its manager"
        def tasks = api.get("${BASE}/explanations?year=${YEAR}", world.token('ev-manager'))
        tasks.status == 200
        tasks.body.items*.instrumentId == [idle]
        tasks.body.total == 1
        tasks.body.items[0].effectiveHours == 120.0
        tasks.body.items[0].status == 'open'
        audited('evaluation_run.started') == 1
    }

    def "the owner explains once; a draft restarts in place; publish freezes; an unchanged restart makes no version"() {
        given:
        def task = api.get("${BASE}/explanations?year=${YEAR}&status=open", world.token('ev-admin')).body.items[0]

        when:
        def empty = api.post("${BASE}/explanations/${task.id}", world.token('ev-manager'), [explanation: ''])
        def explained = api.post("${BASE}/explanations/${task.id}", world.token('ev-manager'), [explanation: '全年维修，3 月至 11 月停机'])
        def twice = api.post("${BASE}/explanations/${task.id}", world.token('ev-manager'), [explanation: 'again'])
        def recomputed = api.post("${BASE}/runs", world.token('ev-admin'), [year: YEAR])

        then:
        empty.status == 400
        empty.body.errors*.field == ['explanation']
        explained.status == 200
        explained.body.status == 'submitted'
        explained.body.submittedBy == world.person('ev-manager').userId.toString()
        twice.status == 409
        recomputed.status == 200
        recomputed.body.id == firstRun
        recomputed.body.version == 1
        api.get("${BASE}/explanations?year=${YEAR}", world.token('ev-admin')).body.total == 1

        when:
        def published = api.post("${BASE}/runs/${firstRun}/publish", world.token('ev-admin'), [:])
        def again = api.post("${BASE}/runs/${firstRun}/publish", world.token('ev-admin'), [:])
        def unchanged = api.post("${BASE}/runs", world.token('ev-admin'), [year: YEAR])

        then:
        published.status == 200
        published.body.status == 'published'
        published.body.publishedAt != null
        again.status == 409
        unchanged.status == 200
        unchanged.body.id == firstRun
        unchanged.body.unchanged

        when: "the database itself refuses to change a published run's scores"
        String state
        try {
            state = TenantWorld.inTenant(tenant) { c ->
                c.createStatement().execute("update evaluation_score set total = 0 where run_id = '${firstRun}'")
                'ok'
            }
        } catch (SQLException e) {
            state = e.SQLState
        }

        then:
        state == 'EV001'
    }

    def "a later change of inputs makes version 2 with a visible difference; publishing it supersedes version 1"() {
        when:
        enter('ev-manager', nmr300, 'sciPapers', 20, 'two papers were counted twice')
        def started = api.post("${BASE}/runs", world.token('ev-admin'), [year: YEAR])
        secondRun = started.body.id
        def diff = api.get("${BASE}/runs/${secondRun}/diff", world.token('ev-admin'))
        def published = api.post("${BASE}/runs/${secondRun}/publish", world.token('ev-admin'), [:])
        def first = api.get("${BASE}/runs/${firstRun}", world.token('ev-admin'))
        def list = api.get("${BASE}/runs?year=${YEAR}&scheme=tsinghua", world.token('ev-admin'))

        then:
        started.status == 201
        started.body.version == 2
        started.body.previousRunId == firstRun
        diff.status == 200
        diff.body.againstRunId == firstRun
        diff.body.changes.size() == 1
        diff.body.changes[0].instrumentId == nmr300
        diff.body.changes[0].totalBefore == 76.0
        diff.body.changes[0].totalAfter == 73.0          // 40 x 2 = 40 -> 6.0 instead of 9.0
        diff.body.changes[0].figures == [[name: 'sciPapers', before: 30.00, after: 20.00]]
        diff.body.changes[0].items == [[name: 'results.sci_papers', before: 60.0, after: 40.0]]
        published.body.status == 'published'
        first.body.status == 'superseded'
        list.body.items*.version == [2, 1]
        list.body.items.every { it.scores == null }
        api.get("${BASE}/runs/${firstRun}/diff", world.token('ev-admin')).status == 409
    }

    def "a run exports as a deterministic xlsx holding the page's numbers"() {
        when:
        def first = bytes("${BASE}/runs/${secondRun}/export.xlsx", world.token('ev-admin'))
        def again = bytes("${BASE}/runs/${secondRun}/export.xlsx", world.token('ev-admin'))
        def sheet = new java.util.zip.ZipInputStream(new ByteArrayInputStream(first.body)).withCloseable { zip ->
            def e
            while ((e = zip.nextEntry) != null) {
                if (e.name == 'xl/worksheets/sheet1.xml') {
                    return new String(zip.readAllBytes(), 'UTF-8')
                }
            }
            null
        }

        then:
        first.status == 200
        first.type.startsWith('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        first.body == again.body
        sheet.contains('300M NMR')
        sheet.contains('<v>35.0</v>')                 // machine time, weighted
        sheet.contains('<v>73.0</v>')                 // the total after the correction
        sheet.contains('<v>3000000.00</v>')           // 300,000,000 fen = 3,000,000.00 RMB
        bytes("${BASE}/runs/${secondRun}/export.xlsx", world.token('ev-manager')).status == 403
    }

    Map bytes(String path, String token) {
        def c = (HttpURLConnection) new URL(baseUrl + path).openConnection()
        c.setRequestProperty('Authorization', 'Bearer ' + token)
        int status = c.responseCode
        [status: status, type: c.contentType, body: status == 200 ? c.inputStream.bytes : null]
    }

    def "a new scheme version changes weights as data; bad definitions are 400 naming each field"() {
        given:
        def national = api.get("${BASE}/schemes?status=active", world.token('ev-admin')).body.items.find { it.code == 'national' }
        def heavier = national + [groups: national.groups.withIndex().collect { g, i -> g + [weight: [0.5, 0.3, 0.2][i]] }]

        when:
        def made = api.post("${BASE}/schemes/${national.id}/versions", world.token('ev-admin'), heavier)
        def old = api.get("${BASE}/schemes/${national.id}", world.token('ev-admin'))
        def fromRetired = api.post("${BASE}/schemes/${national.id}/versions", world.token('ev-admin'), heavier)
        def bad = api.post("${BASE}/schemes/${made.body.id}/versions", world.token('ev-admin'), national + [nameZh: '',
                subjectKind: 'building', groups: [national.groups[0] + [weight: 0.7, items: [national.groups[0].items[0] + [rule: [kind: 'magic']]]],
                                                  national.groups[1] + [weight: 0.7, code: 'Bad Code']]])
        def run = api.post("${BASE}/runs", world.token('ev-admin'), [year: YEAR, schemeId: made.body.id])

        then:
        made.status == 201
        made.body.version == 2
        made.body.groups*.weight == [0.5, 0.3, 0.2]
        made.body.createdBy == world.person('ev-admin').userId.toString()
        old.body.status == 'retired'
        fromRetired.status == 409
        bad.status == 400
        bad.body.errors*.field as Set == ['nameZh', 'subjectKind', 'groups[0].items[0].rule.kind', 'groups[1].code', 'groups'] as Set   // groups: 0.7 + 0.7 is not 1
        run.status == 201
        run.body.schemeCode == 'national'
    }

    def "roles: only the institution's admins read and run evaluations"() {
        expect:
        api.get("${BASE}/schemes", world.token('ev-manager')).status == 403
        api.get("${BASE}/runs", world.token('ev-finance')).status == 403
        api.post("${BASE}/runs", world.token('ev-manager'), [year: YEAR]).status == 403
        api.post("${BASE}/runs/${secondRun}/publish", world.token('ev-manager'), [:]).status == 403
        api.get("${BASE}/explanations", world.token('ev-finance')).status == 403
        api.post("${BASE}/runs", world.token('ev-admin'), [year: 1990]).with { status == 400 && body.errors*.field == ['year'] }
        api.get("${BASE}/runs?size=500&page=-1", world.token('ev-admin')).with { status == 400 && body.errors*.field as Set == ['size', 'page'] as Set }
    }

    def "another institution's admin neither sees nor changes Donghu's evaluations"() {
        given:
        def task = api.get("${BASE}/explanations?year=${YEAR}", world.token('ev-admin')).body.items[0]
        def scheme = api.get("${BASE}/schemes?status=active", world.token('ev-admin')).body.items.find { it.code == 'tsinghua' }
        def snapshot = { [api.get("${BASE}/runs?size=200", world.token('ev-admin')).body.items.collect { [it.id, it.status] },
                          api.get("${BASE}/schemes?size=200", world.token('ev-admin')).body.items.collect { [it.id, it.status] },
                          api.get("${BASE}/figures?instrumentId=${nmr300}&year=${YEAR}", world.token('ev-admin')).body.history.size()] }
        def headers = [Authorization: 'Bearer ' + world.token('ev-other'), 'Accept-Language': 'en']

        when:
        def report = IsolationProbe.against(baseUrl, headers)
                .probe('GET', "${BASE}/runs/{id}")
                .probe('POST', "${BASE}/runs/{id}/publish", '{}')
                .probe('GET', "${BASE}/runs/{id}/diff")
                .probe('GET', "${BASE}/runs/{id}/export.xlsx")
                .probe('GET', "${BASE}/schemes/{id}")
                .probe('POST', "${BASE}/schemes/{id}/versions", new String(ctx.getBean(JsonMapper).writeValueAsBytes(scheme), 'UTF-8'))
                .probe('POST', "${BASE}/runs", '{"year":2015,"schemeId":"{id}"}')
                .probe('POST', "${BASE}/explanations/{id}", '{"explanation":"taken over"}')
                .probe('GET', "${BASE}/figures?instrumentId={id}&year=2015")
                .probe('POST', "${BASE}/figures", '{"instrumentId":"{id}","year":2015,"figure":"sciPapers","value":1,"reason":"x"}')
                .listing('GET', "${BASE}/runs?size=200")
                .listing('GET', "${BASE}/schemes?size=200")
                .listing('GET', "${BASE}/explanations")
                .run([firstRun, secondRun, scheme.id, task.id, nmr300], ['300M NMR'], snapshot)

        then:
        report.leaks() == []
        !report.dataOfOwnerChanged()
    }
}

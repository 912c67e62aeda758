package org.labcommons.core.verification

import io.micronaut.json.JsonMapper
import jakarta.inject.Inject
import org.labcommons.core.security.Role
import org.labcommons.core.security.ScopeType
import org.labcommons.testkit.IsolationProbe
import org.labcommons.testkit.PlatformSpec
import spock.lang.Shared

import java.util.concurrent.Callable
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit

/**
 * Verification campaigns end to end through the API. The sweep is called directly here (its
 * schedule is pushed out of the way); VerificationSweepScheduleSpec shows the schedule itself.
 */
class VerificationCampaignSpec extends PlatformSpec {

    @Inject JsonMapper json
    @Inject VerificationSweep sweep
    @Shared VerificationFixture v

    @Override
    Map<String, String> ownProperties() {
        ['labcommons.verification.sweep-interval': '1h',
         'labcommons.verification.sweep-initial-delay': '1h']
    }

    def setup() {
        if (v == null) {
            String base = "http://localhost:${server.port}"
            v = new VerificationFixture(ctx)
        }
    }

    def "an institution admin starts a campaign over a unit and the units below it; archived records are left out"() {
        given:
        def unit = v.unit()
        def sub = v.unit(unit)
        def elsewhere = v.unit()
        def a = v.instrument(unit)
        def b = v.instrument(sub)
        def gone = v.instrument(unit)
        v.instrument(elsewhere)
        v.send('DELETE', "/api/v1/instruments/${gone.id}", v.f.tokenA)

        when:
        def r = v.start(unit)

        then:
        r.status == 201
        r.body.state == 'open'
        r.body.overdue == false
        r.body.orgUnitId == unit
        r.body.progress == [total: 2, pending: 2, confirmed: 0, corrected: 0]
        v.send('GET', "/api/v1/verification-campaigns/${r.body.id}", v.f.tokenA).body.name == r.body.name
        v.send('GET', "/api/v1/verification-campaigns/${r.body.id}/items", v.f.tokenA).body.items*.instrumentId as Set == [a.id, b.id] as Set
        v.send('GET', '/api/v1/verification-campaigns?state=open&size=100', v.f.tokenA).body.items*.id.contains(r.body.id)
        !v.send('GET', '/api/v1/verification-campaigns?state=closed&size=100', v.f.tokenA).body.items*.id.contains(r.body.id)
        v.audits('verification_campaign.started', r.body.id) == 1
    }

    def "bad input is problem+json with field-level messages"() {
        given:
        def unit = v.unit()
        def empty = v.unit()
        v.instrument(unit)

        expect:
        def r = v.send('POST', '/api/v1/verification-campaigns', v.f.tokenA, body(unit, empty))
        r.status == status
        r.body.code == code
        fields == null || (r.body.errors ?: [])*.field == fields
        message == null || r.body.errors*.message.contains(message)

        where:
        status | code                | fields        | message                                   | body
        400    | 'validation_failed' | ['deadline']  | 'must be in the future'                   | { u, e -> [name: 'x', deadline: '2001-01-01T00:00:00Z', orgUnitId: u] }
        400    | 'validation_failed' | ['deadline']  | 'must be within 366 days from now'        | { u, e -> [name: 'x', deadline: VerificationFixture.inDays(400), orgUnitId: u] }
        400    | 'validation_failed' | ['orgUnitId'] | 'refers to something that does not exist' | { u, e -> [name: 'x', deadline: VerificationFixture.inDays(3), orgUnitId: UUID.randomUUID().toString()] }
        400    | 'validation_failed' | ['name']      | null                                      | { u, e -> [name: ' ', deadline: VerificationFixture.inDays(3), orgUnitId: u] }
        400    | 'validation_failed' | ['deadline']  | null                                      | { u, e -> [name: 'x', orgUnitId: u] }
        400    | 'validation_failed' | null          | null                                      | { u, e -> [name: 'x', deadline: 'next week', orgUnitId: u] }
        400    | 'nothing_to_verify' | []            | null                                      | { u, e -> [name: 'x', deadline: VerificationFixture.inDays(3), orgUnitId: e] }
    }

    def "confirming clears stale: it sets last_verified_at, emits the record with stale false at a new version, and is audited"() {
        given: 'an instrument flagged stale by an earlier campaign that was closed'
        def unit = v.unit()
        def i = v.instrument(unit)
        def first = v.start(unit).body
        assert v.send('POST', "/api/v1/verification-campaigns/${first.id}/close", v.f.tokenA).status == 200
        def before = v.freshness([i.id])[i.id]
        assert before.staleSince != null && v.get(i.id).staleSince != null

        and: 'a new campaign'
        def second = v.start(unit).body

        when:
        def r = v.confirm(second.id, i.id)

        then:
        r.status == 200
        r.body.state == 'confirmed'
        r.body.confirmedAt != null
        r.body.staleSince == null
        def after = v.freshness([i.id])[i.id]
        after.staleSince == null
        after.lastVerifiedAt != null
        after.version == before.version + 1
        v.get(i.id).staleSince == null
        v.events(i.id).takeRight(2) == [['catalog.instrument.updated', before.version, true],
                                       ['catalog.instrument.updated', before.version + 1, false]]
        v.audits('verification_item.confirmed', i.id) == 1
        v.send('GET', "/api/v1/verification-campaigns/${second.id}", v.f.tokenA).body.progress == [total: 1, pending: 0, confirmed: 1, corrected: 0]

        when: 'confirming twice'
        def again = v.confirm(second.id, i.id)

        then:
        again.status == 409
        again.body.code == 'already_verified'
        v.freshness([i.id])[i.id] == after
    }

    def "confirming a fresh record sets last_verified_at without a new version or event"() {
        given:
        def unit = v.unit()
        def i = v.instrument(unit)
        def campaign = v.start(unit).body
        def events = v.events(i.id).size()

        when:
        def r = v.confirm(campaign.id, i.id)

        then:
        r.status == 200
        v.freshness([i.id])[i.id].version == i.version
        v.freshness([i.id])[i.id].lastVerifiedAt != null
        v.events(i.id).size() == events
    }

    def "a correction saves the record and marks the item corrected in one transaction; a lost update changes nothing"() {
        given:
        def unit = v.unit()
        def i = v.instrument(unit)
        def j = v.instrument(unit)
        def campaign = v.start(unit).body
        def record = { Map inst, Map change -> inst.subMap(['assetNumber', 'nameZh', 'nameEn', 'model', 'manufacturer', 'countryCode',
                'originalValueFen', 'purchaseDate', 'classificationCode', 'orgUnitId', 'building', 'room', 'latitude', 'longitude',
                'status', 'purpose', 'ratedAnnualHours', 'flags', 'sharingScope', 'services', 'contacts']) + change }

        when: 'a correction based on an old version'
        def stale = v.send('POST', "/api/v1/verification-campaigns/${campaign.id}/items/${i.id}/correct", v.f.tokenA,
                record(i, [room: 'C-301']), ['If-Match': "\"${i.version - 1}\"".toString()])

        then: 'nothing happened: the record, the item and the freshness are as before'
        stale.status == 409
        stale.body.code == 'version_conflict'
        v.get(i.id).room == i.room
        v.freshness([i.id])[i.id].lastVerifiedAt == null
        v.send('GET', "/api/v1/verification-campaigns/${campaign.id}/items?state=pending", v.f.tokenA).body.items*.instrumentId.contains(i.id)

        when: 'the right version'
        def r = v.send('POST', "/api/v1/verification-campaigns/${campaign.id}/items/${i.id}/correct", v.f.tokenA,
                record(i, [room: 'C-301']), ['If-Match': "\"${i.version}\"".toString()])

        then:
        r.status == 200
        r.body.state == 'corrected'
        r.etag == "\"${i.version + 1}\"".toString()
        v.get(i.id).room == 'C-301'
        v.freshness([i.id])[i.id].lastVerifiedAt != null
        v.audits('instrument.updated', i.id) == 1
        v.audits('verification_item.corrected', i.id) == 1

        when: 'a "correction" that changes nothing is a confirmation'
        def same = v.send('POST', "/api/v1/verification-campaigns/${campaign.id}/items/${j.id}/correct", v.f.tokenA, record(j, [:]))

        then:
        same.status == 200
        same.body.state == 'confirmed'
        v.send('GET', "/api/v1/verification-campaigns/${campaign.id}", v.f.tokenA).body.progress == [total: 2, pending: 0, confirmed: 1, corrected: 1]

        when: 'an invalid correction'
        def k = v.instrument(unit)
        def other = v.start(unit).body
        def bad = v.send('POST', "/api/v1/verification-campaigns/${other.id}/items/${k.id}/correct", v.f.tokenA,
                record(k, [classificationCode: '999999']))

        then:
        bad.status == 400
        bad.body.errors*.field == ['classificationCode']
        v.send('GET', "/api/v1/verification-campaigns/${other.id}/items?state=pending", v.f.tokenA).body.items*.instrumentId.contains(k.id)
    }

    def "the deadline passing flags exactly the unconfirmed records; running the sweep again changes nothing"() {
        given: 'six instruments: two confirmed, one corrected, two left pending, one archived while pending'
        def unit = v.unit()
        def all = (1..6).collect { v.instrument(unit) }
        def campaign = v.start(unit).body
        v.confirm(campaign.id, all[0].id)
        v.confirm(campaign.id, all[1].id)
        def record = all[2].subMap(['assetNumber', 'nameZh', 'nameEn', 'originalValueFen', 'orgUnitId', 'classificationCode', 'sharingScope'])
        assert v.send('POST', "/api/v1/verification-campaigns/${campaign.id}/items/${all[2].id}/correct", v.f.tokenA,
                record + [model: 'AVANCE NEO 400']).body.state == 'corrected'
        v.send('DELETE', "/api/v1/instruments/${all[5].id}", v.f.tokenA)
        def ids = all*.id
        def versions = v.freshness(ids).collectEntries { k, x -> [(k): x.version] }

        when: 'the deadline passes'
        v.pastDeadline(campaign.id)
        def late = v.confirm(campaign.id, all[3].id)

        then: 'nobody can confirm any more'
        late.status == 409
        late.body.code == 'deadline_passed'
        v.send('GET', "/api/v1/verification-campaigns/${campaign.id}", v.f.tokenA).body.overdue == true

        when:
        int closed = sweep.closeDue()
        def deadline = v.deadlineOf(campaign.id)
        def fresh = v.freshness(ids)

        then: 'the campaign is closed by the deadline'
        closed >= 1
        def body = v.send('GET', "/api/v1/verification-campaigns/${campaign.id}", v.f.tokenA).body
        body.state == 'closed'
        body.closeReason == 'deadline'
        body.closedBy == null
        body.progress == [total: 6, pending: 3, confirmed: 2, corrected: 1]

        and: 'exactly the two live unconfirmed records are stale, as of the deadline, each with a new version and event'
        ids.findAll { fresh[it].staleSince != null } == [all[3].id, all[4].id]
        fresh[all[3].id].staleSince == deadline
        [3, 4].every { n -> fresh[all[n].id].version == versions[all[n].id] + 1 }
        [3, 4].every { n -> v.events(all[n].id).last() == ['catalog.instrument.updated', versions[all[n].id] + 1, true] }
        [3, 4].every { n -> v.audits('instrument.flagged_stale', all[n].id) == 1 }
        [0, 1, 2, 5].every { n -> fresh[all[n].id].staleSince == null && fresh[all[n].id].version == versions[all[n].id] }
        v.get(all[3].id).staleSince != null
        v.send('GET', "/api/v1/instruments?stale=true&orgUnitId=${unit}", v.f.tokenA).body.items*.id as Set == [all[3].id, all[4].id] as Set
        v.audits('verification_campaign.closed', campaign.id) == 1

        when: 'the sweep runs twice more'
        def eventsBefore = ids.collectEntries { [(it): v.events(it)] }
        sweep.closeDue()
        sweep.closeDue()

        then: 'nothing more changed'
        v.freshness(ids) == fresh
        ids.every { v.events(it) == eventsBefore[it] }
        v.audits('verification_campaign.closed', campaign.id) == 1
        [3, 4].every { n -> v.audits('instrument.flagged_stale', all[n].id) == 1 }

        and: 'a closed campaign takes no confirmation and cannot be closed again'
        v.confirm(campaign.id, all[4].id).body.code == 'campaign_closed'
        v.send('POST', "/api/v1/verification-campaigns/${campaign.id}/close", v.f.tokenA).body.code == 'campaign_closed'
    }

    def "several sweeps at once (as several server instances would run) close a campaign exactly once"() {
        given:
        def unit = v.unit()
        def all = (1..8).collect { v.instrument(unit) }
        def campaign = v.start(unit).body
        v.pastDeadline(campaign.id)
        def pool = Executors.newFixedThreadPool(4)
        def go = new CountDownLatch(1)

        when:
        def futures = (1..4).collect { pool.submit({ go.await(); sweep.closeDue() } as Callable<Integer>) }
        go.countDown()
        def results = futures*.get(60, TimeUnit.SECONDS)
        pool.shutdown()

        then:
        results.sum() >= 1
        v.audits('verification_campaign.closed', campaign.id) == 1
        all.every { v.audits('instrument.flagged_stale', it.id) == 1 }
        all.every { i -> v.events(i.id).count { it[2] == true } == 1 }
        v.send('GET', "/api/v1/verification-campaigns/${campaign.id}", v.f.tokenA).body.state == 'closed'
    }

    def "closing now flags the pending records at once; only an institution admin may start or close"() {
        given:
        def unit = v.unit()
        def i = v.instrument(unit)
        def j = v.instrument(unit)
        def campaign = v.start(unit).body
        v.confirm(campaign.id, i.id)
        def unitAdmin = v.person(Role.PLATFORM_ADMIN, ScopeType.ORG_UNIT, unit)

        expect:
        v.start(unit, unitAdmin).status == 403
        v.send('POST', "/api/v1/verification-campaigns/${campaign.id}/close", unitAdmin).status == 403

        when:
        def r = v.send('POST', "/api/v1/verification-campaigns/${campaign.id}/close", v.f.tokenA)

        then:
        r.status == 200
        r.body.state == 'closed'
        r.body.closeReason == 'manual'
        r.body.closedBy != null
        v.freshness([i.id, j.id])[j.id].staleSince != null
        v.freshness([i.id, j.id])[i.id].staleSince == null
        v.audits('verification_campaign.closed', campaign.id) == 1
    }

    def "instrument admins see and confirm only what they administer; others may not read campaigns"() {
        given:
        def mine = v.unit()
        def theirs = v.unit()
        def a = v.instrument(mine)
        def b = v.instrument(theirs)
        def p = v.instrument(theirs, [sharingScope: 'private', originalValueFen: 10_000_00])
        def campaign = v.start(null).body
        def labAdmin = v.person(Role.INSTRUMENT_ADMIN, ScopeType.ORG_UNIT, mine)
        def single = v.person(Role.INSTRUMENT_ADMIN, ScopeType.INSTRUMENT, b.id)
        def user = v.person(Role.USER, ScopeType.TENANT, null)

        expect: 'a unit admin lists only its unit'
        def seen = v.send('GET', "/api/v1/verification-campaigns/${campaign.id}/items?size=200", labAdmin).body
        seen.items*.instrumentId == [a.id]
        seen.total == 1
        v.send('GET', "/api/v1/verification-campaigns/${campaign.id}/items?size=200", single).body.items*.instrumentId == [b.id]

        and: 'it may confirm its own, not others (a private one is not even found)'
        v.confirm(campaign.id, b.id, labAdmin).status == 403
        v.confirm(campaign.id, p.id, labAdmin).status == 404
        v.confirm(campaign.id, a.id, labAdmin).status == 200
        v.confirm(campaign.id, b.id, single).status == 200

        and: 'the instrument page shows an admin the open campaigns waiting for the record'
        def open = v.send('GET', "/api/v1/verification-items?instrumentId=${p.id}", v.f.tokenA).body
        open.items*.item.instrumentId.every { it == p.id }
        open.items*.campaignName.contains(campaign.name)
        v.send('GET', "/api/v1/verification-items?instrumentId=${p.id}", labAdmin).body.items == []

        and: 'a plain user reads no campaigns'
        v.send('GET', '/api/v1/verification-campaigns', user).status == 403
        v.send('GET', "/api/v1/verification-campaigns/${campaign.id}", user).status == 403
        v.send('GET', "/api/v1/verification-items?instrumentId=${a.id}", user).status == 403
    }

    def "list and items paginate with totals; filters are validated"() {
        given:
        def unit = v.unit()
        (1..3).each { v.instrument(unit) }
        def campaign = v.start(unit).body

        expect:
        def page = v.send('GET', "/api/v1/verification-campaigns/${campaign.id}/items?size=2&page=1", v.f.tokenA).body
        page.total == 3 && page.items.size() == 1 && page.page == 1 && page.size == 2
        v.send('GET', '/api/v1/verification-campaigns?size=1', v.f.tokenA).body.items.size() == 1
        v.send('GET', '/api/v1/verification-campaigns?size=1', v.f.tokenA).body.total >= 1
        v.send('GET', '/api/v1/verification-campaigns?state=done', v.f.tokenA).body.errors*.field == ['state']
        v.send('GET', "/api/v1/verification-campaigns/${campaign.id}/items?state=maybe", v.f.tokenA).body.errors*.field == ['state']
        v.send('GET', '/api/v1/verification-campaigns?size=1000', v.f.tokenA).status == 400
    }

    def "tenant B reaches none of tenant A's campaigns, items or instruments: every answer equals the answer for a missing id"() {
        given:
        def unit = v.unit()
        def i = v.instrument(unit)
        def campaign = v.start(unit).body
        def record = json.writeValueAsString(i.subMap(['assetNumber', 'nameZh', 'nameEn', 'originalValueFen', 'sharingScope']) + [room: 'X'])
        def snapshotOfA = {
            [v.send('GET', "/api/v1/verification-campaigns/${campaign.id}", v.f.tokenA).body,
             v.send('GET', "/api/v1/verification-campaigns/${campaign.id}/items", v.f.tokenA).body,
             v.freshness([i.id]), v.get(i.id).version]
        }
        def base = "http://localhost:${server.port}"

        when: 'B probes with A campaign, instrument and unit ids, in path, query and body'
        def asB = { IsolationProbe.against(base, [Authorization: 'Bearer ' + v.f.tokenB, 'Accept-Language': 'en']) }
        def all = [campaign.id as String, i.id as String, unit as String]
        def reports = [
                asB().probe('GET', '/api/v1/verification-campaigns/{id}')
                     .probe('GET', '/api/v1/verification-campaigns/{id}/items')
                     .probe('GET', '/api/v1/verification-campaigns/{id}/items?state=pending')
                     .probe('POST', '/api/v1/verification-campaigns/{id}/close')
                     .probe('GET', '/api/v1/verification-items?instrumentId={id}')
                     .probe('POST', '/api/v1/verification-campaigns', "{\"name\":\"takeover\",\"deadline\":\"${VerificationFixture.inDays(3)}\",\"orgUnitId\":\"{id}\"}".toString())
                     .run(all, snapshotOfA),
                // a real campaign id of A with probed instrument ids, and the other way round
                asB().probe('POST', "/api/v1/verification-campaigns/${campaign.id}/items/{id}/confirm".toString())
                     .probe('POST', "/api/v1/verification-campaigns/${campaign.id}/items/{id}/correct".toString(), record)
                     .run([i.id as String, unit as String], snapshotOfA),
                asB().probe('POST', "/api/v1/verification-campaigns/{id}/items/${i.id}/confirm".toString())
                     .probe('POST', "/api/v1/verification-campaigns/{id}/items/${i.id}/correct".toString(), record)
                     .run([campaign.id as String, unit as String], snapshotOfA)]
        def report = new IsolationProbe.Report(reports.collectMany { it.outcomes() }, reports.any { it.dataOfOwnerChanged() }, null, null)
        println "isolation probe (verification campaigns): ${report.probesMade()} probes, ${report.leaks().size()} leaks"

        then:
        report.leaks() == []
        !report.dataOfOwnerChanged()
        report.outcomes().every { it.foreignStatus() in [400, 404] || it.probe().path().startsWith('/api/v1/verification-items') }

        when: 'the same probes as A itself do tell its own ids from missing ones (the probe can fail)'
        def control = IsolationProbe.against(base, [Authorization: 'Bearer ' + v.f.tokenA])
                .probe('GET', '/api/v1/verification-campaigns/{id}')
                .run([campaign.id as String], { null })

        then:
        control.leaks().size() == 1
    }

    def "without a token the API answers 401"() {
        expect:
        v.send('GET', '/api/v1/verification-campaigns', null).status == 401
        v.send('POST', '/api/v1/verification-campaigns', null, [name: 'x']).status == 401
    }
}

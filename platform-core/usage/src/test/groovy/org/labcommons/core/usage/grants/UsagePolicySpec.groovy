package org.labcommons.core.usage.grants

import org.labcommons.testkit.IsolationProbe
import org.labcommons.testkit.PlatformSpec
import spock.lang.Shared

/**
 * An instrument's thresholds and interlock policy through {@code /api/v1/instruments/{id}/usage-policy}: defaults,
 * a change (audited, versioned, republished into the instrument's grant record), field errors for bad values, a
 * stale If-Match, and another institution reaching none of it.
 */
class UsagePolicySpec extends PlatformSpec {
    @Shared GrantsFixture f

    def setup() {
        if (f == null) {
            f = new GrantsFixture(ctx)
        }
    }

    def "the defaults, a change that reaches the grant record, and bad values refused field by field"() {
        given:
        def nmr = f.instrument()

        when: 'nothing is set'
        def initial = f.send('GET', "/api/v1/instruments/${nmr}/usage-policy", 'staff')

        then: 'every value is the default'
        initial.status == 200
        initial.body.version == 0
        initial.body.onWatts == null && initial.body.walkUp == null
        initial.body.interlock == [walkUp: false, failMode: 'closed', earlyGraceMin: 15, endGraceMin: 10, warnBeforeMin: 10]

        when: 'staff allow walk-up, fail open and a 5-minute early grace, with 100 W as in use'
        def topic = f.topic()
        def put = f.send('PUT', "/api/v1/instruments/${nmr}/usage-policy", 'staff',
                [onWatts: 100, walkUp: true, failMode: 'open', earlyGraceMin: 5], ['If-Match': '0'])
        Map record = topic.await(GrantPublisher.instrumentKey(f.tenantA, nmr)) { it?.policy?.walkUp == true }

        then:
        put.status == 200
        put.body.version == 1
        put.body.onWatts == 100
        put.body.interlock == [walkUp: true, failMode: 'open', earlyGraceMin: 5, endGraceMin: 10, warnBeforeMin: 10]
        record.policy == [walkUp: true, failMode: 'open', earlyGraceMin: 5, endGraceMin: 10, warnBeforeMin: 10]
        auditActions(nmr.toString()).contains('usage_policy.changed')

        when: 'bad values'
        def bad = f.send('PUT', "/api/v1/instruments/${nmr}/usage-policy", 'staff',
                [onWatts: 0, onSustainS: 5000, failMode: 'ajar', earlyGraceMin: -1, warnBeforeMin: 2000])

        then: 'each is a field error, nothing changes'
        bad.status == 400
        bad.body.code == 'validation_failed'
        bad.body.errors*.field as Set == ['onWatts', 'onSustainS', 'failMode', 'earlyGraceMin', 'warnBeforeMin'] as Set
        f.send('GET', "/api/v1/instruments/${nmr}/usage-policy", 'staff').body.version == 1

        when: 'a change against a stale version'
        def stale = f.send('PUT', "/api/v1/instruments/${nmr}/usage-policy", 'staff', [walkUp: false], ['If-Match': '0'])

        then:
        stale.status == 409
        stale.body.code == 'version_conflict'

        when: 'a plain member asks'
        def member = f.send('GET', "/api/v1/instruments/${nmr}/usage-policy", 'alice')

        then: 'they do not manage it'
        member.status in [403, 404]

        cleanup:
        topic?.close()
    }

    def "institution B reaches none of A's instrument policies"() {
        given:
        def nmr = f.instrument()
        assert f.send('PUT', "/api/v1/instruments/${nmr}/usage-policy", 'staff', [endGraceMin: 20]).status == 200
        def snapshotOfA = { f.send('GET', "/api/v1/instruments/${nmr}/usage-policy", 'staff').body }

        when:
        def report = IsolationProbe.against(f.base, [Authorization: 'Bearer ' + f.tokens.adminB, 'Accept-Language': 'en'])
                .probe('GET', '/api/v1/instruments/{id}/usage-policy')
                .probe('PUT', '/api/v1/instruments/{id}/usage-policy', '{"walkUp":true}')
                .run([nmr.toString()], snapshotOfA)

        then:
        report.leaks() == []
    }

    private List<String> auditActions(String target) {
        f.tenants.inTenant(f.tenantA) { c ->   // audit_event is tenant-owned (RLS forced, the owner too)
            def ps = c.prepareStatement('select action from audit_event where target_id = ? order by occurred_at')
            ps.setString(1, target)
            def rs = ps.executeQuery()
            List<String> out = []
            while (rs.next()) { out << rs.getString(1) }
            out
        }
    }
}

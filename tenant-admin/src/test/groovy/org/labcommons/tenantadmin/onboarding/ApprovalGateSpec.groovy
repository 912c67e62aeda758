package org.labcommons.tenantadmin.onboarding

import jakarta.inject.Inject
import spock.lang.Shared

/**
 * "Approve and provision" needs a passed test of the identity provider the application names, on every
 * path (API, page form, bulk approval): without it the approval is refused with 409 {@code idp_not_tested},
 * and nothing is provisioned. And an application that likely names an institution that is a member or applied
 * already is flagged to the bureau: similar Chinese or English name (full-width punctuation ignored), the same
 * short name, the same identity provider; applications of another network are not seen.
 */
class ApprovalGateSpec extends ManyFormsSpec {

    @Inject LikelySameInstitutions likelySame
    @Shared NetworkFixture f

    def setup() {
        if (f == null) {
            f = new NetworkFixture(ctx)
        }
    }

    def "an approval before the identity-provider test passed is refused with a clear problem, and provisions nothing"() {
        given:
        String s = "gate-${f.run}".toString()
        def id = f.apply(f.application(s)).body.id

        when: 'approved without a test'
        def refused = f.send('POST', "/api/v1/onboarding/applications/${id}/approve", f.tokenA)

        then:
        refused.status == 409
        refused.body.code == 'idp_not_tested'
        refused.body.title == 'The identity provider has not passed its connection test'
        refused.body.detail.contains('Test the connection')
        f.send('GET', "/api/v1/onboarding/applications/${id}", f.tokenA).body.status == 'submitted'
        f.direct { c -> def rs = c.prepareStatement("select count(*) from tenant where slug = '${s}'").executeQuery(); rs.next(); rs.getLong(1) } == 0

        when: 'in Chinese'
        def zh = f.send('POST', "/api/v1/onboarding/applications/${id}/approve", f.tokenA, null, ['Accept-Language': 'zh-CN'])

        then:
        zh.body.title == '身份提供方的连接测试尚未通过'

        when: 'the test passes, the approval goes through'
        def tested = f.send('POST', "/api/v1/onboarding/applications/${id}/identity-provider/test", f.tokenA)
        def approved = f.send('POST', "/api/v1/onboarding/applications/${id}/approve", f.tokenA)

        then:
        tested.body.ok
        approved.status == 200
        approved.body.status == 'approved'
    }

    def "a failed test does not open the gate"() {
        given: 'an application whose identity provider answers no discovery document'
        String s = "gate-bad-${f.run}".toString()
        def id = f.apply(f.application(s, [issuerUrl: "http://localhost:1/nobody-${s}".toString()])).body.id

        when:
        def tested = f.send('POST', "/api/v1/onboarding/applications/${id}/identity-provider/test", f.tokenA)
        def refused = f.send('POST', "/api/v1/onboarding/applications/${id}/approve", f.tokenA)

        then:
        !tested.body.ok
        refused.status == 409
        refused.body.code == 'idp_not_tested'
    }

    def "an application naming a member institution or another application is flagged, with why"() {
        given: "the fixture's member of A is 甲省大学 / University of A"
        String s = "same-${f.run}".toString()
        def fullWidth = f.apply(f.application(s, [nameZh: '甲省大学（本部）', nameEn: 'The University of A'])).body.id as String
        def alone = f.apply(f.application("alone-${f.run}".toString(), [nameZh: '栖霞山地质研究所', nameEn: 'Qixia Geology Institute'])).body.id as String
        def again = f.apply(f.application("alone2-${f.run}".toString(), [nameZh: '栖霞山·地质研究所。', nameEn: 'Qixia Geology Inst.'])).body.id as String
        def inB = f.apply(f.application("alone-b-${f.run}".toString(), [network: "net-b-${f.run}".toString(), nameZh: '栖霞山地质研究所',
                nameEn: 'Qixia Geology Institute', issuerUrl: f.issuer("uni-b-alone-${f.run}")])).body.id as String

        when:
        def inA = likelySame.of(f.networkA, [fullWidth, alone, again].collect { UUID.fromString(it) })
        def ofB = likelySame.of(f.networkB, [UUID.fromString(inB)])

        then: 'the full-width name of the member is flagged as that member, by name'
        inA[UUID.fromString(fullWidth)].find { it.kind() == 'tenant' && it.otherId() == f.memberOfA.value() }?.reason() == 'name'

        and: 'two applications of one institute flag each other, not themselves'
        inA[UUID.fromString(alone)]*.otherId() == [UUID.fromString(again)]
        inA[UUID.fromString(again)]*.otherId() == [UUID.fromString(alone)]
        inA[UUID.fromString(alone)]*.kind() == ['application']

        and: "network B does not see A's applications"
        ofB[UUID.fromString(inB)] == null

        and: 'the counts of the queue by state'
        likelySame.counts(f.networkA)['submitted'] >= 3
    }

    def "an application naming the identity provider of an applied institution is flagged by it"() {
        given:
        String issuer = f.issuer("uni-shared-${f.run}")
        def first = f.apply(f.application("idp1-${f.run}".toString(), [nameZh: '东钱湖学院', nameEn: 'Dongqian Lake College', issuerUrl: issuer])).body.id as String
        def second = f.apply(f.application("idp2-${f.run}".toString(), [nameZh: '西溪书院', nameEn: 'Xixi Academy', issuerUrl: issuer + '/'])).body.id as String

        expect:
        likelySame.of(f.networkA, [UUID.fromString(second)])[UUID.fromString(second)]*.reason() == ['issuer']
    }
}

package org.labcommons.core.billing.subsidies

import org.labcommons.testkit.IsolationProbe
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld
import spock.lang.Shared

import java.time.LocalDate
import java.time.ZoneId

import static org.labcommons.testkit.TenantWorld.*

/**
 * /api/v1/subsidies/funds and /api/v1/vouchers: the fund's periods for finance (field errors, budget not below what
 * was paid, users 403), the bureau's enterprises, batches and vouchers (tax id checked, non-bureau callers 403),
 * the enterprise's balance by number and tax id (public), and the isolation probes: another institution's finance
 * sees none of a tenant's funds, another consortium's bureau none of the vouchers.
 */
class SubsidiesApiSpec extends PlatformSpec {
    static final String FUNDS = '/api/v1/subsidies/funds'
    static final String VOUCHERS = '/api/v1/vouchers'
    static final ZoneId SHANGHAI = ZoneId.of('Asia/Shanghai')
    @Shared TenantWorld world

    def setup() {
        if (world == null) {
            world = TenantWorld.build(ctx) {
                consortium('sa-bureau') {
                    person('sa-bureau-admin', CONSORTIUM_ADMIN)
                    institution('sa-donghu') {
                        person('sa-finance', FINANCE)
                        person('sa-admin', INSTITUTION_ADMIN)
                        person('sa-user', USER)
                    }
                }
                consortium('sa-other-bureau') { person('sa-other-bureau-admin', CONSORTIUM_ADMIN) }
                institution('sa-xiling') { person('sa-other-finance', FINANCE) }
            }
        }
    }

    static String taxId() {
        String body = '91330100' + (1..9).collect { TaxIds.CHARSET[new Random().nextInt(TaxIds.CHARSET.length())] }.join()
        body + TaxIds.check(body)
    }

    Map fundBody(Map more = [:]) {
        int year = LocalDate.now(SHANGHAI).year
        [nameZh: '开放测试基金 ' + year, nameEn: 'Open-testing fund ' + year, startsOn: "${year}-01-01".toString(),
         endsOn: "${year}-12-31".toString(), budgetFen: 100_000_000, defaultShareBp: 0,
         sharesBp: [staff: 3_000, student: 5_000, young_teacher: 5_000]] + more
    }

    def "finance creates, reads, lists and changes fund periods; bad terms are field errors; users may not"() {
        when:
        def made = api.post(FUNDS, world.token('sa-finance'), fundBody())
        String id = made.body.id
        def one = api.get("${FUNDS}/${id}", world.token('sa-admin'))
        def changed = api.put("${FUNDS}/${id}", world.token('sa-finance'), fundBody(budgetFen: 50_000_000, sharesBp: [staff: 7_000]))
        def list = api.get("${FUNDS}?size=10", world.token('sa-finance'))
        def uses = api.get("${FUNDS}/${id}/consumption", world.token('sa-finance'))
        def bad = api.post(FUNDS, world.token('sa-finance'), [nameZh: '', startsOn: '2026-05-01', endsOn: '2026-04-01',
                                                               budgetFen: -1, defaultShareBp: 10_001, sharesBp: ['Staff!': 1, student: 20_000]])
        def badPage = api.get("${FUNDS}?page=-1&size=0", world.token('sa-finance'))
        def user = api.get(FUNDS, world.token('sa-user'))
        def userPost = api.post(FUNDS, world.token('sa-user'), fundBody())

        then:
        made.status == 201
        made.body.sharesBp == [staff: 3_000, student: 5_000, young_teacher: 5_000]
        made.body.leftFen == 100_000_000
        one.status == 200
        one.body.nameEn == made.body.nameEn
        changed.status == 200
        changed.body.budgetFen == 50_000_000
        changed.body.sharesBp == [staff: 7_000]
        list.body.items*.id.contains(id)
        uses.status == 200
        uses.body.total == 0
        bad.status == 400
        bad.body.errors*.field as Set == ['nameZh', 'nameEn', 'endsOn', 'budgetFen', 'defaultShareBp', 'sharesBp.Staff!', 'sharesBp.student'] as Set
        badPage.status == 400
        badPage.body.errors*.field as Set == ['page', 'size'] as Set
        user.status == 403
        userPost.status == 403
    }

    def "the bureau registers an enterprise, creates a batch and issues a voucher; the enterprise reads its balance with number and tax id"() {
        given:
        String tax = taxId()
        String token = world.token('sa-bureau-admin')

        when:
        def enterprise = api.post("${VOUCHERS}/enterprises", token, [name: '杭州示例科技有限公司', taxId: tax.toLowerCase(), contact: '王经理'])
        def twice = api.post("${VOUCHERS}/enterprises", token, [name: 'Again', taxId: tax])
        def badTax = api.post("${VOUCHERS}/enterprises", token, [name: 'Bad', taxId: tax.substring(0, 17) + (tax[17] == '0' ? '1' : '0')])
        def batch = api.post("${VOUCHERS}/batches", token, [name: '2026 年第一批', perClaimCapFen: 2_000_000, perYearCapFen: 10_000_000])
        def badBatch = api.post("${VOUCHERS}/batches", token, [name: '', perClaimCapFen: 0])
        def issued = api.post(VOUCHERS, token, [batchId: batch.body.id, enterpriseId: enterprise.body.id, faceValueFen: 5_000_000,
                                                validFrom: LocalDate.now(SHANGHAI).toString(), validTo: LocalDate.now(SHANGHAI).plusYears(1).toString()])
        def badIssue = api.post(VOUCHERS, token, [batchId: UUID.randomUUID().toString(), enterpriseId: enterprise.body.id,
                                                  faceValueFen: 1, validFrom: '2026-02-01', validTo: '2026-01-01'])
        def unknownRefs = api.post(VOUCHERS, token, [batchId: UUID.randomUUID().toString(), enterpriseId: UUID.randomUUID().toString(),
                                                     faceValueFen: 1, validFrom: '2026-01-01', validTo: '2026-02-01'])
        def listed = api.get("${VOUCHERS}?enterpriseId=${enterprise.body.id}", token)
        def claims = api.get("${VOUCHERS}/claims", token)
        def balance = api.post('/api/v1/public/vouchers/balance', null, [number: issued.body.number, taxId: tax])
        def wrongTax = api.post('/api/v1/public/vouchers/balance', null, [number: issued.body.number, taxId: taxId()])

        then:
        enterprise.status == 201
        enterprise.body.taxId == tax
        twice.status == 409
        twice.body.code == 'enterprise_exists'
        badTax.status == 400
        badTax.body.errors*.field == ['taxId']
        batch.status == 201
        badBatch.status == 400
        badBatch.body.errors*.field as Set == ['name', 'perClaimCapFen', 'perYearCapFen'] as Set
        issued.status == 201
        issued.body.number ==~ /KJCXQ-\d{4}-[2-9A-HJ-NP-Z]{8}/
        issued.body.balanceFen == 5_000_000
        issued.body.perClaimCapFen == 2_000_000
        badIssue.status == 400
        badIssue.body.errors*.field == ['validTo']
        unknownRefs.status == 400
        unknownRefs.body.errors*.field as Set == ['batchId', 'enterpriseId'] as Set
        listed.body.items*.number == [issued.body.number]
        claims.status == 200
        balance.status == 200
        balance.body.voucher.balanceFen == 5_000_000
        !balance.body.claims   // none yet (an empty list is left out of the answer)
        wrongTax.status == 404
    }

    def "only the bureau issues: an institution's admin or finance, and a user, are refused"() {
        expect:
        api.post(VOUCHERS, world.token(who), [faceValueFen: 1]).status == 403
        api.get("${VOUCHERS}/enterprises", world.token(who)).status == 403
        api.post("${VOUCHERS}/enterprises", world.token(who), [name: 'X', taxId: taxId()]).status == 403

        where:
        who << ['sa-admin', 'sa-finance', 'sa-user']
    }

    def "another institution's finance sees none of Donghu's fund periods, another consortium's bureau none of the vouchers"() {
        given:
        String fund = api.post(FUNDS, world.token('sa-finance'), fundBody(nameEn: 'Probe fund')).body.id
        String tax = taxId()
        String token = world.token('sa-bureau-admin')
        String enterprise = api.post("${VOUCHERS}/enterprises", token, [name: 'Probe Co', taxId: tax]).body.id
        String batch = api.post("${VOUCHERS}/batches", token, [name: 'Probe batch', perClaimCapFen: 100, perYearCapFen: 1_000]).body.id
        def voucher = api.post(VOUCHERS, token, [batchId: batch, enterpriseId: enterprise, faceValueFen: 500,
                                                 validFrom: '2026-01-01', validTo: '2030-12-31']).body
        def fundSnapshot = { api.get("${FUNDS}?size=200", world.token('sa-finance')).body.items.collect { [it.id, it.budgetFen, it.sharesBp] }.sort { it.toString() } }
        def voucherSnapshot = { api.get("${VOUCHERS}?size=200", token).body.items.collect { [it.id, it.claimedFen, it.status] }.sort { it.toString() } }

        when:
        def funds = IsolationProbe.against(baseUrl, [Authorization: 'Bearer ' + world.token('sa-other-finance'), 'Accept-Language': 'en'])
                .probe('GET', "${FUNDS}/{id}")
                .probe('PUT', "${FUNDS}/{id}", '{"nameZh":"x","nameEn":"x","startsOn":"2026-01-01","endsOn":"2026-12-31","budgetFen":1}')
                .probe('GET', "${FUNDS}/{id}/consumption")
                .listing('GET', "${FUNDS}?size=200")
                .run([fund], fundSnapshot)
        def vouchers = IsolationProbe.against(baseUrl, [Authorization: 'Bearer ' + world.token('sa-other-bureau-admin'), 'Accept-Language': 'en'])
                .probe('GET', "${VOUCHERS}/{id}")
                .probe('POST', VOUCHERS, '{"batchId":"{id}","enterpriseId":"{id}","faceValueFen":1,"validFrom":"2026-01-01","validTo":"2026-02-01"}')
                .listing('GET', "${VOUCHERS}?enterpriseId={id}")
                .listing('GET', "${VOUCHERS}/claims?voucherId={id}")
                .listing('GET', "${VOUCHERS}/enterprises?size=200")
                .listing('GET', "${VOUCHERS}/batches?size=200")
                .run([voucher.id as String, enterprise, batch], [tax, voucher.number as String], voucherSnapshot)

        then:
        funds.leaks() == []
        !funds.dataOfOwnerChanged()
        vouchers.leaks() == []
        !vouchers.dataOfOwnerChanged()
    }
}

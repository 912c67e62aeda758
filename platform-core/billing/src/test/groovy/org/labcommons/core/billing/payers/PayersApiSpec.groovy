package org.labcommons.core.billing.payers

import org.labcommons.testkit.IsolationProbe
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld
import spock.lang.Shared

import static org.labcommons.testkit.TenantWorld.*

/**
 * /api/v1/payer-accounts: finance creates and edits accounts (field errors as problem+json), lists them, tops up
 * deposits; a PI reads their accounts and decides on members, others may not; the arrears policy; another
 * institution's admin finds nothing and changes nothing (isolation probe on every endpoint).
 */
class PayersApiSpec extends PlatformSpec {
    static final String BASE = '/api/v1/payer-accounts'
    @Shared TenantWorld world

    def setup() {
        if (world != null) {
            return
        }
        world = TenantWorld.build(ctx) {
            institution('papi-donghu') {
                unit('papi-chem')
                person('papi-finance', FINANCE)
                person('papi-admin', INSTITUTION_ADMIN)
                person('papi-pi', USER)
                person('papi-member', USER)
                person('papi-user', USER)
            }
            institution('papi-xiling') {
                person('papi-other', INSTITUTION_ADMIN)
            }
        }
    }

    Map project(Map terms = [:]) {
        [kind: 'project', code: "G-${UUID.randomUUID().toString().substring(0, 8)}".toString(), nameZh: '国家自然科学基金项目',
         nameEn: 'NSFC project', grantCode: '22071234', financeCode: 'KY-2026-0017', budgetFen: 5_000_000,
         validFrom: '2026-01-01', validTo: '2029-12-31', settlement: 'monthly',
         piUserId: world.person('papi-pi').userId.toString(), orgUnitId: world.unit('papi-donghu', 'papi-chem').toString()] + terms
    }

    def "finance creates, lists and edits accounts; bad terms are field errors; a taken code 409"() {
        when:
        def made = api.post(BASE, world.token('papi-finance'), project(code: 'NSFC-22071234'))
        def taken = api.post(BASE, world.token('papi-admin'), project(code: 'NSFC-22071234'))
        def bad = api.post(BASE, world.token('papi-finance'), [kind: 'customer', code: ' bad code ', nameZh: '', nameEn: 'x',
                settlement: 'monthly', budgetFen: -1, validFrom: '2026-02-01', validTo: '2026-01-01', taxId: '913300007125021516',
                contactEmail: 'nope'])
        def byUser = api.post(BASE, world.token('papi-user'), project())
        def listed = api.get("${BASE}?q=22071234&kind=project", world.token('papi-admin'))
        def badList = api.get("${BASE}?kind=grant&size=0&page=-1", world.token('papi-finance'))
        def edited = api.put("${BASE}/${made.body.id}", world.token('papi-finance'), project(budgetFen: 6_000_000, status: 'closed'))
        def toPrepaid = api.put("${BASE}/${made.body.id}", world.token('papi-finance'), project(settlement: 'prepaid'))
        def customer = api.post(BASE, world.token('papi-finance'), [kind: 'customer', code: "C-${UUID.randomUUID().toString().substring(0, 6)}".toString(),
                nameZh: '某科技公司', nameEn: 'Some Tech Co.', settlement: 'single', organisation: '杭州某科技有限公司',
                taxId: '91440300708461136T', contactEmail: 'finance@example.com'])

        then:
        made.status == 201
        made.body.code == 'NSFC-22071234'
        made.body.status == 'active'
        taken.status == 409
        taken.body.code == 'payer_code_taken'
        taken.body.errors*.field == ['code']
        bad.status == 400
        bad.body.code == 'validation_failed'
        bad.body.errors*.field as Set == ['code', 'nameZh', 'budgetFen', 'validTo', 'settlement', 'organisation', 'contactEmail', 'taxId'] as Set
        byUser.status == 403
        listed.body.items*.id == [made.body.id]
        listed.body.total == 1
        badList.status == 400
        badList.body.errors*.field as Set == ['kind', 'size', 'page'] as Set
        edited.status == 200
        edited.body.budgetFen == 6_000_000
        edited.body.status == 'closed'
        edited.body.version == 1
        toPrepaid.status == 400
        toPrepaid.body.errors*.field.every { it == 'settlement' }
        toPrepaid.body.errors*.code.contains('fixed')
        customer.status == 201
        customer.body.taxId == '91440300708461136T'
    }

    def "a PI reads their account and decides on members; another user may not; a join by an unknown code is a field error"() {
        given:
        def a = api.post(BASE, world.token('papi-finance'), project()).body

        when:
        def join = api.post("${BASE}/join", world.token('papi-member'), [code: a.code, category: 'student', note: '课题组学生'])
        def twice = api.post("${BASE}/join", world.token('papi-member'), [code: a.code, category: 'student'])
        def unknown = api.post("${BASE}/join", world.token('papi-member'), [code: 'NOPE', category: 'pupil'])
        def piRead = api.get("${BASE}/${a.id}", world.token('papi-pi'))
        def userRead = api.get("${BASE}/${a.id}", world.token('papi-user'))
        def members = api.get("${BASE}/${a.id}/members", world.token('papi-pi'))
        def userApprove = api.post("${BASE}/${a.id}/members/${world.person('papi-member').userId}/approve", world.token('papi-user'), [:])
        def approve = api.post("${BASE}/${a.id}/members/${world.person('papi-member').userId}/approve", world.token('papi-pi'), [:])
        def again = api.post("${BASE}/${a.id}/members/${world.person('papi-member').userId}/approve", world.token('papi-pi'), [:])
        def mine = api.get("${BASE}/mine", world.token('papi-member'))

        then:
        join.status == 201
        join.body.state == 'requested'
        twice.status == 409
        unknown.status == 400
        unknown.body.errors*.field as Set == ['code', 'category'] as Set
        piRead.status == 200
        piRead.body.account.id == a.id
        piRead.body.budgetLeftFen == 5_000_000
        userRead.status == 403
        members.body.items*.state == ['requested']
        userApprove.status == 403
        approve.body.state == 'approved'
        again.status == 409
        mine.body.items*.role == ['approved']
        mine.body.items[0].category == 'student'
    }

    def "the arrears policy: 90 days by default, finance sets it, out of range is a field error"() {
        expect:
        api.get("${BASE}/policy", world.token('papi-finance')).body.overdueDays == 90
        api.put("${BASE}/policy", world.token('papi-finance'), [overdueDays: 0]).body.errors*.field == ['overdueDays']
        api.put("${BASE}/policy", world.token('papi-user'), [overdueDays: 30]).status == 403
        api.put("${BASE}/policy", world.token('papi-finance'), [overdueDays: 60]).body.overdueDays == 60
        api.get("${BASE}/policy", world.token('papi-admin')).body.overdueDays == 60
    }

    def "another institution's admin neither sees nor changes Donghu's accounts"() {
        given:
        def a = api.post(BASE, world.token('papi-finance'), project()).body
        def d = api.post(BASE, world.token('papi-finance'), [kind: 'customer', code: "D-${UUID.randomUUID().toString().substring(0, 6)}".toString(),
                nameZh: '预付客户', nameEn: 'Prepaid', settlement: 'prepaid', organisation: 'Org']).body
        assert api.post("${BASE}/${d.id}/deposits", world.token('papi-finance'), [amountFen: 1000, key: 'k1']).status == 201
        api.post("${BASE}/join", world.token('papi-member'), [code: a.code, category: 'staff'])
        def snapshot = {
            [api.get("${BASE}?size=200", world.token('papi-finance')).body.items.collect { [it.id, it.version, it.status, it.budgetFen] }.sort { it.toString() },
             api.get("${BASE}/${a.id}/members", world.token('papi-finance')).body.items.collect { [it.userId, it.state] },
             api.get("${BASE}/${d.id}/deposit", world.token('papi-finance')).body.summary.depositFen,
             api.get("${BASE}/policy", world.token('papi-finance')).body.overdueDays]
        }
        def headers = [Authorization: 'Bearer ' + world.token('papi-other'), 'Accept-Language': 'en']
        String member = world.person('papi-member').userId

        when:
        def report = IsolationProbe.against(baseUrl, headers)
                .probe('GET', "${BASE}/{id}")
                .probe('PUT', "${BASE}/{id}", '{"nameZh":"x","nameEn":"x","settlement":"monthly","status":"closed"}')
                .probe('GET', "${BASE}/{id}/members")
                .probe('POST', "${BASE}/{id}/members/${member}/approve", '{}')
                .probe('POST', "${BASE}/{id}/members/${member}/revoke", '{}')
                .probe('GET', "${BASE}/{id}/deposit")
                .probe('POST', "${BASE}/{id}/deposits", '{"amountFen":1,"key":"probe"}')
                .listing('GET', "${BASE}?size=200")
                .listing('GET', "${BASE}/mine")
                .run([a.id as String, d.id as String], snapshot)
        def byCode = IsolationProbe.against(baseUrl, headers)
                .probe('POST', "${BASE}/join", '{"code":"{id}","category":"staff"}')
                .run([a.code as String], snapshot)
        int before = api.get("${BASE}/policy", world.token('papi-finance')).body.overdueDays
        def own = api.put("${BASE}/policy", world.token('papi-other'), [overdueDays: 5])

        then:
        report.leaks() == []
        !report.dataOfOwnerChanged()
        byCode.leaks() == []
        !byCode.dataOfOwnerChanged()
        own.body.overdueDays == 5
        api.get("${BASE}/policy", world.token('papi-finance')).body.overdueDays == before
    }

    def "the month close reads an account through its ledger codes: grant code, finance code, validity, status and PI"() {
        given:
        def made = api.post(BASE, world.token('papi-finance'), project(code: "SP-${UUID.randomUUID().toString().substring(0, 6)}".toString()))
        def tenant = new org.labcommons.core.tenancy.TenantId(world.tenant('papi-donghu').id)
        def view = ctx.getBean(PayerStatementInfo)
        def read = { String code ->
            ctx.getBean(org.labcommons.core.tenancy.TenantTransactions).inTenant(tenant,
                    { c -> view.info(c, code) } as org.labcommons.core.tenancy.TenantTransactions.TenantWork)
        }

        when:
        def receivable = read("1122.payer.${made.body.id}")
        def deposit = read("2203.deposit.${made.body.id}")

        then:
        made.status == 201
        receivable.present
        receivable.get().code() == '22071234'
        receivable.get().financeCode() == 'KY-2026-0017'
        receivable.get().validTo() == java.time.LocalDate.parse('2029-12-31')
        receivable.get().status() == 'active'
        receivable.get().piUserId() == UUID.fromString(world.person('papi-pi').userId as String)
        deposit.get() == receivable.get()
        !read("1122.payer.${UUID.randomUUID()}").present
        !read("1122.person.${UUID.randomUUID()}").present
        !read('1122.payer.not-a-uuid').present
    }

}

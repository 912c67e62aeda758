package org.labcommons.core.catalog

import jakarta.inject.Inject
import org.labcommons.core.catalog.io.ImportFiles
import org.labcommons.core.events.OutboxFixtures
import org.labcommons.core.tenancy.TenantId
import org.labcommons.core.tenancy.TenantTransactions
import org.labcommons.devstack.SharedDevStack

import java.net.http.HttpRequest
import java.net.http.HttpResponse

/**
 * Published prices on the instrument record (V11 instrument_price): written with create and
 * replace, read back by GET, checked field by field, carried by the catalogue event, left alone
 * by a spreadsheet re-import, and bound to the tenant's own rate groups.
 */
class InstrumentPricesApiSpec extends TwoTenantSpec {
    @Inject TenantTransactions tenants

    @Override
    void arrangeOnce() {
        rateGroups('iso-a', ['internal', 'consortium', 'external'])
        rateGroups('iso-b', ['internal', 'enterprise'])
        assert f.create(f.tokenA, [kind: 'department', code: 'CHEM', nameZh: '化学系', nameEn: 'Chemistry']).status == 201
    }

    /** Rate groups of the world's tenant {@code name}, named "<code>用户" / "<code> users". */
    void rateGroups(String name, List<String> codes) {
        f.world.within(name) { codes.each { rateGroup(it, nameZh: "${it}用户".toString(), nameEn: "${it} users".toString()) } }
    }

    static Map nmr(String asset, Map more = [:]) {
        [assetNumber: asset, nameZh: '400M核磁共振谱仪', nameEn: '400 MHz NMR spectrometer', originalValueFen: 320_000_000,
         classificationCode: '010601', sharingScope: 'public',
         services: [[nameZh: '一维氢谱', nameEn: '1D proton spectrum'], [nameZh: '碳谱', nameEn: '13C spectrum']],
         prices: [[rateGroup: 'internal', unit: 'hour', amountFen: 8_000],
                  [rateGroup: 'consortium', unit: 'hour', amountFen: 12_000],
                  [rateGroup: 'external', unit: 'hour', amountFen: 20_000, noteZh: '含液氮', noteEn: 'liquid nitrogen included'],
                  [serviceIndex: 1, rateGroup: 'external', unit: 'sample', amountFen: 15_050]]] + more
    }

    Map post(Map body, String token = f.tokenA, String lang = 'en') {
        send('POST', '/api/v1/instruments', token, json.writeValueAsString(body), lang)
    }

    Map put(String id, Map body, String token = f.tokenA) {
        send('PUT', "/api/v1/instruments/${id}", token, json.writeValueAsString(body))
    }

    Map send(String method, String path, String token, String body = null, String lang = 'en') {
        def b = HttpRequest.newBuilder(URI.create("http://localhost:${server.port}${path}")).header('Authorization', 'Bearer ' + token)
                .header('Accept-Language', lang)
        if (body != null) { b.header('Content-Type', 'application/json') }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        def r = f.http.send(b.build(), HttpResponse.BodyHandlers.ofString())
        [status: r.statusCode(), body: r.body() ? json.readValue(r.body(), Map) : [:]]
    }

    static List summary(List prices) {
        prices.collect { [it.serviceId == null ? null : 'svc', it.rateGroup, it.unit, it.amountFen] }
    }

    def "create with prices for machine time and for a service named by position; GET returns them; the event carries them"() {
        when:
        def r = post(nmr("PR-C-${f.run}".toString()))

        then:
        r.status == 201
        r.body.prices.size() == 4
        summary(r.body.prices) == [[null, 'internal', 'hour', 8_000], [null, 'consortium', 'hour', 12_000],
                                   [null, 'external', 'hour', 20_000], ['svc', 'external', 'sample', 15_050]]
        r.body.prices[3].serviceId == r.body.services[1].id
        r.body.prices[2].noteZh == '含液氮'
        r.body.prices[2].noteEn == 'liquid nitrogen included'
        r.body.prices.every { it.id != null }

        and: 'GET reads the same'
        send('GET', "/api/v1/instruments/${r.body.id}", f.tokenA).body.prices == r.body.prices

        and: 'the catalogue event carries the prices (service id or null, rate group, unit, fen)'
        def event = OutboxFixtures.await('catalogue event with prices') {
            OutboxFixtures.readAll(SharedDevStack.get().properties()['labcommons.kafka.bootstrap'], CatalogueTopics.INSTRUMENT)
                    .find { it.key() == r.body.id }
        }
        def envelope = json.readValue(event.value(), Map)
        envelope.schemaVersion == 1
        envelope.payload.prices == [
                [serviceId: null, rateGroup: 'internal', unit: 'hour', amountFen: 8_000],
                [serviceId: null, rateGroup: 'consortium', unit: 'hour', amountFen: 12_000],
                [serviceId: null, rateGroup: 'external', unit: 'hour', amountFen: 20_000],
                [serviceId: r.body.services[1].id, rateGroup: 'external', unit: 'sample', amountFen: 15_050]]
    }

    def "replace: what GET returned goes back by service id; unchanged prices keep their ids; absent prices stay; [] removes them"() {
        given:
        String asset = "PR-R-${f.run}"
        def created = post(nmr(asset)).body
        def servicePrice = created.prices[3]

        when: 'read-modify-write: the services with their ids, the prices with serviceId, one amount changed'
        def body = nmr(asset, [services: created.services.collect { [id: it.id, nameZh: it.nameZh, nameEn: it.nameEn] },
                               prices: created.prices.collect { p ->
                                   [serviceId: p.serviceId, rateGroup: p.rateGroup, unit: p.unit, noteZh: p.noteZh, noteEn: p.noteEn,
                                    amountFen: p.rateGroup == 'internal' ? 9_000 : p.amountFen]
                               }])
        def saved = put(created.id as String, body)

        then:
        saved.status == 200
        saved.body.version == 2
        saved.body.prices*.amountFen == [9_000, 12_000, 20_000, 15_050]
        saved.body.prices*.id == created.prices*.id
        saved.body.prices[3].serviceId == servicePrice.serviceId

        when: 'the same body again changes nothing'
        def again = put(created.id as String, body)

        then:
        again.body.version == 2

        when: 'a body without prices (a client that knows nothing of them) keeps them'
        def noPrices = nmr(asset, [services: body.services, room: 'B201'])
        noPrices.remove('prices')
        def kept = put(created.id as String, noPrices)

        then:
        kept.status == 200
        kept.body.room == 'B201'
        kept.body.prices*.amountFen == [9_000, 12_000, 20_000, 15_050]

        when: 'the service is dropped: its price goes with it'
        def fewer = nmr(asset, [services: [body.services[0]], room: 'B201'])
        fewer.remove('prices')
        def dropped = put(created.id as String, fewer)

        then:
        summary(dropped.body.prices) == [[null, 'internal', 'hour', 9_000], [null, 'consortium', 'hour', 12_000],
                                         [null, 'external', 'hour', 20_000]]

        when: 'an empty list removes them all'
        def cleared = put(created.id as String, nmr(asset, [services: [body.services[0]], room: 'B201', prices: []]))

        then:
        !cleared.body.prices   // an empty list is left out of the JSON, like every empty list
        count(f.tenantA, "select count(*) from instrument_price where instrument_id = '${created.id}'") == 0
    }

    def "field-level problems: unknown rate group lists the tenant's codes, amounts out of range, unknown services, duplicates, bad unit"() {
        when:
        def r = post(nmr("PR-V-${f.run}".toString(), [prices: [
                [rateGroup: 'internal', unit: 'hour', amountFen: 8_000],
                [rateGroup: 'internal', unit: 'hour', amountFen: 9_000],                // duplicate of #1
                [rateGroup: 'vip', unit: 'hour', amountFen: 100],                       // not a group of this tenant
                [rateGroup: 'external', unit: 'hour', amountFen: 100_000_001],          // over 1,000,000 RMB
                [rateGroup: 'external', unit: 'sample', amountFen: -1],                 // negative
                [serviceIndex: 5, rateGroup: 'external', unit: 'sample', amountFen: 100],
                [serviceId: UUID.randomUUID().toString(), rateGroup: 'internal', unit: 'sample', amountFen: 100],
                [serviceIndex: 0, serviceId: UUID.randomUUID().toString(), rateGroup: 'internal', unit: 'item', amountFen: 1],
                [rateGroup: 'consortium', unit: 'week', amountFen: 1],
        ]]))
        def errors = r.body.errors.collectEntries { [it.field, it.message] }

        then:
        r.status == 400
        errors.keySet() == ['prices[1].rateGroup', 'prices[2].rateGroup', 'prices[3].amountFen', 'prices[4].amountFen',
                            'prices[5].serviceIndex', 'prices[6].serviceId', 'prices[7].serviceId', 'prices[8].unit'] as Set
        errors['prices[2].rateGroup'].contains('vip')
        errors['prices[2].rateGroup'].contains('internal, consortium, external')
        errors['prices[1].rateGroup'].contains('#1')
        errors['prices[3].amountFen'].contains('1,000,000')
        errors['prices[8].unit'].contains('hour, sample, item, day')
        count(f.tenantA, "select count(*) from instrument where asset_number = 'PR-V-${f.run}'") == 0

        when: 'in Chinese'
        def zh = post(nmr("PR-V2-${f.run}".toString(), [prices: [[rateGroup: 'vip', unit: 'hour', amountFen: 100]]]), f.tokenA, 'zh-CN')

        then:
        zh.status == 400
        zh.body.errors*.field == ['prices[0].rateGroup']
        zh.body.errors[0].message.contains('收费类别')
        zh.body.errors[0].message.contains('internal, consortium, external')

        when: 'a missing amount or rate group is a bean problem with the same field path'
        def missing = post(nmr("PR-V3-${f.run}".toString(), [prices: [[rateGroup: '', unit: 'hour']]]))

        then:
        missing.status == 400
        missing.body.errors*.field.toSet() == ['prices[0].rateGroup', 'prices[0].amountFen'] as Set
    }

    def "a price names only the acting tenant's rate groups: B's own code is unknown to A, and B prices with its own"() {
        when:
        def a = post(nmr("PR-T-${f.run}".toString(), [prices: [[rateGroup: 'enterprise', unit: 'hour', amountFen: 100]]]))
        def b = post(nmr("PR-T-${f.run}".toString(), [prices: [[rateGroup: 'enterprise', unit: 'hour', amountFen: 100],
                                                               [rateGroup: 'external', unit: 'hour', amountFen: 100]]]), f.tokenB)

        then:
        a.status == 400
        a.body.errors*.field == ['prices[0].rateGroup']
        a.body.errors[0].message.contains('internal, consortium, external')
        b.status == 400
        b.body.errors*.field == ['prices[1].rateGroup']
        b.body.errors[0].message.contains('internal, enterprise')

        when:
        def ok = post(nmr("PR-T-${f.run}".toString(), [prices: [[rateGroup: 'enterprise', unit: 'day', amountFen: 500_000]]]), f.tokenB)

        then:
        ok.status == 201
        ok.body.prices*.rateGroup == ['enterprise']
        count(f.tenantA, "select count(*) from instrument_price where rate_group_code = 'enterprise'") == 0
    }

    def "the database refuses what the service would: another tenant's rate group, a foreign instrument's service, out-of-range fen"() {
        given:
        def a = post(nmr("PR-D-${f.run}".toString())).body
        def other = post(nmr("PR-D2-${f.run}".toString())).body

        expect:
        refused(f.tenantA, a.id as String, null, 'enterprise', 'hour', 1)                    // B's code, not A's
        refused(f.tenantA, a.id as String, other.services[0].id as String, 'internal', 'sample', 1) // another instrument's service
        refused(f.tenantA, a.id as String, null, 'internal', 'item', 100_000_001)
        refused(f.tenantA, a.id as String, null, 'internal', 'week', 1)
        refused(f.tenantA, a.id as String, null, 'internal', 'hour', 1)                      // duplicate (machine time, internal, hour)
    }

    boolean refused(TenantId tenant, String instrument, String service, String group, String unit, long fen) {
        try {
            tenants.inTenant(tenant) { c ->
                c.prepareStatement("insert into instrument_price (tenant_id, id, instrument_id, service_id, rate_group_code, unit, amount_fen) " +
                        "values (?, ?, ?::uuid, ?::uuid, ?, ?, ?)").with {
                    setObject(1, tenant.value()); setObject(2, UUID.randomUUID()); setString(3, instrument); setString(4, service)
                    setString(5, group); setString(6, unit); setLong(7, fen); executeUpdate()
                }
                null
            }
            false
        } catch (Exception e) {
            true
        }
    }

    def "a spreadsheet re-import never touches prices: the same file is unchanged, a changed row keeps its prices"() {
        given: 'an instrument imported from a register, then priced through the API'
        String asset = "PR-I-${f.run}"
        def header = ['仪器编号', '仪器名称', '英文名称', '原值（元）', '分类代码', '使用单位', '房间', '共享范围']
        def rows = [header, [asset, '核磁共振波谱仪', 'NMR spectrometer', '3,200,000.00', '010601', '化学系', 'B105', '公开']]
        def first = importFile(ImportFiles.csv(rows).getBytes('UTF-8'))
        assert first.created == 1
        def stored = send('GET', "/api/v1/instruments?q=${asset.toLowerCase()}", f.tokenA).body.items[0]
        def body = json.readValue(json.writeValueAsString(stored), Map).subMap(['assetNumber', 'nameZh', 'nameEn',
                'originalValueFen', 'classificationCode', 'orgUnitId', 'room', 'sharingScope', 'status', 'purpose', 'flags'])
        body.services = [[nameZh: '一维氢谱', nameEn: '1D proton spectrum']]
        body.prices = [[rateGroup: 'internal', unit: 'hour', amountFen: 8_000], [serviceIndex: 0, rateGroup: 'external', unit: 'sample', amountFen: 30_000]]
        def priced = put(stored.id as String, body)
        assert priced.status == 200 && priced.body.prices.size() == 2

        when: 'the same file again'
        def second = importFile(ImportFiles.csv(rows).getBytes('UTF-8'))

        then:
        second.created == 0 && second.updated == 0 && second.unchanged == 1
        send('GET', "/api/v1/instruments/${stored.id}", f.tokenA).body.prices == priced.body.prices

        when: 'the row changed'
        rows[1][6] = 'C301'
        def third = importFile(ImportFiles.csv(rows).getBytes('UTF-8'))
        def after = send('GET', "/api/v1/instruments/${stored.id}", f.tokenA).body

        then:
        third.updated == 1
        after.room == 'C301'
        after.prices == priced.body.prices
    }

    Map importFile(byte[] bytes) {
        def r = uploadImport(bytes, 'r.csv', f.tokenA, 'text/csv')
        assert r.status == 201: r.text
        def id = r.body.id
        def commit = send('POST', "/api/v1/instrument-imports/${id}/commit", f.tokenA)
        assert commit.status == 200: commit.body
        commit.body
    }

    long count(TenantId tenant, String sql) {
        tenants.inTenant(tenant) { c -> c.prepareStatement(sql).executeQuery().with { next(); getLong(1) } } as long
    }
}

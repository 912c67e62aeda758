package org.labcommons.core.catalog.io

import jakarta.inject.Inject
import org.labcommons.core.catalog.TwoTenantSpec
import org.labcommons.core.tenancy.TenantTransactions

import java.net.http.HttpRequest
import java.net.http.HttpResponse

/**
 * Registers as they really are: no asset-number column (generated numbers that a re-import
 * matches), and departments the institution does not have yet (listed by the preview, created
 * under a chosen parent in the commit's all-or-nothing transaction, or reported on every row).
 */
class InstrumentImportOptionsApiSpec extends TwoTenantSpec {
    @Inject TenantTransactions tenants
    @spock.lang.Shared String chemId

    @Override
    void arrangeOnce() {
        def chem = f.create(f.tokenA, [kind: 'department', code: 'CHEM', nameZh: '化学系', nameEn: 'Chemistry'])
        assert chem.status == 201
        chemId = chem.body.id
    }

    Map upload(byte[] bytes, String name) {
        def r = uploadImport(bytes, name)
        assert r.status == 201
        r.body
    }

    Map step(String method, String path, Object body = null) {
        f.send(method, "/api/v1/instrument-imports${path}", f.tokenA, body == null ? null : json.writeValueAsString(body))
    }

    Map stepZh(String method, String path, Object body) {
        def r = f.http.send(HttpRequest.newBuilder(URI.create("http://localhost:${server.port}/api/v1/instrument-imports${path}"))
                .header('Authorization', 'Bearer ' + f.tokenA).header('Accept-Language', 'zh-CN')
                .header('Content-Type', 'application/json')
                .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString())
        [status: r.statusCode(), body: json.readValue(r.body(), Map), type: r.headers().firstValue('Content-Type').orElse('')]
    }

    List<Map> instruments(String prefix) {
        f.send('GET', "/api/v1/instruments?q=${prefix.toLowerCase()}&size=100&includeArchived=true", f.tokenA).body.items ?: []   // an empty list is left out
    }

    List<Map> unitsNamed(String name) {
        tenants.inTenant(f.tenantA) { c ->
            def ps = c.prepareStatement('select id::text, code, parent_id::text from org_unit where name_en = ?')
            ps.setString(1, name)
            def rs = ps.executeQuery()
            def out = []
            while (rs.next()) { out << [id: rs.getString(1), code: rs.getString(2), parentId: rs.getString(3)] }
            out
        } as List<Map>
    }

    long audits(String action) {
        tenants.inTenant(f.tenantA) { c ->
            c.prepareStatement("select count(*) from audit_event where action = '${action}'").executeQuery().with { next(); getLong(1) }
        } as long
    }

    /** A Uniquip-like register: no asset numbers, one department per row. */
    static final List<String> UNIQUIP = ['Name', 'Model', 'Manufacturer', 'Department', 'Location']

    def "a register without asset numbers: generated numbers, identical rows told apart, the same file again is unchanged"() {
        given: 'four rows, two of them identical (two of the same microscope in one room)'
        String prefix = "G${f.run}-"
        def rows = [UNIQUIP,
                    ['Confocal microscope', 'LSM 880', 'Zeiss', 'Chemistry', 'B12'],
                    ['Confocal microscope', 'LSM 880', 'Zeiss', 'Chemistry', 'B12'],
                    ['NMR spectrometer', 'AVANCE III', 'Bruker', 'CHEM', 'B01'],
                    ['Rheometer', 'MCR 302', 'Anton Paar', 'chemistry', 'C3']]
        byte[] file = ImportFiles.csv(rows).getBytes('UTF-8')
        def up = upload(file, 'uniquip.csv')

        expect: 'without numbers the file cannot be imported'
        !up.mapping.columns.containsKey('assetNumber')
        step('POST', "/${up.id}/commit").body.errors*.field == ['columns.assetNumber']

        when: 'the mapping asks for generated numbers'
        def mapped = step('PUT', "/${up.id}/mapping", [columns: up.mapping.columns, defaults: [originalValue: '10000'],
                                                       assetNumbers: [prefix: prefix]])
        def preview = step('GET', "/${up.id}/preview")
        def dry = step('POST', "/${up.id}/dry-run")
        def commit = step('POST', "/${up.id}/commit")
        def stored = instruments(prefix)

        then: 'every row gets a number of the prefix and a key; identical rows get distinct ones'
        mapped.status == 200
        mapped.body.mapping.assetNumbers.prefix == prefix
        preview.body.rows*.record.assetNumber.every { it.startsWith(prefix) }
        preview.body.rows[1].record.assetNumber == preview.body.rows[0].record.assetNumber + '-2'
        preview.body.rows[0].record.assetNumber ==~ /${prefix}[0-9A-HJKMNP-TV-Z]{10}/
        dry.body.created == 4 && dry.body.invalid == 0
        commit.status == 200
        commit.body.written
        commit.body.created == 4
        stored.size() == 4
        stored*.assetNumber as Set == preview.body.rows*.record.assetNumber as Set

        when: 'the same file imported again with the same mapping'
        def again = upload(file, 'uniquip.csv')
        step('PUT', "/${again.id}/mapping", [columns: again.mapping.columns, defaults: [originalValue: '10000'],
                                             assetNumbers: [prefix: prefix]])
        def second = step('POST', "/${again.id}/commit")

        then: 'it matches the records the first import made: nothing created, nothing changed'
        second.status == 200
        second.body.created == 0
        second.body.updated == 0
        second.body.unchanged == 4
        instruments(prefix).size() == 4
    }

    def "a register's own ID column with a prefix; the default prefix; bad options are field problems in both languages"() {
        given:
        String prefix = "R${f.run}-"
        def up = upload(ImportFiles.csv([['ID', 'Name'], ['17', 'Balance'], ['', 'Oven']]).getBytes('UTF-8'), 'ids.csv')

        when:
        step('PUT', "/${up.id}/mapping", [columns: [assetNumber: 0, nameEn: 1], assetNumbers: [prefix: prefix]])
        def preview = step('GET', "/${up.id}/preview")

        then: 'the ID cell follows the prefix; a blank ID gets a content key'
        preview.body.rows[0].record.assetNumber == prefix + '17'
        preview.body.rows[1].record.assetNumber ==~ /${prefix}[0-9A-Z]{10}/

        when: 'no prefix given'
        step('PUT', "/${up.id}/mapping", [columns: [nameEn: 1], assetNumbers: [:]])

        then:
        step('GET', "/${up.id}/preview").body.rows*.record.assetNumber.every { it.startsWith('GEN-') }

        when:
        def empty = step('PUT', "/${up.id}/mapping", [columns: [nameEn: 1], assetNumbers: [prefix: ' ']])
        def tooLong = step('PUT', "/${up.id}/mapping", [columns: [nameEn: 1], assetNumbers: [prefix: 'X' * 21]])
        def invalid = step('PUT', "/${up.id}/mapping", [columns: [nameEn: 1], assetNumbers: [prefix: 'A B']])
        def parent = step('PUT', "/${up.id}/mapping", [columns: [nameEn: 1], assetNumbers: [prefix: 'OK-'],
                                                       newUnits: [parentId: UUID.randomUUID().toString()]])
        def zh = stepZh('PUT', "/${up.id}/mapping", [columns: [nameEn: 1], assetNumbers: [prefix: 'X' * 21]])

        then:
        [empty, tooLong, invalid, parent].every { it.status == 400 }
        empty.body.errors.collect { [it.field, it.code] } == [['assetNumbers.prefix', 'required']]
        tooLong.body.errors.collect { [it.field, it.code] } == [['assetNumbers.prefix', 'size']]
        tooLong.body.errors[0].message == 'the prefix may have at most 20 characters'
        invalid.body.errors.collect { [it.field, it.code] } == [['assetNumbers.prefix', 'pattern']]
        parent.body.errors.collect { [it.field, it.code] } == [['newUnits.parentId', 'unknown']]
        zh.type.startsWith('application/problem+json')
        zh.body.errors[0].message == '编号前缀最多 20 个字符'
    }

    def "departments the institution lacks: listed by the preview, failing every row by name, then created under the chosen parent"() {
        given:
        String p = "D${f.run}-"
        String zoo = "Zoology ${f.run}"
        String geo = "Geology ${f.run}"
        def rows = [['Asset number', 'Name', 'Department', 'Value'], [p + '1', 'Microtome', zoo, '1000'],
                    [p + '2', 'Freezer', zoo.toUpperCase() + ' ', '1000'], [p + '3', 'Seismometer', geo, '1000'],
                    [p + '4', 'Balance', 'Chemistry', '1000']]
        def up = upload(ImportFiles.csv(rows).getBytes('UTF-8'), 'departments.csv')
        long unitsAudited = audits('org_unit.created')

        when: 'no option chosen'
        def preview = step('GET', "/${up.id}/preview")
        def dry = step('POST', "/${up.id}/dry-run")

        then: 'the preview lists both missing units (one unit for two spellings); their rows fail naming the unit'
        preview.body.newUnits.collect { [it.name, it.rows, it.create] } == [[zoo, 2, false], [geo, 1, false]]
        dry.body.invalid == 3
        dry.body.problems.collect { [it.row, it.field] } == [[2, 'orgUnitId'], [3, 'orgUnitId'], [4, 'orgUnitId']]
        dry.body.problems[0].message == "no unit of this institution has the code or name \"${zoo}\"".toString()
        dry.body.problems[2].message.contains(geo)

        when: 'the mapping asks to create them under Chemistry'
        def mapped = step('PUT', "/${up.id}/mapping", [columns: up.mapping.columns, newUnits: [parentId: chemId]])
        def preview2 = step('GET', "/${up.id}/preview")
        def dry2 = step('POST', "/${up.id}/dry-run")

        then: 'preview and dry run count them in, and create nothing'
        mapped.status == 200
        mapped.body.mapping.newUnits.parentId == chemId
        preview2.body.newUnits.collect { [it.name, it.create] } == [[zoo, true], [geo, true]]
        preview2.body.rows.every { !it.problems }
        dry2.body.invalid == 0 && dry2.body.created == 4
        dry2.body.newUnits*.code == ["ZOOLOGY-${f.run.toUpperCase()}", "GEOLOGY-${f.run.toUpperCase()}"]*.toString()
        unitsNamed(zoo).isEmpty() && unitsNamed(geo).isEmpty()

        when:
        def commit = step('POST', "/${up.id}/commit")
        def zooUnit = unitsNamed(zoo)
        def geoUnit = unitsNamed(geo)
        def stored = instruments(p)

        then: 'both units exist under Chemistry, every row is in, each creation audited'
        commit.status == 200
        commit.body.created == 4
        commit.body.newUnits*.id as Set == [zooUnit[0].id, geoUnit[0].id] as Set
        zooUnit.size() == 1 && zooUnit[0].parentId == chemId
        geoUnit.size() == 1 && geoUnit[0].parentId == chemId
        stored.size() == 4
        stored.findAll { it.assetNumber in [p + '1', p + '2'] }*.orgUnitId == [zooUnit[0].id, zooUnit[0].id]
        stored.find { it.assetNumber == p + '3' }.orgUnitId == geoUnit[0].id
        audits('org_unit.created') == unitsAudited + 2

        when: 'the same file again: the units now exist'
        def again = upload(ImportFiles.csv(rows).getBytes('UTF-8'), 'departments.csv')
        def preview3 = step('GET', "/${again.id}/preview")
        def second = step('POST', "/${again.id}/commit")

        then:
        !preview3.body.newUnits
        second.body.unchanged == 4
    }

    def "only those who manage the organisation may have units created; an instrument admin still imports without them"() {
        given:
        f.world.within('iso-a') { person('instr-a', org.labcommons.testkit.TenantWorld.INSTRUMENT_ADMIN) }
        String token = f.world.token('instr-a')
        String p = "I${f.run}-"
        String name = "Ecology ${f.run}"
        def up = upload(ImportFiles.csv([['Asset number', 'Name', 'Department', 'Value'], [p + '1', 'Incubator', name, '10']])
                .getBytes('UTF-8'), 'instr.csv')

        when: 'the instrument admin asks for units'
        def asked = f.send('PUT', "/api/v1/instrument-imports/${up.id}/mapping", token,
                json.writeValueAsString([columns: up.mapping.columns, newUnits: [:]]))

        then:
        asked.status == 403
        asked.body.errors.collect { [it.field, it.code] } == [['newUnits', 'forbidden']]

        when: 'an institution admin set the option; the instrument admin commits'
        step('PUT', "/${up.id}/mapping", [columns: up.mapping.columns, newUnits: [:]])
        def commit = f.send('POST', "/api/v1/instrument-imports/${up.id}/commit", token)

        then: 'refused, nothing created'
        commit.status == 403
        unitsNamed(name).isEmpty()
        instruments(p).isEmpty()

        when: 'without the option the instrument admin imports, and the row names the unit it lacks'
        f.send('PUT', "/api/v1/instrument-imports/${up.id}/mapping", token, json.writeValueAsString([columns: up.mapping.columns]))
        def plain = f.send('POST', "/api/v1/instrument-imports/${up.id}/commit", token)

        then:
        plain.status == 422
        plain.body.errors*.field == ['rows[2].orgUnitId']
        unitsNamed(name).isEmpty()
    }

    def "a refused commit leaves none of the units it would have created"() {
        given: 'two missing departments and one bad row'
        String p = "F${f.run}-"
        String bot = "Botany ${f.run}"
        String ast = "Astronomy ${f.run}"
        def rows = [['Asset number', 'Name', 'Department', 'Original value'], [p + '1', 'Herbarium cabinet', bot, '1000'],
                    [p + '2', 'Telescope', ast, 'abc']]
        def up = upload(ImportFiles.csv(rows).getBytes('UTF-8'), 'refused.csv')
        step('PUT', "/${up.id}/mapping", [columns: up.mapping.columns, newUnits: [:]])
        long unitsAudited = audits('org_unit.created')

        when:
        def commit = step('POST', "/${up.id}/commit")

        then: 'nothing of it remains: no instrument, no unit, no audit of a unit'
        commit.status == 422
        commit.body.code == 'import_has_errors'
        commit.body.errors*.field == ['rows[3].originalValueFen']
        instruments(p).isEmpty()
        unitsNamed(bot).isEmpty() && unitsNamed(ast).isEmpty()
        audits('org_unit.created') == unitsAudited

        when: 'the bad row fixed, at the top of the institution'
        rows[2][3] = '2000'
        def fixed = upload(ImportFiles.csv(rows).getBytes('UTF-8'), 'refused.csv')
        step('PUT', "/${fixed.id}/mapping", [columns: fixed.mapping.columns, newUnits: [:]])
        def ok = step('POST', "/${fixed.id}/commit")

        then:
        ok.status == 200 && ok.body.created == 2
        unitsNamed(bot)*.parentId == [null]
        unitsNamed(ast)*.parentId == [null]
    }
}

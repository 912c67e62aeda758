package org.labcommons.core.catalog.io

import jakarta.inject.Inject
import org.labcommons.core.catalog.TwoTenantSpec
import org.labcommons.core.tenancy.TenantId
import org.labcommons.core.tenancy.TenantTransactions

import java.nio.file.Files
import java.nio.file.Path

/**
 * Registers as they really are, end to end through the API (issue 13): a new institution's admin
 * imports the committed UK sample register (Uniquip columns, 623 rows, Mac Roman bytes, no asset
 * number, ten departments the institution does not have, nameless contacts, no-break spaces) with
 * generated asset numbers and the departments created in the same commit, then imports the same
 * file again; and a Chinese register still imports. The figures are printed for the closing note.
 */
class UkRegisterImportSpec extends TwoTenantSpec {
    static final Path SAMPLE = Path.of('src/main/resources/static/samples/northfield-university-equipment-uniquip.csv')
    static final List<String> H = UniquipRegisterGenerator.HEADER

    @Inject TenantTransactions tenants

    Map upload(byte[] bytes, String name, String token = f.tokenA) {
        def r = uploadImport(bytes, name, token, 'text/csv')
        assert r.status == 201: r.text
        r.body
    }

    Map step(String method, String path, Object body = null, String token = f.tokenA) {
        f.send(method, "/api/v1/instrument-imports${path}", token, body == null ? null : json.writeValueAsString(body))
    }

    /** Every instrument of the tenant of {@code token}, page by page. */
    List<Map> allInstruments(String token = f.tokenA) {
        List<Map> out = []
        for (int page = 0; ; page++) {
            def r = f.send('GET', "/api/v1/instruments?size=200&page=${page}&includeArchived=true", token)
            assert r.status == 200
            List items = r.body.items ?: []
            out.addAll(items)
            if (items.size() < 200) {
                return out
            }
        }
    }

    /** The tenant's units: name, code, parent and kind. */
    List<Map> units(TenantId tenant) {
        tenants.inTenant(tenant) { c ->
            def rs = c.prepareStatement('select name_en, code, parent_id::text, kind, id::text from org_unit order by code').executeQuery()
            def out = []
            while (rs.next()) { out << [name: rs.getString(1), code: rs.getString(2), parentId: rs.getString(3), kind: rs.getString(4), id: rs.getString(5)] }
            out
        } as List<Map>
    }

    static double seconds(long startNanos) {
        Math.round((System.nanoTime() - startNanos) / 1e7) / 100d
    }

    def "a new institution imports the UK register: Mac Roman read right, asset numbers generated, the ten departments created, 623 instruments in one commit"() {
        given: 'a new institution: no instruments, no units'
        byte[] file = Files.readAllBytes(SAMPLE)
        assert allInstruments().isEmpty()
        assert units(f.tenantA).isEmpty()
        long started = System.nanoTime()

        when: 'the admin uploads the committed sample'
        def up = upload(file, SAMPLE.fileName.toString())

        then: 'detected as Mac Roman, 623 rows, and the Uniquip columns suggested (no column for the asset number)'
        up.encoding == 'x-MacRoman'
        up.format == 'csv'
        up.rowCount == 623
        up.header == H
        up.mapping.columns.nameEn == H.indexOf('Name')
        up.mapping.columns.orgUnit == H.indexOf('Department')
        up.mapping.columns.contactName == H.indexOf('Contact Name')
        up.mapping.columns.contactEmail == H.indexOf('Contact Email')
        !up.mapping.columns.containsKey('assetNumber')

        when: 'the columns step: the encoding offered, names read right in the samples'
        def columns = step('GET', "/${up.id}/mapping")

        then:
        columns.status == 200
        columns.body.encoding == 'x-MacRoman'
        'x-MacRoman' in columns.body.encodings && 'windows-1252' in columns.body.encodings
        columns.body.columns[H.indexOf('Contact Name')].header == 'Contact Name'
        columns.body.columns*.samples.flatten().every { !it.contains('\uFFFD') && !it.contains('\u00A0') }

        when: 'without an asset number column nor generated numbers the mapping is refused'
        def refused = step('PUT', "/${up.id}/mapping", [columns: up.mapping.columns, defaults: [originalValue: '0']])

        then:
        refused.status == 400
        refused.body.errors*.field == ['columns.assetNumber']

        when: 'generated asset numbers and the missing departments created at the top of the institution'
        String prefix = "NF${f.run}-".toUpperCase()
        def mapped = step('PUT', "/${up.id}/mapping", [columns: up.mapping.columns, defaults: [originalValue: '0'],
                                                       assetNumbers: [prefix: prefix], newUnits: [:]])
        def preview = step('GET', "/${up.id}/preview?rows=200")
        def dry = step('POST', "/${up.id}/dry-run")

        then: 'the preview lists the ten departments, to be created, and every row is valid'
        mapped.status == 200
        mapped.body.mapping.assetNumbers.prefix == prefix
        preview.status == 200
        preview.body.newUnits*.name as Set == UniquipRegisterGenerator.DEPARTMENTS as Set
        preview.body.newUnits.every { it.create && it.id == null }
        preview.body.newUnits*.rows.sum() == 623
        preview.body.rows.every { !it.problems }
        preview.body.rows.every { it.record.assetNumber.startsWith(prefix) }
        dry.body.rows == 623
        dry.body.invalid == 0
        dry.body.created == 623
        !dry.body.written
        units(f.tenantA).isEmpty()

        and: 'accents and curly apostrophes read right, nameless contacts kept, no no-break space left'
        preview.body.rows.any { it.record.contacts.any { c -> c.name == 'Prof. Jürgen Müller' } }
        preview.body.rows.any { it.record.contacts.any { c -> c.name == 'Dr Siobhán O’Brien' } }
        preview.body.rows.any { it.record.contacts && it.record.contacts[0].name == null && (it.record.contacts[0].email || it.record.contacts[0].phone) }
        preview.body.rows.every { !it.record.nameEn.contains('\u00A0') && !it.record.contacts.any { c -> c.email?.contains('\u00A0') } }

        when: 'the commit'
        long committing = System.nanoTime()
        def commit = step('POST', "/${up.id}/commit")
        double commitSeconds = seconds(committing)
        def stored = allInstruments()
        def created = units(f.tenantA)

        then: 'every row and every department is in'
        commit.status == 200
        commit.body.written
        commit.body.created == 623
        commit.body.invalid == 0
        commit.body.newUnits.size() == 10
        commit.body.newUnits.every { it.create && it.id }
        created*.name as Set == UniquipRegisterGenerator.DEPARTMENTS as Set
        created.every { it.parentId == null && it.kind == 'department' }
        commit.body.newUnits*.id as Set == created*.id as Set
        stored.size() == 623
        stored.every { it.assetNumber.startsWith(prefix) && it.orgUnitId in created*.id }
        stored*.assetNumber.toSet().size() == 623

        and: 'what the register says, as it says it'
        stored.any { it.contacts.any { c -> c.name == 'Prof. Jürgen Müller' && c.email == 'jurgen.muller@northfield.ac.uk' } }
        stored.any { it.contacts.any { c -> c.name == 'Dr Siobhán O’Brien' } }
        stored.count { it.contacts && it.contacts[0].name == null } > 0
        stored.every { !it.nameEn.contains('\u00A0') && !it.nameEn.startsWith(' ') }
        stored.every { it.contacts.every { c -> !(c.email ?: '').contains('\u00A0') && !(c.name ?: '').contains('\u00A0') } }

        when: 'the same file again'
        long again = System.nanoTime()
        long againSeconds0 = again
        def up2 = upload(file, SAMPLE.fileName.toString())
        step('PUT', "/${up2.id}/mapping", [columns: up2.mapping.columns, defaults: [originalValue: '0'],
                                          assetNumbers: [prefix: prefix], newUnits: [:]])
        def preview2 = step('GET', "/${up2.id}/preview")
        def second = step('POST', "/${up2.id}/commit")
        double againSeconds = seconds(again)
        println "UK register import (${SAMPLE.fileName}): rows ${dry.body.rows}, encoding ${up.encoding}, " +
                "created ${commit.body.created}, unchanged ${commit.body.unchanged}, invalid ${commit.body.invalid}, " +
                "units created ${commit.body.newUnits.count { it.id }}, commit ${commitSeconds} s, " +
                "upload to commit ${Math.round((againSeconds0 - started) / 1e7) / 100d} s; " +
                "re-import: created ${second.body.created}, updated ${second.body.updated}, unchanged ${second.body.unchanged}, " +
                "units to create ${(second.body.newUnits ?: []).size()}, ${againSeconds} s"

        then: 'nothing new: every row unchanged, no unit to create'
        !preview2.body.newUnits
        second.status == 200
        second.body.created == 0
        second.body.updated == 0
        second.body.unchanged == 623
        !second.body.newUnits
        allInstruments().size() == 623
        units(f.tenantA).size() == 10

    }

    def "a Chinese register still imports: GB18030 CSV with its own departments created, and the dev sample workbook checked"() {
        given: 'forty rows of a Chinese register naming two colleges the institution lacks, saved as Chinese Excel saves CSV'
        String prefix = "ZH${f.run}"
        def rows = RegisterGenerator.rows(prefix, 40, ['化学化工学院', '材料科学与工程学院'], 0)
        byte[] gbk = RegisterGenerator.csvGbk(rows)
        long started = System.nanoTime()

        when:
        def up = upload(gbk, '仪器清单.csv', f.tokenB)
        def mapped = step('PUT', "/${up.id}/mapping", [columns: up.mapping.columns, newUnits: [:]], f.tokenB)
        def preview = step('GET', "/${up.id}/preview", null, f.tokenB)
        def commit = step('POST', "/${up.id}/commit", null, f.tokenB)
        def stored = allInstruments(f.tokenB)

        then:
        up.encoding == 'GB18030'
        up.mapping.columns.assetNumber == RegisterGenerator.HEADER.indexOf('仪器编号')
        mapped.status == 200
        preview.body.newUnits*.name as Set == ['化学化工学院', '材料科学与工程学院'] as Set
        preview.body.rows[0].record.nameZh == rows[0][2]
        commit.status == 200
        commit.body.created == 40
        commit.body.newUnits.every { it.id && it.code.startsWith('U-') }
        stored.size() == 40
        stored.find { it.assetNumber == rows[0][1] }.nameZh == rows[0][2]
        units(f.tenantB)*.code as Set == commit.body.newUnits*.code as Set

        when: 'the dev sample workbook: its three refused rows reported with the value as read, the rest valid'
        def sample = upload(Files.readAllBytes(Path.of('src/main/resources/static/samples/xinan-university-instruments.xlsx')),
                'xinan-university-instruments.xlsx', f.tokenB)
        def dry = step('POST', "/${sample.id}/dry-run", null, f.tokenB)
        println "Chinese register import: GB18030 CSV rows ${rows.size()}, created ${commit.body.created}, " +
                "units created ${commit.body.newUnits.size()}; xinan sample dry run: rows ${dry.body.rows}, " +
                "valid ${dry.body.valid}, invalid ${dry.body.invalid}; ${seconds(started)} s"

        then:
        sample.format == 'xlsx'
        sample.rowCount == 200
        dry.body.rows == 200
        dry.body.invalid == 3
        dry.body.valid == 197
        dry.body.problems.collect { [it.row, it.field, it.code] } == [[41, 'originalValueFen', 'invalid_number'],
                                                                      [81, 'classificationCode', 'unknown'],
                                                                      [121, 'assetNumber', 'duplicate_in_file']]
        dry.body.problems[0].value == '约120万'

    }
}

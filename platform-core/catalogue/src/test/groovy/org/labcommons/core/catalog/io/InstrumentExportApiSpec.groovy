package org.labcommons.core.catalog.io

import org.apache.poi.xssf.usermodel.XSSFWorkbook
import org.labcommons.core.catalog.TwoTenantSpec
import org.labcommons.devstack.SharedDevStack
import org.labcommons.testkit.IsolationProbe
import spock.lang.Shared

import java.net.http.HttpRequest
import java.net.http.HttpResponse

/**
 * Export with the list's filters as .xlsx, CSV and Uniquip; formula-like text neutralised; and
 * export → import round trips that leave every record unchanged.
 */
class InstrumentExportApiSpec extends TwoTenantSpec {
    @Shared String unitId

    @Override
    void arrangeOnce() {
        unitId = f.create(f.tokenA, [kind: 'lab', code: 'NMR-LAB', nameZh: '核磁实验室', nameEn: 'NMR lab']).body.id
        String p = "EX${f.run}-"
        def records = [
                instrument(p + '1', [nameZh: '=HYPERLINK("http://evil.example","点我")', model: '+cmd|calc', manufacturer: '-2+3',
                                     descriptionZh: '@SUM(A1)', room: '\tB105', building: '\r化学楼', longitude: -73.5, latitude: 40.7]),
                instrument(p + '2', [status: 'idle', originalValueFen: 12_345_678, sharingScope: 'private', exemptionReason: 'special_purpose',
                                     contacts: [[name: '王老师', role: '负责人', phone: '0571-8800 1234', email: 'wang@donghu.example'],
                                                [name: 'Li', phone: '123456', email: 'li@donghu.example']]]),
                instrument(p + '3', [status: 'under_repair', classificationCode: '010101', orgUnitId: null, purchaseDate: null,
                                     latitude: null, longitude: null, countryCode: null, flags: null, contacts: []])]
        records.each { assert f.send('POST', '/api/v1/instruments', f.tokenA, json.writeValueAsString(it)).status == 201 }
    }

    Map instrument(String asset, Map more) {
        [assetNumber: asset, nameZh: '400M核磁共振谱仪', nameEn: '400 MHz NMR, "Bruker"', model: 'AVANCE III HD 400',
         manufacturer: 'Bruker', countryCode: 'CH', originalValueFen: 320_000_001, purchaseDate: '2012-09-18',
         classificationCode: '010601', orgUnitId: unitId, building: '化学楼', room: 'B105', latitude: 30.2636,
         longitude: 120.1236, status: 'in_service', purpose: 'special', ratedAnnualHours: 1600, sharingScope: 'public',
         flags: [fundSubsidised: true, benefitEvaluation: false, sharedPlatform: true, listedInCers: false, customsSupervised: true],
         descriptionZh: '多行\n说明，含逗号', descriptionEn: 'Solution NMR',
         services: [[nameZh: '一维氢谱', nameEn: '1D proton spectrum', sampleRequirements: '5–10 mg']],
         contacts: [[name: '王老师', role: '机组负责人', phone: '0571-8800 1234', email: 'nmr@donghu.example']]] + more
    }

    Map download(String query, String token = f.tokenA) {
        def r = f.http.send(HttpRequest.newBuilder(URI.create("http://localhost:${server.port}/api/v1/instruments/export?${query}"))
                .header('Authorization', 'Bearer ' + token).header('Accept-Language', 'en').build(), HttpResponse.BodyHandlers.ofByteArray())
        [status: r.statusCode(), bytes: r.body(), type: r.headers().firstValue('Content-Type').orElse(''),
         disposition: r.headers().firstValue('Content-Disposition').orElse('')]
    }

    Map upload(byte[] bytes, String name) {
        uploadImport(bytes, name, f.tokenA, null)
    }

    List<Map> records(String prefix) {
        f.send('GET', "/api/v1/instruments?q=${prefix.toLowerCase()}&size=50&includeArchived=true", f.tokenA).body.items
                .collect { Map m -> m.findAll { k, v -> !(k in ['createdAt', 'updatedAt']) } }
                .sort { it.assetNumber }
    }

    List<List<String>> rows(byte[] bytes) {
        def out = []
        Spreadsheets.read(bytes, ImportLimits.defaults()) { int n, List<String> cells -> out << cells; true }
        out
    }

    def "CSV: UTF-8 with BOM, the list's filters, formula-like text neutralised, numbers stay numbers"() {
        when:
        def all = download("format=csv&q=ex${f.run}-".toString())
        def idle = download("format=csv&q=ex${f.run}-&status=idle&lang=zh-CN".toString())

        then:
        all.status == 200
        all.type.startsWith('text/csv')
        all.disposition.startsWith('attachment')
        all.bytes[0..2] == [(byte) 0xEF, (byte) 0xBB, (byte) 0xBF]

        when:
        def table = rows(all.bytes)
        def header = table[0]
        def first = table.find { it[0] == "EX${f.run}-1".toString() }

        then:
        table.size() == 4
        header[0] == 'Asset number'
        first[header.indexOf('Chinese name')] == '\'=HYPERLINK("http://evil.example","点我")'
        first[header.indexOf('Model')] == "'+cmd|calc"
        first[header.indexOf('Manufacturer')] == "'-2+3"
        first[header.indexOf('Description (zh)')] == "'@SUM(A1)"
        first[header.indexOf('Room')] == 'B105'   // the catalogue strips leading tabs/CRs; ImportReadersSpec covers them
        first[header.indexOf('Longitude')] == '-73.5'
        first[header.indexOf('Original value (RMB)')] == '3200000.01'
        first[header.indexOf('Owning unit')] == 'NMR-LAB'

        and: 'the same filters as the list, headers in Chinese on request'
        rows(idle.bytes).size() == 2
        rows(idle.bytes)[0][0] == '仪器编号'
        rows(idle.bytes)[1][rows(idle.bytes)[0].indexOf('状态')] == '闲置'
    }

    def "xlsx: strings stay strings (no formula is written), values and dates are typed cells"() {
        when:
        def x = download("format=xlsx&q=ex${f.run}-&sort=assetNumber".toString())
        def wb = new XSSFWorkbook(new ByteArrayInputStream(x.bytes))
        def sheet = wb.getSheetAt(0)
        def header = (0..<sheet.getRow(0).lastCellNum).collect { sheet.getRow(0).getCell(it).stringCellValue }
        def first = sheet.getRow(1)

        then:
        x.status == 200
        x.type.startsWith('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        (1..3).every { r -> (0..<header.size()).every { c -> sheet.getRow(r).getCell(c)?.cellType != org.apache.poi.ss.usermodel.CellType.FORMULA } }
        first.getCell(header.indexOf('Chinese name')).stringCellValue == '\'=HYPERLINK("http://evil.example","点我")'
        first.getCell(header.indexOf('Original value (RMB)')).numericCellValue == 3200000.01d
        first.getCell(header.indexOf('Purchase date')).localDateTimeCellValue.toLocalDate().toString() == '2012-09-18'

        cleanup:
        wb?.close()
    }

    def "round trip: export → import of the same records changes nothing (CSV, xlsx, zh and en headers, Uniquip)"() {
        given:
        def before = records("EX${f.run}-")

        when:
        def results = [['csv', 'en'], ['xlsx', 'en'], ['csv', 'zh-CN'], ['xlsx', 'zh-CN'], ['uniquip', 'en']].collect { fmt, lang ->
            def file = download("format=${fmt}&q=ex${f.run}-&lang=${lang}".toString())
            def up = upload(file.bytes, "export.${fmt == 'xlsx' ? 'xlsx' : 'csv'}")
            if (up.status != 201) { println "round trip ${fmt}/${lang}: ${up}" }
            def commit = f.send('POST', "/api/v1/instrument-imports/${up.body.id}/commit", f.tokenA)
            [fmt, lang, up.body.rowCount, commit.status, commit.body.created, commit.body.updated, commit.body.unchanged]
        }

        then:
        results.every { it[2] == 3 && it[3] == 200 && it[4] == 0 && it[5] == 0 && it[6] == 3 }
        records("EX${f.run}-") == before
    }

    def "Uniquip: its columns, our fields in them, and a Uniquip file from elsewhere imports with a default value"() {
        when:
        def u = download("format=uniquip&q=ex${f.run}-".toString())
        def table = rows(u.bytes)
        def h = table[0]
        def second = table.find { it[h.indexOf('ID')] == "EX${f.run}-2".toString() }

        then:
        u.bytes[0] != (byte) 0xEF   // plain UTF-8, as Uniquip aggregators read it
        h.take(5) == ['Type', 'Name', 'Description', 'Related Facility ID', 'Technique']
        h.containsAll(['Contact Name', 'Contact Telephone', 'Contact Email', 'Secondary Contact Name', 'Department',
                       'Building', 'Location', 'Institution Name', 'Approximate Coordinates', 'Manufacturer', 'Model'])
        second[h.indexOf('Type')] == 'equipment'
        second[h.indexOf('Name')] == '400 MHz NMR, "Bruker"'
        second[h.indexOf('Department')] == 'NMR lab'
        second[h.indexOf('Secondary Contact Email')] == 'li@donghu.example'
        second[h.indexOf('Approximate Coordinates')] == '30.2636,120.1236'
        second[h.indexOf('Institution Name')] == 'Isolation A'

        when: 'a UK institution\'s Uniquip file'
        String p = "UQ${f.run}-"
        String csv = ImportFiles.csv([['Type', 'Name', 'Description', 'Technique', 'Location', 'Contact Name', 'Contact Email', 'ID',
                                       'Department', 'Building', 'Institution Name', 'Approximate Coordinates'],
                                      ['equipment', 'Confocal microscope', 'Leica SP8', 'Microscopy', 'G.12', 'Dr Jones',
                                       'jones@uni.example.ac.uk', p + '1', 'NMR lab', 'Life Sciences', 'Uni of Example', '50.935,-1.396']])
        def up = upload(csv.getBytes('UTF-8'), 'uniquip.csv')
        def mapped = f.send('PUT', "/api/v1/instrument-imports/${up.body.id}/mapping", f.tokenA,
                json.writeValueAsString([columns: up.body.mapping.columns, defaults: [originalValue: '0', sharingScope: 'public']]))
        def commit = f.send('POST', "/api/v1/instrument-imports/${up.body.id}/commit", f.tokenA)
        def saved = f.send('GET', "/api/v1/instruments?q=${p.toLowerCase()}1", f.tokenA).body.items[0]

        then:
        up.body.mapping.columns == [nameEn: 1, descriptionEn: 2, room: 4, contactName: 5, contactEmail: 6, assetNumber: 7,
                                    orgUnit: 8, building: 9, coordinates: 11]
        mapped.status == 200
        commit.status == 200 && commit.body.created == 1
        saved.nameEn == 'Confocal microscope' && saved.nameZh == 'Confocal microscope'
        saved.orgUnitId == unitId
        saved.latitude == 50.935 && saved.longitude == -1.396
        saved.contacts == [[name: 'Dr Jones', email: 'jones@uni.example.ac.uk']]
    }

    def "tenant B exports none of tenant A's records; private records only for managers"() {
        when:
        def report = IsolationProbe.against("http://localhost:${server.port}", [Authorization: 'Bearer ' + f.tokenB, 'Accept-Language': 'en'])
                .probe('GET', '/api/v1/instruments/export?format=csv&orgUnitId={id}')
                .run([unitId], { records("EX${f.run}-") })
        def b = rows(download("format=csv&q=ex${f.run}-".toString(), f.tokenB).bytes)

        then:
        report.leaks() == []
        !report.dataOfOwnerChanged()
        b.size() == 1   // the header only

        when: 'a plain member of A (no manager role) exports without the private record'
        def user = SharedDevStack.get().identityProvider().server().issueToken("iso-a-${f.run}".toString(), 'client',
                new no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback("iso-a-${f.run}".toString(),
                        "member-${f.run}".toString(), 'JWT', ['labcommons'], [:], 3600)).serialize()
        def plain = rows(download("format=csv&q=ex${f.run}-".toString(), user).bytes)

        then:
        plain*.get(0).drop(1).sort() == ["EX${f.run}-1", "EX${f.run}-3"]*.toString()
    }
}

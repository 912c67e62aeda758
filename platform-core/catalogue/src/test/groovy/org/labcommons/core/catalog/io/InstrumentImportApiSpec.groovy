package org.labcommons.core.catalog.io

import jakarta.inject.Inject
import org.labcommons.core.catalog.TwoTenantSpec
import org.labcommons.core.tenancy.TenantTransactions
import org.labcommons.devstack.SharedDevStack
import org.labcommons.testkit.IsolationProbe

import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.nio.file.Files
import java.time.LocalDate

/**
 * The import wizard's API end to end: upload → suggested mapping → preview → dry run with a
 * per-row report → all-or-nothing commit → re-import changes nothing; the file limits with
 * crafted files; tenant isolation of every step.
 */
class InstrumentImportApiSpec extends TwoTenantSpec {
    @Inject TenantTransactions tenants

    @Override
    void arrangeOnce() {
        assert f.create(f.tokenA, [kind: 'department', code: 'CHEM', nameZh: '化学系', nameEn: 'Chemistry']).status == 201
        assert f.create(f.tokenA, [kind: 'department', code: 'MAT', nameZh: '材料学院', nameEn: 'Materials']).status == 201
    }

    static final List<String> HEADER = ['仪器编号', '仪器名称', '英文名称', '规格型号', '生产厂家', '国别', '原值（元）',
                                        '购置日期', '分类代码', '使用单位', '存放地点', '房间', '状态', '共享范围', '纬度', '经度']

    List<Object> row(String asset, Map more = [:]) {
        def m = [asset: asset, name: '核磁共振波谱仪', en: 'NMR spectrometer', model: 'AVANCE III 400', maker: 'Bruker',
                 country: '瑞士', value: '3,200,000.00', date: '2012/9/18', code: '010601', unit: '化学系',
                 building: '化学楼', room: 'B105', status: '在用', scope: '公开', lat: '30.2636', lon: '120.1236'] + more
        [m.asset, m.name, m.en, m.model, m.maker, m.country, m.value, m.date, m.code, m.unit, m.building, m.room,
         m.status, m.scope, m.lat, m.lon]
    }

    Map upload(byte[] bytes, String name, String token = f.tokenA) {
        uploadImport(bytes, name, token)
    }

    Map step(String method, String path, String token = f.tokenA, String body = null) {
        f.send(method, "/api/v1/instrument-imports${path}", token, body)
    }

    long countOf(String prefix, String token = f.tokenA) {
        f.send('GET', "/api/v1/instruments?q=${prefix.toLowerCase()}&size=1&includeArchived=true", token).body.total as long
    }

    long audits(String action) {
        tenants.inTenant(f.tenantA) { c ->
            c.prepareStatement("select count(*) from audit_event where action = '${action}'").executeQuery().with { next(); getLong(1) }
        } as long
    }

    def "a Chinese register: suggestions, preview, a dry run with row numbers and reasons, a refused commit that writes nothing"() {
        given: 'six rows, five of them bad in different ways'
        String p = "RA${f.run}-"
        def rows = [HEADER, row(p + '001'), row(p + '002', [value: 'abc']), row(p + '003', [code: '019999']),
                    row(p + '001', [name: '重复']), row(p + '005', [unit: '物理系']), row(p + '006', [date: '2012-13-45'])]
        byte[] file = ImportFiles.utf8Bom(ImportFiles.csv(rows))

        when:
        def up = upload(file, '资产清单.csv')

        then: 'the upload knows its format, header and rows, and suggests a column for every header'
        up.status == 201
        up.body.format == 'csv'
        up.body.encoding == 'UTF-8 (BOM)'
        up.body.rowCount == 6
        up.body.header == HEADER
        up.body.mapping.columns == [assetNumber: 0, nameZh: 1, nameEn: 2, model: 3, manufacturer: 4, country: 5,
                                    originalValue: 6, purchaseDate: 7, classification: 8, orgUnit: 9, building: 10,
                                    room: 11, status: 12, sharingScope: 13, latitude: 14, longitude: 15]

        when:
        def mapping = step('GET', "/${up.body.id}/mapping")

        then: 'each column with its samples and the field it feeds; field labels in the caller language'
        mapping.status == 200
        mapping.body.columns[6].header == '原值（元）'
        mapping.body.columns[6].field == 'originalValue'
        mapping.body.columns[6].samples == ['3,200,000.00', 'abc', '3,200,000.00']
        mapping.body.fields.find { it.key == 'purchaseDate' }.label == 'Purchase date'

        when:
        def preview = step('GET', "/${up.body.id}/preview?rows=2")

        then: 'the first rows as they would be stored'
        preview.status == 200
        preview.body.rows*.row == [2, 3]
        preview.body.rows[0].record.originalValueFen == 320_000_000
        preview.body.rows[0].record.countryCode == 'CH'
        preview.body.rows[0].record.purchaseDate == '2012-09-18'
        preview.body.rows[0].record.status == 'in_service'
        preview.body.rows[0].record.sharingScope == 'public'
        preview.body.rows[0].outcome == 'CREATED'
        preview.body.rows[1].problems*.field == ['originalValueFen']

        when:
        def dry = step('POST', "/${up.body.id}/dry-run")

        then: 'every problem with the row number the spreadsheet shows, the field, the column and the reason'
        dry.status == 200
        dry.body.rows == 6
        dry.body.valid == 1
        dry.body.invalid == 5
        !dry.body.written
        dry.body.problems.collect { [it.row, it.field, it.column] } as Set == [
                [3, 'originalValueFen', '原值（元）'], [4, 'classificationCode', '分类代码'], [5, 'assetNumber', '仪器编号'],
                [6, 'orgUnitId', '使用单位'], [7, 'purchaseDate', '购置日期']] as Set
        dry.body.problems.find { it.row == 5 }.message == 'the asset number repeats row 2'
        dry.body.problems.find { it.row == 3 }.message == '"abc" is not a number'
        dry.body.problems.find { it.row == 4 }.message.contains('019999')
        dry.body.problems.find { it.row == 6 }.message.contains('物理系')
        countOf(p) == 0

        when: 'the same report in Chinese'
        def zh = f.http.send(HttpRequest.newBuilder(URI.create("http://localhost:${server.port}/api/v1/instrument-imports/${up.body.id}/dry-run"))
                .header('Authorization', 'Bearer ' + f.tokenA).header('Accept-Language', 'zh-CN')
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString())

        then:
        json.readValue(zh.body(), Map).problems.find { it.row == 3 }.message == '“abc”不是有效的数字'

        when: 'a commit of a file with errors'
        def commit = step('POST', "/${up.body.id}/commit")

        then: 'is refused as a whole: 422 problem+json listing the rows, nothing half-imported, the refusal audited'
        commit.status == 422
        commit.body.code == 'import_has_errors'
        commit.body.errors*.field.containsAll(['rows[3].originalValueFen', 'rows[5].assetNumber'])
        countOf(p) == 0
        audits('instrument_import.refused') >= 1
        audits('instrument_import.dry_run') >= 2
        audits('instrument_import.uploaded') >= 1
    }

    def "fixed file commits all rows; importing it again creates nothing and changes nothing; a changed row is updated"() {
        given:
        String p = "RB${f.run}-"
        def rows = [HEADER] + (1..6).collect { row(p + String.format('%03d', it), [value: '1234.565', unit: it % 2 ? 'CHEM' : '材料学院']) }
        byte[] file = ImportFiles.csv(rows).getBytes('UTF-8')

        when:
        def up = upload(file, 'fixed.csv')
        def dry = step('POST', "/${up.body.id}/dry-run")
        def commit = step('POST', "/${up.body.id}/commit")

        then:
        dry.body.created == 6 && dry.body.invalid == 0
        commit.status == 200
        commit.body.written
        commit.body.created == 6
        countOf(p) == 6
        f.send('GET', "/api/v1/instruments?q=${p.toLowerCase()}001", f.tokenA).body.items[0].originalValueFen == 123457  // HALF_UP
        audits('instrument_import.committed') >= 1

        when: 'the same file again'
        def again = upload(file, 'fixed.csv')
        def second = step('POST', "/${again.body.id}/commit")

        then:
        second.status == 200
        second.body.created == 0
        second.body.updated == 0
        second.body.unchanged == 6
        countOf(p) == 6

        when: 'one row changed'
        rows[3][11] = 'C301'
        def third = upload(ImportFiles.csv(rows).getBytes('UTF-8'), 'fixed.csv')
        def dry3 = step('POST', "/${third.body.id}/dry-run")
        def commit3 = step('POST', "/${third.body.id}/commit")

        then:
        dry3.body.updated == 1 && dry3.body.unchanged == 5
        commit3.body.updated == 1 && commit3.body.unchanged == 5
        f.send('GET', "/api/v1/instruments?q=${p.toLowerCase()}003", f.tokenA).body.items[0].room == 'C301'
    }

    def "a bad contact e-mail is reported on the contact's field and column"() {
        given:
        String p = "RC${f.run}-"
        def rows = [HEADER + ['联系人', '联系邮箱'], row(p + '001') + ['王老师', 'not-an-address']]

        when:
        def up = upload(ImportFiles.csv(rows).getBytes('UTF-8'), 'contacts.csv')
        def dry = step('POST', "/${up.body.id}/dry-run")

        then:
        dry.body.invalid == 1
        dry.body.problems.collect { [it.row, it.field, it.column] } == [[2, 'contacts[0].email', '联系邮箱']]
    }

    def "a row problem shows the offending value as read: in the API's problem list and the refused commit, in English and Chinese"() {
        given:
        String p = "RV${f.run}-"
        def rows = [HEADER + ['联系邮箱'], row(p + '001', [date: '31/02/2019']) + ['x@example.edu.cn'],
                    row(p + '002') + ['not-an-address'], row(p + '003', [name: '', en: '']) + ['']]
        def up = upload(ImportFiles.csv(rows).getBytes('UTF-8'), 'values.csv')

        when:
        def dry = step('POST', "/${up.body.id}/dry-run")
        def date = dry.body.problems.find { it.row == 2 }
        def mail = dry.body.problems.find { it.row == 3 }
        def name = dry.body.problems.find { it.row == 4 && it.field == 'nameZh' }

        then: 'the value as read, and one line with row, column, value and reason'
        date.value == '31/02/2019'
        date.text.startsWith('row 2, “购置日期”: "31/02/2019" is not a date we can read')
        mail.value == 'not-an-address'
        mail.message == 'is not a valid e-mail address'
        mail.text == 'row 3, “联系邮箱”: “not-an-address” – is not a valid e-mail address'
        !name.value   // blank (empty values are left out of the JSON)
        name.text == 'row 4, “仪器名称” (blank): must not be blank'

        when: 'the refused commit lists the same lines'
        def commit = step('POST', "/${up.body.id}/commit")

        then:
        commit.status == 422
        commit.body.errors.find { it.field == 'rows[3].contacts[0].email' }.message == mail.text

        when: 'in Chinese'
        def zh = f.http.send(HttpRequest.newBuilder(URI.create("http://localhost:${server.port}/api/v1/instrument-imports/${up.body.id}/dry-run"))
                .header('Authorization', 'Bearer ' + f.tokenA).header('Accept-Language', 'zh-CN')
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString())

        then:
        json.readValue(zh.body(), Map).problems.find { it.row == 3 }.text == '第 3 行“联系邮箱”：“not-an-address”——不是有效的电子邮件地址'
    }

    def "a contact with a phone or an e-mail but no name is imported; a contact with none of them is still refused"() {
        given:
        String p = "RN${f.run}-"
        def rows = [HEADER + ['联系人', '联系电话', '联系邮箱'], row(p + '001') + ['', '0571-87951234', ''],
                    row(p + '002') + ['\u00A0', '', 'nmr-lab@example.edu.cn']]

        when:
        def up = upload(ImportFiles.csv(rows).getBytes('UTF-8'), 'nameless.csv')
        def commit = step('POST', "/${up.body.id}/commit")
        def first = f.send('GET', "/api/v1/instruments/${f.send('GET', "/api/v1/instruments?q=${p.toLowerCase()}001", f.tokenA).body.items[0].id}", f.tokenA).body
        def second = f.send('GET', "/api/v1/instruments/${f.send('GET', "/api/v1/instruments?q=${p.toLowerCase()}002", f.tokenA).body.items[0].id}", f.tokenA).body

        then:
        commit.status == 200
        commit.body.created == 2
        first.contacts.size() == 1 && first.contacts[0].name == null && first.contacts[0].phone == '0571-87951234'
        second.contacts.size() == 1 && second.contacts[0].name == null && second.contacts[0].email == 'nmr-lab@example.edu.cn'

        when: 'through the API: a contact with only a role, and one with only a phone'
        def none = f.send('POST', '/api/v1/instruments', f.tokenA, json.writeValueAsString(
                org.labcommons.core.catalog.InstrumentApiSpec.nmr(p + '003', [contacts: [[role: 'technician']]])))
        def phone = f.send('POST', '/api/v1/instruments', f.tokenA, json.writeValueAsString(
                org.labcommons.core.catalog.InstrumentApiSpec.nmr(p + '004', [contacts: [[phone: '0571-87951234']]])))

        then:
        none.status == 400
        none.body.errors*.field == ['contacts[0].name']
        none.body.errors[0].message == 'a contact needs a name, a phone number or an e-mail address'
        phone.status == 201
        phone.body.contacts[0].name == null
    }

    def "a Western CSV: the mapping step names the encoding detected; choosing another reads the file again"() {
        given:
        String p = "RW${f.run}-"
        byte[] file = ImportFiles.csv([['Asset number', 'Name', 'Contact name'], [p + '1', 'NMR spectrometer', 'Prof. Jürgen Müller'],
                                       [p + '2', 'Powder diffractometer', 'Dr Siobhán O’Brien']]).getBytes('windows-1252')

        when:
        def up = upload(file, 'western.csv')
        def mapping = step('GET', "/${up.body.id}/mapping")

        then:
        up.body.encoding == 'windows-1252'
        mapping.body.encoding == 'windows-1252'
        mapping.body.encodings == ['UTF-8', 'UTF-16LE', 'UTF-16BE', 'GB18030', 'Big5', 'windows-1252', 'x-MacRoman']
        mapping.body.columns[2].samples == ['Prof. Jürgen Müller', 'Dr Siobhán O’Brien']

        when: 'the user chooses Mac Roman'
        def mac = step('PUT', "/${up.body.id}/encoding", f.tokenA, json.writeValueAsString([encoding: 'x-MacRoman']))

        then: 'the file is read again in it, and every later step reads it so'
        mac.status == 200
        mac.body.encoding == 'x-MacRoman'
        mac.body.columns[2].samples[0] == 'Prof. J¸rgen M¸ller'
        step('GET', "/${up.body.id}").body.encoding == 'x-MacRoman'
        step('GET', "/${up.body.id}/preview").body.rows[0].record.contacts[0].name == 'Prof. J¸rgen M¸ller'
        audits('instrument_import.encoding_chosen') >= 1

        when: 'and back'
        def back = step('PUT', "/${up.body.id}/encoding", f.tokenA, json.writeValueAsString([encoding: 'windows-1252']))

        then:
        back.body.columns[2].samples == ['Prof. Jürgen Müller', 'Dr Siobhán O’Brien']
        back.body.mapping.columns == [assetNumber: 0, nameEn: 1, contactName: 2]
        step('GET', "/${up.body.id}/preview").body.rows[1].record.contacts[0].name == 'Dr Siobhán O’Brien'

        when: 'an encoding not offered, and a workbook (which says its own encoding)'
        def bad = step('PUT', "/${up.body.id}/encoding", f.tokenA, json.writeValueAsString([encoding: 'EBCDIC']))
        def book = upload(ImportFiles.xlsx([['Asset number', 'Name'], [p + '9', 'x']]), 'book.xlsx')
        def bookChoice = step('PUT', "/${book.body.id}/encoding", f.tokenA, json.writeValueAsString([encoding: 'UTF-8']))

        then:
        bad.status == 400 && bad.body.errors*.field == ['encoding']
        bookChoice.status == 400 && bookChoice.body.errors*.code == ['not_applicable']
        !step('GET', "/${book.body.id}/mapping").body.encodings   // empty, so left out of the JSON
        step('PUT', "/${up.body.id}/encoding", f.tokenB, json.writeValueAsString([encoding: 'UTF-8'])).status == 404
    }

    def "the UK sample register (Uniquip, Mac Roman, nameless contacts, no-break spaces) reads right and every row checks valid"() {
        given:
        byte[] file = Files.readAllBytes(java.nio.file.Path.of('src/main/resources/static/samples/northfield-university-equipment-uniquip.csv'))
        List<String> h = UniquipRegisterGenerator.HEADER

        when:
        def up = upload(file, 'northfield-university-equipment-uniquip.csv')

        then:
        up.status == 201
        up.body.encoding == 'x-MacRoman'
        up.body.rowCount == 623
        up.body.mapping.columns.contactName == h.indexOf('Contact Name')
        up.body.mapping.columns.contactEmail == h.indexOf('Contact Email')

        when: 'its Web Address stands in for the asset number here (generated asset numbers are a step of their own)'
        def columns = new LinkedHashMap(up.body.mapping.columns)
        columns.remove('orgUnit')
        columns.assetNumber = h.indexOf('Web Address')
        def mapped = step('PUT', "/${up.body.id}/mapping", f.tokenA, json.writeValueAsString([columns: columns, defaults: [originalValue: '0']]))
        def preview = step('GET', "/${up.body.id}/preview?rows=60")
        def dry = step('POST', "/${up.body.id}/dry-run")

        then:
        mapped.status == 200
        !dry.body.problems
        dry.body.invalid == 0
        dry.body.valid == 623
        preview.body.rows.any { it.record.contacts[0].name == 'Prof. Jürgen Müller' && it.record.contacts[0].email == 'jurgen.muller@northfield.ac.uk' }
        preview.body.rows.any { it.record.contacts[0].name == 'Dr Siobhán O’Brien' }
        preview.body.rows.any { it.record.contacts[0].name == null && it.record.contacts[0].email }
        preview.body.rows.every { !it.record.nameEn.contains('\u00A0') }
    }

    def "GBK CSV with tab separators, and an .xlsx with 万元, Excel dates and serials, formulas read as their cached text"() {
        given:
        String p = "RC${f.run}-"
        String gbk = ImportFiles.csv([['资产编号', '设备名称', '金额(元)', '购买日期', '使用状态'],
                                      [p + 'G1', '扫描电子显微镜', '1500000', '2015年3月1日', '维修'],
                                      [p + 'G2', 'X射线衍射仪', '800000.5', '20160102', '闲置']], '\t')
        byte[] xlsx = ImportFiles.xlsx([
                ['仪器编号', '仪器名称', '英文名称', '原值（万元）', '购置日期', '分类代码', '备注'],
                [p + 'X1', '透射电子显微镜', 'TEM', 320.5, LocalDate.of(2012, 9, 18), '010101', 'x'],
                [p + 'X2', { c, wb -> c.cellFormula = 'CONCATENATE("原子力","显微镜")'; c.setCellValue('原子力显微镜') }, 'AFM',
                 { c, wb -> c.cellFormula = '100+1'; c.setCellValue(42d) }, 41170, '010801',
                 { c, wb -> c.cellFormula = 'HYPERLINK("http://evil.example","x")'; c.setCellValue('=cmd|calc') }]])

        when:
        def g = upload(gbk.getBytes('GBK'), 'gbk.csv')
        def gc = step('POST', "/${g.body.id}/commit")

        then:
        g.body.encoding == 'GB18030'
        g.body.separator == '\t'
        gc.status == 200 && gc.body.created == 2
        f.send('GET', "/api/v1/instruments?q=${p.toLowerCase()}g2", f.tokenA).body.items[0].with {
            it.nameZh == 'X射线衍射仪' && it.nameEn == 'X射线衍射仪' && it.originalValueFen == 80_000_050 &&
                    it.purchaseDate == '2016-01-02' && it.status == 'idle'
        }

        when:
        def x = upload(xlsx, 'register.xlsx')
        def xc = step('POST', "/${x.body.id}/commit")
        def x1 = f.send('GET', "/api/v1/instruments?q=${p.toLowerCase()}x1", f.tokenA).body.items[0]
        def x2 = f.send('GET', "/api/v1/instruments?q=${p.toLowerCase()}x2", f.tokenA).body.items[0]

        then: 'the formula cells gave their cached values (101 would mean evaluation)'
        x.body.format == 'xlsx'
        x.body.mapping.columns.originalValueWan == 3
        xc.status == 200 && xc.body.created == 2
        x1.originalValueFen == 320_500_000
        x1.purchaseDate == '2012-09-18'
        x2.nameZh == '原子力显微镜'
        x2.originalValueFen == 42_000_000   // 42 万元, the cached value
        x2.purchaseDate == '2012-09-18'
    }

    def "limits, each with a crafted file: size, rows, columns, cell length, zip bomb, external entities, old .xls"() {
        given:
        def secret = Files.createTempFile('secret', '.txt')
        Files.writeString(secret, 'TOP-SECRET-' + f.run)
        byte[] base = ImportFiles.xlsx([['仪器编号', '仪器名称'], ['A', 'B']])
        String sheet = ImportFiles.entry(base, 'xl/worksheets/sheet1.xml')
        String xxeSheet = sheet.replaceFirst('<\\?xml[^>]*\\?>', '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
                "<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM \"file://${secret}\">]>")
                .replace('<sheetData>', '<sheetData><row r="5"><c r="A5" t="inlineStr"><is><t>&xxe;</t></is></c></row>')
        byte[] xxe = ImportFiles.replaceEntry(base, 'xl/worksheets/sheet1.xml', xxeSheet.getBytes('UTF-8'))
        byte[] bomb = ImportFiles.replaceEntry(base, 'xl/worksheets/sheet1.xml',
                (sheet.replace('</worksheet>', '') + (' ' * (60 * 1024 * 1024)) + '</worksheet>').getBytes('UTF-8'))

        expect:
        bomb.length < 200_000

        when:
        def big = upload(new byte[17 * 1024 * 1024], 'big.csv')
        def rows = upload(('a\n' + ('1\n' * 50_001)).getBytes('UTF-8'), 'rows.csv')
        def cols = upload(((0..200).collect { "c$it" }.join(',') + '\n').getBytes('UTF-8'), 'cols.csv')
        def cell = upload(("a\n" + ('x' * 32_768) + "\n").getBytes('UTF-8'), 'cell.csv')
        def zipBomb = upload(bomb, 'bomb.xlsx')
        def entities = upload(xxe, 'xxe.xlsx')
        def xls = upload([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0] as byte[], 'old.xls')

        then:
        big.status == 413 && big.body.errors*.code == ['too_large'] && big.type.startsWith('application/problem+json')
        rows.status == 400 && rows.body.errors*.code == ['too_many_rows']
        cols.status == 400 && cols.body.errors*.code == ['too_many_columns']
        cell.status == 400 && cell.body.errors*.code == ['cell_too_long']
        zipBomb.status == 400 && zipBomb.body.errors*.code == ['zip_bomb']
        entities.status == 400 && entities.body.errors*.code == ['xml_doctype']
        !entities.text.contains('TOP-SECRET')
        xls.status == 400 && xls.body.errors*.code == ['old_or_encrypted']

        and: 'even past our own check, POI parser would not resolve the entity'
        poiResolves(xxeSheet) == false

        cleanup:
        Files.deleteIfExists(secret)
    }

    static boolean poiResolves(String xml) {
        def reader = org.apache.poi.util.XMLHelper.newXMLReader()
        def seen = new StringBuilder()
        reader.setContentHandler(new org.xml.sax.helpers.DefaultHandler() {
            void characters(char[] ch, int s, int l) { seen.append(ch, s, l) }
        })
        try {
            reader.parse(new org.xml.sax.InputSource(new StringReader(xml)))
        } catch (Exception e) {
            return false
        }
        seen.toString().contains('TOP-SECRET')
    }

    def "mapping: an explicit mapping replaces the suggestion; bad fields or columns are field problems; defaults fill new records"() {
        given:
        String p = "RD${f.run}-"
        byte[] file = ImportFiles.csv([['Code', 'Title', 'Dept'], [p + '1', 'Rheometer', 'MAT']]).getBytes('UTF-8')
        def up = upload(file, 'plain.csv')

        expect: 'nothing suggested for unknown headers; a dry run without the asset number mapped is a field problem'
        !up.body.mapping.columns
        step('POST', "/${up.body.id}/dry-run").body.errors*.field == ['columns.assetNumber']

        when:
        def bad = step('PUT', "/${up.body.id}/mapping", f.tokenA, json.writeValueAsString(
                [columns: [assetNumber: 0, nonsense: 1, nameEn: 9], defaults: [:]]))

        then:
        bad.status == 400
        bad.body.errors*.field as Set == ['columns.nonsense', 'columns.nameEn'] as Set

        when:
        def ok = step('PUT', "/${up.body.id}/mapping", f.tokenA, json.writeValueAsString(
                [columns: [assetNumber: 0, nameEn: 1, orgUnit: 2], defaults: [originalValue: '150000', sharingScope: '本单位']]))
        def commit = step('POST', "/${up.body.id}/commit")
        def saved = f.send('GET', "/api/v1/instruments?q=${p.toLowerCase()}1", f.tokenA).body.items[0]

        then:
        ok.status == 200
        ok.body.columns*.field == ['assetNumber', 'nameEn', 'orgUnit']
        commit.status == 200 && commit.body.created == 1
        saved.nameZh == 'Rheometer'
        saved.originalValueFen == 15_000_000
        saved.sharingScope == 'tenant'
        saved.orgUnitId != null
    }

    def "tenant B can neither see, map, re-read, preview, dry-run, commit nor download the problems of tenant A's uploads"() {
        given:
        String p = "RI${f.run}-"
        def up1 = upload(ImportFiles.csv([HEADER, row(p + '1')]).getBytes('UTF-8'), 'iso.csv').body
        def up2 = upload(ImportFiles.csv([HEADER, row(p + '2')]).getBytes('UTF-8'), 'iso2.csv').body
        def snapshot = { [step('GET', "/${up1.id}").body.status, step('GET', "/${up2.id}").body.status,
                          step('GET', "/${up1.id}/mapping").body.mapping, step('GET', "/${up1.id}/mapping").body.encoding,
                          countOf(p)] }

        when:
        def report = IsolationProbe.against("http://localhost:${server.port}", [Authorization: 'Bearer ' + f.tokenB, 'Accept-Language': 'en'])
                .probe('GET', '/api/v1/instrument-imports/{id}')
                .probe('GET', '/api/v1/instrument-imports/{id}/mapping')
                .probe('PUT', '/api/v1/instrument-imports/{id}/mapping', '{"columns":{"assetNumber":0,"nameZh":1},"defaults":{}}')
                .probe('PUT', '/api/v1/instrument-imports/{id}/encoding', '{"encoding":"x-MacRoman"}')
                .probe('GET', '/api/v1/instrument-imports/{id}/preview')
                .probe('POST', '/api/v1/instrument-imports/{id}/dry-run')
                .probe('POST', '/api/v1/instrument-imports/{id}/commit')
                .probe('POST', '/api/v1/instrument-imports/{id}/commit?validOnly=true')
                .probe('GET', '/api/v1/instrument-imports/{id}/problems')
                .run([up1.id as String, up2.id as String], snapshot)
        println "isolation probe (instrument imports): ${report.probesMade()} probes, ${report.leaks().size()} leaks"

        then:
        report.leaks() == []
        !report.dataOfOwnerChanged()
        report.outcomes().every { it.foreignStatus() == 404 }
        countOf(p) == 0

        when: 'a caller without a manager role in the tenant may not import at all'
        def user = SharedDevStack.get().identityProvider().server().issueToken("iso-a-${f.run}".toString(), 'client',
                new no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback("iso-a-${f.run}".toString(),
                        "plain-${f.run}".toString(), 'JWT', ['labcommons'], [:], 3600)).serialize()
        def refused = upload(ImportFiles.csv([HEADER, row(p + '3')]).getBytes('UTF-8'), 'x.csv', user)

        then:
        refused.status == 403
    }
}

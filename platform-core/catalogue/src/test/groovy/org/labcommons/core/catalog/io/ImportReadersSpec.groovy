package org.labcommons.core.catalog.io

import spock.lang.Specification
import spock.lang.Tag

import java.time.LocalDate

/** The readers and cell parsers without a server: encodings, separators, formulas, dates, money. */
@Tag('fast')
class ImportReadersSpec extends Specification {

    static List<List<String>> rows(byte[] bytes, ImportLimits limits = ImportLimits.defaults()) {
        def out = []
        Spreadsheets.read(bytes, limits) { int n, List<String> cells -> out << ([n.toString()] + cells); true }
        out
    }

    static final String TEXT = ImportFiles.csv([['仪器编号', '仪器名称'], ['A-1', '核磁共振波谱仪'], ['A-2', '透射电镜']])

    def "CSV encodings are detected: UTF-8 with and without BOM, GB18030/GBK as Chinese Excel saves it"() {
        expect:
        Spreadsheets.read(bytes, ImportLimits.defaults()) { n, c -> true }.encoding() == encoding
        rows(bytes)[1] == ['2', 'A-1', '核磁共振波谱仪']
        rows(bytes)[2][2] == '透射电镜'

        where:
        bytes                                    | encoding
        ImportFiles.utf8Bom(TEXT)                | 'UTF-8 (BOM)'
        TEXT.getBytes('UTF-8')                   | 'UTF-8'
        TEXT.getBytes(ImportFiles.GB18030)       | 'GB18030'
        TEXT.getBytes('GBK')                     | 'GB18030'
    }

    static final String WESTERN = ImportFiles.csv([['Name', 'Contact Name', 'Contact Email'],
                                                   ['NMR spectrometer', 'Prof. Jürgen Müller', 'j.muller@northfield.ac.uk'],
                                                   ['Powder diffractometer', 'Dr Siobhán O’Brien', 'xrd@northfield.ac.uk'],
                                                   ['Confocal microscope', 'Dr Zoë Clarke', 'z.clarke@northfield.ac.uk']])
    static final String TRADITIONAL = ImportFiles.csv([['儀器編號', '儀器名稱', '所屬單位'], ['A-1', '核磁共振波譜儀', '化學系'],
                                                       ['A-2', '穿透式電子顯微鏡', '材料學院']])

    static byte[] withBom(List<Integer> bom, byte[] text) {
        def out = new ByteArrayOutputStream()
        bom.each { out.write(it) }
        out.write(text)
        out.toByteArray()
    }

    def "Western and Chinese CSV encodings are told apart from the bytes: windows-1252, Mac Roman, Big5, UTF-16 with a BOM"() {
        when:
        def detected = Spreadsheets.read(bytes, ImportLimits.defaults()) { n, c -> true }
        def table = rows(bytes)

        then:
        detected.encoding() == encoding
        table[1][2] == second
        table[2][2] == third

        where:
        bytes                                          | encoding          | second                | third
        WESTERN.getBytes('windows-1252')               | 'windows-1252'    | 'Prof. Jürgen Müller' | 'Dr Siobhán O’Brien'
        WESTERN.getBytes('x-MacRoman')                 | 'x-MacRoman'      | 'Prof. Jürgen Müller' | 'Dr Siobhán O’Brien'
        TRADITIONAL.getBytes('Big5')                   | 'Big5'            | '核磁共振波譜儀'        | '穿透式電子顯微鏡'
        withBom([0xFF, 0xFE], WESTERN.getBytes('UTF-16LE')) | 'UTF-16LE (BOM)' | 'Prof. Jürgen Müller' | 'Dr Siobhán O’Brien'
        withBom([0xFE, 0xFF], WESTERN.getBytes('UTF-16BE')) | 'UTF-16BE (BOM)' | 'Prof. Jürgen Müller' | 'Dr Siobhán O’Brien'
    }

    def "a chosen encoding overrides the detected one (and a name the reader does not offer is ignored)"() {
        given:
        byte[] mac = WESTERN.getBytes('x-MacRoman')
        def read = { String encoding ->
            def out = []
            def d = Spreadsheets.read(mac, ImportLimits.defaults(), encoding) { int n, List<String> c -> out << c; true }
            [d.encoding(), out[1][1]]
        }

        expect:
        read('windows-1252') == ['windows-1252', 'Prof. JŸrgen MŸller']
        read('x-MacRoman') == ['x-MacRoman', 'Prof. Jürgen Müller']
        read('EBCDIC') == ['x-MacRoman', 'Prof. Jürgen Müller']
        TextEncodings.supported('UTF-8 (BOM)').get().name() == 'UTF-8'
        TextEncodings.SUPPORTED.every { TextEncodings.supported(it).isPresent() }
    }

    def "invisible characters around values are trimmed in CSV and .xlsx cells; inside a value they stay"() {
        given:
        String cell = invisible + 'Jürgen Müller' + invisible
        String inside = 'a' + invisible + 'b'

        expect:
        rows(ImportFiles.csv([['Name', 'Other'], [cell, inside]]).getBytes('UTF-8'))[1] == ['2', 'Jürgen Müller', inside]
        rows(ImportFiles.xlsx([['Name', 'Other'], [cell, inside]]))[1] == ['2', 'Jürgen Müller', inside]

        where:
        invisible << ['\u00A0', '\u202F', '\u2007', '\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u3000',
                      ' \u00A0\u200B\t']
    }

    def "a row of nothing but invisible characters is a blank row"() {
        expect:
        rows('a,b\n1,2\n\u00A0,\u200B\n3,4\n'.getBytes('UTF-8'))*.get(0) == ['1', '2', '4']
    }

    def "tab and semicolon separators; quoted cells with separators, quotes and line breaks; blank lines skipped"() {
        expect:
        rows('编号\t名称\nA-1\t"说明, 含逗号"\n\nA-2\tx\n'.getBytes('UTF-8'))*.drop(1) == [['编号', '名称'], ['A-1', '说明, 含逗号'], ['A-2', 'x']]
        rows('a;b\n1;"x;""y""\nz"\n'.getBytes('UTF-8'))[1] == ['2', '1', 'x;"y"\nz']
        rows('a;b\n1;"x;""y""\nz"\n'.getBytes('UTF-8'))[0] == ['1', 'a', 'b']
    }

    def "xlsx: cached values only (a formula is never evaluated), dates as ISO, numbers as written, row numbers as Excel shows them"() {
        given:
        byte[] x = ImportFiles.xlsx([
                ['编号', '名称', '原值', '日期', '公式'],
                null,
                ['X-1', { c, wb -> c.cellFormula = 'CONCATENATE("a","b")'; c.setCellValue('缓存文本') }, 1234.5,
                 LocalDate.of(2012, 9, 18), { c, wb -> c.cellFormula = '1+1'; c.setCellValue(3d) }]].collect { it ?: [] })

        when:
        def r = rows(x)

        then:
        r[0] == ['1', '编号', '名称', '原值', '日期', '公式']
        r[1] == ['3', 'X-1', '缓存文本', '1234.5', '2012-09-18', '3']
    }

    def "a streamed (SXSSF) workbook, as our export writes it, reads back"() {
        given:
        def wb = new org.apache.poi.xssf.streaming.SXSSFWorkbook(10)
        def sheet = wb.createSheet('x')
        sheet.createRow(0).createCell(0).setCellValue('仪器编号')
        sheet.createRow(1).createCell(0).setCellValue('A-1')
        def out = new ByteArrayOutputStream()
        wb.write(out)
        wb.close()

        expect:
        rows(out.toByteArray()) == [['1', '仪器编号'], ['2', 'A-1']]
    }

    def "the dev sample register (static/samples): 200 instruments of a new university, 4 bad rows"() {
        given:
        def path = java.nio.file.Path.of('src/main/resources/static/samples/xinan-university-instruments.xlsx')
        if (System.getProperty('labcommons.write-sample')) {
            java.nio.file.Files.createDirectories(path.parent)
            java.nio.file.Files.write(path, RegisterGenerator.sample())
        }

        when:
        def table = rows(java.nio.file.Files.readAllBytes(path))

        then:
        table.size() == 201
        table[0].drop(1) == RegisterGenerator.HEADER_WITHOUT_UNITS
        table[1][2] == 'XN2026-000001'
        table.count { it[8] == '约120万' } == 1
    }

    def "the UK sample register (static/samples): Uniquip columns, 623 rows, Mac Roman bytes read as the names they are"() {
        given:
        def path = java.nio.file.Path.of('src/main/resources/static/samples/northfield-university-equipment-uniquip.csv')
        if (System.getProperty('labcommons.write-uk-sample')) {
            java.nio.file.Files.write(path, UniquipRegisterGenerator.sample())
        }
        byte[] bytes = java.nio.file.Files.readAllBytes(path)

        when:
        def detected = Spreadsheets.read(bytes, ImportLimits.defaults()) { n, c -> true }
        def table = rows(bytes)
        int name = UniquipRegisterGenerator.HEADER.indexOf('Contact Name') + 1
        int email = UniquipRegisterGenerator.HEADER.indexOf('Contact Email') + 1
        int phone = UniquipRegisterGenerator.HEADER.indexOf('Contact Telephone') + 1

        then: 'the committed file is what the generator writes'
        bytes == UniquipRegisterGenerator.sample()

        and: 'read as Mac Roman: the names are right, no value keeps a no-break space'
        detected.encoding() == 'x-MacRoman'
        table.size() == 624
        table[0].drop(1) == UniquipRegisterGenerator.HEADER
        table.any { it[name] == 'Prof. Jürgen Müller' }
        table.any { it[name] == 'Dr Siobhán O’Brien' }
        table.drop(1).every { r -> r.drop(1).every { !it.startsWith('\u00A0') && !it.endsWith('\u00A0') } }
        table.drop(1).every { it[email] ==~ /[a-z.\-]*@northfield\.ac\.uk|/ }

        and: 'rows with a phone or e-mail but no contact name, no asset-number column'
        table.drop(1).count { it[name] == '' && it[phone] != '' } >= 30
        !table[0].any { ImportField.suggest(it).map { f -> f == ImportField.ASSET_NUMBER }.orElse(false) }
    }

    def "money: yuan to fen HALF_UP; 万元; dates in register formats and Excel serials; labels in Chinese and English"() {
        expect:
        CellValues.yuanToFen('1,234.565').get() == 123457L
        CellValues.yuanToFen('¥0.005').get() == 1L
        CellValues.wanYuanToFen('32.5').get() == 32_500_000L
        CellValues.yuanToFen('abc').isEmpty()
        CellValues.date(text).get() == LocalDate.of(2012, 9, 18)
        CellValues.status('在用').get() == 'in_service'
        CellValues.status('under repair').get() == 'under_repair'
        CellValues.scope('公开').get() == 'public'
        CellValues.country('德国').get() == 'DE'
        CellValues.country('Switzerland').get() == 'CH'
        CellValues.flag('是').get()
        !CellValues.flag('No').get()

        where:
        text << ['2012-09-18', '2012/9/18', '2012.9.18', '2012年9月18日', '20120918', '41170', '2012-09-18 10:00:00']
    }

    def "header synonyms suggest fields (Chinese, English, Uniquip); 万元 headers are values in 10,000 yuan"() {
        expect:
        ImportField.suggest(header).map { it.key() }.orElse(null) == field

        where:
        header              | field
        '仪器编号'            | 'assetNumber'
        '资产编号*'           | 'assetNumber'
        '仪器名称'            | 'nameZh'
        '规格型号'            | 'model'
        '制造商'              | 'manufacturer'
        '产地'               | 'country'
        '原值（元）'          | 'originalValue'
        '金额'               | 'originalValue'
        '原值（万元）'        | 'originalValueWan'
        '购买日期'            | 'purchaseDate'
        '仪器分类'            | 'classification'
        '使用单位'            | 'orgUnit'
        '存放地点'            | 'building'
        '状态'               | 'status'
        'Asset number'      | 'assetNumber'
        'Name'              | 'nameEn'
        'Contact Email'     | 'contactEmail'
        'Approximate Coordinates' | 'coordinates'
        '计量单位'            | null
    }

    def "the formula neutralisation of the export is undone by the import (and only that)"() {
        expect:
        CellValues.neutralise(v) == out
        CellValues.unneutralise(out) == v

        where:
        v                 | out
        '=HYPERLINK("x")' | "'=HYPERLINK(\"x\")"
        '+1'              | "'+1"
        '-2'              | "'-2"
        '@SUM(A1)'        | "'@SUM(A1)"
        '\tx'             | "'\tx"
        '\rx'             | "'\rx"
        "'quoted"         | "'quoted"
        'plain'           | 'plain'
    }

    def "limits: rows, columns and cell length are refused while reading"() {
        given:
        def limits = new ImportLimits(maxRows: 3, maxColumns: 4, maxCellChars: 10)

        when:
        rows("a\n1\n2\n3\n4\n".getBytes('UTF-8'), limits)
        then:
        def e1 = thrown(SpreadsheetException)
        e1.code() == 'too_many_rows'

        when:
        rows("a,b,c,d,e\n".getBytes('UTF-8'), limits)
        then:
        def e2 = thrown(SpreadsheetException)
        e2.code() == 'too_many_columns'

        when:
        rows("a\n${'x' * 11}\n".toString().getBytes('UTF-8'), limits)
        then:
        def e3 = thrown(SpreadsheetException)
        e3.code() == 'cell_too_long'

        when:
        rows(ImportFiles.xlsx([['a'], ['x' * 11]]), limits)
        then:
        def e4 = thrown(SpreadsheetException)
        e4.code() == 'cell_too_long'
    }
}

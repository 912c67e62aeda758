package org.labcommons.core.billing.closing

import org.apache.poi.xssf.usermodel.XSSFWorkbook
import spock.lang.Specification

import java.nio.charset.StandardCharsets
import java.util.zip.ZipInputStream

/** The finance file's bytes: column order, sorting, quoting, yuan with two decimals, BOM and CRLF; the xlsx is the same bytes every time and opens in POI. */
class FinanceFilesSpec extends Specification {
    List<FinanceFiles.Row> rows = [
            new FinanceFiles.Row('FIN-2', 'G-9', '横向课题, 化学院 "甲"', 5L, '1122.payer.b'),
            new FinanceFiles.Row('FIN-1', 'G-1', '=cmd', 123_456L, '1122.payer.a'),
            new FinanceFiles.Row('FIN-1', 'G-1', '青年项目', -100L, '1122.payer.0')]

    def "the CSV: BOM, fixed columns, CRLF, sorted rows, quoted fields, formulas defused, exact yuan"() {
        when:
        byte[] csv = FinanceFiles.csv(rows)

        then:
        csv[0..2] == [(byte) 0xEF, (byte) 0xBB, (byte) 0xBF]
        new String(csv, 3, csv.length - 3, StandardCharsets.UTF_8) ==
                'finance_code,grant_code,name,amount_fen,amount_yuan\r\n' +
                'FIN-1,G-1,青年项目,-100,-1.00\r\n' +
                "FIN-1,G-1,'=cmd,123456,1234.56\r\n" +
                'FIN-2,G-9,"横向课题, 化学院 ""甲""",5,0.05\r\n'
        FinanceFiles.csv(rows.reverse()) == csv
        FinanceFiles.sha256(csv) ==~ /[0-9a-f]{64}/
    }

    def "the xlsx is deterministic (fixed zip times, no properties) and reads back"() {
        when:
        byte[] a = FinanceFiles.xlsx(rows)
        byte[] b = FinanceFiles.xlsx(rows.reverse())
        def times = []
        new ZipInputStream(new ByteArrayInputStream(a)).withCloseable { z ->
            for (def e = z.nextEntry; e != null; e = z.nextEntry) { times << e.timeLocal.toString() }
        }
        def sheet = new XSSFWorkbook(new ByteArrayInputStream(a)).getSheetAt(0)

        then:
        a == b
        times.toSet() == ['1980-01-01T00:00'] as Set
        (0..4).collect { sheet.getRow(0).getCell(it).stringCellValue } == FinanceFiles.COLUMNS
        sheet.getRow(2).getCell(0).stringCellValue == 'FIN-1'
        sheet.getRow(2).getCell(3).numericCellValue == 123_456d
        sheet.getRow(2).getCell(4).stringCellValue == '1234.56'
        sheet.getRow(3).getCell(2).stringCellValue == '横向课题, 化学院 "甲"'
        sheet.lastRowNum == 3
    }

    def "yuan are exact with two decimals"() {
        expect:
        FinanceFiles.yuan(fen) == text

        where:
        fen                        | text
        0L                         | '0.00'
        1L                         | '0.01'
        -5L                        | '-0.05'
        123_456L                   | '1234.56'
        Long.MAX_VALUE             | '92233720368547758.07'
    }
}

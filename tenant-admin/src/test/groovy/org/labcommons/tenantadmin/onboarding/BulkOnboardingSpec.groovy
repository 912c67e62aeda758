package org.labcommons.tenantadmin.onboarding

import io.micronaut.json.JsonMapper
import jakarta.inject.Inject
import org.apache.poi.xssf.usermodel.XSSFWorkbook
import org.labcommons.testkit.PlatformSpec
import spock.lang.Shared

import java.nio.charset.Charset
import java.util.zip.ZipEntry
import java.util.zip.ZipOutputStream

/**
 * Bulk onboarding from .xlsx and CSV: the form's validation per row plus checks across rows,
 * a dry run with a per-row report, and an all-or-nothing commit.
 */
class BulkOnboardingSpec extends PlatformSpec {
    static final String CSV = 'text/csv'
    static final String XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
    static final List<String> HEADER = ['slug', 'name_zh', 'name_en', 'region_code', 'time_zone', 'contact_name',
                                        'contact_email', 'language', 'issuer_url', 'client_id', 'admin_emails']

    @Inject JsonMapper json
    @Shared NetworkFixture f

    def setup() {
        if (f == null) {
            f = new NetworkFixture(ctx)
        }
    }

    List<String> row(String slug, Map more = [:]) {
        def values = [slug: slug, name_zh: "${slug}大学".toString(), name_en: "University ${slug}".toString(), region_code: '330100',
                      time_zone: 'Asia/Shanghai', contact_name: '李老师', contact_email: "c@${slug}.example".toString(), language: 'zh-CN',
                      issuer_url: f.issuer("sso-${slug}"), client_id: 'labcommons', admin_emails: "a@${slug}.example; b@${slug}.example".toString()] + more
        HEADER.collect { values[it] as String }
    }

    static byte[] csv(List<List<String>> rows, Charset charset = Charset.forName('UTF-8'), boolean bom = false) {
        String text = rows.collect { r -> r.collect { v -> v == null ? '' : (v.contains(',') || v.contains('"') ? '"' + v.replace('"', '""') + '"' : v) }.join(',') }.join('\r\n')
        def out = new ByteArrayOutputStream()
        if (bom) { out.write([0xEF, 0xBB, 0xBF] as byte[]) }
        out.write(text.getBytes(charset))
        out.toByteArray()
    }

    static byte[] xlsx(List<List<Object>> rows) {
        def book = new XSSFWorkbook()
        def sheet = book.createSheet('members')
        rows.eachWithIndex { List<Object> r, int i ->
            def row = sheet.createRow(i)
            r.eachWithIndex { Object v, int j ->
                def cell = row.createCell(j)
                if (v instanceof Number) { cell.setCellValue(v as double) }
                else if (v instanceof String && v.startsWith('=')) { cell.setCellFormula(v.substring(1)) }
                else if (v != null) { cell.setCellValue(v as String) }
            }
        }
        def out = new ByteArrayOutputStream()
        book.write(out)
        book.close()
        out.toByteArray()
    }

    long applications(List<String> slugs) {
        f.count(f.networkA, "select count(*) from onboarding_application where slug in (${slugs.collect { "'${it}'" }.join(',')})")
    }

    def "a dry run reports every bad row with its number and reasons; a commit with errors writes nothing"() {
        given:
        String p = "bk-${f.run}"
        def file = csv([HEADER, row("${p}-1"), row("${p}-2"),
                        row("${p}-3", [contact_email: 'not-mail', region_code: '33']),
                        row("${p}-1", [issuer_url: f.issuer("sso-other-${p}")]),
                        row("${p}-5", [admin_emails: ''])])

        when:
        def dry = f.sendBytes('/api/v1/onboarding/applications/bulk?dryRun=true', f.tokenA, file, CSV)

        then:
        dry.status == 200
        dry.body.dryRun == true
        dry.body.rows == 5
        dry.body.validRows == 2
        dry.body.errors.collect { [it.row, it.field, it.code] }.toSet() == [[4, 'contactEmail', 'email'], [4, 'regionCode', 'pattern'],
                                                                            [5, 'slug', 'duplicate'], [6, 'adminEmails', 'required']] as Set
        dry.body.errors.find { it.row == 5 }.message == 'is the same as in row 2'
        applications(["${p}-1", "${p}-2"]) == 0

        when:
        def commit = f.sendBytes('/api/v1/onboarding/applications/bulk', f.tokenA, file, CSV)

        then:
        commit.status == 400
        commit.body.code == 'bulk_invalid'
        commit.body.errors*.field.contains('rows[4].contactEmail')
        applications(["${p}-1", "${p}-2", "${p}-3", "${p}-5"]) == 0
    }

    def "a clean sheet is committed whole; with approve each institution is provisioned"() {
        given:
        String p = "bc-${f.run}"
        def file = csv([HEADER, row("${p}-1"), row("${p}-2"), row("${p}-3")], Charset.forName('UTF-8'), true)

        when:
        def commit = f.sendBytes('/api/v1/onboarding/applications/bulk?approve=true', f.tokenA, file, CSV)

        then:
        commit.status == 200
        commit.body.committed == true
        commit.body.created*.row == [2, 3, 4]
        commit.body.created*.status == ['approved', 'approved', 'approved']
        f.send('GET', '/api/v1/onboarding/members?size=100', f.tokenA).body.items*.slug.containsAll(["${p}-1", "${p}-2", "${p}-3"]*.toString())
        f.count(f.networkA, "select count(*) from audit_event where action = 'onboarding.bulk.committed'") >= 1

        when: 'the same sheet again: every slug is now taken, nothing is written'
        def again = f.sendBytes('/api/v1/onboarding/applications/bulk?dryRun=true', f.tokenA, file, CSV)

        then:
        again.body.errors*.code.toSet() == ['taken'] as Set
        again.body.errors*.row == [2, 2, 3, 3, 4, 4]   // slug and identity provider of each
    }

    def "xlsx: numeric cells read as text, Chinese headers accepted, formulas refused, never evaluated"() {
        given:
        String p = "bx-${f.run}"
        def header = ['标识', '中文名称', '英文名称', '行政区划代码', '联系人', '联系人邮箱', '身份提供方', '客户端标识', '管理员邮箱']
        def good = ["${p}-1", '云栖研究院', 'Yunqi Institute', 330106, '周老师', "c@${p}.example", f.issuer("sso-${p}-1"), 'labcommons', "a@${p}.example"]*.with { it instanceof GString ? it.toString() : it }
        def formula = ["${p}-2", '=HYPERLINK("http://evil.example","x")', 'Formula Institute', 330106, '吴老师', "d@${p}.example", f.issuer("sso-${p}-2"), 'labcommons', "e@${p}.example"]*.with { it instanceof GString ? it.toString() : it }

        when:
        def dry = f.sendBytes('/api/v1/onboarding/applications/bulk?dryRun=true', f.tokenA, xlsx([header, good, formula]), XLSX, 'zh-CN')

        then:
        dry.status == 200
        dry.body.rows == 2
        dry.body.validRows == 1
        dry.body.errors.collect { [it.row, it.field, it.code] } == [[3, 'nameZh', 'formula'], [3, 'nameZh', 'required']]
        dry.body.errors[0].message == '不接受公式，请直接填写值'
    }

    def "CSV saved by Chinese Excel (GB18030) is read"() {
        given:
        String p = "bg-${f.run}"
        def file = csv([['标识', '中文名称', '英文名称', '行政区划代码', '联系人', '联系人邮箱', '身份提供方', '客户端标识', '管理员邮箱'],
                        ["${p}-1", '钱江大学', 'Qianjiang University', '330100', '赵老师', "c@${p}.example", f.issuer("sso-${p}"), 'labcommons', "a@${p}.example"]*.toString()],
                Charset.forName('GB18030'))

        when:
        def dry = f.sendBytes('/api/v1/onboarding/applications/bulk?dryRun=true', f.tokenA, file, CSV)

        then:
        dry.body.errors == []
        dry.body.rows == 1
        dry.body.validRows == 1
    }

    def "files that cannot be read are refused before they cost memory: #what"() {
        when:
        def r = f.sendBytes('/api/v1/onboarding/applications/bulk?dryRun=true', f.tokenA, body, type)

        then:
        r.status == 400
        r.body.code == 'bulk_unreadable'
        r.body.errors*.code == [code]

        where:
        what              | body                              | type                        | code
        'a zip bomb'      | zipBomb()                         | XLSX                        | 'too_large'
        'over 2 MB'       | new byte[3 * 1024 * 1024]         | CSV                         | 'too_large'
        'empty'           | new byte[0]                       | 'application/octet-stream'  | 'empty'
        'a broken xlsx'   | ('PK' + '\u0003\u0004' + 'x' * 100).bytes | XLSX                | 'unreadable'
    }

    def "a sheet without the required columns is reported by column"() {
        when:
        def r = f.sendBytes('/api/v1/onboarding/applications/bulk?dryRun=true', f.tokenA, csv([['slug', 'name_zh'], ['x-1', '甲']]), CSV)

        then:
        r.status == 200
        r.body.errors.findAll { it.row == 1 && it.code == 'missing_column' }*.field.toSet() ==
                ['nameEn', 'regionCode', 'contactName', 'contactEmail', 'issuerUrl', 'clientId', 'adminEmails'] as Set
    }

    /** 64 MiB of zeros in one entry: about 64 KiB on the wire. */
    static byte[] zipBomb() {
        def out = new ByteArrayOutputStream()
        new ZipOutputStream(out).withCloseable { zip ->
            zip.putNextEntry(new ZipEntry('xl/worksheets/sheet1.xml'))
            byte[] zeros = new byte[1024 * 1024]
            64.times { zip.write(zeros) }
            zip.closeEntry()
        }
        out.toByteArray()
    }
}

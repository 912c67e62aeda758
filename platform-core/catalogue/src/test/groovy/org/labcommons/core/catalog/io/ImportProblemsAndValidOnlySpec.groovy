package org.labcommons.core.catalog.io

import jakarta.inject.Inject
import org.labcommons.core.catalog.TwoTenantSpec
import org.labcommons.core.tenancy.TenantTransactions
import spock.lang.Tag

import java.net.http.HttpRequest
import java.net.http.HttpResponse

/**
 * When some rows of a register fail: the problems file (the uploaded rows with a "问题 / Problems"
 * column, in the upload's format) and the commit of the valid rows only; the all-or-nothing default
 * is unchanged.
 */
@Tag('integration')
class ImportProblemsAndValidOnlySpec extends TwoTenantSpec {
    @Inject TenantTransactions tenants
    @Inject ImportLimits limits

    @Override
    void arrangeOnce() {
        assert f.create(f.tokenA, [kind: 'department', code: 'PCHEM', nameZh: '物化系', nameEn: 'Physical Chemistry']).status == 201
    }

    static final List<String> HEADER = ['仪器编号', '仪器名称', '英文名称', '原值（元）', '购置日期', '使用单位']

    List<Object> row(String asset, Map more = [:]) {
        def m = [asset: asset, name: '核磁共振波谱仪', en: 'NMR spectrometer', value: '3,200,000.00', date: '2012/9/18',
                 unit: 'PCHEM'] + more
        [m.asset, m.name, m.en, m.value, m.date, m.unit]
    }

    /** Four rows; the second and the fourth fail (a value that is no number, a unit the institution lacks). */
    List<List<Object>> register(String p) {
        [HEADER, row(p + '1'), row(p + '2', [value: '约320万']), row(p + '3'), row(p + '4', [unit: '不存在的学院'])]
    }

    Map step(String method, String path, String token = f.tokenA) {
        f.send(method, "/api/v1/instrument-imports${path}", token, null)
    }

    HttpResponse<byte[]> download(Object id, String lang = 'zh-CN') {
        f.http.send(HttpRequest.newBuilder(URI.create("http://localhost:${server.port}/api/v1/instrument-imports/${id}/problems"))
                .header('Authorization', 'Bearer ' + f.tokenA).header('Accept-Language', lang).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray())
    }

    List<List<String>> read(byte[] bytes) {
        List<List<String>> rows = []
        Spreadsheets.read(bytes, limits) { int n, List<String> cells -> rows << cells; true }
        rows
    }

    long countOf(String prefix) {
        f.send('GET', "/api/v1/instruments?q=${prefix.toLowerCase()}&size=1&includeArchived=true", f.tokenA).body.total as long
    }

    List<Map> audit(String action, Object id) {
        tenants.inTenant(f.tenantA) { c ->
            def st = c.prepareStatement("select details::text from audit_event where action = ? and target_id = ?")
            st.setString(1, action)
            st.setString(2, id.toString())
            def rs = st.executeQuery()
            def out = []
            while (rs.next()) {
                out << json.readValue(rs.getString(1), Map)
            }
            out
        } as List<Map>
    }

    def "a CSV upload's problems come back as CSV in UTF-8 with a BOM: every row, a problems column filled for the bad rows only"() {
        given:
        String p = "PF${f.run}-"
        def up = uploadImport(ImportFiles.csv(register(p)).getBytes('UTF-8'), '台账.csv')

        when:
        def r = download(up.body.id)
        byte[] body = r.body()

        then: 'a CSV attachment in the upload format, which Excel opens as UTF-8'
        r.statusCode() == 200
        r.headers().firstValue('Content-Type').get().startsWith('text/csv')
        r.headers().firstValue('Content-Disposition').get().contains('attachment')
        r.headers().firstValue('Content-Disposition').get().contains("filename*=UTF-8''%E5%8F%B0%E8%B4%A6-problems.csv")
        body[0..2] == [(byte) 0xEF, (byte) 0xBB, (byte) 0xBF]

        when:
        def rows = read(body)

        then: 'the header with the added column, then every row as uploaded'
        rows[0] == HEADER + ['问题 / Problems']
        rows.size() == 5
        rows[1..4]*.get(0) == [p + '1', p + '2', p + '3', p + '4']
        rows[2][3] == '约320万'

        and: 'the problem in the caller language on the bad rows, nothing on the good ones'
        rows[1][6] == null || rows[1][6] == ''
        rows[3][6] == null || rows[3][6] == ''
        rows[2][6].startsWith('原值（元）: ')
        rows[2][6].contains('约320万')
        rows[4][6].startsWith('使用单位: ')
        rows[4][6].contains('不存在的学院')

        and: 'nothing was imported by reading the problems'
        countOf(p) == 0
    }

    def "an xlsx upload's problems come back as xlsx, in English when asked"() {
        given:
        String p = "PX${f.run}-"
        def up = uploadImport(ImportFiles.xlsx(register(p)), 'register.xlsx')

        when:
        def r = download(up.body.id, 'en')
        def rows = read(r.body())

        then:
        r.statusCode() == 200
        r.headers().firstValue('Content-Type').get().startsWith('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        r.headers().firstValue('Content-Disposition').get().contains('register-problems.xlsx')
        rows[0] == HEADER + ['问题 / Problems']
        rows.size() == 5
        rows[2][6].contains('is not a number')
        rows[4][6].contains('不存在的学院')
        rows[1].size() < 7 || !rows[1][6]
    }

    def "the default stays all or nothing: a commit of a file with bad rows writes none of them"() {
        given:
        String p = "PA${f.run}-"
        def up = uploadImport(ImportFiles.csv(register(p)).getBytes('UTF-8'), 'all.csv')

        when:
        def plain = step('POST', "/${up.body.id}/commit")
        def explicit = step('POST', "/${up.body.id}/commit?validOnly=false")

        then:
        plain.status == 422
        plain.body.code == 'import_has_errors'
        explicit.status == 422
        countOf(p) == 0
        audit('instrument_import.refused', up.body.id).size() == 2
        audit('instrument_import.committed', up.body.id).isEmpty()
    }

    def "valid rows only: the good rows are imported, the bad ones skipped and counted, the choice audited, the problems still downloadable"() {
        given:
        String p = "PV${f.run}-"
        def up = uploadImport(ImportFiles.csv(register(p)).getBytes('UTF-8'), 'valid.csv')

        when:
        def commit = step('POST', "/${up.body.id}/commit?validOnly=true")

        then: 'two imported, two skipped'
        commit.status == 200
        commit.body.written == true
        commit.body.created == 2
        commit.body.skipped == 2
        commit.body.invalid == 2
        commit.body.problems*.row as Set == [3, 5] as Set

        and: 'nothing of the bad rows is stored'
        countOf(p) == 2
        f.send('GET', "/api/v1/instruments?q=${(p + '1').toLowerCase()}&size=5", f.tokenA).body.total == 1
        f.send('GET', "/api/v1/instruments?q=${(p + '2').toLowerCase()}&size=5&includeArchived=true", f.tokenA).body.total == 0
        f.send('GET', "/api/v1/instruments?q=${(p + '4').toLowerCase()}&size=5&includeArchived=true", f.tokenA).body.total == 0

        and: 'the audit says the valid rows only were imported and how many were skipped'
        def details = audit('instrument_import.committed', up.body.id)
        details.size() == 1
        details[0].validOnly == true
        details[0].skipped == 2
        details[0].created == 2

        when: 'the problems, after the import'
        def rows = read(download(up.body.id).body())

        then: 'still the skipped rows with their problems; the imported rows without'
        rows.size() == 5
        rows[2][6].contains('约320万')
        rows[4][6].contains('不存在的学院')
        !rows[1][6]
    }

    def "valid rows only with no valid row is refused like the default"() {
        given:
        String p = "PN${f.run}-"
        def up = uploadImport(ImportFiles.csv([HEADER, row(p + '1', [value: 'x']), row(p + '2', [unit: '无'])]).getBytes('UTF-8'), 'none.csv')

        when:
        def commit = step('POST', "/${up.body.id}/commit?validOnly=true")

        then:
        commit.status == 422
        countOf(p) == 0
    }
}

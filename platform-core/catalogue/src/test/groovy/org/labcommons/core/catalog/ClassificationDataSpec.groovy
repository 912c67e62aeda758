package org.labcommons.core.catalog

import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource
import jakarta.inject.Inject
import org.labcommons.devstack.SharedDevStack
import org.labcommons.testkit.PlatformSpec
import org.postgresql.util.PSQLException
import spock.lang.Shared

import javax.sql.DataSource
import java.nio.charset.StandardCharsets
import java.nio.file.Files
import java.nio.file.Path
import java.sql.DriverManager
import java.util.concurrent.TimeUnit

/**
 * The national classification's reference file (reference/nrii-classification.csv, the project's
 * English names) against the table V6 loaded and V7 named: every code named, file and table in
 * agreement, parents and levels consistent, and V7 exactly what the generator makes of the file.
 */
class ClassificationDataSpec extends PlatformSpec {

    @Inject DataSource pooled
    @Inject Classifications classifications
    @Shared List<Map<String, Object>> file

    def setupSpec() {
        def text = getClass().getResourceAsStream('/reference/nrii-classification.csv').getText('UTF-8')
        def records = parseCsv(text)
        assert records[0] == ['code', 'parent_code', 'level', 'name_zh', 'name_en']
        file = records.drop(1).collect { r ->
            assert r.size() == 5
            [code: r[0], parentCode: r[1] ?: null, level: r[2] as int, nameZh: r[3], nameEn: r[4]]
        }
    }

    /** RFC 4180, as scripts/GenerateClassificationMigration.java reads it. */
    static List<List<String>> parseCsv(String text) {
        def out = [], record = [], field = new StringBuilder()
        boolean quoted = false
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i)
            if (quoted) {
                if (ch == '"' as char && i + 1 < text.length() && text.charAt(i + 1) == '"' as char) { field << '"'; i++ }
                else if (ch == '"' as char) { quoted = false }
                else { field << ch }
            } else if (ch == '"' as char && field.length() == 0) {
                quoted = true
            } else if (ch == ',' as char) {
                record << field.toString(); field.setLength(0)
            } else if (ch == '\n' as char) {
                record << field.toString(); field.setLength(0); out << record; record = []
            } else if (ch != '\r' as char) {
                field << ch
            }
        }
        if (field.length() > 0 || record) { record << field.toString(); out << record }
        out
    }

    List<Map<String, Object>> table() {
        DelegatingDataSource.unwrapDataSource(pooled).connection.withCloseable { c ->
            def rs = c.createStatement().executeQuery('select code, parent_code, level, name_zh, name_en from instrument_class order by code')
            def out = []
            while (rs.next()) {
                out << [code: rs.getString(1), parentCode: rs.getString(2), level: rs.getInt(3), nameZh: rs.getString(4), nameEn: rs.getString(5)]
            }
            out
        }
    }

    def "the file names all 739 codes (15, 93 and 631 per level) in English, none blank, none left in Chinese"() {
        expect:
        file.size() == 739
        file*.code.toSet().size() == 739
        file.countBy { it.level } == [1: 15, 2: 93, 3: 631]
        file.every { it.nameEn != null && !it.nameEn.isBlank() && it.nameEn == it.nameEn.strip() && !it.nameEn.contains('  ') }
        file.findAll { it.nameEn =~ /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/ }*.code == []
        file.findAll { it.nameEn.toLowerCase().contains('qita') || it.nameEn.contains('?') }*.code == []
    }

    def "the file and the table agree row by row, English names included"() {
        given:
        def rows = table()

        expect:
        rows.size() == 739
        rows.findAll { it.nameEn == null || it.nameEn.isBlank() }*.code == []
        def byCode = rows.collectEntries { [(it.code): it] }
        file.findAll { byCode[it.code] != it }*.code == []
        rows*.code.toSet() == file*.code.toSet()
    }

    def "parents and levels are consistent: a level follows from the code, a parent sits one level up and prefixes its children"() {
        given:
        def byCode = file.collectEntries { [(it.code): it] }

        expect:
        file.every { it.code ==~ /[0-9]{6}/ }
        file.every { r -> r.level == (r.code.endsWith('0000') ? 1 : r.code.endsWith('00') ? 2 : 3) }
        file.findAll { it.level == 1 }.every { it.parentCode == null }
        file.findAll { it.level > 1 }.every { r ->
            def p = byCode[r.parentCode]
            p != null && p.level == r.level - 1 && r.code.startsWith(p.code.substring(0, 2 * p.level))
        }
    }

    def "every 其他 is 'Other …' naming its parent, so a picker never shows a bare 'Other'"() {
        given:
        def byCode = file.collectEntries { [(it.code): it] }
        def others = file.findAll { it.nameZh == '其他' }

        expect:
        others.size() == 88
        others.every { r ->
            def parent = byCode[r.parentCode].nameEn as String
            def named = parent ==~ /^(X-ray|RF|Earth) .*/ ? parent : parent[0].toLowerCase() + parent.substring(1)
            r.nameEn == "Other ${named}".toString()
        }
        byCode['990000'].nameEn == 'Other instruments'
    }

    def "domain terms a scientist searches for carry their usual abbreviations"() {
        given:
        def byCode = file.collectEntries { [(it.code): it.nameEn] }

        expect:
        byCode['010101'] == 'Transmission electron microscopes (TEM)'
        byCode['010102'] == 'Scanning electron microscopes (SEM)'
        byCode['010601'] == 'Nuclear magnetic resonance spectrometers (NMR)'
        byCode['010301'] == 'X-ray diffractometers (XRD)'
        byCode['010104'].contains('(XPS')
        byCode['010202'].contains('ICP-MS')
        byCode['010201'].contains('GC-MS') && byCode['010201'].contains('LC-MS')
        byCode['030118'] == 'Atomic force microscopes (AFM)'
        byCode['011012'] == 'Flow cytometers'
    }

    def "the in-memory classification serves the English names V7 stored"() {
        expect:
        classifications.find('010601').get().nameEn() == 'Nuclear magnetic resonance spectrometers (NMR)'
        classifications.all().values().every { it.nameEn() != null }
        classifications.path('010101')*.nameEn() == ['Analytical instruments', 'Electron optical instruments',
                                                    'Transmission electron microscopes (TEM)']
    }

    def "the table refuses a missing or blank English name (not null and a check, even for the owner)"() {
        given:
        def p = SharedDevStack.get().properties()

        when:
        DriverManager.getConnection(p['labcommons.db.url'], p['labcommons.db.owner-user'], p['labcommons.db.owner-password']).withCloseable { c ->
            c.autoCommit = false
            try { c.createStatement().executeUpdate(sql) } finally { c.rollback() }
        }

        then:
        def e = thrown(PSQLException)
        e.SQLState == state

        where:
        sql                                                                  | state
        "update instrument_class set name_en = null where code = '010101'"  | '23502'
        "update instrument_class set name_en = '  ' where code = '010101'"  | '23514'
    }

    def "V7 is exactly what scripts/GenerateClassificationMigration.java makes of the file"() {
        given:
        def root = Path.of('../..').toAbsolutePath().normalize()
        assert Files.exists(root.resolve('scripts/GenerateClassificationMigration.java'))
        def java = Path.of(System.getProperty('java.home'), 'bin', 'java').toString()

        when:
        def proc = new ProcessBuilder(java, 'scripts/GenerateClassificationMigration.java', '--check')
                .directory(root.toFile()).redirectErrorStream(true).start()
        def finished = proc.waitFor(120, TimeUnit.SECONDS)
        def output = new String(proc.inputStream.readAllBytes(), StandardCharsets.UTF_8)

        then:
        finished
        proc.exitValue() == 0
        output.contains('is up to date (739 codes)')
    }
}

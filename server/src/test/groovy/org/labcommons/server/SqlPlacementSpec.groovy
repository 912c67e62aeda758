package org.labcommons.server

import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Tag

import java.nio.file.Files
import java.nio.file.Path
import java.util.regex.Pattern

/**
 * SQL lives in stores: a class named {@code *Rows} (a Micronaut Data repository or, where a repository cannot
 * express the statement, plain JDBC said so in a comment), and in migrations. Any other main class that
 * prepares a statement or carries an SQL string fails this spec (dev-stack and test-kit, which start and
 * inspect the database for tests, are not read), unless it is listed in
 * {@code sql-outside-stores.txt} beside it (path, tab, why). That list only shrinks: a listed file that no
 * longer holds SQL fails too, so the line must go with the SQL.
 */
@Tag('fast')
@Tag('module-server')   // server has no test kit: its tier and module tags are spelled out
class SqlPlacementSpec extends Specification {

    static final Pattern JDBC = ~/\.(prepareStatement|prepareCall|createStatement)\(/
    static final Pattern SQL_STRING = ~/(?i)"\s*(select\s+[\w*(]|insert\s+into\s|update\s+\w+\s+set\s|delete\s+from\s|with\s+\w+\s+as\s*\()/

    @Shared Path root = Path.of('..').toRealPath()

    static boolean isStore(Path file) {
        file.fileName.toString() ==~ /.*Rows\.java/
    }

    static boolean holdsSql(String text) {
        JDBC.matcher(text).find() || SQL_STRING.matcher(text).find()
    }

    List<Path> mainSources() {
        List<Path> out = []
        Files.walk(root).withCloseable { paths ->
            paths.filter { Path p ->
                String s = root.relativize(p).toString().replace('\\', '/')
                s.endsWith('.java') && s.contains('/src/main/java/') && !s.contains('/target/') && !s.startsWith('.')
                        && !s.startsWith('dev-stack/') && !s.startsWith('search-analysis-plugin/') && !s.startsWith('test-kit/')
            }.forEach { out << it }
        }
        out
    }

    Map<String, String> allowed() {
        Map<String, String> out = [:]
        getClass().getResourceAsStream('/sql-outside-stores.txt').withReader('UTF-8') { r ->
            r.eachLine { String line ->
                if (line.trim() && !line.startsWith('#')) {
                    def (path, why) = line.split('\t', 2) as List
                    out[path.trim()] = why?.trim()
                }
            }
        }
        out
    }

    def "no SQL outside stores and migrations, but for the listed files"() {
        given:
        def sources = mainSources()
        def allowed = allowed()

        when:
        List<String> outside = sources.findAll { !isStore(it) && holdsSql(new String(Files.readAllBytes(it), 'UTF-8')) }
                .collect { root.relativize(it).toString().replace('\\', '/') }.sort()

        then: 'every module was read'
        sources.collect { root.relativize(it).toString().replace('\\', '/').split('/src/main/')[0] }.toSet()
                .containsAll(ClassSizeSpec.MODULES)

        and: 'no file outside a store holds SQL unless it is listed'
        (outside - allowed.keySet()) == []

        and: 'every listed file still holds SQL (convert it, then strike it off)'
        (allowed.keySet() - outside).sort() == []

        and: 'every line says why'
        allowed.findAll { !it.value }.keySet() == [] as Set
    }

    def "the checks recognise a statement and a string of SQL, and not prose"() {
        expect:
        holdsSql(text) == sql

        where:
        text                                                               | sql
        'try (PreparedStatement ps = c.prepareStatement(SQL)) {'           | true
        'String q = "select id, name from instrument where id = ?";'       | true
        '"insert into audit_event (tenant_id) values (?)"'                 | true
        '"update booking set status = ?"'                                  | true
        '"delete from web_session where id = ?"'                           | true
        '"with chain as (select 1)"'                                       | true
        '"Selected: 3 instruments"'                                        | false
        '"please update your profile"'                                     | false
        'rows.findById(id)'                                                | false
    }
}

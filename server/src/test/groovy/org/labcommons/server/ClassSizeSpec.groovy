package org.labcommons.server

import spock.lang.Specification
import spock.lang.Tag

import java.nio.file.Files
import java.nio.file.Path

/** No main class grows past 600 lines: a class that does is cut along its seams (issue 12), not let grow. */
@Tag('fast')
@Tag('module-server')   // server has no test kit: its tier and module tags are spelled out
class ClassSizeSpec extends Specification {

    static final int MAX_LINES = 600

    def "no main source file is over 600 lines"() {
        given:
        Path root = Path.of('..').toRealPath()
        Map<String, Integer> sizes = [:]
        Files.walk(root).withCloseable { paths ->
            paths.filter { Path p ->
                String s = root.relativize(p).toString().replace('\\', '/')
                s.endsWith('.java') && s.contains('/src/main/java/') && !s.contains('/target/') && !s.startsWith('.')
            }.forEach { Path p -> sizes[root.relativize(p).toString().replace('\\', '/')] = Files.readAllLines(p).size() }
        }

        expect: 'every module was read'
        sizes.size() > 300

        and:
        sizes.findAll { it.value > MAX_LINES } == [:]
    }
}

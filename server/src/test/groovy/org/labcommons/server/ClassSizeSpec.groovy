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
    static final List<String> MODULES = ['platform-core/kernel', 'platform-core/catalogue', 'platform-core/booking',
                                         'tenant-admin', 'search-index', 'federation', 'iot-bridge', 'server']

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
        sizes.keySet().collect { it.split('/src/main/')[0] }.toSet().containsAll(MODULES)

        and:
        sizes.findAll { it.value > MAX_LINES } == [:]
    }
}

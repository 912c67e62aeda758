package org.labcommons.server

import io.micronaut.core.convert.ConversionService
import io.micronaut.core.type.Argument
import org.yaml.snakeyaml.LoaderOptions
import org.yaml.snakeyaml.Yaml
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Tag

import java.lang.reflect.Method
import java.nio.file.Files
import java.nio.file.Path

/**
 * Every configuration key the code reads sits in application.yml (the only one at runtime, in the
 * kernel) with its default: each property of every {@code @ConfigurationProperties} class of the
 * platform (found on the classpath through Micronaut's bean definitions, read by reflection) and
 * every {@code labcommons.*} key of a placeholder or a property condition in the main code. A
 * setting without a default is listed as a comment line {@code # key: …} in its section. And no
 * {@code labcommons.*} key in application.yml is one that nothing reads.
 */
@Tag('fast')
@Tag('module-server')   // server has no test kit: its tier and module tags are spelled out
class ConfigurationDefaultsSpec extends Specification {
    /** An optional setting written as a comment: {@code # key:   why it has no default}. */
    static final String OPTIONAL = /^(\s*)# ([a-z][a-z0-9-]*):(\s.*)?$/

    @Shared Map<String, Object> values = flatten(yaml().load(text()) as Map, '')
    @Shared Set<String> optional = flatten(yaml().load(text().readLines()
            .findAll { it =~ OPTIONAL || !(it =~ /^\s*#/) }
            .collect { line -> line.replaceFirst(OPTIONAL, '$1$2: "(optional)"') }.join('\n')) as Map, '')
            .findAll { k, v -> v == '(optional)' && k.startsWith('labcommons.') }.keySet()

    /** SnakeYAML refusing a key written twice in one mapping (it keeps the last one by default). */
    static Yaml yaml() {
        def options = new LoaderOptions()
        options.allowDuplicateKeys = false
        new Yaml(options)
    }

    static String text() {
        ConfigurationDefaultsSpec.getResource('/application.yml').getText('UTF-8')
    }

    static Map<String, Object> flatten(Map map, String prefix) {
        map.collectEntries { k, v ->
            v instanceof Map && !v.isEmpty() ? flatten(v as Map, "${prefix}${k}.") : [("${prefix}${k}".toString()): v]
        } as Map<String, Object>
    }

    /** The platform's @ConfigurationProperties classes, with their prefix. */
    static Map<Class<?>, String> configurationClasses() {
        PlatformBeans.configurationProperties()
    }

    static String kebab(String name) {
        name.replaceAll(/([a-z0-9])([A-Z])/, '$1-$2').toLowerCase(Locale.ROOT)
    }

    /** Bean properties with a public setter, their getter and key. */
    static List<Map> properties(Class<?> type, String prefix) {
        type.methods.findAll { Method m -> m.name ==~ /set[A-Z].*/ && m.parameterCount == 1 && m.declaringClass == type }
                .collect { Method setter ->
                    String name = setter.name.substring(3)
                    Method getter = type.methods.find { it.name in ["get${name}", "is${name}"]*.toString() && it.parameterCount == 0 }
                    [key: "${prefix}.${kebab(name.uncapitalize())}".toString(), getter: getter]
                }
    }

    /** The main code's source files, each module's. */
    static List<Path> sources() {
        [Path.of('..'), Path.of('../platform-core')].collectMany { dir ->
            Files.list(dir).toList().findAll { Files.isDirectory(it.resolve('src/main/java')) }
        }.collectMany { Files.walk(it.resolve('src/main/java')).toList().findAll { it.toString().endsWith('.java') } }
    }

    def "application.yml parses with no key written twice in one section, and lists the optional settings"() {
        expect:
        values['labcommons.roles'] == 'all'
        values['labcommons.import.max-rows'] == 50000
        optional.containsAll(['labcommons.mail.base-url', 'labcommons.oidc.public-url', 'labcommons.db.owner-user'])
    }

    def "every property of every @ConfigurationProperties class is in application.yml with the class's default"() {
        given:
        def classes = configurationClasses()
        def missing = []
        def different = []
        classes.each { Class<?> type, String prefix ->
            Object defaults = type.getDeclaredConstructor().newInstance()
            properties(type, prefix).each { p ->
                if (optional.contains(p.key)) {
                    assert p.getter.invoke(defaults) == null: "${p.key} is listed as optional, but ${type.simpleName} has a default"
                } else if (!values.containsKey(p.key)) {
                    missing << p.key
                } else {
                    Object expected = p.getter.invoke(defaults)
                    Object written = values[p.key]
                    Object bound = written instanceof List ? written
                            : ConversionService.SHARED.convertRequired(String.valueOf(written), Argument.of(p.getter.genericReturnType))
                    if (bound != expected) {
                        different << "${p.key}: application.yml ${written}, ${type.simpleName} ${expected}".toString()
                    }
                }
            }
        }

        expect:
        classes.size() >= 13
        classes.values().containsAll(['labcommons.db', 'labcommons.outbox', 'labcommons.import', 'labcommons.search',
                                      'labcommons.onboarding', 'labcommons.federation', 'labcommons.mqtt'])
        missing == []
        different == []
    }

    def "every labcommons key a placeholder or a property condition reads is in application.yml, with the placeholder's default"() {
        given:
        def read = [:] as Map<String, String>
        def constants = [:] as Map<String, String>
        def files = sources().collectEntries { [(it.fileName.toString() - '.java'): Files.readString(it)] }
        files.each { String type, String source ->
            (source =~ /static final String ([A-Z_]+) = "(labcommons\.[a-z0-9.-]+)"/).each { m -> constants["${type}.${m[1]}".toString()] = m[2] }
        }
        files.each { String type, String source ->
            (source =~ /\$\{(labcommons\.[a-z0-9.-]+)(?::([^}]*))?}/).each { m -> read[m[1]] = m[2] }
            (source =~ /property\s*=\s*"(labcommons\.[a-z0-9.-]+)"/).each { m -> read.putIfAbsent(m[1], null) }
            // a key named by a constant, read by a property condition or from the environment
            (source =~ /(?:property\s*=\s*|(?<!System)\.getProperty\()(\w+)\.([A-Z_]+)\b/).each { m ->
                String key = constants["${m[1]}.${m[2]}".toString()]
                if (key != null) read.putIfAbsent(key, null)
            }
        }
        def missing = read.keySet().findAll { !values.containsKey(it) }
        def different = read.findAll { k, d -> d != null && values.containsKey(k) && String.valueOf(values[k]) != d.replace('`', '') }

        expect:
        read.keySet().containsAll(['labcommons.kafka.bootstrap', 'labcommons.es.url', 'labcommons.security.role-cache-ttl',
                                   'labcommons.booking.waitlist.sweep-enabled', 'labcommons.roles', 'labcommons.dev.mailbox'])
        missing == [] as Set
        different == [:]
    }

    def "every labcommons key in application.yml is read by some class or placeholder"() {
        given:
        def known = [] as Set<String>
        configurationClasses().each { type, prefix -> properties(type, prefix).each { known << it.key } }
        sources().each { Path f ->
            String source = Files.readString(f)
            (source =~ /"?(labcommons\.[a-z0-9.-]*[a-z0-9])/).each { m -> known << m[1] }
        }

        expect:
        values.keySet().findAll { it.startsWith('labcommons.') && !known.contains(it) } == [] as Set
        optional.findAll { !known.contains(it) } == [] as Set
    }
}

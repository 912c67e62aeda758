package org.labcommons.server

import org.labcommons.core.i18n.MessageBundle
import org.labcommons.core.i18n.Messages
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Tag

import java.nio.file.Files
import java.nio.file.Path

/**
 * The message bundles of the whole server (every module's {@link MessageBundle} bean on its
 * classpath, as the running server finds them): each module has its own, no key is defined in two
 * of them, and the server's own bundle is complete in both languages.
 */
@Tag('fast')
@Tag('module-server')   // server has no test kit: its tier and module tags are spelled out
class MessageBundlesSpec extends Specification {
    @Shared List<MessageBundle> bundles = PlatformBeans.implementing(MessageBundle)
            .collect { it.getDeclaredConstructor().newInstance() }

    def "every module's bundle is on the server's classpath, each under a name of its own"() {
        expect:
        bundles*.baseName().sort() == ['i18n/billing', 'i18n/booking', 'i18n/catalogue', 'i18n/federation', 'i18n/messages',
                                       'i18n/reports', 'i18n/search', 'i18n/server', 'i18n/tenant-admin', 'i18n/usage']
    }

    def "no key is defined in two bundles, in either language"() {
        given:
        def definedIn = [:].withDefault { [] }
        bundles.each { b ->
            Messages.SUPPORTED.each { locale -> Messages.read(b, locale).keySet().each { definedIn[it] << b.baseName() } }
        }

        when:
        def messages = new Messages(bundles)

        then:
        definedIn.findAll { k, names -> names.unique(false).size() > 1 } == [:]
        messages.all(Locale.ENGLISH).size() == bundles.sum { Messages.read(it, Locale.ENGLISH).size() }
        messages.all(Messages.ZH_CN).size() == messages.all(Locale.ENGLISH).size()
        messages.all(Messages.ZH_CN).size() > 1100
    }

    def "the server's own bundle is complete in both languages and holds what its pages write"() {
        given:
        def zh = Messages.read(new ServerMessages(), Messages.ZH_CN)
        def en = Messages.read(new ServerMessages(), Locale.ENGLISH)
        def all = new Messages(bundles)
        def keys = Files.walk(Path.of('src/main/resources/views')).toList().findAll { it.toString().endsWith('.html') }
                .collectMany { (Files.readString(it) =~ /t\['([a-zA-Z0-9_.\-]+)'\]/).collect { m -> m[1] } }.toSet()

        expect:
        zh.keySet() == en.keySet()
        (zh + en).findAll { k, v -> !v.trim() } == [:]
        keys.size() > 2
        keys.findAll { !all.all(Messages.ZH_CN).containsKey(it) || !all.all(Locale.ENGLISH).containsKey(it) } == [] as Set
    }
}

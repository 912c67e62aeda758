package org.labcommons.federation

import org.labcommons.core.booking.BookingMessages
import org.labcommons.core.catalog.CatalogueMessages
import org.labcommons.core.i18n.KernelMessages
import org.labcommons.core.i18n.Messages
import spock.lang.Specification

import java.nio.file.Files
import java.nio.file.Path

/**
 * Federation's bundle is complete in both languages, and every key the module's templates write is in
 * the bundles it sees (its own and those of the modules it builds on), in zh-CN and en.
 */
class FederationMessagesSpec extends Specification {
    /** The texts the module's pages can read in one language. */
    static Map<String, String> bundle(Locale locale) {
        [new KernelMessages(), new CatalogueMessages(), new BookingMessages(), new FederationMessages()].collectEntries { Messages.read(it, locale) }
    }

    def "the module's zh-CN and en bundles have the same keys, and no text is empty"() {
        given:
        def zh = Messages.read(new FederationMessages(), Messages.ZH_CN)
        def en = Messages.read(new FederationMessages(), Locale.ENGLISH)

        expect:
        zh.size() > 30
        zh.keySet() == en.keySet()
        (zh + en).findAll { k, v -> !v.trim() } == [:]
    }

    def "every key the module's templates write is in both languages"() {
        given:
        def zh = bundle(Messages.ZH_CN)
        def en = bundle(Locale.ENGLISH)
        def keys = Files.walk(Path.of('src/main/resources/views')).toList().findAll { it.toString().endsWith('.html') }
                .collectMany { (Files.readString(it) =~ /t\['([a-zA-Z0-9_.\-]+)'\]/).collect { m -> m[1] } }.toSet()

        expect:
        keys.size() > 10
        keys.findAll { !zh.containsKey(it) } == [] as Set
        keys.findAll { !en.containsKey(it) } == [] as Set
    }
}

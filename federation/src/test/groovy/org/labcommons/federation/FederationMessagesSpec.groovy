package org.labcommons.federation

import org.labcommons.core.booking.BookingMessages
import org.labcommons.core.catalog.CatalogueMessages
import org.labcommons.core.i18n.KernelMessages
import org.labcommons.core.i18n.Messages
import org.labcommons.testkit.BundleCheck
import spock.lang.Specification

/**
 * Federation's bundle is complete in both languages, and every key the module's templates write is in
 * the bundles it sees (its own and those of the modules it builds on), in zh-CN and en.
 */
class FederationMessagesSpec extends Specification {
    static final BundleCheck bundles = BundleCheck.of(Messages.&read,
            new KernelMessages(), new CatalogueMessages(), new BookingMessages(), new FederationMessages())

    def "the module's zh-CN and en bundles have the same keys, and no text is empty"() {
        expect:
        bundles.complete(30)
    }

    def "every key the module's templates write is in both languages"() {
        expect:
        bundles.covers(BundleCheck.templateKeys(), 10)
    }
}

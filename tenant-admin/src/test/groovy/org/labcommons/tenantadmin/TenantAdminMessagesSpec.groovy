package org.labcommons.tenantadmin

import org.labcommons.core.i18n.KernelMessages
import org.labcommons.core.i18n.Messages
import org.labcommons.testkit.BundleCheck
import spock.lang.Specification

/**
 * Tenant administration's bundle is complete in both languages, and every key the module's templates write is in
 * the bundles it sees (its own and those of the modules it builds on), in zh-CN and en.
 */
class TenantAdminMessagesSpec extends Specification {
    static final BundleCheck bundles = BundleCheck.of(Messages.&read, new KernelMessages(), new TenantAdminMessages())

    def "the module's zh-CN and en bundles have the same keys, and no text is empty"() {
        expect:
        bundles.complete(150)
    }

    def "every key the module's templates write is in both languages"() {
        expect:
        bundles.covers(BundleCheck.templateKeys(), 10)
    }
}

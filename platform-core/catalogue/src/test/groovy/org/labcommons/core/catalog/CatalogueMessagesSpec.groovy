package org.labcommons.core.catalog

import org.labcommons.core.i18n.KernelMessages
import org.labcommons.core.i18n.Messages
import org.labcommons.testkit.BundleCheck
import spock.lang.Specification
import spock.lang.Tag

/**
 * The catalogue's bundle ({@code i18n/catalogue*.properties}) is complete in both languages, and
 * every text the catalogue's pages show exists in zh-CN and en in the bundles the catalogue sees
 * (its own and the kernel's): the keys written in the templates, and the keys the pages build from
 * a value (a status, a scope, a flag, …).
 */
@Tag('fast')
class CatalogueMessagesSpec extends Specification {
    /** The texts the catalogue's pages can read: the kernel's bundle and the catalogue's. */
    static final BundleCheck bundles = BundleCheck.of(Messages.&read, new KernelMessages(), new CatalogueMessages())

    def "the catalogue's zh-CN and en bundles have the same keys, and no text is empty"() {
        expect:
        bundles.complete(300)
    }

    def "the keys written in the templates are in both bundles"() {
        expect:
        // every template of the catalogue (public pages, instrument admin, import); the kernel's are MessagesSpec's
        bundles.covers(BundleCheck.templateKeys(), 100)
    }

    def "the keys built from values are in both bundles, and the two languages differ"() {
        given:
        def keys = []
        InstrumentQuery.STATUSES.each { keys << "catalogue.status.${it}" }
        InstrumentQuery.SCOPES.each { keys << "catalogue.scope.${it}" << "catalogue.scope.${it}.help" }
        InstrumentForm.FLAGS.each { keys << "catalogue.flag.${it}" << "catalogue.flag.${it}.help" }
        InstrumentAdminPages.PURPOSES.each { keys << "catalogue.purpose.${it}" }
        InstrumentAdminPages.EXEMPTIONS.each { keys << "catalogue.exemption.${it}" }
        InstrumentAdminPages.DOCUMENT_KINDS.each { keys << "catalogue.document.${it}" }
        CataloguePages.PUBLIC_SORTS.each { keys << "catalogue.sort.${it}" }
        InstrumentAdminPages.SORTS.each { keys << "admin.instruments.sort.${it}" }
        ['created', 'saved', 'archived', 'uploaded', 'document_removed'].each { keys << "admin.instruments.done.${it}" }
        (InstrumentForm.FIELDS - ['cls1', 'cls2', 'cls3', 'version'] + ['classificationCode']).each { keys << "catalogue.field.${it}" }
        InstrumentForm.SERVICE_FIELDS.findAll { it != 'id' }.each { keys << "catalogue.field.services.${it}" }
        InstrumentForm.CONTACT_FIELDS.each { keys << "catalogue.field.contacts.${it}" }
        InstrumentForm.PRICE_FIELDS.each { keys << "catalogue.field.prices.${it}" }
        InstrumentInput.PriceInput.UNITS.each { keys << "catalogue.price.unit.${it}" << "catalogue.price.per.${it}" }
        ['validation.unknown_rate_group', 'validation.no_rate_groups', 'validation.price_unit', 'validation.price_amount',
         'validation.price_service_both', 'validation.price_unknown_service', 'validation.price_duplicate',
         'catalogue.price.machine_time'].each { keys << it }
        ['validation.money_format', 'validation.date_format', 'validation.file_missing', 'catalogue.editor.unit_forbidden',
         'web.not_found.title', 'web.not_found.detail'].each { keys << it }

        expect:
        bundles.covers(keys)
        bundles.differ(keys) { String key -> key.endsWith('.none') }
    }
}

package org.labcommons.core.booking

import org.labcommons.core.catalog.CatalogueMessages
import org.labcommons.core.i18n.KernelMessages
import org.labcommons.core.i18n.Messages
import org.labcommons.testkit.BundleCheck
import spock.lang.Specification
import spock.lang.Tag

import java.nio.file.Files
import java.nio.file.Path

/**
 * The booking bundle ({@code i18n/booking*.properties}) is complete in both languages, and every
 * refusal and validation code the booking code can raise has a message in both languages, and they differ.
 */
@Tag('fast')
class BookingMessagesSpec extends Specification {
    /** The booking module's bundle, after those of the modules it builds on. */
    static final BundleCheck bundles = BundleCheck.of(Messages.&read, new KernelMessages(), new CatalogueMessages(), new BookingMessages())

    def "the booking module's zh-CN and en bundles have the same keys, and no text is empty"() {
        expect:
        bundles.complete(400)
    }

    def "refusal, validation and problem keys of the booking package are in both bundles"() {
        given:
        def sources = Files.walk(Path.of('src/main/java/org/labcommons/core/booking')).toList()
                .findAll { Files.isRegularFile(it) }.collect { Files.readString(it) }.join('\n')
        def keys = [] as Set
        (sources =~ /refusal\("[A-Za-z]+", "([a-z_]+)"/).each { m -> keys << "booking.refusal.${m[1]}".toString() }
        (sources =~ /"(validation\.(booking|calendar_feed|notification)\.[a-z_]+)"/).each { m -> keys << m[1] }
        // notices: a subject and a text per kind; calendar feed labels per booking status
        ['booking.requested', 'booking.approved', 'booking.rejected', 'booking.cancelled', 'waitlist.offered', 'booking.reminder'].each {
            keys << "notification.${it}.subject".toString(); keys << "notification.${it}.text".toString()
        }
        ['requested', 'approved', 'checked_in', 'rejected', 'cancelled', 'no_show'].each { keys << "calendar.feed.status.${it}".toString() }
        ['booking_not_allowed', 'slot_conflict', 'already_waiting', 'offer_expired'].each { keys << "problem.${it}.title".toString() }

        expect:
        bundles.covers(keys, 50)
        bundles.differ(keys)
    }
}

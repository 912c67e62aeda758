package org.labcommons.core.booking

import spock.lang.Specification
import spock.lang.Tag

import java.nio.file.Files
import java.nio.file.Path

/** Every refusal and validation code the booking code can raise has a message in both languages, and they differ. */
@Tag('fast')
class BookingMessagesSpec extends Specification {
    static Properties bundle(String name) {
        def p = new Properties()
        BookingMessagesSpec.getResourceAsStream("/i18n/${name}.properties").withReader('UTF-8') { p.load(it) }
        p
    }

    def "refusal, validation and problem keys of the booking package are in both bundles"() {
        given:
        def zh = bundle('messages')
        def en = bundle('messages_en')
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
        keys.size() > 50
        keys.findAll { !zh.containsKey(it) } == [] as Set
        keys.findAll { !en.containsKey(it) } == [] as Set
        keys.findAll { zh.getProperty(it) == en.getProperty(it) } == [] as Set
    }
}

package org.labcommons.core.booking

import spock.lang.Specification
import spock.lang.Tag

import java.time.Instant
import java.time.LocalDate
import java.time.OffsetDateTime
import java.time.ZoneId

/** The calendar rules on their own: weekly hours in the tenant's zone, joined across midnight, and closures. */
@Tag('fast')
class SlotRulesSpec extends Specification {
    static final ZoneId SHANGHAI = ZoneId.of('Asia/Shanghai')

    static BookingRules rules(Map<String, List<List<String>>> hours, List<BookingRules.Closure> closures = []) {
        def d = BookingRules.defaults(null, 'Asia/Shanghai')
        Map<String, List<BookingRules.Interval>> h = BookingRules.WEEKDAYS.collectEntries { day ->
            [(day): (hours[day] ?: []).collect { new BookingRules.Interval(it[0], it[1]) }]
        }
        new BookingRules(null, 'Asia/Shanghai', true, 1, h, closures, d.minSlotMinutes(), d.maxSlotMinutes(), d.horizonDays(),
                d.minNoticeMinutes(), d.bufferMinutes(), d.maxFutureBookings(), null, d.approvalPolicy(),
                d.cancellationDeadlineHours(), d.noShowThreshold(), d.noShowBlockDays(), d.qualificationRequired(),
                d.authorisationExpiryDays(), d.waitlistOfferMinutes())
    }

    static Instant t(String local) {
        OffsetDateTime.parse(local + '+08:00').toInstant()
    }

    def "a slot must lie within the day's intervals, in the tenant's zone (2030-03-05 is a Tuesday)"() {
        given:
        def r = rules([tuesday: [['08:00', '12:00'], ['13:00', '18:00']]])

        expect:
        SlotRules.withinHours(r, SHANGHAI, t(start), t(end)) == within

        where:
        start                 | end                   || within
        '2030-03-05T08:00:00' | '2030-03-05T12:00:00' || true
        '2030-03-05T09:30:00' | '2030-03-05T11:00:00' || true
        '2030-03-05T07:59:00' | '2030-03-05T09:00:00' || false   // starts before opening
        '2030-03-05T11:00:00' | '2030-03-05T14:00:00' || false   // spans the lunch break
        '2030-03-05T17:00:00' | '2030-03-05T18:01:00' || false   // runs past closing
        '2030-03-06T09:00:00' | '2030-03-06T10:00:00' || false   // Wednesday: closed
    }

    def "contiguous intervals join across midnight, so an overnight booking fits 22:00–24:00 plus 00:00–06:00"() {
        given:
        def r = rules([tuesday: [['22:00', '24:00']], wednesday: [['00:00', '06:00']]])

        expect:
        SlotRules.withinHours(r, SHANGHAI, t('2030-03-05T22:00:00'), t('2030-03-06T06:00:00'))
        !SlotRules.withinHours(r, SHANGHAI, t('2030-03-05T22:00:00'), t('2030-03-06T06:30:00'))
    }

    def "a closure touching any local date of the slot refuses it"() {
        given:
        def closure = new BookingRules.Closure(LocalDate.parse('2030-10-01'), LocalDate.parse('2030-10-07'), '国庆')
        def r = rules([:], [closure])

        expect:
        SlotRules.closure(r, SHANGHAI, t(start), t(end)).isPresent() == closed

        where:
        start                 | end                   || closed
        '2030-09-30T20:00:00' | '2030-10-01T00:00:00' || false  // ends exactly at midnight before the closure
        '2030-09-30T23:00:00' | '2030-10-01T01:00:00' || true
        '2030-10-07T23:00:00' | '2030-10-07T23:30:00' || true
        '2030-10-08T00:00:00' | '2030-10-08T02:00:00' || false
    }
}

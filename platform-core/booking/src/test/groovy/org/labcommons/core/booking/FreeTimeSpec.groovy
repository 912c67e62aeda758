package org.labcommons.core.booking

import spock.lang.Specification
import spock.lang.Tag

import java.time.Instant
import java.time.LocalDate
import java.time.OffsetDateTime
import java.time.ZoneId

/**
 * The free time of a calendar on its own ({@link FreeTime#free}, {@link FreeTime#firstFreeWeek}): the weekly hours and
 * closures from now plus the notice to the horizon, less what is busy, in stretches at least the shortest slot long.
 * 2030-03-04 is a Monday; times are Shanghai's.
 */
@Tag('fast')
class FreeTimeSpec extends Specification {
    static final ZoneId SHANGHAI = ZoneId.of('Asia/Shanghai')
    static final Map WEEKDAYS_8_TO_20 = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday']
            .collectEntries { [(it): [['08:00', '20:00']]] }

    static BookingRules rules(Map hours, Map overrides = [:], List<BookingRules.Closure> closures = []) {
        def d = BookingRules.defaults(null, 'Asia/Shanghai')
        Map<String, List<BookingRules.Interval>> h = BookingRules.WEEKDAYS.collectEntries { day ->
            [(day): (hours[day] ?: []).collect { new BookingRules.Interval(it[0], it[1]) }]
        }
        new BookingRules(null, 'Asia/Shanghai', true, 1, h, closures, overrides.minSlot ?: 30, 600,
                overrides.horizon ?: 60, overrides.notice ?: 0, 0, 10, null, 'outside_users', 24, 3, 30, false, 180, 120)
    }

    static Instant t(String local) {
        OffsetDateTime.parse(local + '+08:00').toInstant()
    }

    static FreeTime.Stretch busy(String from, String to) {
        new FreeTime.Stretch(t(from), t(to))
    }

    static LocalDate week(BookingRules r, String now, List<FreeTime.Stretch> taken = []) {
        FreeTime.firstFreeWeek(r, SHANGHAI, t(now), taken).orElse(null)
    }

    def "a week with free time left is the first free week, and its free time starts now"() {
        given:
        def r = rules(WEEKDAYS_8_TO_20)

        expect:
        week(r, '2030-03-06T14:10:00') == LocalDate.parse('2030-03-04')
        FreeTime.free(r, SHANGHAI, t('2030-03-06T14:10:00'), [])[0] == new FreeTime.Stretch(t('2030-03-06T14:10:00'), t('2030-03-06T20:00:00'))
    }

    def "a week whose remaining days are over (or closed) is skipped"() {
        expect: 'Friday after closing, Saturday and Sunday closed'
        week(rules(WEEKDAYS_8_TO_20), '2030-03-08T20:30:00') == LocalDate.parse('2030-03-11')

        and: 'Sunday evening of an instrument open every day'
        week(rules(BookingRules.WEEKDAYS.collectEntries { [(it): [['08:00', '20:00']]] }), '2030-03-10T21:00:00') == LocalDate.parse('2030-03-11')
    }

    def "a week fully booked is skipped, and so is one whose gaps are shorter than the shortest slot"() {
        given:
        def r = rules(WEEKDAYS_8_TO_20, [minSlot: 60])
        List<FreeTime.Stretch> full = (4..8).collect { day -> busy("2030-03-0${day}T08:00:00", "2030-03-0${day}T20:00:00") }
        List<FreeTime.Stretch> gaps = (4..8).collectMany { day ->
            [busy("2030-03-0${day}T08:00:00", "2030-03-0${day}T13:00:00"), busy("2030-03-0${day}T13:30:00", "2030-03-0${day}T20:00:00")]
        }

        expect:
        week(r, '2030-03-04T08:00:00', full) == LocalDate.parse('2030-03-11')
        week(r, '2030-03-04T08:00:00', gaps) == LocalDate.parse('2030-03-11')
        week(r, '2030-03-04T08:00:00', gaps.dropRight(1)) == LocalDate.parse('2030-03-04')
    }

    def "the notice counts: Friday 19:00 with an hour's notice has nothing left this week, with 15 minutes it has 45"() {
        expect:
        week(rules(WEEKDAYS_8_TO_20, [notice: 60]), '2030-03-08T19:00:00') == LocalDate.parse('2030-03-11')
        week(rules(WEEKDAYS_8_TO_20, [notice: 15]), '2030-03-08T19:00:00') == LocalDate.parse('2030-03-04')
    }

    def "closures are not free, and the horizon bounds the search"() {
        given: 'closed for three weeks from today'
        def closed = [new BookingRules.Closure(LocalDate.parse('2030-03-04'), LocalDate.parse('2030-03-24'), '装修')]

        expect:
        week(rules(WEEKDAYS_8_TO_20, [horizon: 30], closed), '2030-03-04T08:00:00') == LocalDate.parse('2030-03-25')
        week(rules(WEEKDAYS_8_TO_20, [horizon: 14], closed), '2030-03-04T08:00:00') == null
        FreeTime.free(rules(WEEKDAYS_8_TO_20, [horizon: 14], closed), SHANGHAI, t('2030-03-04T08:00:00'), []).isEmpty()
    }

    def "the free time ends at the horizon, and hours joined across midnight make one stretch"() {
        given:
        def r = rules(BookingRules.WEEKDAYS.collectEntries { [(it): [['00:00', '24:00']]] }, [horizon: 2])
        def free = FreeTime.free(r, SHANGHAI, t('2030-03-04T08:00:00'), [busy('2030-03-05T10:00:00', '2030-03-05T12:00:00')])

        expect:
        free == [new FreeTime.Stretch(t('2030-03-04T08:00:00'), t('2030-03-05T10:00:00')),
                 new FreeTime.Stretch(t('2030-03-05T12:00:00'), t('2030-03-06T08:00:00'))]
    }

    def "a page lists the free time on the half hour of the zone, cut at the end of each day, long enough for the shortest slot"() {
        given: 'open around the clock, the shortest slot an hour; free from 14:10 Monday, then 23:40 Monday to 00:20 Wednesday'
        def r = rules(BookingRules.WEEKDAYS.collectEntries { [(it): [['00:00', '24:00']]] }, [minSlot: 60])
        def free = [busy('2030-03-04T14:10:00', '2030-03-04T16:45:00'), busy('2030-03-04T23:40:00', '2030-03-06T00:20:00')]

        when:
        def slots = FreeTime.slots(r, SHANGHAI, free, 5)

        then: 'Monday 23:40 rounds to 00:00, nothing of the day is left; Wednesday 00:00-00:20 is shorter than an hour'
        slots.collect { "${it.start().toLocalDateTime()}–${it.freeUntil().toLocalDateTime()}".toString() } ==
                ['2030-03-04T14:30–2030-03-04T16:45', '2030-03-05T00:00–2030-03-06T00:00']
        slots*.week()*.toString() == ['2030-03-04', '2030-03-04']
        FreeTime.slots(r, SHANGHAI, free, 1).size() == 1
    }
}

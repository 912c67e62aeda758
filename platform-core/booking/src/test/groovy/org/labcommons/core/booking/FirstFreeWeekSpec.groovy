package org.labcommons.core.booking

import jakarta.inject.Inject

import java.time.Clock
import java.time.Instant
import java.time.LocalDate
import java.time.ZoneOffset

/**
 * {@link FreeTime} on the platform: the first free week and the next free slots of an instrument read its rules,
 * its bookings (with their buffer) and maintenance windows through the booking service, in the instrument's tenant.
 */
class FirstFreeWeekSpec extends BookingSpec {
    @Inject FreeTime freeTime

    /** Friday 2030-03-08 18:00 in Shanghai. */
    static final Instant FRIDAY_EVENING = Instant.parse('2030-03-08T10:00:00Z')

    UUID weekdaysInstrument(Map overrides = [:]) {
        def nmr = f.instrument()
        Map weekdays = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'].collectEntries { [(it): [[from: '08:00', to: '20:00']]] }
        f.openRules(nmr, [weeklyHours: weekdays] + overrides)
        nmr
    }

    def "the rest of the week booked: the calendar's first free week is the next one, and the next free slot is Monday's"() {
        given:
        clock.set(Clock.fixed(FRIDAY_EVENING, ZoneOffset.UTC))
        def nmr = weekdaysInstrument()

        expect: 'with Friday 18:00-20:00 free, this week'
        freeTime.firstFreeWeek(f.tenantA, nmr).get() == LocalDate.parse('2030-03-04')
        freeTime.next(f.tenantA, nmr, 1)[0].start() == FRIDAY_EVENING

        when:
        assert f.book('alice', nmr, '2030-03-08T18:00:00+08:00', '2030-03-08T20:00:00+08:00').status == 201

        then:
        freeTime.firstFreeWeek(f.tenantA, nmr).get() == LocalDate.parse('2030-03-11')
        freeTime.next(f.tenantA, nmr, 2)*.start() == [Instant.parse('2030-03-11T00:00:00Z'), Instant.parse('2030-03-12T00:00:00Z')]
    }

    def "a cancelled booking frees its time again; a maintenance window takes it"() {
        given:
        clock.set(Clock.fixed(FRIDAY_EVENING, ZoneOffset.UTC))
        def nmr = weekdaysInstrument([cancellationDeadlineHours: 0])
        def b = f.book('alice', nmr, '2030-03-08T18:00:00+08:00', '2030-03-08T20:00:00+08:00')
        assert b.status == 201

        when:
        assert f.send('POST', "/api/v1/bookings/${b.body.id}/cancel", 'alice', [:]).status == 200

        then:
        freeTime.firstFreeWeek(f.tenantA, nmr).get() == LocalDate.parse('2030-03-04')
    }

    def "nothing free within the horizon: no first free week"() {
        given: 'closed for the next three weeks, with a horizon of 14 days'
        def nmr = weekdaysInstrument([horizonDays: 14, closures: [[from: '2030-03-04', to: '2030-03-24', reason: '装修']]])

        expect:
        freeTime.firstFreeWeek(f.tenantA, nmr).isEmpty()
        freeTime.next(f.tenantA, nmr, 3).isEmpty()
    }
}

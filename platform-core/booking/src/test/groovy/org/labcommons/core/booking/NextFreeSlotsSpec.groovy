package org.labcommons.core.booking

import jakarta.inject.Inject

/**
 * The next free times an instrument's page offers ({@link FreeTime#slots}), against the database:
 * weekly hours, active bookings with the buffer they keep, closures, the minimum notice and the
 * booking horizon. The booking clock stands at 2030-03-04T00:00Z, Monday 08:00 in Shanghai.
 */
class NextFreeSlotsSpec extends BookingSpec {
    @Inject FreeTime freeTime

    static final Map WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday']
            .collectEntries { [(it): [[from: '08:00', to: '20:00']]] }

    /** The free times as "yyyy-MM-ddTHH:mm–HH:mm" in Shanghai. */
    List<String> next(UUID instrument, int count = 4) {
        freeTime.slots(f.tenantA, instrument, count).collect {
            "${it.start().toLocalDateTime()}–${it.freeUntil().toLocalTime()}".toString()
        }
    }

    def "free stretches start after the bookings in the way, each counted once and cut at the end of its day"() {
        given: 'weekdays 08:00-20:00; Monday 08:00-10:00 and 12:00-13:00 booked'
        def nmr = f.instrument()
        f.openRules(nmr, [weeklyHours: WEEKDAYS])
        assert f.book('admin', nmr, '2030-03-04T08:00:00+08:00', '2030-03-04T10:00:00+08:00').status == 201
        assert f.book('admin', nmr, '2030-03-04T12:00:00+08:00', '2030-03-04T13:00:00+08:00').status == 201

        expect:
        next(nmr) == ['2030-03-04T10:00–12:00', '2030-03-04T13:00–20:00', '2030-03-05T08:00–20:00', '2030-03-06T08:00–20:00']
        freeTime.slots(f.tenantA, nmr, 4)[0].week().toString() == '2030-03-04'
        next(nmr, 2).size() == 2
    }

    def "the buffer after a booking, a closure, the minimum notice and the horizon keep their times out"() {
        given: 'a 30-minute buffer, two hours of notice, Tuesday closed, a horizon of three days'
        def nmr = f.instrument()
        f.openRules(nmr, [weeklyHours: WEEKDAYS, bufferMinutes: 30])
        assert f.book('admin', nmr, '2030-03-04T10:00:00+08:00', '2030-03-04T11:00:00+08:00').status == 201
        assert f.book('admin', nmr, '2030-03-04T14:00:00+08:00', '2030-03-04T15:00:00+08:00').status == 201
        f.openRules(nmr, [weeklyHours: WEEKDAYS, bufferMinutes: 30, minNoticeMinutes: 120, horizonDays: 3,
                          closures: [[from: '2030-03-05', to: '2030-03-05', reason: '检修']]])

        expect: 'from 11:30 (the buffer) until 13:30 (a booking must leave its buffer free before 14:00), then after 15:30'
        next(nmr, 5) == ['2030-03-04T11:30–13:30', '2030-03-04T15:30–20:00', '2030-03-06T08:00–20:00']
    }

    def "a free time lasts until what is in the way: a booking's buffer before it, a maintenance window at its start"() {
        given: 'a 30-minute buffer; Monday 08:00-09:00 and 13:45-14:45 booked, maintenance 17:15-18:00'
        def nmr = f.instrument()
        f.openRules(nmr, [weeklyHours: WEEKDAYS, bufferMinutes: 30])
        assert f.book('admin', nmr, '2030-03-04T08:00:00+08:00', '2030-03-04T09:00:00+08:00').status == 201
        assert f.book('admin', nmr, '2030-03-04T13:45:00+08:00', '2030-03-04T14:45:00+08:00').status == 201
        assert f.send('POST', "/api/v1/instruments/${nmr}/maintenance", 'staff',
                [start: '2030-03-04T17:15:00+08:00', end: '2030-03-04T18:00:00+08:00', reason: '校准']).status == 201

        expect: 'free until 13:15 (a booking ending then leaves its buffer free), from 15:15 on the half hour, until the window'
        next(nmr, 3) == ['2030-03-04T09:30–13:15', '2030-03-04T15:30–17:15', '2030-03-04T18:00–20:00']
    }

    def "an instrument nobody set rules for: the default weekday hours after an hour's notice"() {
        expect:
        next(f.instrument(), 2) == ['2030-03-04T09:00–20:00', '2030-03-05T08:00–20:00']
    }

    def "no free time within the horizon: none"() {
        given:
        def nmr = f.instrument()
        f.openRules(nmr, [weeklyHours: WEEKDAYS, closures: [[from: '2030-03-01', to: '2030-06-30', reason: null]]])

        expect:
        next(nmr).isEmpty()
    }
}

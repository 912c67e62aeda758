package org.labcommons.core.booking

import io.micronaut.json.JsonMapper
import jakarta.inject.Inject
import org.labcommons.core.tenancy.TenantTransactions
import spock.lang.Unroll

import java.time.Clock
import java.time.Duration
import java.time.Instant
import java.time.OffsetDateTime
import java.time.ZoneOffset

/**
 * Machine-time booking through the API, against the real database: rules and their refusals,
 * the exclusion constraints (409 with the slot in the way), approval, cancellation and its
 * deadline, rescheduling, weekly series, the waitlist, qualification, check-in, usage and
 * no-shows; every change audited and emitted on booking.v1. The booking clock is fixed at
 * 2030-03-04T00:00Z (Monday 08:00 in Shanghai) unless a feature moves it.
 */
class BookingApiSpec extends BookingSpec {
    @Inject TenantTransactions tenants
    @Inject JsonMapper json
    @Inject WaitlistSweep sweep

    @Override
    Map<String, String> ownProperties() {
        // the sweep runs only when a feature calls it: features move the booking clock past offers' expiry
        ['labcommons.booking.waitlist.sweep-enabled': 'false']
    }

    void at(String instant) {
        clock.set(Clock.fixed(OffsetDateTime.parse(instant).toInstant(), ZoneOffset.UTC))
    }

    static Instant i(Object s) {
        OffsetDateTime.parse(s as String).toInstant()
    }

    def "rules: an instrument without rules of its own has the defaults"() {
        given:
        def nmr = f.instrument()

        when:
        def r = f.send('GET', "/api/v1/instruments/${nmr}/booking-rules", 'alice')

        then:
        r.status == 200
        r.body.custom == false
        r.body.timeZone == 'Asia/Shanghai'
        r.body.weeklyHours.monday == [[from: '08:00', to: '20:00']]
        r.body.weeklyHours.sunday == []
        r.body.minSlotMinutes == 30 && r.body.maxSlotMinutes == 480 && r.body.horizonDays == 60
        r.body.approvalPolicy == 'outside_users' && r.body.qualificationRequired == true
        r.body.authorisationExpiryDays == 180 && r.body.noShowThreshold == 3
    }

    def "rules: staff replace them, the change is audited, and a member may not change them"() {
        given:
        def nmr = f.instrument()

        when:
        def put = f.send('PUT', "/api/v1/instruments/${nmr}/booking-rules", 'staff',
                [weeklyHours: [monday: [[from: '09:00', to: '12:00'], [from: '13:00', to: '17:00']]],
                 closures: [[from: '2030-10-01', to: '2030-10-07', reason: '国庆']], bufferMinutes: 15,
                 allowedRateGroups: ['internal', 'consortium'], approvalPolicy: 'always'])
        def byMember = f.send('PUT', "/api/v1/instruments/${nmr}/booking-rules", 'alice', [bufferMinutes: 5])

        then:
        put.status == 200
        put.body.custom && put.body.version == 1
        put.body.weeklyHours.monday.size() == 2 && put.body.weeklyHours.tuesday == []
        put.body.closures[0].from == '2030-10-01'
        put.body.allowedRateGroups == ['internal', 'consortium']
        put.body.minSlotMinutes == 30   // not given: the default
        f.send('GET', "/api/v1/instruments/${nmr}/booking-rules", 'alice').body.bufferMinutes == 15
        byMember.status == 403
        f.count("select count(*) from audit_event where action = 'booking_rules.updated' and target_id = ?", nmr.toString()) == 1

        when: 'a stale version is refused'
        def stale = f.send('PUT', "/api/v1/instruments/${nmr}/booking-rules", 'staff', [version: 0, bufferMinutes: 5])

        then:
        stale.status == 409
        stale.body.code == 'version_conflict'
    }

    def "rules: invalid ones get field-level problems in English and Chinese"() {
        given:
        def nmr = f.instrument()
        def bad = [weeklyHours: [monday: [[from: '18:00', to: '09:00']], tuesday: [[from: '08:00', to: '12:00'], [from: '11:00', to: '14:00']],
                                 funday: [[from: '08:00', to: '09:00']], friday: [[from: '8 am', to: '12:00']]],
                   closures: [[from: '2030-10-07', to: '2030-10-01']], minSlotMinutes: 120, maxSlotMinutes: 60,
                   horizonDays: 0, bufferMinutes: 999, approvalPolicy: 'sometimes', allowedRateGroups: ['vip']]

        when:
        def en = f.send('PUT', "/api/v1/instruments/${nmr}/booking-rules", 'staff', bad)
        def zh = f.send('PUT', "/api/v1/instruments/${nmr}/booking-rules", 'staff', bad, ['Accept-Language': 'zh-CN'])
        def byField = en.body.errors.collectEntries { [(it.field): it] }

        then:
        en.status == 400
        en.body.code == 'validation_failed'
        byField['weeklyHours.monday[0]'].code == 'interval_order'
        byField['weeklyHours.tuesday[1]'].code == 'interval_overlap'
        byField['weeklyHours.funday'].code == 'unknown_weekday'
        byField['weeklyHours.friday[0]'].message == 'must be a time HH:mm (00:00 to 24:00)'
        byField['closures[0]'].code == 'date_order'
        byField['maxSlotMinutes'].code == 'below_min_slot'
        byField['horizonDays'].message == 'must be at least 1'
        byField['bufferMinutes'].message == 'must be at most 240'
        byField['approvalPolicy'].message == 'must be never, outside_users or always'
        byField['allowedRateGroups[0]'].message == 'rate group vip does not exist'
        zh.body.errors.find { it.field == 'allowedRateGroups[0]' }.message == '收费类别 vip 不存在'
        zh.body.title != en.body.title
        f.send('GET', "/api/v1/instruments/${nmr}/booking-rules", 'staff').body.custom == false   // nothing stored
    }

    def "a member books: approved at once, audited, and emitted on booking.v1 in the same transaction"() {
        given:
        def nmr = f.instrument()
        f.openRules(nmr)

        when:
        def r = f.book('alice', nmr, '2030-03-05T10:00:00+08:00', '2030-03-05T12:00:00+08:00', [accountCode: 'NSFC-22175001', purpose: '¹H NMR'])

        then:
        r.status == 201
        r.body.status == 'approved'
        i(r.body.start) == i('2030-03-05T02:00:00Z')
        (r.body.start as String).endsWith('+08:00')
        r.body.rateGroup == 'internal'
        r.body.requesterUserId == f.users.alice.toString()
        r.body.requesterTenantId == f.tenantA.toString()
        r.body.accountCode == 'NSFC-22175001'
        f.count("select count(*) from audit_event where action = 'booking.requested' and target_id = ?", r.body.id) == 1
        def events = f.events(r.body.id as String)
        events*.type == ['booking.requested']
        events[0].topic == 'booking.v1'
        events[0].payload.status == 'approved'
        events[0].payload.start == '2030-03-05T02:00:00Z'
        events[0].payload.approvalRequired == false
    }

    def "an outside user's booking waits for the staff's approval; only staff decide"() {
        given:
        def nmr = f.instrument()
        f.openRules(nmr)

        when:
        def r = f.book('carol', nmr, '2030-03-05T14:00:00+08:00', '2030-03-05T16:00:00+08:00')

        then:
        r.status == 201
        r.body.status == 'requested'
        r.body.rateGroup == 'external'
        r.body.requesterTenantId == f.tenantB.toString()

        expect: 'a member who is not staff does not see it; the requester may not approve it'
        f.send('POST', "/api/v1/bookings/${r.body.id}/approve", 'alice').status == 404
        f.send('POST', "/api/v1/bookings/${r.body.id}/approve", 'carol').status == 403

        when:
        def approved = f.send('POST', "/api/v1/bookings/${r.body.id}/approve", 'staff', [note: 'OK'])

        then:
        approved.status == 200
        approved.body.status == 'approved'
        approved.body.decidedBy == f.users.staff.toString()
        f.send('GET', "/api/v1/bookings/${r.body.id}", 'carol').body.status == 'approved'
        f.events(r.body.id as String)*.type == ['booking.requested', 'booking.approved']
        f.send('POST', "/api/v1/bookings/${r.body.id}/approve", 'staff').status == 409   // already decided
    }

    def "a rejected request frees its slot"() {
        given:
        def nmr = f.instrument()
        f.openRules(nmr, [approvalPolicy: 'always'])
        def r = f.book('alice', nmr, '2030-03-05T10:00:00+08:00', '2030-03-05T11:00:00+08:00')

        when:
        def rejected = f.send('POST', "/api/v1/bookings/${r.body.id}/reject", 'staff', [note: '维护'])

        then:
        rejected.body.status == 'rejected'
        rejected.body.decisionNote == '维护'
        f.book('bob', nmr, '2030-03-05T10:00:00+08:00', '2030-03-05T11:00:00+08:00').status == 201
        f.events(r.body.id as String)*.type == ['booking.requested', 'booking.rejected']
    }

    def "overlap is impossible: 409 slot_conflict with the slot in the way; the buffer keeps other users apart"() {
        given:
        def nmr = f.instrument()
        f.openRules(nmr, [bufferMinutes: 15])
        def first = f.book('alice', nmr, '2030-03-05T10:00:00+08:00', '2030-03-05T12:00:00+08:00')

        when:
        def overlap = f.book('bob', nmr, '2030-03-05T11:00:00+08:00', '2030-03-05T13:00:00+08:00')
        def inBuffer = f.book('bob', nmr, '2030-03-05T12:00:00+08:00', '2030-03-05T13:00:00+08:00')
        def afterBuffer = f.book('bob', nmr, '2030-03-05T12:15:00+08:00', '2030-03-05T13:00:00+08:00')
        def sameUserBackToBack = f.book('alice', nmr, '2030-03-05T09:00:00+08:00', '2030-03-05T10:00:00+08:00')

        then:
        first.status == 201
        overlap.status == 409
        overlap.body.code == 'slot_conflict'
        overlap.body.type == 'https://labcommons.org/problems/slot-conflict'
        overlap.body.conflict.kind == 'booking'
        i(overlap.body.conflict.start) == i('2030-03-05T10:00:00+08:00')
        i(overlap.body.conflict.end) == i('2030-03-05T12:00:00+08:00')
        overlap.body.detail.startsWith('It conflicts with the slot from 2030-03-05T10:00')
        !overlap.body.toString().contains(f.users.alice.toString())   // who holds it is not said
        inBuffer.status == 409
        i(inBuffer.body.conflict.start) == i('2030-03-05T10:00:00+08:00')
        afterBuffer.status == 201
        sameUserBackToBack.status == 201
        f.count("select count(*) from booking where instrument_id = ? and status in ('requested', 'approved', 'checked_in')", nmr) == 3

        when: 'even SQL that skips every check cannot insert an overlap (the constraint, not the service)'
        tenants.inTenant(f.tenantA) { c ->
            c.prepareStatement("insert into booking (tenant_id, id, instrument_id, requester_user_id, requester_tenant_id, " +
                    "rate_group, status, starts_at, ends_at, blocked_until) values (?, gen_random_uuid(), ?, ?, ?, 'internal', " +
                    "'approved', '2030-03-05T03:30:00Z', '2030-03-05T03:45:00Z', '2030-03-05T03:45:00Z')").with {
                setObject(1, f.tenantA.value()); setObject(2, nmr); setObject(3, f.users.bob); setObject(4, f.tenantA.value()); executeUpdate()
            }
        }

        then:
        def e = thrown(Exception)
        def sql = e instanceof java.sql.SQLException ? e : e.cause
        while (sql != null && !(sql instanceof java.sql.SQLException)) { sql = sql.cause }
        sql.SQLState == '23P01'
    }

    @Unroll
    def "refusal #code: 422 booking_not_allowed naming #field with the message"() {
        given:
        def nmr = f.instrument('tenant', status)
        f.openRules(nmr, rules)
        prepare.call(f, nmr)

        when:
        def r = f.book(who, nmr, start, end)

        then:
        r.status == 422
        r.body.code == 'booking_not_allowed'
        r.body.title == "This booking breaks the instrument's booking rules"
        r.body.errors.find { it.code == code }?.field == field
        r.body.errors.find { it.code == code }?.message == message

        where:
        code                       | field          | who     | status         | rules                                                             | start                       | end                         | message
        'slot_too_short'           | 'end'          | 'alice' | 'in_service'   | [minSlotMinutes: 60]                                              | '2030-03-05T10:00:00+08:00' | '2030-03-05T10:30:00+08:00' | 'a booking must be at least 60 minutes long'
        'slot_too_long'            | 'end'          | 'alice' | 'in_service'   | [maxSlotMinutes: 60]                                              | '2030-03-05T10:00:00+08:00' | '2030-03-05T12:00:00+08:00' | 'a booking may be at most 60 minutes long'
        'notice_too_short'         | 'start'        | 'alice' | 'in_service'   | [minNoticeMinutes: 1440]                                          | '2030-03-04T10:00:00+08:00' | '2030-03-04T11:00:00+08:00' | 'book at least 1440 minutes in advance'
        'beyond_horizon'           | 'start'        | 'alice' | 'in_service'   | [horizonDays: 7]                                                  | '2030-03-20T10:00:00+08:00' | '2030-03-20T11:00:00+08:00' | 'bookings open at most 7 days ahead'
        'outside_hours'            | 'start'        | 'alice' | 'in_service'   | [weeklyHours: [tuesday: [[from: '08:00', to: '18:00']]]]          | '2030-03-05T17:00:00+08:00' | '2030-03-05T19:00:00+08:00' | 'the instrument cannot be booked at this time'
        'closed'                   | 'start'        | 'alice' | 'in_service'   | [closures: [[from: '2030-03-05', to: '2030-03-06', reason: '年检']]] | '2030-03-05T10:00:00+08:00' | '2030-03-05T11:00:00+08:00' | 'the instrument is closed from 2030-03-05 to 2030-03-06: 年检'
        'rate_group_not_allowed'   | 'rateGroup'    | 'carol' | 'in_service'   | [allowedRateGroups: ['internal']]                                 | '2030-03-05T10:00:00+08:00' | '2030-03-05T11:00:00+08:00' | 'users of rate group external may not book this instrument'
        'not_authorised'           | 'requester'    | 'alice' | 'in_service'   | [qualificationRequired: true]                                     | '2030-03-05T10:00:00+08:00' | '2030-03-05T11:00:00+08:00' | 'you are not authorised to use this instrument; take the training first, or ask for a staff-assisted session'
        'too_many_future_bookings' | 'requester'    | 'alice' | 'in_service'   | [maxFutureBookings: 1]                                            | '2030-03-05T10:00:00+08:00' | '2030-03-05T11:00:00+08:00' | 'you already hold the most upcoming bookings allowed on this instrument (1)'
        'instrument_unavailable'   | 'instrumentId' | 'alice' | 'under_repair' | [:]                                                               | '2030-03-05T10:00:00+08:00' | '2030-03-05T11:00:00+08:00' | 'the instrument cannot be booked now (under repair, retired or archived)'
        'end_before_start'         | 'end'          | 'alice' | 'in_service'   | [:]                                                               | '2030-03-05T10:00:00+08:00' | '2030-03-05T10:00:00+08:00' | 'the end must be after the start'

        prepare = code == 'too_many_future_bookings'
                ? { BookingFixture fx, UUID id -> assert fx.book('alice', id, '2030-03-06T10:00:00+08:00', '2030-03-06T11:00:00+08:00').status == 201 }
                : { BookingFixture fx, UUID id -> }
    }

    def "a refusal reads in Chinese by default, and every rule that fails is listed"() {
        given:
        def nmr = f.instrument()
        f.openRules(nmr, [minSlotMinutes: 60, qualificationRequired: true])

        when:
        def r = f.book('alice', nmr, '2030-03-05T10:00:00+08:00', '2030-03-05T10:30:00+08:00', [:])
        def zh = f.send('POST', "/api/v1/instruments/${nmr}/bookings", 'alice',
                [start: '2030-03-05T10:00:00+08:00', end: '2030-03-05T10:30:00+08:00'], ['Accept-Language': 'zh-CN'])

        then:
        r.body.errors*.code.toSet() == ['slot_too_short', 'not_authorised'] as Set
        zh.body.title == '该预约不符合仪器的预约规则'
        zh.body.errors.find { it.code == 'slot_too_short' }.message == '预约时长不能少于 60 分钟'
    }

    def "a maintenance window blocks the calendar (409 naming it) and may not cover an active booking"() {
        given:
        def nmr = f.instrument()
        f.openRules(nmr)
        def booked = f.book('alice', nmr, '2030-03-07T08:00:00+08:00', '2030-03-07T09:00:00+08:00')

        when:
        def window = f.send('POST', "/api/v1/instruments/${nmr}/maintenance", 'staff',
                [start: '2030-03-06T08:00:00+08:00', end: '2030-03-06T18:00:00+08:00', reason: '更换探头'])
        def blocked = f.book('bob', nmr, '2030-03-06T17:00:00+08:00', '2030-03-06T19:00:00+08:00')
        def overBooking = f.send('POST', "/api/v1/instruments/${nmr}/maintenance", 'staff',
                [start: '2030-03-07T00:00:00+08:00', end: '2030-03-07T12:00:00+08:00'])
        def byMember = f.send('POST', "/api/v1/instruments/${nmr}/maintenance", 'alice',
                [start: '2030-03-08T00:00:00+08:00', end: '2030-03-08T12:00:00+08:00'])
        def busy = f.send('GET', "/api/v1/instruments/${nmr}/busy?from=2030-03-05T00:00:00Z&to=2030-03-09T00:00:00Z", 'bob')

        then:
        booked.status == 201
        window.status == 201
        window.body.reason == '更换探头'
        blocked.status == 409
        blocked.body.conflict.kind == 'maintenance'
        i(blocked.body.conflict.start) == i('2030-03-06T08:00:00+08:00')
        overBooking.status == 409
        overBooking.body.conflict.kind == 'booking'
        i(overBooking.body.conflict.start) == i('2030-03-07T08:00:00+08:00')
        byMember.status == 403
        busy.body.items*.kind == ['maintenance', 'booking']
        !busy.body.toString().contains(f.users.alice.toString())

        when:
        def deleted = f.send('DELETE', "/api/v1/instruments/${nmr}/maintenance/${window.body.id}", 'staff')

        then:
        deleted.status == 204
        f.book('bob', nmr, '2030-03-06T17:00:00+08:00', '2030-03-06T19:00:00+08:00').status == 201
    }

    def "a weekly series creates what fits and reports every occurrence that does not, with its reason"() {
        given:
        def nmr = f.instrument()
        f.openRules(nmr, [horizonDays: 20])
        def bobs = f.book('bob', nmr, '2030-03-12T10:30:00+08:00', '2030-03-12T11:30:00+08:00')

        when:
        def r = f.send('POST', "/api/v1/instruments/${nmr}/bookings/recurring", 'alice',
                [start: '2030-03-05T10:00:00+08:00', end: '2030-03-05T11:00:00+08:00', occurrences: 4])

        then:
        bobs.status == 201
        r.status == 201
        r.body.requested == 4
        r.body.created == 2
        r.body.notCreated == 2
        r.body.occurrences*.outcome == ['created', 'conflict', 'created', 'refused']
        r.body.occurrences[1].code == 'slot_conflict'
        i(r.body.occurrences[1].conflict.start) == i('2030-03-12T10:30:00+08:00')
        i(r.body.occurrences[1].start) == i('2030-03-12T10:00:00+08:00')
        r.body.occurrences[3].code == 'booking_not_allowed'
        r.body.occurrences[3].errors[0].code == 'beyond_horizon'
        r.body.occurrences[3].errors[0].message == 'bookings open at most 20 days ahead'
        r.body.occurrences[0].booking.seriesId == r.body.seriesId
        r.body.occurrences[2].booking.seriesIndex == 3
        f.count("select count(*) from booking where series_id = ?::uuid", r.body.seriesId) == 2
    }

    def "the requester cancels before the deadline; after it only staff may"() {
        given:
        def nmr = f.instrument()
        f.openRules(nmr, [cancellationDeadlineHours: 24])
        def later = f.book('alice', nmr, '2030-03-06T10:00:00+08:00', '2030-03-06T11:00:00+08:00')
        def soon = f.book('alice', nmr, '2030-03-04T20:00:00+08:00', '2030-03-04T21:00:00+08:00')

        when:
        def ok = f.send('POST', "/api/v1/bookings/${later.body.id}/cancel", 'alice', [note: '样品未到'])
        def late = f.send('POST', "/api/v1/bookings/${soon.body.id}/cancel", 'alice')
        def byOther = f.send('POST', "/api/v1/bookings/${soon.body.id}/cancel", 'bob')
        def byStaff = f.send('POST', "/api/v1/bookings/${soon.body.id}/cancel", 'staff')

        then:
        ok.status == 200 && ok.body.status == 'cancelled'
        late.status == 422
        late.body.errors[0].code == 'cancellation_deadline_passed'
        late.body.errors[0].message == "the cancellation deadline (24 hours before the start) has passed; please contact the instrument's staff"
        byOther.status == 404
        byStaff.status == 200 && byStaff.body.status == 'cancelled'
        f.events(later.body.id as String)*.type == ['booking.requested', 'booking.cancelled']
        f.events(soon.body.id as String)[1].payload.cancelledBy == 'staff'
        f.send('POST', "/api/v1/bookings/${later.body.id}/cancel", 'alice').status == 409   // already cancelled
    }

    def "a cancellation offers the freed slot to the first person waiting, who accepts it"() {
        given:
        def nmr = f.instrument()
        f.openRules(nmr)
        def held = f.book('alice', nmr, '2030-03-06T10:00:00+08:00', '2030-03-06T12:00:00+08:00')
        def bobWaits = f.send('POST', "/api/v1/instruments/${nmr}/waitlist", 'bob',
                [start: '2030-03-06T10:00:00+08:00', end: '2030-03-06T11:00:00+08:00', accountCode: 'P-7'])
        def carolWaits = f.send('POST', "/api/v1/instruments/${nmr}/waitlist", 'carol',
                [start: '2030-03-06T10:00:00+08:00', end: '2030-03-06T12:00:00+08:00'])

        expect:
        bobWaits.status == 201 && bobWaits.body.status == 'waiting'
        carolWaits.status == 201
        f.send('POST', "/api/v1/instruments/${nmr}/waitlist", 'bob',
                [start: '2030-03-06T10:00:00+08:00', end: '2030-03-06T11:00:00+08:00']).status == 409   // once

        when:
        f.send('POST', "/api/v1/bookings/${held.body.id}/cancel", 'alice')
        def bobs = f.send('GET', '/api/v1/waitlist', 'bob').body.items.find { it.id == bobWaits.body.id }
        def carols = f.send('GET', '/api/v1/waitlist', 'carol').body.items.find { it.id == carolWaits.body.id }

        then: 'bob, first in line, holds an offer open for the rules period; carol still waits'
        bobs.status == 'offered'
        bobs.offer.status == 'offered'
        i(bobs.offer.expiresAt) == NOW.plus(Duration.ofMinutes(120))
        carols.status == 'waiting' && carols.offer == null
        def offered = f.events(bobWaits.body.id as String)
        offered*.type == ['waitlist.offered']
        offered[0].payload.offerId == bobs.offer.id
        offered[0].payload.freedBookingId == held.body.id

        expect: 'nobody else can take the offer'
        f.send('POST', "/api/v1/waitlist/offers/${bobs.offer.id}/accept", 'carol').status == 404

        when:
        def accepted = f.send('POST', "/api/v1/waitlist/offers/${bobs.offer.id}/accept", 'bob')

        then:
        accepted.status == 201
        accepted.body.status == 'approved'
        accepted.body.requesterUserId == f.users.bob.toString()
        accepted.body.accountCode == 'P-7'
        accepted.body.waitlistOfferId == bobs.offer.id
        f.send('GET', '/api/v1/waitlist', 'bob').body.items.find { it.id == bobWaits.body.id }.status == 'booked'
        f.send('POST', "/api/v1/waitlist/offers/${bobs.offer.id}/accept", 'bob').status == 409
    }

    def "an expired offer is closed when touched and passes to the next person"() {
        given:
        def nmr = f.instrument()
        f.openRules(nmr, [waitlistOfferMinutes: 30])
        def held = f.book('alice', nmr, '2030-03-06T10:00:00+08:00', '2030-03-06T11:00:00+08:00')
        def bobWaits = f.send('POST', "/api/v1/instruments/${nmr}/waitlist", 'bob', [start: '2030-03-06T10:00:00+08:00', end: '2030-03-06T11:00:00+08:00'])
        def carolWaits = f.send('POST', "/api/v1/instruments/${nmr}/waitlist", 'carol', [start: '2030-03-06T10:00:00+08:00', end: '2030-03-06T11:00:00+08:00'])
        f.send('POST', "/api/v1/bookings/${held.body.id}/cancel", 'alice')
        def offer = f.send('GET', '/api/v1/waitlist', 'bob').body.items.find { it.id == bobWaits.body.id }.offer

        when:
        clock.set(Clock.fixed(NOW.plus(Duration.ofMinutes(31)), ZoneOffset.UTC))
        def late = f.send('POST', "/api/v1/waitlist/offers/${offer.id}/accept", 'bob')
        def carols = f.send('GET', '/api/v1/waitlist', 'carol').body.items.find { it.id == carolWaits.body.id }

        then:
        late.status == 410
        late.body.code == 'offer_expired'
        f.send('GET', '/api/v1/waitlist', 'bob').body.items.find { it.id == bobWaits.body.id }.status == 'withdrawn'
        carols.status == 'offered'
        f.send('POST', "/api/v1/waitlist/offers/${carols.offer.id}/accept", 'carol').status == 201
    }

    def "the sweep expires an offer nobody answers and offers the slot to the next person; a second sweep changes nothing"() {
        given:
        def nmr = f.instrument()
        f.openRules(nmr, [waitlistOfferMinutes: 30])
        Map slot = [start: '2030-03-07T10:00:00+08:00', end: '2030-03-07T11:00:00+08:00']
        def held = f.book('alice', nmr, slot.start, slot.end)
        def bobWaits = f.send('POST', "/api/v1/instruments/${nmr}/waitlist", 'bob', slot)
        def carolWaits = f.send('POST', "/api/v1/instruments/${nmr}/waitlist", 'carol', slot)
        f.send('POST', "/api/v1/bookings/${held.body.id}/cancel", 'alice')

        when: 'the sweep runs before the expiry'
        sweep.expireDue()

        then: 'it leaves the offer open'
        f.send('GET', '/api/v1/waitlist', 'bob').body.items.find { it.id == bobWaits.body.id }.status == 'offered'

        when: 'nobody touches it for 31 minutes'
        clock.set(Clock.fixed(NOW.plus(Duration.ofMinutes(31)), ZoneOffset.UTC))
        int expired = sweep.expireDue()
        def bobs = f.send('GET', '/api/v1/waitlist', 'bob').body.items.find { it.id == bobWaits.body.id }
        def carols = f.send('GET', '/api/v1/waitlist', 'carol').body.items.find { it.id == carolWaits.body.id }

        then: "bob's offer expired without anyone touching it, and carol has the slot on offer"
        expired >= 1
        bobs.status == 'withdrawn'
        bobs.offer.status == 'expired'
        carols.status == 'offered'
        f.count("select count(*) from audit_event where action = 'waitlist.offer_expired' and target_id = ?", bobWaits.body.id as String) == 1

        when: 'the sweep runs again (another instance, or the next minute)'
        sweep.expireDue()

        then: "carol's offer is still open (30 minutes from its own offer) and nothing was expired twice"
        f.send('GET', '/api/v1/waitlist', 'carol').body.items.find { it.id == carolWaits.body.id }.status == 'offered'
        f.count("select count(*) from audit_event where action = 'waitlist.offer_expired' and target_id = ?", bobWaits.body.id as String) == 1
        f.send('POST', "/api/v1/waitlist/offers/${carols.offer.id}/accept", 'carol').status == 201
    }

    def "rescheduling moves the slot under the rules; into a taken slot it is 409"() {
        given:
        def nmr = f.instrument()
        f.openRules(nmr)
        def mine = f.book('alice', nmr, '2030-03-06T10:00:00+08:00', '2030-03-06T11:00:00+08:00')
        def bobs = f.book('bob', nmr, '2030-03-06T14:00:00+08:00', '2030-03-06T15:00:00+08:00')

        when:
        def moved = f.send('POST', "/api/v1/bookings/${mine.body.id}/reschedule", 'alice',
                [start: '2030-03-06T12:00:00+08:00', end: '2030-03-06T13:30:00+08:00'])
        def clash = f.send('POST', "/api/v1/bookings/${mine.body.id}/reschedule", 'alice',
                [start: '2030-03-06T13:00:00+08:00', end: '2030-03-06T14:30:00+08:00'])

        then:
        moved.status == 200
        i(moved.body.start) == i('2030-03-06T12:00:00+08:00')
        moved.body.version == 2
        clash.status == 409
        i(clash.body.conflict.start) == i('2030-03-06T14:00:00+08:00')
        f.send('GET', "/api/v1/bookings/${mine.body.id}", 'alice').body.version == 2   // unchanged by the clash
        f.book('bob', nmr, '2030-03-06T10:00:00+08:00', '2030-03-06T11:00:00+08:00').status == 201   // old slot free
        def ev = f.events(mine.body.id as String)
        ev*.type == ['booking.requested', 'booking.rescheduled']
        ev[1].payload.previousStart == '2030-03-06T02:00:00Z'
        bobs.status == 201
    }

    def "qualification: needed for unattended use, given by training, lost after the expiry period without use or by revocation"() {
        given:
        def nmr = f.instrument()
        f.openRules(nmr, [qualificationRequired: true, authorisationExpiryDays: 30])

        expect: 'without authorisation alice may book only an assisted session, which staff approve'
        f.book('alice', nmr, '2030-03-05T10:00:00+08:00', '2030-03-05T11:00:00+08:00').body.errors[0].code == 'not_authorised'
        f.book('alice', nmr, '2030-03-05T10:00:00+08:00', '2030-03-05T11:00:00+08:00', [assisted: true]).body.status == 'requested'

        when: 'staff record her training and authorise her'
        def training = f.send('POST', "/api/v1/instruments/${nmr}/trainings", 'staff',
                [userId: f.users.alice.toString(), trainedOn: '2030-03-03', notes: '操作培训 2 小时', authorise: true])
        def own = f.send('GET', "/api/v1/instruments/${nmr}/authorisations/${f.users.alice}", 'alice')

        then:
        training.status == 201
        training.body.trainerUserId == f.users.staff.toString()
        own.body.state == 'valid'
        i(own.body.expiresAt) == NOW.plus(Duration.ofDays(30))
        f.send('GET', "/api/v1/instruments/${nmr}/authorisations/${f.users.alice}", 'bob').status == 404
        f.send('GET', "/api/v1/instruments/${nmr}/authorisations", 'staff').body.items*.userId == [f.users.alice.toString()]
        f.send('GET', "/api/v1/instruments/${nmr}/trainings", 'staff').body.items.size() == 1
        f.send('POST', "/api/v1/instruments/${nmr}/trainings", 'alice', [userId: f.users.bob.toString(), trainedOn: '2030-03-03']).status == 403
        f.book('alice', nmr, '2030-03-06T10:00:00+08:00', '2030-03-06T11:00:00+08:00').body.status == 'approved'

        when: '31 days without use'
        clock.set(Clock.fixed(NOW.plus(Duration.ofDays(31)), ZoneOffset.UTC))
        def expired = f.book('alice', nmr, '2030-04-08T10:00:00+08:00', '2030-04-08T11:00:00+08:00')

        then:
        expired.status == 422
        expired.body.errors[0].code == 'authorisation_expired'
        expired.body.errors[0].message == 'your authorisation expired after 30 days without use; please be trained and authorised again'

        when: 'granted again, then revoked'
        def granted = f.send('PUT', "/api/v1/instruments/${nmr}/authorisations/${f.users.alice}", 'staff', [note: '复训'])
        def okAgain = f.book('alice', nmr, '2030-04-08T10:00:00+08:00', '2030-04-08T11:00:00+08:00')
        def revoked = f.send('DELETE', "/api/v1/instruments/${nmr}/authorisations/${f.users.alice}", 'staff')
        def refused = f.book('alice', nmr, '2030-04-09T10:00:00+08:00', '2030-04-09T11:00:00+08:00')

        then:
        granted.body.state == 'valid'
        okAgain.status == 201
        revoked.body.state == 'revoked'
        refused.body.errors[0].code == 'authorisation_revoked'
        f.count("select count(*) from audit_event where action in ('training.recorded', 'authorisation.granted', 'authorisation.revoked') and target_id = ?", nmr.toString()) == 4
    }

    def "check-in counts as use; staff record usage; no-shows block a user after the threshold"() {
        given:
        def nmr = f.instrument()
        f.openRules(nmr, [qualificationRequired: true, authorisationExpiryDays: 30, noShowThreshold: 2, noShowBlockDays: 30])
        f.send('PUT', "/api/v1/instruments/${nmr}/authorisations/${f.users.alice}", 'staff')
        f.send('PUT', "/api/v1/instruments/${nmr}/authorisations/${f.users.bob}", 'staff')
        def used = f.book('alice', nmr, '2030-03-05T10:00:00+08:00', '2030-03-05T11:00:00+08:00')
        def miss1 = f.book('bob', nmr, '2030-03-05T12:00:00+08:00', '2030-03-05T13:00:00+08:00')
        def miss2 = f.book('bob', nmr, '2030-03-05T14:00:00+08:00', '2030-03-05T15:00:00+08:00')

        expect:
        f.send('POST', "/api/v1/bookings/${used.body.id}/check-in", 'alice').body.errors[0].code == 'check_in_window'
        f.send('POST', "/api/v1/bookings/${miss1.body.id}/no-show", 'staff').body.errors[0].code == 'not_started'

        when:
        at('2030-03-05T09:50:00+08:00')
        def checkedIn = f.send('POST', "/api/v1/bookings/${used.body.id}/check-in", 'alice')
        def usage = f.send('POST', "/api/v1/bookings/${used.body.id}/usage", 'staff',
                [start: '2030-03-05T10:02:00+08:00', end: '2030-03-05T10:55:00+08:00', notes: '正常'])
        def usageByUser = f.send('POST', "/api/v1/bookings/${used.body.id}/usage", 'alice',
                [start: '2030-03-05T10:02:00+08:00', end: '2030-03-05T10:55:00+08:00'])

        then:
        checkedIn.body.status == 'checked_in'
        i(f.send('GET', "/api/v1/instruments/${nmr}/authorisations/${f.users.alice}", 'alice').body.lastUsedAt) >= i('2030-03-05T09:50:00+08:00')
        usage.status == 201
        usage.body.userId == f.users.alice.toString()
        usageByUser.status == 403
        f.send('GET', "/api/v1/bookings/${used.body.id}/usage", 'alice').body.items.size() == 1
        f.events(used.body.id as String)*.type == ['booking.requested', 'booking.checked_in']
        f.events(usage.body.id as String)[0].type == 'usage.recorded'
        f.events(usage.body.id as String)[0].payload.minutes == 53

        when:
        at('2030-03-05T16:00:00+08:00')
        def first = f.send('POST', "/api/v1/bookings/${miss1.body.id}/no-show", 'staff')
        def byBob = f.send('POST', "/api/v1/bookings/${miss2.body.id}/no-show", 'bob')
        def second = f.send('POST', "/api/v1/bookings/${miss2.body.id}/no-show", 'staff')
        def blocked = f.book('bob', nmr, '2030-03-06T10:00:00+08:00', '2030-03-06T11:00:00+08:00')

        then:
        first.body.status == 'no_show'
        f.events(miss1.body.id as String)[1].payload.blockedUntil == null
        byBob.status == 403
        second.body.status == 'no_show'
        f.events(miss2.body.id as String)[1].payload.noShows == 2
        f.events(miss2.body.id as String)[1].payload.blockedUntil == '2030-04-04T08:00:00Z'
        blocked.status == 422
        blocked.body.errors[0].code == 'blocked_no_shows'
        blocked.body.errors[0].message.startsWith('after repeated no-shows you may not book this instrument until 2030-04-04T16:00')
        f.book('alice', nmr, '2030-03-06T10:00:00+08:00', '2030-03-06T11:00:00+08:00').status == 201
    }

    def "lists: staff see every booking of an instrument, a member only their own; my bookings"() {
        given:
        def nmr = f.instrument()
        f.openRules(nmr)
        f.book('alice', nmr, '2030-03-05T10:00:00+08:00', '2030-03-05T11:00:00+08:00')
        f.book('bob', nmr, '2030-03-05T12:00:00+08:00', '2030-03-05T13:00:00+08:00')
        String window = 'from=2030-03-05T00:00:00Z&to=2030-03-06T00:00:00Z'

        expect:
        f.send('GET', "/api/v1/instruments/${nmr}/bookings?${window}", 'staff').body.items.size() == 2
        f.send('GET', "/api/v1/instruments/${nmr}/bookings?${window}", 'alice').body.items*.requesterUserId == [f.users.alice.toString()]
        f.send('GET', "/api/v1/bookings?${window}", 'bob').body.items.every { it.requesterUserId == f.users.bob.toString() }
        f.send('GET', "/api/v1/instruments/${nmr}/bookings?from=2030-03-05T00:00:00Z&to=2031-06-01T00:00:00Z", 'staff').status == 400
        f.send('GET', "/api/v1/instruments/${nmr}/bookings?from=yesterday", 'staff').status == 400
    }
}

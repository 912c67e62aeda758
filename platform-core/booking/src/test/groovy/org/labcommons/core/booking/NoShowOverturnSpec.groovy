package org.labcommons.core.booking

import java.time.Clock
import java.time.OffsetDateTime
import java.time.ZoneOffset

/**
 * Staff overturn a no-show (docs/booking.md, "No-shows"): the booking is approved again, the block
 * the no-show helped to cause is lifted, the change is audited and written as
 * {@code booking.no_show_overturned}; the overturned no-show no longer counts toward the next block.
 * The platform's own no-shows ({@link BookingService#noShowBySystem}) carry the system as actor and their reason.
 */
class NoShowOverturnSpec extends BookingSpec {
    void at(String instant) {
        clock.set(Clock.fixed(OffsetDateTime.parse(instant).toInstant(), ZoneOffset.UTC))
    }

    def "staff overturn a no-show: approved again, the block lifted, audited, an event; only staff, only with a reason, only once"() {
        given: 'two no-shows of bob block him (threshold 2)'
        UUID nmr = f.instrument()
        f.openRules(nmr)
        def miss1 = f.book('bob', nmr, '2030-03-04T10:00:00+08:00', '2030-03-04T11:00:00+08:00')
        def miss2 = f.book('bob', nmr, '2030-03-04T12:00:00+08:00', '2030-03-04T13:00:00+08:00')
        at('2030-03-04T14:00:00+08:00')
        assert f.send('POST', "/api/v1/bookings/${miss1.body.id}/no-show", 'staff').body.status == 'no_show'
        assert f.send('POST', "/api/v1/bookings/${miss2.body.id}/no-show", 'staff').body.status == 'no_show'
        assert f.book('bob', nmr, '2030-03-05T10:00:00+08:00', '2030-03-05T11:00:00+08:00').status == 422

        when:
        def byBob = f.send('POST', "/api/v1/bookings/${miss2.body.id}/no-show/overturn", 'bob', [reason: 'I was there'])
        def blank = f.send('POST', "/api/v1/bookings/${miss2.body.id}/no-show/overturn", 'staff', [reason: '  '])
        def byCarolOfB = f.send('POST', "/api/v1/bookings/${miss2.body.id}/no-show/overturn", 'adminB', [reason: 'x'])
        def overturned = f.send('POST', "/api/v1/bookings/${miss2.body.id}/no-show/overturn", 'staff',
                [reason: 'the sensor was unplugged; bob measured all afternoon'])
        def again = f.send('POST', "/api/v1/bookings/${miss2.body.id}/no-show/overturn", 'staff', [reason: 'twice'])
        def notANoShow = f.send('POST', "/api/v1/bookings/${f.book('alice', nmr, '2030-03-06T10:00:00+08:00', '2030-03-06T11:00:00+08:00').body.id}/no-show/overturn", 'staff', [reason: 'x'])

        then:
        byBob.status == 403
        blank.status == 400
        blank.body.code == 'validation_failed'
        blank.body.errors*.field == ['reason']
        byCarolOfB.status == 404
        overturned.status == 200
        overturned.body.status == 'approved'
        overturned.body.noShowOverturnedAt != null
        again.status == 409
        again.body.code == 'wrong_state'
        notANoShow.status == 409

        and: 'the block is gone and bob may book again'
        f.count('select count(*) from booking_block where instrument_id = ? and user_id = ?', nmr, f.users.bob) == 0
        f.book('bob', nmr, '2030-03-05T10:00:00+08:00', '2030-03-05T11:00:00+08:00').status == 201

        and: 'an event and an audit entry name the reason and the lifted block'
        def event = f.events(miss2.body.id as String).last()
        event.type == 'booking.no_show_overturned'
        event.topic == 'booking.v1'
        event.payload.status == 'approved'
        event.payload.reason == 'the sensor was unplugged; bob measured all afternoon'
        event.payload.overturnedBy == f.users.staff.toString()
        event.payload.liftedBlockUntil == '2030-04-03T06:00:00Z'
        f.count("select count(*) from audit_event where action = 'booking.no_show_overturned' and target_id = ? " +
                "and details->>'reason' = 'the sensor was unplugged; bob measured all afternoon' " +
                "and details->'liftedBlock'->>'noShows' = '2' and actor_subject like 'staff-%'", miss2.body.id as String) == 1
    }

    def "an overturned no-show counts no more: the next block needs another no-show; a system no-show names its reason"() {
        given: 'threshold 2: no-shows 1 and 2 block bob, then 2 is overturned'
        UUID nmr = f.instrument()
        f.openRules(nmr)
        def miss1 = f.book('bob', nmr, '2030-03-04T10:00:00+08:00', '2030-03-04T11:00:00+08:00')
        def miss2 = f.book('bob', nmr, '2030-03-04T12:00:00+08:00', '2030-03-04T13:00:00+08:00')
        def miss3 = f.book('bob', nmr, '2030-03-04T14:00:00+08:00', '2030-03-04T15:00:00+08:00')
        at('2030-03-04T13:30:00+08:00')
        f.send('POST', "/api/v1/bookings/${miss1.body.id}/no-show", 'staff')
        f.send('POST', "/api/v1/bookings/${miss2.body.id}/no-show", 'staff')
        at('2030-03-04T13:40:00+08:00')
        f.send('POST', "/api/v1/bookings/${miss2.body.id}/no-show/overturn", 'staff', [reason: 'excused'])

        when: 'the platform marks the third one'
        at('2030-03-04T16:00:00+08:00')
        def third = ctx.getBean(BookingService).noShowBySystem(f.tenantA, UUID.fromString(miss3.body.id as String), 'no_usage_measured')

        then: 'two no-shows since the (lifted) block: blocked again'
        third.status() == 'no_show'
        f.events(miss3.body.id as String).last().payload.noShows == 2
        f.events(miss3.body.id as String).last().payload.reason == 'no_usage_measured'
        f.count('select count(*) from booking_block where instrument_id = ? and user_id = ? and blocked_until > ?',
                nmr, f.users.bob, java.sql.Timestamp.from(clock.now())) == 1
        f.count("select count(*) from audit_event where action = 'booking.no_show' and target_id = ? " +
                "and actor_subject = 'system' and details->>'reason' = 'no_usage_measured'", miss3.body.id as String) == 1
    }
}

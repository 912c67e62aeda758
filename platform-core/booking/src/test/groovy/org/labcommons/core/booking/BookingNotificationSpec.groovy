package org.labcommons.core.booking

import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource
import io.micronaut.json.JsonMapper
import jakarta.inject.Inject
import org.labcommons.core.booking.notify.NotificationMailRelay
import org.labcommons.core.booking.notify.ReminderSweep
import org.labcommons.core.mail.MailSettings
import org.labcommons.devstack.SharedDevStack

import javax.sql.DataSource
import java.time.Clock
import java.time.Duration
import java.time.Instant
import java.time.ZoneOffset

/**
 * Booking notifications: an in-app notice for every transition (requested to the staff,
 * approved, rejected, cancelled, the waitlist offer and the reminder to the user), written with
 * the change; mail sent after commit by the relay in the recipient's language and received by the
 * development SMTP server (GreenMail), kept and retried while the mail server refuses it; the
 * reminder sweep writes one reminder per booking version however often (and however many
 * instances) it runs. The scheduled relay and sweep are off here: the features run them.
 */
class BookingNotificationSpec extends BookingSpec {
    @Inject DataSource dataSource
    @Inject JsonMapper json
    @Inject NotificationMailRelay relay
    @Inject ReminderSweep sweep
    @Inject MailSettings mailSettings

    @Override
    Map<String, String> ownProperties() {
        ['labcommons.booking.notifications.relay-enabled': 'false',
         'labcommons.booking.notifications.reminder-enabled': 'false',
         'labcommons.booking.waitlist.sweep-enabled': 'false']
    }

    @Override
    void arrangeOnce() {
        DelegatingDataSource.unwrapDataSource(dataSource).connection.withCloseable { c ->
            ['alice': 'Alice Wang', 'bob': 'Bob Li', 'staff': 'Staff Zhou'].each { who, name ->
                def ps = c.prepareStatement('update user_account set display_name = ?, email = ? where id = ?')
                ps.setString(1, name); ps.setString(2, mail(who)); ps.setObject(3, f.users[who]); ps.executeUpdate()
            }
        }
        assert f.send('PUT', '/api/v1/notifications/language', 'alice', [language: 'en']).status == 204
    }

    def setup() {
        mailSettings.enabled = true
    }

    def cleanup() {
        mailSettings.enabled = true
    }

    String mail(String who) { "${who}-${f.run}@bk.example".toString() }

    void at(Instant instant) { clock.set(Clock.fixed(instant, ZoneOffset.UTC)) }

    /** Notices of one booking (or offer) for a user, in the reader's language. */
    List<Map> notices(String who, Object id, String lang = 'en') {
        f.send('GET', '/api/v1/notifications', who, null, ['Accept-Language': lang]).body.items
                .findAll { it.bookingId == id || it.offerId == id }
    }

    def "every transition writes its notice with the change: requested to the staff, decisions and cancellations to the requester"() {
        given:
        def nmr = f.instrument()
        f.openRules(nmr, [approvalPolicy: 'always'])

        when: 'alice asks for a slot that needs approval'
        def b1 = f.book('alice', nmr, '2030-03-05T10:00:00+08:00', '2030-03-05T11:00:00+08:00').body

        then: "the lab's staff are told, in their language (zh-CN unless known), and no one else"
        with(notices('staff', b1.id, 'zh-CN')) {
            size() == 1
            it[0].kind == 'booking.requested'
            it[0].title == '新的预约申请待审批：核磁'
            it[0].text == 'Alice Wang 申请预约 核磁，时间 2030-03-05 10:00 至 2030-03-05 11:00（Asia/Shanghai）。请审批。'
            !it[0].read
        }
        notices('staff', b1.id)[0].title == 'Booking request to approve: NMR'
        notices('admin', b1.id).isEmpty()
        notices('alice', b1.id).isEmpty()
        f.count("select count(*) from notification where booking_id = ?::uuid and email_status = 'pending' and email_to = ?",
                b1.id, mail('staff')) == 1

        when: 'staff approve it, reject another and cancel a third'
        f.send('POST', "/api/v1/bookings/${b1.id}/approve", 'staff', [note: 'See you'])
        def b2 = f.book('alice', nmr, '2030-03-06T10:00:00+08:00', '2030-03-06T11:00:00+08:00').body
        f.send('POST', "/api/v1/bookings/${b2.id}/reject", 'staff', [note: 'Sample not safe'])
        def b3 = f.book('alice', nmr, '2030-03-07T10:00:00+08:00', '2030-03-07T11:00:00+08:00').body
        f.send('POST', "/api/v1/bookings/${b3.id}/cancel", 'staff', [note: 'Maintenance'])

        then:
        notices('alice', b1.id)*.kind == ['booking.approved']
        notices('alice', b1.id)[0].text == 'Your booking of NMR from 2030-03-05 10:00 to 2030-03-05 11:00 (Asia/Shanghai) is approved. See you'
        notices('alice', b2.id)*.kind == ['booking.rejected']
        notices('alice', b2.id)[0].text.endsWith('was not approved. Sample not safe')
        notices('alice', b3.id)*.kind == ['booking.cancelled']
        notices('staff', b3.id)*.kind == ['booking.requested']          // staff cancelled it: not told again

        when: 'bob waits for a slot alice holds, and alice cancels it'
        def b4 = f.book('alice', nmr, '2030-03-08T10:00:00+08:00', '2030-03-08T11:00:00+08:00').body
        def entry = f.send('POST', "/api/v1/instruments/${nmr}/waitlist", 'bob', [start: '2030-03-08T10:00:00+08:00', end: '2030-03-08T11:00:00+08:00'])
        assert entry.status == 201
        f.send('POST', "/api/v1/bookings/${b4.id}/cancel", 'alice')
        def offer = f.send('GET', '/api/v1/waitlist', 'bob').body.items.find { it.id == entry.body.id }.offer

        then: 'alice and the staff are told of the cancellation, bob of the offer'
        notices('alice', b4.id)*.kind == ['booking.cancelled']
        notices('staff', b4.id)*.kind.sort() == ['booking.cancelled', 'booking.requested']
        with(notices('bob', offer.id)) {
            size() == 1
            it[0].kind == 'waitlist.offered'
            it[0].title == 'A slot you waited for is free: NMR'
            it[0].text.contains('from 2030-03-08 10:00 to 2030-03-08 11:00')
        }

        when: 'alice reads one notice'
        def notice = notices('alice', b1.id)[0]
        def read = f.send('POST', "/api/v1/notifications/${notice.id}/read", 'alice')
        def unread = f.send('GET', '/api/v1/notifications?unread=true', 'alice').body

        then:
        read.status == 204
        notices('alice', b1.id)[0].read
        !unread.items*.id.contains(notice.id)
        unread.unread == unread.items.size()
        f.send('POST', "/api/v1/notifications/${notice.id}/read", 'alice').status == 204   // again: no change
        f.send('POST', "/api/v1/notifications/${notice.id}/read", 'bob').status == 404
        f.send('POST', "/api/v1/notifications/${UUID.randomUUID()}/read", 'alice').status == 404
        f.send('PUT', '/api/v1/notifications/language', 'bob', [language: 'fr']).status == 400
    }

    def "mail goes out after commit in the recipient's language, and is kept and retried while the mail server is down"() {
        given:
        def nmr = f.instrument()
        f.openRules(nmr, [approvalPolicy: 'always'])
        def b = f.book('alice', nmr, '2030-03-09T10:00:00+08:00', '2030-03-09T12:00:00+08:00').body

        when: 'the relay runs'
        relay.sendDue()
        def toStaff = SharedDevStack.get().mail().await({ it.to().contains(mail('staff')) && it.text().contains('2030-03-09') }, Duration.ofSeconds(10))

        then: 'the staff get it in Chinese (their language is not known)'
        toStaff != null
        toStaff.subject() == '新的预约申请待审批：核磁'
        toStaff.text().contains('Alice Wang 申请预约 核磁，时间 2030-03-09 10:00 至 2030-03-09 12:00')
        f.count("select count(*) from notification where booking_id = ?::uuid and email_status = 'sent' and email_attempts = 1 and email_next_at is null", b.id) == 1

        when: 'the mail server refuses mail while staff approve'
        mailSettings.enabled = false
        f.send('POST', "/api/v1/bookings/${b.id}/approve", 'staff')
        relay.sendDue()

        then: 'the approval stands, its mail stays pending with the error, to be tried again later'
        f.send('GET', "/api/v1/bookings/${b.id}", 'alice').body.status == 'approved'
        f.count("select count(*) from notification where booking_id = ?::uuid and kind = 'booking.approved' and email_status = 'pending' " +
                "and email_attempts = 1 and email_error is not null and email_next_at > ?", b.id, java.sql.Timestamp.from(NOW)) == 1

        when: 'the mail server is back, but the retry is not due yet'
        mailSettings.enabled = true
        relay.sendDue()

        then:
        f.count("select count(*) from notification where booking_id = ?::uuid and kind = 'booking.approved' and email_status = 'pending'", b.id) == 1

        when: 'two minutes later'
        at(NOW.plusSeconds(120))
        relay.sendDue()
        def toAlice = SharedDevStack.get().mail().await({ it.to().contains(mail('alice')) && it.subject() == 'Booking approved: NMR' }, Duration.ofSeconds(10))

        then: 'alice gets it in English, once'
        toAlice != null
        toAlice.text() .contains('Your booking of NMR from 2030-03-09 10:00 to 2030-03-09 12:00 (Asia/Shanghai) is approved.')
        f.count("select count(*) from notification where booking_id = ?::uuid and kind = 'booking.approved' and email_status = 'sent' and email_attempts = 2", b.id) == 1
        relay.sendDue() >= 0
        SharedDevStack.get().mail().messagesTo(mail('alice')).count { it.subject() == 'Booking approved: NMR' && it.text().contains('2030-03-09') } == 1
    }

    def "the reminder sweep reminds each approved booking once per version, however often and in however many instances it runs"() {
        given: 'approved bookings 20 and 30 hours ahead (lead: 24 hours), and a cancelled one 10 hours ahead'
        def nmr = f.instrument()
        f.openRules(nmr, [approvalPolicy: 'never'])
        def soon = f.book('alice', nmr, '2030-03-04T20:00:00Z', '2030-03-04T21:00:00Z').body
        def later = f.book('alice', nmr, '2030-03-05T06:00:00Z', '2030-03-05T07:00:00Z').body
        def cancelled = f.book('bob', nmr, '2030-03-04T10:00:00Z', '2030-03-04T11:00:00Z').body
        assert f.send('POST', "/api/v1/bookings/${cancelled.id}/cancel", 'staff').status == 200
        assert soon.status == 'approved' && later.status == 'approved'
        String reminders = "select count(*) from notification where booking_id = ?::uuid and kind = 'booking.reminder'"

        when: 'four sweeps run at once, then one more'
        def threads = (1..4).collect { Thread.start { sweep.remindDue() } }
        threads*.join()
        sweep.remindDue()

        then: 'one reminder for the booking within the lead time, none for the one beyond it'
        f.count(reminders, soon.id) == 1
        f.count(reminders, later.id) == 0
        with(notices('alice', soon.id).find { it.kind == 'booking.reminder' }) {
            title == 'Reminder: NMR'
            text == 'Reminder: your booking of NMR starts at 2030-03-05 04:00 and ends at 2030-03-05 05:00 (Asia/Shanghai).'
        }

        when: 'seven hours later the second is due; staff move the first (a new version)'
        at(NOW.plus(Duration.ofHours(7)))
        assert f.send('POST', "/api/v1/bookings/${soon.id}/reschedule", 'staff', [start: '2030-03-04T22:00:00Z', end: '2030-03-04T23:00:00Z']).status == 200
        sweep.remindDue()
        sweep.remindDue()

        then:
        f.count(reminders, later.id) == 1
        f.count(reminders, soon.id) == 2
        f.count(reminders, cancelled.id) == 0

        when: 'the relay sends the reminders'
        relay.sendDue()

        then:
        SharedDevStack.get().mail().await({ it.to().contains(mail('alice')) && it.text().contains('starts at 2030-03-05 14:00') }, Duration.ofSeconds(10)) != null
    }
}

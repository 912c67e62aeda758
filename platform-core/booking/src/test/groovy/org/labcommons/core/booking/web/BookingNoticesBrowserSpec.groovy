package org.labcommons.core.booking.web

import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource
import jakarta.inject.Inject
import org.labcommons.core.booking.BookingSpec
import org.labcommons.core.booking.notify.NotificationMailRelay
import org.labcommons.core.mail.MailSettings
import org.labcommons.devstack.SharedDevStack
import org.labcommons.testkit.Browser

import javax.sql.DataSource
import java.time.Duration

/**
 * Approval notices in headless Chromium, in Chinese, at a phone's and a desktop's width: the
 * staff's notice of a new request leads to the approval queue, where the request's card shows the
 * instrument's day around the requested slot (a read-only strip of the bookings before and after
 * it); the staff approve there; the requester finds the approval among her notices, linked to the
 * booking in "my bookings", and gets it by mail (received by the development SMTP server).
 */
class BookingNoticesBrowserSpec extends BookingSpec {
    @Inject DataSource dataSource
    @Inject NotificationMailRelay relay
    @Inject MailSettings mailSettings
    Browser browser = Browser.get()

    @Override
    void arrangeOnce() {
        DelegatingDataSource.unwrapDataSource(dataSource).connection.withCloseable { c ->
            ['alice', 'staff'].each { who ->
                def ps = c.prepareStatement('update user_account set email = ? where id = ?')
                ps.setString(1, mail(who)); ps.setObject(2, f.users[who]); ps.executeUpdate()
            }
        }
    }

    def setup() {
        mailSettings.enabled = true
        browser.reset()
    }

    String mail(String who) { "${who}-${f.run}@notices.example".toString() }

    String app(String path) { "http://localhost:${server.port}${path}" }

    void signIn(String who, String size, String returnTo) {
        browser.reset()
        size == 'phone' ? browser.phone() : browser.desktop()
        browser.signIn(app(''), f.issuerNames.a, "${who}-${f.run}".toString(), returnTo)
    }

    def "the staff notice leads to the queue, whose card shows the requested slot in its day; the requester is told in the app and by mail (#size)"() {
        given: 'an instrument whose bookings need approval: bob holds 08:00-10:00 (approved), alice asks for 10:00-12:00, carol for 14:00-15:00'
        def nmr = f.instrument()
        f.openRules(nmr, [approvalPolicy: 'always'])
        def bob = f.book('bob', nmr, "${day}T08:00:00+08:00", "${day}T10:00:00+08:00").body
        assert f.send('POST', "/api/v1/bookings/${bob.id}/approve", 'staff').status == 200
        def asked = f.book('alice', nmr, "${day}T10:00:00+08:00", "${day}T12:00:00+08:00").body
        def later = f.book('carol', nmr, "${day}T14:00:00+08:00", "${day}T15:00:00+08:00").body
        String staffNotice = "#notification-list li.notice-item[data-booking='${asked.id}'][data-kind='booking.requested']"
        String card = "#queue-${asked.id}"

        when: 'the staff open their notifications'
        signIn('staff', size, '/notifications?lang=zh-CN')

        then: 'the notice of the new request leads to the approval queue, at its card'
        browser.text("${staffNotice} .notice-title") == '新的预约申请待审批：核磁'
        browser.text("${staffNotice} a.notice-link") == '去审批'
        browser.attribute("${staffNotice} a.notice-link", 'href') == "/staff/bookings#queue-${asked.id}".toString()
        browser.assertNoHorizontalScroll()
        browser.screenshot("notice-staff-request-links-queue-zh-${size}")

        when: 'they follow it'
        browser.submit("${staffNotice} a.notice-link")

        then: "the queue, with the request's card showing the instrument's day around the slot"
        browser.pathAndQuery() == '/staff/bookings'
        browser.exists("#queue li.request${card}")
        browser.text("${card} .day-label") == "该仪器 ${day} 当天的预约".toString()
        browser.findAll("${card} .day-strip-list li")*.getDomAttribute('data-id') == [bob.id, asked.id, later.id]
        List<String> lines = browser.texts("${card} .day-strip-list li")
        lines[0].startsWith('08:00–10:00 · 已批准')
        lines[1] == '10:00–12:00 · 本次申请'
        lines[2].startsWith('14:00–15:00 · 待审批')
        browser.findAll("${card} .day-strip .strip-item").size() == 3
        browser.attribute("${card} .day-strip .strip-item.this", 'data-id') == asked.id
        browser.attribute("${card} .day-strip .strip-item.this", 'style').replace(' ', '').contains('left:41.67%;width:8.33%')
        browser.assertNoHorizontalScroll()
        browser.screenshot("approval-card-day-strip-zh-${size}")

        when: 'they approve it there'
        browser.submit("${card} form.approve button")

        then:
        browser.text('#done') == '预约已批准。'
        !browser.exists(card)

        when: 'the mail relay runs'
        relay.sendDue()
        def mailed = SharedDevStack.get().mail().await({ it.to().contains(mail('alice')) && it.subject().startsWith('预约已批准') &&
                it.text().contains("${day} 10:00".toString()) }, Duration.ofSeconds(15))

        then: 'alice is told by mail'
        mailed != null
        mailed.subject() == '预约已批准：核磁'

        when: 'alice opens her notifications'
        signIn('alice', size, '/notifications?lang=zh-CN')
        String approved = "#notification-list li.notice-item[data-booking='${asked.id}'][data-kind='booking.approved']"

        then: 'the approval is there, linked to the booking'
        browser.text("${approved} .notice-title") == '预约已批准：核磁'
        browser.text("${approved} .notice-text").contains("${day} 10:00".toString())
        browser.text("${approved} a.notice-link") == '查看这条预约'
        browser.assertNoHorizontalScroll()
        browser.screenshot("notice-approved-in-app-zh-${size}")

        when: 'she follows it'
        browser.submit("${approved} a.notice-link")

        then: 'her list, at that booking, approved'
        browser.pathAndQuery() == '/my/bookings'
        browser.url().endsWith("#booking-${asked.id}")
        browser.attribute("#booking-${asked.id}", 'data-status') == 'approved'
        browser.text("#booking-${asked.id} .status") == '已批准'
        browser.assertNoHorizontalScroll()
        browser.screenshot("notice-approved-opens-booking-zh-${size}")

        where:
        size      | day
        'phone'   | '2030-03-12'
        'desktop' | '2030-03-13'
    }
}

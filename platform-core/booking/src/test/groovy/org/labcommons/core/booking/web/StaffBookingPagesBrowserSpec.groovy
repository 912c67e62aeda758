package org.labcommons.core.booking.web

import io.micronaut.json.JsonMapper
import jakarta.inject.Inject
import org.labcommons.core.booking.BookingFixture
import org.labcommons.core.booking.BookingSpec
import org.labcommons.devstack.SharedDevStack
import org.labcommons.core.web.auth.WebSessions
import org.labcommons.testkit.Browser
import org.labcommons.testkit.IsolationProbe
import org.openqa.selenium.support.ui.Select

import java.time.Instant

/**
 * The staff's booking pages in headless Chromium, signed in through the identity provider as the
 * lab's instrument admin of {@link BookingFixture}'s institution A: the approval queue (outside
 * users marked, approve, reject with a reason, a stale approval refused with a clear notice, usage
 * recorded), training and authorisation (a training recorded with authorisation, after which the
 * user books unattended; revoked again), maintenance windows and rules, booking on behalf of
 * someone at a phone's width, and the forbidden and not-found pages for people who are not staff.
 */
class StaffBookingPagesBrowserSpec extends BookingSpec {
    @Inject JsonMapper json
    @Inject WebSessions sessions
    Browser browser = Browser.get()

    def setup() {
        browser.reset()
    }

    String app(String path) { "http://localhost:${server.port}${path}" }

    void signIn(String who, String returnTo) {
        String key = who in ['adminB', 'carol'] ? 'b' : 'a'
        browser.signIn(app(''), f.issuerNames[key], "${who}-${f.run}".toString(), returnTo)
    }

    String row(String id) { "#queue li.request[data-id='${id}']" }

    def "staff see the pending requests, approve one, reject one with a reason, meet a stale approval and record usage (English)"() {
        given: 'an instrument whose bookings all need approval, and three requests: two members and an outside user'
        def nmr = f.instrument()
        f.openRules(nmr, [approvalPolicy: 'always'])
        def first = f.book('alice', nmr, '2030-03-05T10:00:00+08:00', '2030-03-05T12:00:00+08:00',
                [assisted: true, purpose: 'Crystal structure', accountCode: 'NSFC-21']).body
        def second = f.book('bob', nmr, '2030-03-05T14:00:00+08:00', '2030-03-05T15:00:00+08:00', [assisted: true]).body
        def third = f.book('carol', nmr, '2030-03-06T09:00:00+08:00', '2030-03-06T10:00:00+08:00', [assisted: true]).body
        assert [first, second, third]*.status == ['requested'] * 3

        when: 'the instrument admin signs in; the navigation leads to the desk with the number waiting'
        signIn('staff', '/?lang=en')
        def pending = browser.openNav().text('#nav a[href="/staff/bookings"] .nav-badge')
        browser.followNav('/staff/bookings')

        then: 'oldest request first, with everything staff need to decide'
        browser.text('h1') == 'Booking desk'
        pending == browser.text('#queue-count')
        browser.findAll('#queue li.request')*.getDomAttribute('data-id').findAll { it in [first.id, second.id, third.id] } == [first.id, second.id, third.id]
        browser.text("${row(first.id)} .slot") == '2030-03-05 10:00 – 2030-03-05 12:00'
        browser.text("${row(first.id)} .requester .name") == "alice-${f.run}".toString()
        browser.text("${row(first.id)} .purpose") == 'Crystal structure'
        browser.text("${row(first.id)} .account") == 'NSFC-21'
        browser.text("${row(first.id)} .rate-group") == 'internal'
        browser.text("${row(first.id)} .assisted") == 'Yes'
        !browser.exists("${row(first.id)} .outside")
        browser.text("${row(third.id)} .home").contains('Booking b')
        browser.text("${row(third.id)} .outside") == 'Outside user'
        browser.text("${row(third.id)} .rate-group") == 'external'
        browser.text('#zone-note') == 'Times are in Asia/Shanghai'
        browser.screenshot('staff-desk-en')

        when: 'the first is approved'
        browser.submit("${row(first.id)} form.approve button")

        then: 'back on the desk with a notice; the booking is approved and among the coming ones'
        browser.text('#done') == 'The booking was approved.'
        !browser.exists(row(first.id))
        browser.exists("#upcoming li.upcoming[data-id='${first.id}'][data-status='approved']")
        f.send('GET', "/api/v1/bookings/${first.id}", 'alice').body.status == 'approved'

        when: 'the second is rejected with a reason'
        browser.click("${row(second.id)} details.reject summary")
        browser.type("#note-${second.id}", 'Calibration that afternoon')
        browser.submit("${row(second.id)} details.reject button")

        then:
        browser.text('#done') == 'The booking was rejected and the requester told.'
        def rejected = f.send('GET', "/api/v1/bookings/${second.id}", 'bob').body
        rejected.status == 'rejected'
        rejected.decisionNote == 'Calibration that afternoon'

        when: 'the third is moved by someone else while the page is open, then approved from the old page'
        assert f.send('POST', "/api/v1/bookings/${third.id}/reschedule", 'admin',
                [start: '2030-03-06T11:00:00+08:00', end: '2030-03-06T12:00:00+08:00']).status == 200
        browser.submit("${row(third.id)} form.approve button")

        then: 'nothing happens to it and the notice says why'
        browser.text('#done').startsWith('This booking was changed or decided meanwhile')
        f.send('GET', "/api/v1/bookings/${third.id}", 'carol').body.status == 'requested'
        browser.text("${row(third.id)} .slot") == '2030-03-06 11:00 – 2030-03-06 12:00'

        when: 'usage of the approved booking is recorded'
        def upcoming = "#upcoming li.upcoming[data-id='${first.id}']"
        browser.click("${upcoming} details.usage summary")
        browser.js("document.querySelector('#usage-start-${first.id}').value = '2030-03-05T10:05'")
        browser.js("document.querySelector('#usage-end-${first.id}').value = '2030-03-05T11:50'")
        browser.type("#usage-notes-${first.id}", 'Ran 3 samples')
        browser.submit("${upcoming} details.usage button")

        then: 'a usage record linked to the booking, in the tenant zone'
        browser.text('#done') == 'The usage record was saved.'
        browser.exists("${upcoming} .usage-recorded")
        def usage = f.send('GET', "/api/v1/bookings/${first.id}/usage", 'staff').body.items
        usage.size() == 1
        usage[0].notes == 'Ran 3 samples'
        java.time.OffsetDateTime.parse(usage[0].start as String).toInstant() == Instant.parse('2030-03-05T02:05:00Z')

        cleanup:
        browser.screenshot('staff-desk-en-after')
    }

    def "staff record a training with authorisation, then the user books unattended; revoked again, and maintenance is planned (Chinese)"() {
        given: 'unattended use needs an authorisation; bob has none'
        def tem = f.instrument()
        f.openRules(tem, [qualificationRequired: true])
        assert f.book('bob', tem, '2030-03-05T10:00:00+08:00', '2030-03-05T11:00:00+08:00').body.errors*.code == ['not_authorised']

        when: 'the staff open the instrument from the desk (the browser asks for Chinese)'
        signIn('staff', "/staff/bookings?instrument=${tem}")
        browser.submit('#qualifications-link')

        then:
        browser.attribute('html', 'lang') == 'zh-CN'
        browser.text('h1').startsWith('培训与授权')
        browser.text('#auth-empty') == '尚无授权用户。'
        browser.text('#rule-qualification') == '是'

        when: 'a training of bob is recorded, authorising him at once (the trainer is the staff member)'
        browser.type('#tr-person', "bob-${f.run}")
        browser.js("document.querySelector('#tr-date').value = '2030-03-03'")
        browser.type('#tr-notes', '安全培训与操作考核')
        browser.submit('#tr-submit')

        then:
        browser.text('#done') == '已授权。'
        browser.text("#auth-table tr[data-user='${f.users.bob}'] .state") == '有效'
        browser.text('#trainings').contains('安全培训与操作考核')
        browser.text('#trainings').contains("staff-${f.run}")

        and: 'bob now books unattended'
        def booked = f.book('bob', tem, '2030-03-05T10:00:00+08:00', '2030-03-05T11:00:00+08:00')
        booked.status == 201
        !booked.body.assisted

        when: 'an unknown person is typed'
        browser.type('#gr-person', 'nobody@example.org')
        browser.submit('#gr-submit')

        then: 'the form says so, in Chinese'
        browser.text('#grant-form .field-error') == '本单位找不到该用户（请填写邮箱、登录名或用户编号）'

        when: "bob's authorisation is revoked"
        browser.submit("#auth-table tr[data-user='${f.users.bob}'] form.revoke button")

        then:
        browser.text('#done') == '授权已撤销。'
        browser.text("#auth-table tr[data-user='${f.users.bob}'] .state") == '已撤销'
        f.book('bob', tem, '2030-03-06T10:00:00+08:00', '2030-03-06T11:00:00+08:00').body.errors*.code == ['authorisation_revoked']

        when: 'a maintenance window is added over a free morning'
        browser.click('#maintenance details summary')
        browser.js("document.querySelector('#mw-start').value = '2030-03-07T08:00'")
        browser.js("document.querySelector('#mw-end').value = '2030-03-07T12:00'")
        browser.type('#mw-reason', '更换液氦')
        browser.submit('#mw-submit')

        then: 'it is listed and blocks the calendar'
        browser.text('#done') == '维护时段已添加。'
        browser.text('#maintenance li.window .slot') == '2030-03-07 08:00 – 2030-03-07 12:00'
        f.send('GET', "/api/v1/instruments/${tem}/busy?from=2030-03-07T00:00:00Z&to=2030-03-08T00:00:00Z", 'alice').body.items*.kind == ['maintenance']

        when: 'it is removed again'
        browser.submit('#maintenance li.window form.remove-window button')

        then:
        browser.text('#done') == '维护时段已删除。'
        browser.exists('#maintenance-empty')

        cleanup:
        browser.screenshot('staff-qualifications-zh')
    }

    def "the rules form saves the main fields and keeps the others"() {
        given:
        def xrd = f.instrument()
        f.openRules(xrd, [maxFutureBookings: 7, closures: [[from: '2030-05-01', to: '2030-05-03', reason: 'holiday']]])

        when:
        signIn('staff', "/staff/instruments/${xrd}/qualifications?lang=en")
        browser.click('#rules-editor summary')
        browser.type('#rh-monday', '09:00-12:00, 13:00-18:00')
        browser.type('#rh-sunday', '')
        browser.type('#r-bufferMinutes', '15')
        new Select(browser.find('#r-approvalPolicy')).selectByValue('always')
        browser.submit('#rules-submit')

        then:
        browser.text('#done') == 'The booking rules were saved.'
        browser.text('#rule-approval') == 'Always'
        def rules = f.send('GET', "/api/v1/instruments/${xrd}/booking-rules", 'staff').body
        rules.weeklyHours.monday == [[from: '09:00', to: '12:00'], [from: '13:00', to: '18:00']]
        rules.bufferMinutes == 15
        rules.approvalPolicy == 'always'
        rules.maxFutureBookings == 7
        rules.closures*.reason == ['holiday']

        when: 'unreadable hours'
        browser.click('#rules-editor summary')
        browser.type('#rh-tuesday', 'mornings')
        browser.submit('#rules-submit')

        then:
        browser.text('#rules-form .field-error') == 'Write it as 08:00-12:00, 13:00-20:00'
        f.send('GET', "/api/v1/instruments/${xrd}/booking-rules", 'staff').body.version == rules.version
    }

    def "on a phone the desk and the instrument page do not scroll sideways, and staff book for someone there"() {
        given:
        def afm = f.instrument()
        f.openRules(afm, [approvalPolicy: 'always'])
        f.book('carol', afm, '2030-03-05T10:00:00+08:00', '2030-03-05T12:00:00+08:00', [assisted: true, purpose: '一段很长的用途说明' * 8])

        when:
        signIn('staff', "/staff/bookings?instrument=${afm}")
        browser.phone()
        browser.open(app("/staff/bookings?instrument=${afm}"))

        then:
        browser.viewportWidth() == 390
        browser.assertNoHorizontalScroll()

        when: 'the on-behalf form is opened and filled in'
        browser.click('#on-behalf summary')
        browser.assertNoHorizontalScroll()
        new Select(browser.find('#ob-instrument')).selectByValue(afm.toString())
        browser.type('#ob-person', "alice-${f.run}")
        browser.js("document.querySelector('#ob-start').value = '2030-03-06T14:00'")
        browser.js("document.querySelector('#ob-end').value = '2030-03-06T15:00'")
        browser.click('#ob-assisted')
        browser.submit('#ob-submit')

        then: "alice's booking, approved"
        browser.text('#done') == '已代为预约。'
        def mine = f.send('GET', '/api/v1/bookings?from=2030-03-06T00:00:00Z&to=2030-03-07T00:00:00Z', 'alice').body.items
        mine.find { it.instrumentId == afm.toString() }?.status == 'approved'
        browser.assertNoHorizontalScroll()

        when: 'a slot that is taken'
        browser.click('#on-behalf summary')
        new Select(browser.find('#ob-instrument')).selectByValue(afm.toString())
        browser.type('#ob-person', "bob-${f.run}")
        browser.js("document.querySelector('#ob-start').value = '2030-03-06T14:30'")
        browser.js("document.querySelector('#ob-end').value = '2030-03-06T15:30'")
        browser.click('#ob-assisted')
        browser.submit('#ob-submit')

        then: 'the conflict is named, what was typed kept'
        browser.text('#conflict') == '该时段已被占用（2030-03-06 14:00 至 2030-03-06 15:00）。'
        browser.attribute('#ob-person', 'value') == "bob-${f.run}".toString()
        browser.assertNoHorizontalScroll()

        when:
        browser.open(app("/staff/instruments/${afm}/qualifications"))

        then:
        browser.assertNoHorizontalScroll()

        cleanup:
        browser.screenshot('staff-phone')
    }

    def "people who are not staff get the forbidden page; another institution's admin sees nothing of A"() {
        given:
        def gc = f.instrument()
        f.openRules(gc, [approvalPolicy: 'always'])
        def request = f.book('alice', gc, '2030-03-05T10:00:00+08:00', '2030-03-05T11:00:00+08:00', [assisted: true]).body

        when: 'a plain member'
        signIn('alice', '/?lang=en')

        then: 'no desk in the navigation, and the pages are forbidden'
        !browser.exists('#nav a[href="/staff/bookings"]')

        when:
        browser.open(app('/staff/bookings?lang=en'))

        then:
        browser.text('#forbidden') == 'You may not open this page'
        !browser.pageText().contains('Waiting for approval')

        when:
        browser.open(app("/staff/instruments/${gc}/qualifications?lang=en"))

        then:
        browser.attribute('#forbidden', 'data-reason') == 'forbidden'
        !browser.pageText().contains('Authorised users')

        when: "B's institution admin (no instrument of B yet)"
        browser.reset()
        signIn('adminB', '/staff/bookings?lang=en')

        then:
        browser.attribute('#forbidden', 'data-reason') == 'forbidden'
        !browser.pageText().contains("alice-${f.run}")

        when: "A's instrument page by its id"
        browser.open(app("/staff/instruments/${gc}/qualifications?lang=en"))

        then:
        browser.exists('#not-found')

        and: "A's booking is still waiting"
        f.send('GET', "/api/v1/bookings/${request.id}", 'alice').body.status == 'requested'
    }

    /** Headers of a signed-in browser's form posts: its session cookie and CSRF token. */
    Map<String, String> formHeaders(String who) {
        String key = who in ['adminB', 'carol'] ? 'b' : 'a'
        def created = sessions.create(SharedDevStack.get().identityProvider().issuer(f.issuerNames[key]), "${who}-${f.run}".toString(),
                who, java.time.Duration.ofHours(1))
        ['Cookie': "LC_SESSION=${created.rawId()}".toString(), 'X-CSRF-Token': created.session().csrfToken(),
         'Content-Type': 'application/x-www-form-urlencoded', 'Accept-Language': 'en']
    }

    def "every staff page and form, probed by B's admin with A's ids, answers as for a missing id; a member's posts are forbidden"() {
        given:
        def icp = f.instrument()
        f.openRules(icp, [approvalPolicy: 'always'])
        def request = f.book('alice', icp, '2030-03-05T10:00:00+08:00', '2030-03-05T11:00:00+08:00', [assisted: true]).body
        def approved = f.book('alice', icp, '2030-03-05T12:00:00+08:00', '2030-03-05T13:00:00+08:00', [assisted: true]).body
        assert f.send('POST', "/api/v1/bookings/${approved.id}/approve", 'staff').status == 200
        f.send('PUT', "/api/v1/instruments/${icp}/authorisations/${f.users.bob}", 'staff', [note: 'x'])
        def snapshotOfA = {
            [f.send('GET', "/api/v1/instruments/${icp}/bookings?from=2030-03-01T00:00:00Z&to=2030-04-01T00:00:00Z", 'admin').body.items.collect { [it.id, it.status, it.version] },
             f.send('GET', "/api/v1/instruments/${icp}/authorisations", 'admin').body,
             f.send('GET', "/api/v1/instruments/${icp}/booking-rules", 'admin').body,
             f.count('select count(*) from usage_record where instrument_id = ?', icp),
             f.count('select count(*) from training_record where instrument_id = ?', icp),
             f.count('select count(*) from maintenance_window where instrument_id = ?', icp)]
        }
        String base = app('')
        String bob = "bob-${f.run}"

        when: "B's institution admin (signed in, with a CSRF token) posts to A's bookings and instrument"
        def bookingReport = IsolationProbe.against(base, formHeaders('adminB'))
                .probe('POST', '/staff/bookings/{id}/approve', 'version=1')
                .probe('POST', '/staff/bookings/{id}/reject', 'version=1&note=x')
                .probe('POST', '/staff/bookings/{id}/no-show', '')
                .probe('POST', '/staff/bookings/{id}/usage', 'start=2030-03-05T12:00&end=2030-03-05T13:00')
                .run([request.id as String, approved.id as String], snapshotOfA)
        def instrumentReport = IsolationProbe.against(base, formHeaders('adminB'))
                .probe('GET', '/staff/instruments/{id}/qualifications')
                .probe('POST', '/staff/instruments/{id}/trainings', "person=${bob}&trainedOn=2030-03-01&authorise=true")
                .probe('POST', '/staff/instruments/{id}/authorisations', "person=${bob}")
                .probe('POST', "/staff/instruments/{id}/authorisations/${f.users.bob}/revoke", '')
                .probe('POST', "/staff/instruments/{id}/authorisations/${f.users.bob}/grant", '')
                .probe('POST', '/staff/instruments/{id}/maintenance', 'start=2030-03-09T08:00&end=2030-03-09T12:00')
                .probe('POST', '/staff/instruments/{id}/rules', 'minSlotMinutes=5')
                .run([icp.toString()], snapshotOfA)
        def all = [bookingReport, instrumentReport]
        println "isolation probe (staff pages): ${all.sum { it.probesMade() }} probes, ${all.sum { it.leaks().size() }} leaks"

        then:
        all.every { it.leaks() == [] }
        all.every { !it.dataOfOwnerChanged() }
        all.every { r -> r.outcomes().every { it.foreignStatus() == 404 } }

        when: "a member of A posts an approval and a grant"
        def member = IsolationProbe.against(base, formHeaders('alice'))
                .probe('POST', '/staff/bookings/{id}/approve', "version=${request.version}")
                .run([request.id as String], snapshotOfA)
        def memberGrant = IsolationProbe.against(base, formHeaders('alice'))
                .probe('POST', '/staff/instruments/{id}/authorisations', "person=alice-${f.run}")
                .run([icp.toString()], snapshotOfA)

        then: 'forbidden, and nothing changed'
        member.outcomes()*.foreignStatus() == [403]
        memberGrant.outcomes()*.foreignStatus() == [403]
        !member.dataOfOwnerChanged()
        !memberGrant.dataOfOwnerChanged()

        when: 'a reject without a reason, by the staff'
        def noReason = IsolationProbe.against(base, formHeaders('staff'))
                .probe('POST', '/staff/bookings/{id}/reject', "version=${request.version}&note=")
                .run([request.id as String], snapshotOfA)

        then: 'refused with the reason asked for, the booking still waiting'
        noReason.outcomes()[0].foreignStatus() == 400
        noReason.outcomes()[0].foreignBody().contains('A reason is required to reject a booking')
        !noReason.dataOfOwnerChanged()
    }
}

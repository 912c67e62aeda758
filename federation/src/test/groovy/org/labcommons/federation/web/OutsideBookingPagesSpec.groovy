package org.labcommons.federation.web

import io.micronaut.json.JsonMapper
import jakarta.inject.Inject
import org.labcommons.core.booking.BookingClock
import org.labcommons.core.tenancy.TenantTransactions
import org.labcommons.core.web.auth.WebSessions
import org.labcommons.federation.FederationFixture
import org.labcommons.testkit.IsolationProbe
import org.labcommons.testkit.PageForms
import org.labcommons.testkit.PlatformSpec
import spock.lang.Shared

import java.net.http.HttpClient
import java.net.http.HttpResponse
import java.sql.Timestamp
import java.time.Clock
import java.time.Duration
import java.time.Instant
import java.time.ZoneOffset

/**
 * The pages of bookings held at other institutions, over plain HTTP: the "bookings at other
 * institutions" section of one's own "my bookings" page (A's linked records of the caller only,
 * upcoming first, owner, time in A's zone, status, rate group, cost in yuan, a link to the owner's
 * guest view, ten a page) and A's finance page {@code /admin/outside-bookings} (filters, totals,
 * closed account codes) with its access rules and isolation: a plain member gets the 403 page, C's
 * and B's admins see none of A's records (IsolationProbe over the filters and the reopen form).
 * The booking clock is fixed at 2030-03-04T00:00Z (08:00 in Shanghai).
 */
class OutsideBookingPagesSpec extends PlatformSpec {
    static final Instant NOW = Instant.parse('2030-03-04T00:00:00Z')
    static final String FORM = PageForms.FORM

    @Inject TenantTransactions tenants
    @Inject JsonMapper json
    @Inject BookingClock clock
    @Inject WebSessions sessions
    @Shared FederationFixture f
    @Shared Map<String, String> ids = [:]
    @Shared List<String> past = []
    @Shared Map<String, Map> web = [:]
    HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()

    def setup() {
        clock.set(Clock.fixed(NOW, ZoneOffset.UTC))
        if (f == null) {
            f = new FederationFixture(ctx)
            ids.putAll(f.aliceAndAnnAtB())
            // nine of alice's bookings at B that ended in February (as A's consumer would have kept them)
            (1..9).each { day -> past << pastRecord(day) }
            ['alice', 'ann', 'financeA', 'adminA', 'adminB', 'adminC'].each { name ->
                String key = f.homeOf[name] == f.tenant.a.toString() ? 'a' : (f.homeOf[name] == f.tenant.b.toString() ? 'b' : 'c')
                def created = sessions.create(f.world.tenant("fed-${key}").issuer,
                        "${name}-${f.run}".toString(), name, Duration.ofHours(2))
                web[name] = [cookie: "LC_SESSION=${created.rawId()}".toString(), csrf: created.session().csrfToken()]
            }
        }
    }

    def cleanup() {
        clock.set(null)
    }

    /** A checked-in record of alice at B on 2030-02-0{day} 09:00-10:00 Shanghai (the 9th: withdrawn, account closed). */
    String pastRecord(int day) {
        UUID id = UUID.randomUUID()
        tenants.inTenant(f.tenant.a) { c ->
            def ps = c.prepareStatement("insert into outside_booking (tenant_id, booking_id, owner_tenant_id, owner_name_zh, " +
                    "owner_name_en, instrument_id, instrument_name_zh, instrument_name_en, requester_user_id, starts_at, ends_at, " +
                    "status, home_status, refusal_reason, rate_group, price_per_hour_fen, estimated_cost_fen, aggregate_version, " +
                    "last_event_id, last_event_at) values (?, ?, ?, '联邦b大学', 'Federation B University', ?, '核磁共振波谱仪', " +
                    "'NMR spectrometer', ?, ?, ?, ?, ?, ?, 'consortium', 30000, 30000, 3, ?, now())")
            Instant start = Instant.parse(String.format('2030-02-%02dT01:00:00Z', day))
            ps.setObject(1, f.tenant.a.value()); ps.setObject(2, id); ps.setObject(3, f.tenant.b.value())
            ps.setObject(4, UUID.fromString(ids.nmr)); ps.setObject(5, f.users.alice)
            ps.setTimestamp(6, Timestamp.from(start)); ps.setTimestamp(7, Timestamp.from(start.plusSeconds(3600)))
            ps.setString(8, day == 9 ? 'cancelled' : 'checked_in')
            ps.setString(9, day == 9 ? 'refused_by_home' : 'linked'); ps.setString(10, day == 9 ? 'account_closed' : null)
            ps.setObject(11, UUID.randomUUID())
            ps.executeUpdate()
        }
        id.toString()
    }

    String app(String path) { "http://localhost:${server.port}${path}" }

    String slugB() { "fed-b-${f.run}".toString() }

    HttpResponse<String> get(String path, String who) { PageForms.get(http, app(path), web[who]) }

    HttpResponse<String> post(String path, String who, Map<String, Object> fields) {
        PageForms.post(http, app(path), web[who], fields)
    }

    /** The text of the element with this id (first match, tags stripped). */
    static String byId(String html, String id) { PageForms.byId(html, id, 'p|dd|span|div|strong|a') }

    /** The booking ids of the cards with {@code cssClass}, in page order. */
    static List<String> cards(String html, String cssClass) {
        (html =~ /class="card ${cssClass}[^"]*"[^>]*data-booking="([0-9a-f-]+)"/).collect { it[1] as String }
    }

    /** The section with this id (up to its closing tag). */
    static String section(String html, String id) {
        def m = html =~ /(?s)<section[^>]*id="${id}".*?<\/section>/
        m.find() ? m.group(0) : ''
    }

    def "my bookings lists the bookings held at other institutions in its one list: only mine, upcoming first, ten a page, linking to the owner's view"() {
        when:
        def en = get('/my/bookings?lang=en', 'alice')
        def mine = section(en.body(), 'my-list')

        then: 'the three March bookings soonest first, then the ended ones latest first (ten a page)'
        en.statusCode() == 200
        cards(mine, 'booking') == [ids.a1, ids.a2, ids.a3] + past.reverse().take(7)

        and: 'owner and unit, time in Shanghai, status, estimated cost in yuan, and the link to the booking at B'
        mine.contains('Federation B University · Lab')
        mine.contains('2030-03-05 09:00 – 10:00')
        mine.contains('2030-03-06 09:00 – 11:00')
        mine.contains('¥300.00')
        mine.contains('¥600.00')
        mine.contains('>Approved</span>')
        mine.contains('Withdrawn: the account code is closed')
        mine.contains("href=\"/my/bookings?tenant=${slugB()}#booking-${ids.a1}\"")
        mine.contains("href=\"/instruments/${ids.nmr}/calendar?tenant=${slugB()}\"")
        !mine.contains(ids.n1)

        when: 'the next page'
        def more = (mine =~ /id="list-more" href="([^"]+)"/)[0][1].replace('&amp;', '&')
        def page2 = section(get(more, 'alice').body(), 'my-list')

        then: 'the last two'
        more.contains('page=1')
        cards(page2, 'booking') == past.reverse().drop(7)
        !page2.contains('Withdrawn')
        !page2.contains('id="list-more"')
        page2.contains('id="list-prev"')

        when: 'in Chinese, and the link leads to her bookings at B, where the booking is'
        def zh = section(get('/my/bookings?lang=zh-CN', 'alice').body(), 'my-list')
        def there = get("/my/bookings?tenant=${slugB()}&lang=en", 'alice')

        then:
        zh.contains('联邦b大学 · 实验室')
        zh.contains('预估费用: ¥300.00')
        there.statusCode() == 200
        there.body().contains("id=\"booking-${ids.a1}\"")

        when: 'ann, another member of A, and C and B people'
        def ann = section(get('/my/bookings?lang=en', 'ann').body(), 'my-list')
        def c = get('/my/bookings?lang=en', 'adminC').body()
        def b = get('/my/bookings?lang=en', 'adminB').body()

        then: "ann sees only hers; C and B see none of A's records"
        cards(ann, 'booking') == [ids.n1]
        section(c, 'my-list').contains('id="no-bookings"')
        cards(section(c, 'my-list'), 'booking') == []
        ([ids.a1, ids.a2, ids.n1] + past).every { !c.contains(it) && !b.contains(it) }

        when: 'a nonsense page number is the first page'
        def odd = get('/my/bookings?lang=en&page=abc', 'alice')

        then:
        odd.statusCode() == 200
        cards(section(odd.body(), 'my-list'), 'booking').first() == ids.a1
    }

    def "finance and the institution admin list all members' bookings elsewhere with filters and totals in yuan"() {
        when:
        def all = get('/admin/outside-bookings?lang=en', 'financeA')
        def march = get('/admin/outside-bookings?lang=en&from=2030-03-01&to=2030-03-31', 'financeA')
        def admin = get('/admin/outside-bookings?lang=en&from=2030-03-01&to=2030-03-31', 'adminA')

        then: 'everything of A (13 records: what is held or was used counts, 12 hours, not the cancelled or withdrawn ones); in March the four booked through B, 1 h + 2 h + 1 h held at ¥300 an hour'
        all.statusCode() == 200
        byId(all.body(), 'totals').startsWith('13 bookings, estimated cost ¥3,600.00')
        get('/my/bookings?lang=en', 'financeA').body().contains('href="/admin/outside-bookings"')
        cards(march.body(), 'outside-booking').toSet() == [ids.a1, ids.a2, ids.a3, ids.n1].toSet()
        byId(march.body(), 'totals').startsWith('4 bookings, estimated cost ¥1,200.00')
        march.body().contains('ACC-1')
        march.body().contains('Federation B University')
        cards(admin.body(), 'outside-booking').size() == 4

        expect: 'status, member, owner and period filters'
        cards(get('/admin/outside-bookings?status=cancelled&from=2030-03-01', 'financeA').body(), 'outside-booking') == [ids.a3]
        cards(get("/admin/outside-bookings?member=${f.users.ann}", 'financeA').body(), 'outside-booking') == [ids.n1]
        cards(get("/admin/outside-bookings?owner=${f.tenant.b}&to=2030-02-02", 'financeA').body(), 'outside-booking') == [past[1], past[0]]
        cards(get("/admin/outside-bookings?owner=${UUID.randomUUID()}", 'financeA').body(), 'outside-booking') == []
        get("/admin/outside-bookings?member=${f.users.ann}&lang=en", 'financeA').body().contains("<option value=\"${f.users.ann}\" selected=\"selected\"")

        and: 'fifty a page'
        get('/admin/outside-bookings?page=1', 'financeA').body().contains('id="no-rows"')
    }

    def "bad filters answer 400 with a message next to each field, in English and Chinese"() {
        when:
        def r = get('/admin/outside-bookings?lang=en&status=bogus&member=nobody&from=2030-13-01&owner=x', 'financeA')
        def range = get('/admin/outside-bookings?lang=zh-CN&from=2030-03-10&to=2030-03-01&page=-3', 'financeA')

        then:
        r.statusCode() == 400
        byId(r.body(), 'error-status').startsWith('is not a booking status')
        byId(r.body(), 'error-member') == 'choose one from the list'
        byId(r.body(), 'error-owner') == 'choose one from the list'
        byId(r.body(), 'error-from') == 'enter a date (such as 2030-03-05)'
        byId(r.body(), 'error-to') == null
        r.body().contains('value="2030-13-01"')
        cards(r.body(), 'outside-booking') == []
        range.statusCode() == 400
        byId(range.body(), 'error-to') != null
        byId(range.body(), 'error-page') != null
    }

    def "only finance and institution admins open the page; a plain member gets the 403 page and no link"() {
        when:
        def alice = get('/admin/outside-bookings?lang=en', 'alice')
        def block = post('/admin/outside-bookings/account-blocks', 'alice', [code: 'ACC-1'])
        def nav = get('/my/bookings?lang=en', 'alice').body()

        then:
        alice.statusCode() == 403
        !alice.body().contains(ids.a1)
        block.statusCode() == 403
        !nav.contains('href="/admin/outside-bookings"')
        f.send('GET', '/api/v1/federation/account-blocks', 'financeA').body.items*.accountCode.every { it != 'ACC-1' }
    }

    def "C's and B's admins see none of A's records, whatever the filter; they cannot reopen A's closed codes"() {
        given:
        assert post('/admin/outside-bookings/account-blocks', 'financeA', [code: 'ISO-1']).statusCode() == 303
        def c = get("/admin/outside-bookings?member=${f.users.alice}&lang=en", 'adminC')
        def b = get("/admin/outside-bookings?owner=${f.tenant.b}&lang=en", 'adminB')

        expect: 'their own (empty) lists'
        c.statusCode() == 200
        cards(c.body(), 'outside-booking') == []
        !c.body().contains('ISO-1')
        b.statusCode() == 200
        cards(b.body(), 'outside-booking') == []

        when: "probing the filters with A's people and B's tenant, and the reopen form with A's closed code"
        def snapshot = { f.rowsIn(f.tenant.a) + ':' + f.send('GET', '/api/v1/federation/account-blocks', 'financeA').body.items*.accountCode }
        def reports = ['adminC', 'adminB'].collectMany { String who ->
            def headers = [Cookie: web[who].cookie as String, Accept: 'text/html', 'Content-Type': FORM]
            [IsolationProbe.against(app(''), headers)
                     .probe('GET', '/admin/outside-bookings?member={id}&lang=en')
                     .probe('GET', '/admin/outside-bookings?owner={id}&lang=en')
                     .probe('POST', '/admin/outside-bookings/account-blocks/unblock', "_csrf=${web[who].csrf}&code={id}".toString())
                     .run([f.users.alice.toString(), f.users.ann.toString(), f.tenant.b.toString()], snapshot),
             IsolationProbe.against(app(''), headers)
                     .probe('POST', '/admin/outside-bookings/account-blocks/unblock', "_csrf=${web[who].csrf}&code={id}".toString())
                     .run(['ISO-1'], snapshot)]
        }

        then: 'nothing of A is detectable and nothing of A changed'
        reports.every { it.leaks() == [] && !it.dataOfOwnerChanged() }
        reports.sum { it.probesMade() } == 2 * (18 + 2)
        f.send('GET', '/api/v1/federation/account-blocks', 'financeA').body.items*.accountCode.contains('ISO-1')

        cleanup:
        post('/admin/outside-bookings/account-blocks/unblock', 'financeA', [code: 'ISO-1'])
    }

    def "finance closes an account code and opens it again from the page"() {
        when:
        def closed = post('/admin/outside-bookings/account-blocks?lang=en', 'financeA', [code: 'ACC-9', reason: 'grant ended'])
        def page = get('/admin/outside-bookings?done=blocked&lang=en', 'financeA')

        then: 'listed on the page and in the API'
        closed.statusCode() == 303
        closed.headers().firstValue('Location').get() == '/admin/outside-bookings?done=blocked#blocks'
        byId(page.body(), 'done') == 'The account code is closed.'
        section(page.body(), 'blocks').contains('data-code="ACC-9"')
        section(page.body(), 'blocks').contains('grant ended')
        f.send('GET', '/api/v1/federation/account-blocks', 'financeA').body.items*.accountCode.contains('ACC-9')

        when: 'an empty code, and reopening a code that is not closed'
        def empty = post('/admin/outside-bookings/account-blocks?lang=en', 'financeA', [code: ' ', reason: 'x' * 501])
        def notClosed = post('/admin/outside-bookings/account-blocks/unblock', 'financeA', [code: 'NEVER-CLOSED'])

        then:
        empty.statusCode() == 400
        byId(empty.body(), 'error-code') == 'an account code has 1 to 64 characters'
        byId(empty.body(), 'error-reason') == 'at most 500 characters'
        notClosed.statusCode() == 404

        when: 'opened again'
        def opened = post('/admin/outside-bookings/account-blocks/unblock', 'adminA', [code: 'ACC-9'])

        then:
        opened.statusCode() == 303
        !section(get('/admin/outside-bookings?lang=en', 'financeA').body(), 'blocks').contains('data-code="ACC-9"')
        !f.send('GET', '/api/v1/federation/account-blocks', 'financeA').body.items*.accountCode.contains('ACC-9')
    }
}

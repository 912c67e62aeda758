package org.labcommons.core.booking.web

import jakarta.inject.Inject
import org.labcommons.core.booking.BookingSpec
import org.labcommons.core.web.auth.WebSessions
import org.labcommons.devstack.SharedDevStack
import org.labcommons.testkit.PageForms
import spock.lang.Shared

import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.time.Duration

/**
 * The catalogue's instrument page as the people of the booking fixture meet it, over plain HTTP (the
 * browser specification drives the same page in Chromium): which rate group is "your price" for a
 * member of the owning institution, for a person of another institution and for a visitor (none:
 * the groups are listed); booking's panel of next free times, each linking to the calendar at its
 * week with the slot filled in; and the internal part of the record for the instrument's staff
 * only. The booking clock stands at 2030-03-04T00:00Z (Monday 08:00 in Shanghai).
 */
class InstrumentPageSpec extends BookingSpec {
    @Inject WebSessions sessions
    @Shared Map<String, Map> web = [:]
    @Shared UUID nmr
    HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()

    @Override
    void arrangeOnce() {
        ['alice': 'a', 'admin': 'a', 'staff': 'a', 'carol': 'b'].each { name, key ->
            def created = sessions.create(SharedDevStack.get().identityProvider().issuer(f.issuerNames[key]),
                    "${name}-${f.run}".toString(), name, Duration.ofHours(2))
            web[name] = [cookie: "LC_SESSION=${created.rawId()}".toString(), csrf: created.session().csrfToken()]
        }
        nmr = InstrumentPageFixture.publicInstrument(f)
        f.openRules(nmr, [weeklyHours: InstrumentPageFixture.WEEKDAYS])
        assert f.book('admin', nmr, '2030-03-04T08:00:00+08:00', '2030-03-04T10:00:00+08:00').status == 201
    }

    /** The instrument page in Chinese as {@code who} (null: a visitor) gets it. */
    String page(String who) {
        def request = HttpRequest.newBuilder(URI.create("http://localhost:${server.port}/t/bk-a-${f.run}/instruments/${nmr}?lang=zh-CN"))
                .header('Accept', 'text/html')
        if (who != null) {
            request.header('Cookie', web[who].cookie as String)
        }
        HttpResponse<String> r = http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString())
        assert r.statusCode() == 200
        r.body()
    }

    /** The name of the viewer's group and the first amount in the "your price" table. */
    static List<String> yourLine(String html) {
        def m = (html =~ /(?s)id="your-group".*?<strong class="badge yours">([^<]+)<.*?id="your-prices".*?<span class="money">([^<]+)</)
        m.find() ? [m.group(1), m.group(2)] : null
    }

    /** The rate group {@code #your-price} names, and the price group the page marks as the viewer's. */
    static List<String> yours(String html) {
        def section = (html =~ /<section class="section your-price" id="your-price"(?: data-rate-group="([a-z]+)")?/)
        def marked = (html =~ /<div class="price-group yours" data-rate-group="([a-z]+)"|<div class="price-group" data-rate-group="([a-z]+)" class="yours"/)
        [section.find() ? section.group(1) : 'absent', marked.find() ? (marked.group(1) ?: marked.group(2)) : null]
    }

    def "your price: the owner's member pays internal, a person of another institution external, a visitor sees the groups"() {
        expect:
        yours(page('alice')) == ['internal', 'internal']
        yours(page('carol')) == ['external', 'external']
        yours(page(null)) == [null, null]

        and: 'the member sees the amount of their group next to it; the visitor the groups and a way to sign in'
        yourLine(page('alice')) == ['校内', '¥80.00']
        yourLine(page('carol')) == ['校外', '¥200.00']
        yourLine(page(null)) == null
        page(null).contains('id="price-depends"')
        (page(null) =~ /<li data-rate-group="(internal|consortium|external)">/).findAll().size() == 3
        page(null).contains('id="your-price-sign-in"')
    }

    def "the next free times link to the calendar at their week with the slot filled in"() {
        when:
        String html = page('alice')
        def links = (html =~ /<li data-start="([^"]+)">\s*<a class="free-slot" href="([^"]+)"/).findAll()

        then: 'Monday after the booking until closing, then the next weekdays'
        links*.getAt(1) == ['2030-03-04T10:00', '2030-03-05T08:00', '2030-03-06T08:00', '2030-03-07T08:00']
        links[0][2].replace('&amp;', '&') ==
                "/instruments/${nmr}/calendar?tenant=bk-a-${f.run}&week=2030-03-04&start=2030-03-04T10%3A00&end=2030-03-04T11%3A00".toString()
        links[1][2].contains('week=2030-03-04')

        when: 'the link opens the calendar with the form filled in'
        def calendar = PageForms.get(http, "http://localhost:${server.port}${links[0][2].replace('&amp;', '&')}", web.alice)

        then:
        calendar.statusCode() == 200
        calendar.body().contains('value="2030-03-04T10:00"')
        calendar.body().contains('value="2030-03-04T11:00"')

        and: 'a visitor sees the free times too; the calendar asks them to sign in'
        page(null).contains('id="next-free"')
    }

    def "internal flags and notes are for the instrument's staff: not for a member, another institution or a visitor"() {
        expect:
        ['alice', 'carol', null].every { who ->
            String html = page(who)
            !html.contains('id="internal"') && !html.contains('data-flag="fundSubsidised"')
                    && !html.contains('仅供本单位核算') && html.contains('data-flag="customsSupervised"')
        }

        and: 'the institution admin and the lab instrument admin see them'
        ['admin', 'staff'].every { who ->
            String html = page(who)
            html.contains('id="internal"') && html.contains('data-flag="fundSubsidised"') && html.contains('仅供本单位核算')
        }
    }
}

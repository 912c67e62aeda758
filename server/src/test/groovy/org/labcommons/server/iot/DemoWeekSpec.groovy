package org.labcommons.server.iot

import groovy.json.JsonSlurper
import io.micronaut.runtime.server.EmbeddedServer
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import io.micronaut.test.support.TestPropertyProvider
import jakarta.inject.Inject
import org.labcommons.core.audit.AuditEntry
import org.labcommons.core.booking.BookingService
import org.labcommons.core.usage.booked.NoShowSweep
import org.labcommons.devstack.SharedDevStack
import org.labcommons.devstack.mqtt.HttpMqttAccessPolicy
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Stepwise
import spock.lang.Tag

import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.nio.file.Files
import java.time.Duration
import java.time.Instant
import java.util.concurrent.TimeUnit

/**
 * Dev mode's demo week (issue 16's "Done when"), on the platform as dev mode runs it: demo data, the demo
 * controllers (here sending nothing live: rate 0) connected to the dev stack's broker, which asks the platform
 * who may connect. The week's history goes through the controllers, the bridge and Kafka to usage; the card
 * requests through the bridge's interlock.
 */
@Tag('integration')
@Tag('module-server')   // server has no test kit: its tier and module tags are spelled out
@MicronautTest(transactional = false)
@Stepwise
class DemoWeekSpec extends Specification implements TestPropertyProvider {

    @Inject EmbeddedServer server
    @Inject DemoWeek week
    @Inject DemoControllers controllers
    @Inject BookingService bookings
    @Inject NoShowSweep sweep

    @Shared DemoWeek.Summary first
    @Shared UUID nmr
    @Shared UUID tem
    @Shared HttpClient http = HttpClient.newHttpClient()

    @Override
    Map<String, String> getProperties() {
        SharedDevStack.get().properties() + ['labcommons.demo.enabled'                : 'true',
                                             'labcommons.iot.simulator.demo-controllers': 'true',
                                             'labcommons.iot.simulator.rate'            : '0',
                                             'labcommons.iot.simulator.directory'       : Files.createTempDirectory('demo-week').toString()]
    }

    def cleanupSpec() {
        SharedDevStack.get().mqtt().resetPolicy()
    }

    String token(String user) {
        SharedDevStack.get().identityProvider().server().issueToken('donghu', user, 'labcommons').serialize()
    }

    Map api(String path, String user = 'donghu-admin') {
        def r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:${server.port}${path}"))
                .header('Authorization', "Bearer ${token(user)}").GET().build(), HttpResponse.BodyHandlers.ofString())
        assert r.statusCode() == 200: "${r.statusCode()} ${r.body()?.take(400)}"
        new JsonSlurper().parseText(r.body()) as Map
    }

    List<Map> sessions(UUID instrument) {
        // an empty list is left out of the JSON; the week's sessions are measured (DemoMoney's staff records of last
        // month's use share the NMR when DemoMoneySpec ran first in this JVM)
        ((api("/api/v1/usage/sessions?instrument=${instrument}&size=100").items ?: []) as List<Map>).findAll { it.source != 'staff' }
    }

    /** Polls {@code check} until it answers truthy, at most {@code seconds}; the last answer. */
    static <T> T eventually(int seconds, Closure<T> check) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds)
        T last = check()
        while (!last && System.nanoTime() < deadline) {
            Thread.sleep(500)
            last = check()
        }
        last
    }

    /** The NMR's or TEM's controller asks for access with a card; the platform's answer. */
    Map ask(String asset, String card) {
        controllers.device(asset).get().requestAccess('card', card, 'use', Duration.ofSeconds(10)).get(11, TimeUnit.SECONDS)
    }

    def "the demo week gives the NMR and the TEM measured sessions with an overtime, an unbooked and an unattributed use, and a no-show"() {
        given: 'the broker asks the platform who may connect (as in dev mode), and the demo controllers run'
        def broker = SharedDevStack.get().mqtt()
        broker.setPolicy(new HttpMqttAccessPolicy("http://localhost:${server.port}", broker.brokerToken()))
        controllers.start()
        nmr = week.instrument(DemoWeek.NMR).get()
        tem = week.instrument(DemoWeek.TEM).get()

        when:
        first = week.load()

        then: 'five bookings of the past days and one of now, and the controllers\' history acknowledged by the broker'
        first.bookingsCreated() == 6
        first.currentBooking() != null
        first.messagesSent() > 1000

        when: 'usage has read the history'
        List<Map> nmrSessions = eventually(120) { def s = sessions(nmr); s.count { it.status == 'closed' } >= 3 ? s : null }
        List<Map> temSessions = eventually(60) { def s = sessions(tem); s.count { it.status == 'closed' } >= 3 ? s : null }

        then: 'the NMR: the researcher by card within a booking, and once 40 minutes over it; the student by PC login'
        nmrSessions.findAll { it.status == 'closed' }.size() == 3
        nmrSessions.every { it.link == 'booked' && it.grade == 'A' }
        nmrSessions.count { it.identifiedBy == 'card' } == 2
        nmrSessions.find { it.overtimeMinutes >= 35 && it.identifiedBy == 'card' }
        nmrSessions.count { it.identifiedBy == 'pc' } == 1

        and: 'the TEM: power inside a booking (grade B), the student\'s unbooked evening, a night run nobody is tied to'
        temSessions.size() == 3
        temSessions.find { it.link == 'booked' && it.grade == 'B' && it.identifiedBy == 'booking' }
        temSessions.find { it.link == 'unbooked' && it.identifiedBy == 'pc' && it.grade == 'A' }
        temSessions.find { it.link == 'unattributed' && it.grade == 'C' }

        when: 'the no-show sweep runs'
        sweep.sweep(DemoWeek.tenant())
        // the demo week's people only (DemoMoney's bookings of last month may fall in these days)
        def people = [week.idOf(DemoWeek.RESEARCHER), week.idOf(DemoWeek.STUDENT)]
        def past = bookings.forInstrument(DemoWeek.tenant(), nmr, null, Instant.now() - Duration.ofDays(8), Instant.now() - Duration.ofHours(3))
                .findAll { it.requesterUserId() in people }

        then: 'the booking with the controller reporting and nothing used is a no-show; the used ones are not'
        past.size() == 4
        past.count { it.status() == 'no_show' } == 1
        past.findAll { it.status() != 'no_show' }.every { it.status() == 'approved' }
        nmrSessions.collect { it.bookingId }.toSet().size() == 3
        !(past.find { it.status() == 'no_show' }.id().toString() in nmrSessions.collect { it.bookingId })
    }

    def "starting dev mode again adds nothing"() {
        given:
        int bookingsBefore = bookings.forInstrument(DemoWeek.tenant(), nmr, null, Instant.now() - Duration.ofDays(9), Instant.now() + Duration.ofDays(1)).size()
        int sessionsBefore = sessions(nmr).size() + sessions(tem).size()

        when:
        def again = week.load()

        then:
        again.bookingsCreated() == 0
        again.messagesSent() == 0
        again.currentBooking() == null
        bookings.forInstrument(DemoWeek.tenant(), nmr, null, Instant.now() - Duration.ofDays(9), Instant.now() + Duration.ofDays(1)).size() == bookingsBefore
        sessions(nmr).size() + sessions(tem).size() == sessionsBefore
        api('/api/v1/usage/credentials?size=100').items.count { it.label == 'demo' } == 6
    }

    def "the researcher's card opens the NMR during their booking; the student's is refused there, and the researcher's at the TEM"() {
        when: 'the grant records have reached the bridge'
        Map allowed = eventually(60) { def a = ask(DemoWeek.NMR, DemoWeek.RESEARCHER.cardId()); a.decision == 'allow' ? a : null }

        then:
        allowed.decision == 'allow'
        Instant.parse(allowed.until as String) == bookings.find(DemoWeek.tenant(), first.currentBooking()).get().end().toInstant()

        expect: 'someone else is booked now; the researcher is not authorised on the TEM'
        ask(DemoWeek.NMR, DemoWeek.STUDENT.cardId()).with { [decision, reason] } == ['deny', 'booked_by_other']
        ask(DemoWeek.TEM, DemoWeek.RESEARCHER.cardId()).with { [decision, reason] } == ['deny', 'not_authorised']
    }

    def "the NMR's instrument page shows it in use while the researcher's session is open, in Chinese and in English"() {
        given: 'the card for use switches the power on, and the controller reports the last minutes at 900 W'
        def device = controllers.device(DemoWeek.NMR).get()
        assert device.access('card', DemoWeek.RESEARCHER.cardId(), 'use').get(15, TimeUnit.SECONDS).decision == 'allow'
        Instant now = Instant.now()
        (6..0).each { device.sendRecorded('telemetry', 'power.sample', [watts: 900 + it, relay: 'on', intervalMs: 30000], now - Duration.ofSeconds(30L * it)).get(10, TimeUnit.SECONDS) }

        when:
        Map open = eventually(60) { sessions(nmr).find { it.status == 'open' } }
        String zh = eventually(30) { String p = page("/t/donghu/instruments/${nmr}?lang=zh-CN"); state(p) == 'in_use' ? p : null }
        String en = page("/t/donghu/instruments/${nmr}?lang=en")

        then: 'an open session, the researcher\'s by card, on their booking'
        open.identifiedBy == 'card'
        open.bookingId == first.currentBooking().toString()

        and:
        state(zh) == 'in_use' && zh.contains('使用中')
        state(en) == 'in_use' && en.contains('In use')
    }

    def "once the booking is gone the researcher's card is refused at the NMR"() {
        given: 'the NMR staff cancel the booking of now'
        UUID staff = week.idOf(DemoWeek.NMR_STAFF)
        bookings.cancel(DemoWeek.tenant(), new BookingService.Requester(staff, DemoWeek.tenant(), AuditEntry.Actor.SYSTEM, true),
                first.currentBooking(), 'demo week specification')

        when:
        Map refused = eventually(60) { def a = ask(DemoWeek.NMR, DemoWeek.RESEARCHER.cardId()); a.decision == 'deny' ? a : null }

        then:
        refused.reason == 'no_booking'
    }

    String page(String path) {
        def r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:${server.port}${path}")).GET().build(),
                HttpResponse.BodyHandlers.ofString())
        assert r.statusCode() == 200: "${r.statusCode()} ${r.body()?.take(400)}"
        r.body()
    }

    static String state(String html) {
        def m = html =~ /id="live-status"[^>]*data-state="([a-z_]+)"|data-state="([a-z_]+)"[^>]*id="live-status"/
        m.find() ? (m.group(1) ?: m.group(2)) : null
    }
}

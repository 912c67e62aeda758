package org.labcommons.core.booking

import io.micronaut.json.JsonMapper
import jakarta.inject.Inject
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback
import org.labcommons.core.tenancy.TenantTransactions
import org.labcommons.devstack.SharedDevStack
import spock.lang.Shared

import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.time.Duration
import java.time.Instant
import java.time.OffsetDateTime
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit

/**
 * About 200 concurrent HTTP clients race for overlapping slots on four instruments. Round one:
 * five clients per slot ask for exactly the same hour, so each slot has exactly one winner and
 * every loser gets 409 naming the winner's slot. Round two: every client asks for several
 * randomly shifted, overlapping slots. Afterwards an audit query over the table finds no two
 * active bookings of one instrument that overlap, and the winners are exactly the rows stored; and
 * no transaction was a deadlock victim run again (a CI run once saw five reruns exhausted and a 500).
 */
class BookingConcurrencySpec extends BookingSpec {
    static final int CLIENTS = 200
    static final int USERS = 25

    @Inject TenantTransactions tenants
    @Inject JsonMapper json
    @Shared List<UUID> instruments
    @Shared List<String> tokens

    @Override
    Map<String, String> ownProperties() {
        ['datasources.default.maximum-pool-size': '24']
    }

    @Override
    void arrangeOnce() {
        instruments = (1..4).collect { f.instrument() }
        instruments.each { f.openRules(it, [maxFutureBookings: 1000, horizonDays: 365, maxSlotMinutes: 240]) }
        String issuer = f.issuerNames.a
        tokens = (1..USERS).collect { n ->
            String token = SharedDevStack.get().identityProvider().server().issueToken(issuer, 'client',
                    new DefaultOAuth2TokenCallback(issuer, "racer-${n}-${f.run}".toString(), 'JWT', ['labcommons'], [:], 7200)).serialize()
            f.tokens["racer${n}".toString()] = token
            assert f.send('GET', '/api/v1/me', "racer${n}".toString()).status == 200
            token
        }
    }

    /** Sends every request of every client at once (a latch releases them together); status and body per request. */
    List<Map> race(List<List<Map>> perClient) {
        def http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20)).executor(Executors.newFixedThreadPool(16)).build()
        def pool = Executors.newFixedThreadPool(perClient.size())
        def start = new CountDownLatch(1)
        List<Map> results = Collections.synchronizedList([])
        perClient.eachWithIndex { List<Map> requests, int c ->
            pool.submit {
                start.await()
                requests.each { Map q ->
                    def req = HttpRequest.newBuilder(URI.create("http://localhost:${server.port}/api/v1/instruments/${q.instrument}/bookings"))
                            .timeout(Duration.ofSeconds(120))
                            .header('Authorization', 'Bearer ' + tokens[c % USERS]).header('Content-Type', 'application/json')
                            .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString([start: q.start, end: q.end]))).build()
                    try {
                        def r = http.send(req, HttpResponse.BodyHandlers.ofString())
                        results << (q + [status: r.statusCode(), body: r.body() ? json.readValue(r.body(), Map) : [:]])
                    } catch (Exception e) {
                        results << (q + [status: -1, body: [error: e.toString()]])
                    }
                }
            }
        }
        start.countDown()
        pool.shutdown()
        assert pool.awaitTermination(10, TimeUnit.MINUTES)
        new ArrayList<>(results)
    }

    long overlaps() {
        f.count("select count(*) from booking a join booking b on a.tenant_id = b.tenant_id and a.instrument_id = b.instrument_id " +
                "and a.id < b.id where a.status in ('requested', 'approved', 'checked_in') " +
                "and b.status in ('requested', 'approved', 'checked_in') and a.slot && b.slot")
    }

    static Instant i(Object s) { OffsetDateTime.parse(s as String).toInstant() }

    def "round one: five clients per identical slot, exactly one winner each, every loser told the winner's slot"() {
        given: '4 instruments x 10 hourly slots on 2030-05-06, each wanted by 5 of 200 clients'
        List<List<Map>> perClient = (0..<CLIENTS).collect { c ->
            int slot = c % 40
            UUID instrument = instruments[slot.intdiv(10)]
            int hour = 8 + slot % 10
            [[instrument: instrument, slot: slot, start: String.format('2030-05-06T%02d:00:00+08:00', hour),
              end: String.format('2030-05-06T%02d:00:00+08:00', hour + 1)]]
        }

        when:
        long t0 = System.nanoTime()
        def results = race(perClient)
        long ms = (System.nanoTime() - t0).intdiv(1_000_000)
        def bySlot = results.groupBy { it.slot }
        println "booking race 1: ${results.size()} requests from ${CLIENTS} clients in ${ms} ms: " +
                "${results.count { it.status == 201 }} created, ${results.count { it.status == 409 }} conflicts"

        then:
        results.size() == CLIENTS
        (results*.status as Set) - ([201, 409] as Set) == [] as Set
        bySlot.size() == 40
        bySlot.values().every { rs -> rs.count { it.status == 201 } == 1 && rs.count { it.status == 409 } == 4 }
        bySlot.values().every { rs ->
            def winner = rs.find { it.status == 201 }
            rs.findAll { it.status == 409 }.every { i(it.body.conflict.start) == i(winner.body.start) && i(it.body.conflict.end) == i(winner.body.end) }
        }
        overlaps() == 0
        f.count("select count(*) from booking where instrument_id = any (?) and starts_at >= '2030-05-06T00:00:00+08:00' " +
                "and starts_at < '2030-05-07T00:00:00+08:00'", tenants.inTenant(f.tenantA) { c -> c.createArrayOf('uuid', instruments as UUID[]) }) == 40
    }

    def "round two: 200 clients, shifted overlapping slots: zero overlaps in the audit and every winner stored"() {
        given: 'each client asks for 3 slots of 60-120 minutes starting at a random 20-minute mark on 2030-05-07'
        def random = new Random(42)
        List<List<Map>> perClient = (0..<CLIENTS).collect { c ->
            (1..3).collect {
                UUID instrument = instruments[random.nextInt(4)]
                int startMinute = 8 * 60 + 20 * random.nextInt(30)
                int length = [60, 80, 100, 120][random.nextInt(4)]
                def day = OffsetDateTime.parse('2030-05-07T00:00:00+08:00')
                [instrument: instrument, start: day.plusMinutes(startMinute).toString(), end: day.plusMinutes(startMinute + length).toString()]
            }
        }

        when:
        long rerunsBefore = tenants.reruns()
        long t0 = System.nanoTime()
        def results = race(perClient)
        long ms = (System.nanoTime() - t0).intdiv(1_000_000)
        def created = results.findAll { it.status == 201 }
        long reruns = tenants.reruns() - rerunsBefore
        println "booking race 2: ${results.size()} requests in ${ms} ms: ${created.size()} created, " +
                "${results.count { it.status == 409 }} conflicts, audit overlaps: ${overlaps()}, transactions rerun: ${reruns}"

        then:
        results.size() == CLIENTS * 3
        (results*.status as Set) - ([201, 409] as Set) == [] as Set

        and: 'racers for one instrument queue on its calendar lock: none was a deadlock victim that had to be run again'
        reruns == 0
        created.size() > 20
        results.count { it.status == 409 } > 100
        overlaps() == 0
        f.count("select count(*) from booking where instrument_id = any (?) and starts_at >= '2030-05-07T00:00:00+08:00' " +
                "and starts_at < '2030-05-08T00:00:00+08:00' and status in ('requested', 'approved', 'checked_in')",
                tenants.inTenant(f.tenantA) { c -> c.createArrayOf('uuid', instruments as UUID[]) }) == created.size()
        results.findAll { it.status == 409 }.every { r ->
            r.body.conflict.start == null || (i(r.body.conflict.start) < i(r.end) && i(r.body.conflict.end) > i(r.start))
        }
    }
    def "a request racing an open transaction on the same calendar waits for it and gets a clean 409, never a deadlock"() {
        given: 'a fresh instrument, and a transaction of our own that holds the calendar lock the application takes and has inserted 10:00-11:00'
        UUID instrument = f.instrument()
        f.openRules(instrument, [maxFutureBookings: 1000, horizonDays: 365, maxSlotMinutes: 240])
        long rerunsBefore = tenants.reruns()
        def p = SharedDevStack.get().properties()
        // the application's own role: RLS applies, and it sees the wait events of the pool's sessions
        def mine = java.sql.DriverManager.getConnection(p['labcommons.db.url'], p['labcommons.db.user'], p['labcommons.db.password'])
        mine.autoCommit = false
        def watcher = java.sql.DriverManager.getConnection(p['labcommons.db.url'], p['labcommons.db.user'], p['labcommons.db.password'])
        def insertRow = { String from, String to ->
            def ps = mine.prepareStatement("insert into booking (tenant_id, id, instrument_id, requester_user_id, " +
                    "requester_tenant_id, account_code, rate_group, status, starts_at, ends_at, blocked_until) values " +
                    "(app_tenant(), ?, ?, ?, ?, 'RACE', 'internal', 'approved', ?, ?, ?)")
            ps.setObject(1, UUID.randomUUID()); ps.setObject(2, instrument); ps.setObject(3, f.users.alice)
            ps.setObject(4, f.tenantA.value()); ps.setObject(5, OffsetDateTime.parse(from)); ps.setObject(6, OffsetDateTime.parse(to))
            ps.setObject(7, OffsetDateTime.parse(to))
            ps.executeUpdate(); ps.close()
        }
        mine.createStatement().execute("select set_config('app.tenant_id', '${f.tenantA}', true)")
        mine.createStatement().execute("select pg_advisory_xact_lock(hashtextextended('booking-slots:${instrument}', 0))")
        insertRow('2030-06-03T10:00:00+08:00', '2030-06-03T11:00:00+08:00')
        int waitingBefore = waiting(watcher)

        when: 'a client asks for 10:30-12:00 and is seen waiting for a lock'
        def request = java.util.concurrent.CompletableFuture.supplyAsync {
            f.send('POST', "/api/v1/instruments/${instrument}/bookings", 'racer1',
                    [start: '2030-06-03T10:30:00+08:00', end: '2030-06-03T12:00:00+08:00'])
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60)
        while (waiting(watcher) <= waitingBefore && !request.done && System.nanoTime() < deadline) {
            Thread.sleep(20)
        }
        boolean sawWaiting = !request.done

        and: 'our transaction inserts 11:30-12:30 (it would overlap a row the request had inserted) and commits'
        insertRow('2030-06-03T11:30:00+08:00', '2030-06-03T12:30:00+08:00')
        mine.commit()
        def answer = request.get(60, TimeUnit.SECONDS)

        then: 'the request waited, then met our committed rows: a 409 naming 10:00-11:00, and nothing was run again'
        sawWaiting
        answer.status == 409
        answer.body.code == 'slot_conflict'
        i(answer.body.conflict.start) == i('2030-06-03T10:00:00+08:00')
        tenants.reruns() == rerunsBefore
        f.count("select count(*) from booking where instrument_id = ?", instrument) == 2

        cleanup:
        mine?.close()
        watcher?.close()
    }

    /** Backends of this database waiting for a heavyweight lock (a row's transaction or an advisory lock). */
    static int waiting(java.sql.Connection watcher) {
        def rs = watcher.createStatement().executeQuery("select count(*) from pg_stat_activity " +
                "where datname = current_database() and wait_event_type = 'Lock'")
        rs.next()
        rs.getInt(1)
    }
}

package org.labcommons.core.booking

import io.micronaut.json.JsonMapper
import jakarta.inject.Inject
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback
import org.labcommons.core.tenancy.TenantTransactions
import org.labcommons.devstack.SharedDevStack

import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.nio.file.Files
import java.nio.file.Path
import java.sql.Timestamp
import java.time.Duration
import java.time.Instant
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger

/**
 * The load generator behind {@code benchmarks/booking-create.sh}: 64 HTTP clients create bookings
 * through the whole stack (bearer token checked, caller resolved, rules read, RLS-bound
 * transaction, exclusion constraints, audit entry and outbox row in the same transaction) on
 * disjoint 30-minute slots of 16 instruments; then the same number of bare single-row inserts into
 * the same table (one tenant-bound transaction each, the same 64 threads, the application's pool)
 * gives the raw PostgreSQL rate. It prints bookings/s, p50/p99, the overlap audit and the ratio
 * (also written to target/benchmarks/booking-create.txt). In the suite it runs
 * {@code labcommons.benchmark.bookings} = 640 as a smoke test; the script runs 10,000.
 */
class BookingBenchmarkSpec extends BookingSpec {
    static final int CLIENTS = 64
    static final int INSTRUMENTS = 16

    @Inject TenantTransactions tenants
    @Inject JsonMapper json

    static long percentile(List<Long> sorted, double p) {
        sorted[Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1)]
    }

    def "booking creation over HTTP with 64 clients, against raw inserts into the same table"() {
        given:
        int total = Integer.getInteger('labcommons.benchmark.bookings', 640)
        int perClient = Math.max(1, total.intdiv(CLIENTS))
        List<UUID> instruments = (1..INSTRUMENTS).collect { f.instrument() }
        instruments.each { f.openRules(it, [maxFutureBookings: 1000, horizonDays: 730, approvalPolicy: 'never', minSlotMinutes: 30]) }
        String issuer = f.issuerNames.a
        List<String> tokens = (1..CLIENTS).collect { n ->
            String token = SharedDevStack.get().identityProvider().server().issueToken(issuer, 'client',
                    new DefaultOAuth2TokenCallback(issuer, "bench-${n}-${f.run}".toString(), 'JWT', ['labcommons'], [:], 7200)).serialize()
            f.tokens["bench${n}".toString()] = token
            assert f.send('GET', '/api/v1/me', "bench${n}".toString()).status == 200
            token
        }
        // client c books slots k * lanes + lane on instrument c % 16 (lanes = clients per instrument): disjoint by construction
        int lanes = CLIENTS.intdiv(INSTRUMENTS)
        Instant day0 = Instant.parse('2030-03-05T00:00:00Z')
        def slot = { int c, int k -> day0.plus(Duration.ofMinutes(30L * (k * lanes + c.intdiv(INSTRUMENTS)))) }
        def http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(8)).build()
        // warm-up: a few requests per client so JIT and pools are ready (not counted)
        (0..<CLIENTS).each { c ->
            def r = f.send('POST', "/api/v1/instruments/${instruments[c % INSTRUMENTS]}/bookings", "bench${c + 1}".toString(),
                    [start: slot(c, perClient + 1).toString(), end: slot(c, perClient + 1).plus(Duration.ofMinutes(30)).toString()])
            assert r.status == 201: r.body
        }

        when: 'HTTP: 64 clients, each creating its bookings one after another'
        List<Long> latencies = Collections.synchronizedList([])
        def failures = new AtomicInteger()
        def pool = Executors.newFixedThreadPool(CLIENTS)
        def go = new CountDownLatch(1)
        (0..<CLIENTS).each { c ->
            pool.submit {
                go.await()
                for (int k = 0; k < perClient; k++) {
                    Instant s = slot(c, k)
                    def req = HttpRequest.newBuilder(URI.create("http://localhost:${server.port}/api/v1/instruments/${instruments[c % INSTRUMENTS]}/bookings"))
                            .timeout(Duration.ofSeconds(60)).header('Authorization', 'Bearer ' + tokens[c])
                            .header('Content-Type', 'application/json')
                            .POST(HttpRequest.BodyPublishers.ofString("{\"start\":\"${s}\",\"end\":\"${s.plus(Duration.ofMinutes(30))}\",\"accountCode\":\"BENCH\"}")).build()
                    long t = System.nanoTime()
                    try {
                        def r = http.send(req, HttpResponse.BodyHandlers.ofString())
                        if (r.statusCode() != 201) { failures.incrementAndGet() }
                    } catch (Exception ignored) {
                        failures.incrementAndGet()
                    }
                    latencies << (System.nanoTime() - t).intdiv(1000)
                }
            }
        }
        long t0 = System.nanoTime()
        go.countDown()
        pool.shutdown()
        assert pool.awaitTermination(30, TimeUnit.MINUTES)
        double httpSeconds = (System.nanoTime() - t0) / 1e9
        int created = latencies.size() - failures.get()
        double httpRate = created / httpSeconds
        List<Long> sorted = new ArrayList<>(latencies).sort()

        and: 'raw: the same number of single-row inserts into booking, one tenant-bound transaction each, 64 threads'
        UUID rawInstrument = f.instrument()
        def rawPool = Executors.newFixedThreadPool(CLIENTS)
        def rawGo = new CountDownLatch(1)
        def rawFailures = new AtomicInteger()
        int rawTotal = perClient * CLIENTS
        (0..<CLIENTS).each { c ->
            rawPool.submit {
                rawGo.await()
                for (int k = 0; k < perClient; k++) {
                    Instant s = Instant.parse('2031-01-01T00:00:00Z').plus(Duration.ofMinutes(30L * (k * CLIENTS + c)))
                    try {
                        tenants.inTenant(f.tenantA) { conn ->
                            def ps = conn.prepareStatement("insert into booking (tenant_id, id, instrument_id, requester_user_id, " +
                                    "requester_tenant_id, account_code, rate_group, status, starts_at, ends_at, blocked_until) values " +
                                    "(app_tenant(), ?, ?, ?, ?, 'BENCH', 'internal', 'approved', ?, ?, ?)")
                            ps.setObject(1, UUID.randomUUID()); ps.setObject(2, rawInstrument); ps.setObject(3, f.users.alice)
                            ps.setObject(4, f.tenantA.value()); ps.setTimestamp(5, Timestamp.from(s))
                            ps.setTimestamp(6, Timestamp.from(s.plus(Duration.ofMinutes(30)))); ps.setTimestamp(7, Timestamp.from(s.plus(Duration.ofMinutes(30))))
                            ps.executeUpdate()
                            ps.close()
                            null
                        }
                    } catch (Exception ignored) {
                        rawFailures.incrementAndGet()
                    }
                }
            }
        }
        long r0 = System.nanoTime()
        rawGo.countDown()
        rawPool.shutdown()
        assert rawPool.awaitTermination(30, TimeUnit.MINUTES)
        double rawSeconds = (System.nanoTime() - r0) / 1e9
        double rawRate = (rawTotal - rawFailures.get()) / rawSeconds
        long overlaps = f.count("select count(*) from booking a join booking b on a.tenant_id = b.tenant_id " +
                "and a.instrument_id = b.instrument_id and a.id < b.id where a.status in ('requested', 'approved', 'checked_in') " +
                "and b.status in ('requested', 'approved', 'checked_in') and a.slot && b.slot")
        long auditRows = f.count("select count(*) from audit_event where action = 'booking.requested' and details ->> 'rateGroup' = 'internal'")

        def report = [
                String.format('booking creation over HTTP: %d clients, %d bookings (%d failed) in %.2f s = %.0f bookings/s',
                        CLIENTS, latencies.size(), failures.get(), httpSeconds, httpRate),
                String.format('latency: p50 %.1f ms, p99 %.1f ms, max %.1f ms',
                        percentile(sorted, 0.50) / 1000.0, percentile(sorted, 0.99) / 1000.0, sorted[-1] / 1000.0),
                String.format('raw inserts into booking: %d rows (%d failed) in %.2f s = %.0f rows/s', rawTotal, rawFailures.get(), rawSeconds, rawRate),
                String.format('ratio HTTP / raw: %.2f', httpRate / rawRate),
                "overlap audit (active bookings of one instrument sharing a moment): ${overlaps}".toString(),
                "machine: ${Runtime.runtime.availableProcessors()} cores, load average ${new File('/proc/loadavg').text.split(' ')[0..2].join(' ')}".toString()]
        Files.createDirectories(Path.of('target/benchmarks'))
        Files.write(Path.of('target/benchmarks/booking-create.txt'), report)
        report.each { println it }

        then:
        failures.get() == 0
        rawFailures.get() == 0
        overlaps == 0
        auditRows >= latencies.size()
        created == perClient * CLIENTS
    }
}

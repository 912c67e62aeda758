package org.labcommons.core.usage.sessions

import jakarta.inject.Inject
import org.apache.kafka.clients.producer.Callback
import org.apache.kafka.clients.producer.ProducerRecord
import org.apache.kafka.common.header.internals.RecordHeaders
import org.labcommons.core.events.KernelTopics
import org.labcommons.core.tenancy.TenantId
import org.labcommons.core.tenancy.TenantTransactions
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld
import spock.lang.Tag

import java.nio.charset.StandardCharsets
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths
import java.nio.file.StandardOpenOption
import java.time.Instant
import java.util.concurrent.atomic.AtomicLong

import static org.labcommons.testkit.TenantWorld.INSTITUTION_ADMIN

/**
 * The load behind {@code benchmarks/usage-sessions.sh}: a replayed day of {@code devices} power meters, one per
 * instrument, a sample every {@code every-s} seconds (two uses a day each: 300 W for two hours in the morning,
 * 250 W for ninety minutes in the afternoon, 5 W otherwise), written time-major (one sample of every meter, then
 * the next of every meter) to {@code iot.telemetry.v1} as the bridge writes it while the reading consumer is stopped; then the consumer is started and drains the backlog: readings
 * consumed and stored per second, sessions built per second. Figures go to stdout and
 * {@code target/benchmarks/usage-sessions.txt}. In the suite it runs at a smoke size; the script sets
 * {@code labcommons.benchmark.usage.*}.
 */
@Tag('benchmark-smoke')
class UsageSessionsBenchmarkSpec extends PlatformSpec {
    static final String P = 'labcommons.benchmark.usage.'
    static final Path REPORT = Paths.get('target', 'benchmarks', 'usage-sessions.txt')
    static final Instant DAY = Instant.parse('2026-10-05T00:00:00Z')

    @Inject ReadingConsumer consumer
    @Inject TenantTransactions tenants
    @Inject ReadingRows readingRows
    @Inject SessionRows sessions

    private static void out(String line) {
        println line
        Files.writeString(REPORT, line + '\n', StandardOpenOption.CREATE, StandardOpenOption.APPEND)
    }

    static double watts(int minuteOfDay, int shift) {
        int m = minuteOfDay - shift
        (m >= 9 * 60 && m < 11 * 60) ? 300 : (m >= 14 * 60 && m < 15 * 60 + 30) ? 250 : 5
    }

    def "a replayed day of power meters is stored and made into sessions"() {
        given:
        int devices = Integer.getInteger(P + 'devices', 12)
        int everyS = Integer.getInteger(P + 'every-s', 300)
        Files.createDirectories(REPORT.parent)
        Files.deleteIfExists(REPORT)
        String name = "bench-usage-${UUID.randomUUID().toString().take(6)}"
        def world = TenantWorld.build(ctx) { institution(name) { person("${name}-admin", INSTITUTION_ADMIN); instrument("${name}-template") } }
        UUID tenant = world.tenant(name).id
        UUID template = UUID.fromString(world.instrument("${name}-template").id as String)
        long t0 = System.currentTimeMillis()
        List<UUID> instruments = TenantWorld.inTenant(tenant) { c -> cloneInstrument(c, template, devices) }
        String bootstrap = ctx.getProperty('labcommons.kafka.bootstrap', String).get()
        ReadingStream.ensureTopics(bootstrap)
        consumer.stop()
        long before = consumer.records()
        long recomputedBefore = consumer.recomputed()

        when: 'the day is written to Kafka, then the consumer drains it'
        long records = produce(bootstrap, tenant, instruments, everyS)
        long produced = System.currentTimeMillis()
        consumer.start()
        long nextNote = System.currentTimeMillis() + 30_000
        while (consumer.records() < before + records) {
            assert System.currentTimeMillis() - produced < 3_600_000
            Thread.sleep(500)
            if (System.currentTimeMillis() >= nextNote) {
                // a long drain leaves figures as it goes
                double at = (System.currentTimeMillis() - produced) / 1000.0
                out(String.format(Locale.ROOT, "after %.0f s: %d of %d readings consumed (%.0f/s), %d instrument recomputations",
                        at, consumer.records() - before, records, (consumer.records() - before) / at, consumer.recomputed() - recomputedBefore))
                nextNote += 30_000
            }
        }
        long drained = System.currentTimeMillis()
        long stored = tenants.inTenant(new TenantId(tenant)) { c -> readingRows.count() }
        long built = tenants.inTenant(new TenantId(tenant)) { c -> instruments.sum { sessions.ofInstrument(it).count { it.status() != 'superseded' } } as long }
        double secs = (drained - produced) / 1000.0

        then:
        stored == records
        built == 2L * devices
        out("usage-sessions: ${devices} devices, one day, a sample every ${everyS} s: ${records} readings " +
                "(set-up and writing to Kafka ${(produced - t0) / 1000.0} s)")
        out(String.format(Locale.ROOT, "consumed and stored: %d readings in %.1f s = %.0f readings/s", stored, secs, stored / secs))
        out(String.format(Locale.ROOT, "sessions built: %d (%d instrument recomputations) = %.1f sessions/s",
                built, consumer.recomputed() - recomputedBefore, built / secs))
    }

    /** {@code n} copies of the template instrument (plain rows in the tenant's transaction, RLS applies). */
    static List<UUID> cloneInstrument(java.sql.Connection c, UUID template, int n) {
        List<String> cols = []
        c.prepareStatement("select column_name from information_schema.columns where table_name = 'instrument' " +
                "and table_schema = current_schema() and is_generated = 'NEVER' and column_name not in ('id', 'asset_number')").withCloseable { ps ->
            def rs = ps.executeQuery()
            while (rs.next()) cols << rs.getString(1)
        }
        String list = cols.join(', ')
        (1..n).collect { int k ->
            UUID id = UUID.randomUUID()
            c.prepareStatement("insert into instrument (id, asset_number, ${list}) select ?, asset_number || '-m' || ?, ${list} " +
                    "from instrument where id = ?").withCloseable { ps ->
                ps.setObject(1, id); ps.setInt(2, k); ps.setObject(3, template); ps.executeUpdate()
            }
            id
        }
    }

    /** The day's samples of every meter, as the bridge writes them; answers how many. */
    static long produce(String bootstrap, UUID tenant, List<UUID> instruments, int everyS) {
        AtomicLong failed = new AtomicLong()
        long n = 0
        ReadingStream.producer(bootstrap).withCloseable { p ->
            Callback cb = { md, e -> if (e != null) failed.incrementAndGet() } as Callback
            // time-major, as a day of live readings reaches Kafka while the consumer is away: every meter's sample
            // of a minute before any meter's sample of the next, so each partition interleaves its meters
            List<UUID> devices = instruments.collect { UUID.randomUUID() }
            List<UUID> boots = instruments.collect { UUID.randomUUID() }
            long seq = 0
            for (int s = 0; s < 86_400; s += everyS) {
                seq++
                Instant at = DAY.plusSeconds(s)
                for (int d = 0; d < instruments.size(); d++) {
                    UUID instrument = instruments[d]
                    UUID device = devices[d]
                    UUID eventId = UUID.randomUUID()
                    String value = "{\"v\":\"LC-IC/1\",\"eventId\":\"${eventId}\",\"bootId\":\"${boots[d]}\",\"seq\":${seq}," +
                            "\"deviceTime\":\"${at}\",\"type\":\"power.sample\",\"body\":{\"watts\":${watts(s.intdiv(60), d % 60)}}}"
                    def headers = new RecordHeaders()
                    ['lc-tenant': tenant.toString(), 'lc-device': device.toString(), 'lc-channel': 'telemetry',
                     'lc-received-at': at.toString(), 'lc-event-id': eventId.toString(), 'lc-seq': Long.toString(seq),
                     'lc-instrument': instrument.toString()].each { k, v -> headers.add(k, v.getBytes(StandardCharsets.UTF_8)) }
                    p.send(new ProducerRecord<String, String>(KernelTopics.IOT_TELEMETRY, null, device.toString(), value.toString(), headers), cb)
                    n++
                }
            }
            p.flush()
        }
        assert failed.get() == 0
        n
    }
}

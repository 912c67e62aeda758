package org.labcommons.search.benchmark

import io.micronaut.json.JsonMapper
import io.micronaut.transaction.TransactionOperations
import jakarta.inject.Inject
import org.labcommons.core.security.Role
import org.labcommons.core.security.RoleAssignments
import org.labcommons.core.security.ScopeType
import org.labcommons.core.tenancy.TenantId
import org.labcommons.core.tenancy.TenantTransactions
import org.labcommons.devstack.SharedDevStack
import org.labcommons.search.InstrumentIndex
import org.labcommons.search.SearchSettings
import org.labcommons.search.SearchFixture
import org.labcommons.search.catalogue.CatalogueGenerator
import org.labcommons.search.catalogue.CatalogueGenerator.GeneratedInstrument
import org.labcommons.search.catalogue.CatalogueLoader
import org.labcommons.search.relevance.RelevanceSet

import org.labcommons.testkit.PlatformSpec
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.nio.file.Files
import java.nio.file.Path
import java.sql.Connection
import java.time.Duration

/**
 * The search benchmark (benchmarks/search-load.sh): loads a generated consortium with batched SQL,
 * rebuilds the index, drives GET /api/v1/search/instruments with the relevance set's queries as
 * visitors at fixed open-loop rates (latency from each request's scheduled time), then measures
 * how long an instrument renamed through the REST API takes to become searchable.
 *
 * <p>Sizes come from system properties ({@code labcommons.benchmark.search.*}); the defaults are a
 * smoke run small enough for the suite, the script runs 140,000 instruments over 200 tenants.
 * Everything runs in one JVM against the embedded dev stack (PostgreSQL, Kafka and Elasticsearch
 * as on a developer's machine), the load generator included, so the figures are what one small
 * machine does with every part on it. Figures are printed and written to
 * target/benchmarks/search-load.txt.
 */
class SearchLoadBenchmarkSpec extends PlatformSpec {
    static final String P = 'labcommons.benchmark.search.'

    @Inject InstrumentIndex index
    @Inject SearchSettings settings
    @Inject TransactionOperations<Connection> transactions
    @Inject TenantTransactions tenantTransactions
    @Inject RoleAssignments roles
    @Inject JsonMapper json

    List<String> report = []

    static int intProp(String name, int smoke) { Integer.getInteger(P + name, smoke) }

    static final Path OUT = Path.of('target/benchmarks/search-load.txt')

    /** Prints a line and appends it to the report file at once (a run that fails later keeps what it measured). */
    void say(String line) {
        println line
        report << line
        Files.createDirectories(OUT.parent)
        Files.write(OUT, report)
    }

    def "load, reindex, open-loop query latency at fixed rates, change-to-searchable delay"() {
        given:
        int institutions = intProp('tenants', 6)
        int instruments = intProp('instruments', 600)
        List<Double> rates = System.getProperty(P + 'rates', '20').split(',').collect { it.trim() as double }
        int seconds = intProp('seconds', 3)
        int warmup = intProp('warmup', 2)
        int changes = intProp('changes', 3)
        int sequential = intProp('sequential', 20)
        boolean strict = Boolean.parseBoolean(System.getProperty(P + 'strict', 'true'))
        String tag = 'bench' + UUID.randomUUID().toString().substring(0, 6)
        say "search benchmark: ${instruments} instruments over ${institutions} institutions; rates ${rates} q/s for ${seconds} s " +
                "each after a ${warmup} s warm-up; ${changes} renames; ${Runtime.runtime.availableProcessors()} cores, " +
                "max heap ${Runtime.runtime.maxMemory().intdiv(1048576)} MB"

        when: 'the catalogue is loaded with batched SQL and the index rebuilt from PostgreSQL'
        long lastReport = System.nanoTime()
        int loaded = 0
        def catalogue = new CatalogueLoader(transactions, tenantTransactions).load(new CatalogueGenerator(4242L, tag),
                institutions, instruments) { int i, int count ->
            loaded += count
            if (System.nanoTime() - lastReport > 10e9) {
                println "  loaded ${loaded} instruments (${i + 1} institutions)"
                lastReport = System.nanoTime()
            }
        }
        say String.format('load:    %,d instruments (%,d visible to visitors) in %.1f s (%,.0f instruments/s, with their services and org units)',
                catalogue.instruments.size(), catalogue.visibleToVisitor().size(), catalogue.loadMillis / 1000d,
                catalogue.instruments.size() / (catalogue.loadMillis / 1000d))
        def rebuild = index.reindexAll()
        say String.format('reindex: %,d documents (%,d published) in %.1f s (%,.0f documents/s)', rebuild.documents(),
                rebuild.visible(), rebuild.tookMillis() / 1000d, rebuild.documents() / (rebuild.tookMillis() / 1000d))

        and: 'the relevance queries are sent as visitors at fixed rates'
        def queries = RelevanceSet.load()
        Random shuffle = new Random(7)
        List<RelevanceSet.Query> mix = (0..<10_000).collect { queries[shuffle.nextInt(queries.size())] }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build()
        String base = server.URL.toString()
        def request = { int i ->
            def q = mix[i % mix.size()]
            HttpRequest.newBuilder(URI.create("${base}/api/v1/search/instruments?lang=${q.lang}&q=${URLEncoder.encode(q.text, 'UTF-8')}"))
                    .timeout(Duration.ofSeconds(30)).GET().build()
        }
        say "elasticsearch before queries: ${esStats()}"
        List<Double> client = []
        List<Double> server = []
        List<Double> engine = []
        Map<String, List<Double>> perQuery = [:]
        for (int i = 0; i < sequential; i++) {
            long t0 = System.nanoTime()
            HttpResponse<String> r = http.send(request(i), HttpResponse.BodyHandlers.ofString())
            double ms = (System.nanoTime() - t0) / 1e6d
            client << ms
            assert r.statusCode() == 200: r.body()
            Map body = json.readValue(r.body(), Map)
            server << ((body.tookMs ?: 0) as double)
            engine << ((body.engineMs ?: 0) as double)
            perQuery.computeIfAbsent("${mix[i % mix.size()].text} (${body.total} hits)".toString()) { [] } << ms
        }
        client.sort()
        server.sort()
        engine.sort()
        say String.format('one at a time (%d queries, closed loop): p50 %.1f ms  p90 %.1f ms  p99 %.1f ms  max %.1f ms; ' +
                'the service\'s tookMs p50 %.1f ms  p99 %.1f ms, of which Elasticsearch (engineMs) p50 %.1f ms  p99 %.1f ms',
                sequential, pct(client, 50), pct(client, 90), pct(client, 99), client.max(), pct(server, 50), pct(server, 99),
                pct(engine, 50), pct(engine, 99))
        say '  slowest queries (median of their runs): ' + perQuery.collectEntries { k, v -> [(k): v.sort()[(v.size() - 1).intdiv(2)]] }
                .sort { -(it.value as double) }.take(6).collect { k, v -> String.format('%s %.0f ms', k, v) }.join('; ')
        int abRounds = intProp('ab', 1)
        if (abRounds > 0) {
            // A/B in one run, alternating so that the machine's load drifts into both arms alike: the same
            // queries one at a time with a named type matched by typeKeys (on) and by the member expansion
            // (off); one uncounted pass per arm first, so both arms' counts come from the request cache
            Map<Boolean, List<Double>> abEngine = [(true): [], (false): []]
            Map<Boolean, List<Double>> abTook = [(true): [], (false): []]
            for (int round = -1; round < abRounds; round++) {
                for (boolean keys : [false, true]) {
                    settings.typeKeys = keys
                    for (int i = 0; i < sequential; i++) {
                        HttpResponse<String> r = http.send(request(i), HttpResponse.BodyHandlers.ofString())
                        assert r.statusCode() == 200: r.body()
                        Map body = json.readValue(r.body(), Map)
                        if (round >= 0) {
                            abEngine[keys] << ((body.engineMs ?: 0) as double)
                            abTook[keys] << ((body.tookMs ?: 0) as double)
                        }
                    }
                }
            }
            settings.typeKeys = true
            [false, true].each { boolean keys ->
                abEngine[keys].sort()
                abTook[keys].sort()
                say String.format('A/B one at a time, %d rounds x %d queries, counts cached, typeKeys %-3s: tookMs p50 %.1f  p90 %.1f  p99 %.1f; ' +
                        'engineMs p50 %.1f  p90 %.1f  p99 %.1f  mean %.1f', abRounds, sequential, keys ? 'on' : 'off',
                        pct(abTook[keys], 50), pct(abTook[keys], 90), pct(abTook[keys], 99), pct(abEngine[keys], 50),
                        pct(abEngine[keys], 90), pct(abEngine[keys], 99), abEngine[keys].sum() / abEngine[keys].size())
            }
        }
        def warm = OpenLoop.run(http, 20, warmup, 30, request)
        say "warm-up: ${warm.line()}"
        drain(http, request)
        List<OpenLoop.Result> results = rates.collect { double rate ->
            def r = OpenLoop.run(http, rate, seconds, 30, request)
            say "latency: ${r.line()}"
            drain(http, request)
            r
        }
        say "elasticsearch after queries:  ${esStats()}"

        and: 'instruments are renamed through the REST API by their owner and the search polled every 20 ms'
        def owner = catalogue.institutions().find { it.active() }
        String issuerId = "${tag}-owner"
        tenantTransactions.inTenant(new TenantId(owner.id)) { Connection c ->
            c.prepareStatement("insert into trusted_issuer (tenant_id, id, issuer, audience) values (?, ?, ?, 'labcommons')").with {
                setObject(1, owner.id); setObject(2, UUID.randomUUID())
                setString(3, SharedDevStack.get().identityProvider().issuer(issuerId)); executeUpdate()
            }
        }
        String token = SearchFixture.token(issuerId, "${tag}-admin".toString())
        UUID userId = UUID.fromString(send(http, 'GET', "${base}/api/v1/me", token).body.userId as String)
        roles.grant(new TenantId(owner.id), userId, Role.INSTITUTION_ADMIN, ScopeType.TENANT, null, null)
        List<GeneratedInstrument> targets = catalogue.instruments.findAll { it.tenant.is(owner) && it.visibleToVisitor() }.take(changes)
        List<Map> delays = targets.withIndex().collect { GeneratedInstrument g, int k ->
            Map record = send(http, 'GET', "${base}/api/v1/instruments/${g.id}", token).body
            String marker = "zq${tag.substring(5)}x${k}".toString()
            Map body = [:] + record + [nameEn: "${record.nameEn} ${marker}".toString(), nameZh: "${record.nameZh} ${marker}".toString()]
            ['id', 'tenantId', 'version', 'createdAt', 'updatedAt', 'requiresIot', 'lastVerifiedAt', 'staleSince',
             'archivedAt', 'documents', 'stale', 'prices'].each { body.remove(it) }
            long sent = System.nanoTime()
            def put = send(http, 'PUT', "${base}/api/v1/instruments/${g.id}", token, json.writeValueAsString(SearchFixture.plain(body)),
                    ['If-Match': "\"${record.version}\"".toString()])
            assert put.status == 200: put.body
            long committed = System.nanoTime()
            long found = -1
            while (System.nanoTime() - committed < 60e9) {
                Map r = send(http, 'GET', "${base}/api/v1/search/instruments?lang=en&q=${marker}", null).body
                if ((r.items as List<Map>).any { it.id == g.id.toString() }) {
                    found = System.nanoTime()
                    break
                }
                Thread.sleep(20)
            }
            [put: (committed - sent) / 1e6d, delay: found < 0 ? Double.NaN : (found - committed) / 1e6d,
             fromSend: found < 0 ? Double.NaN : (found - sent) / 1e6d]
        }
        List<Double> fromCommit = delays.collect { it.delay as double }.sort()
        List<Double> fromSend = delays.collect { it.fromSend as double }.sort()
        say String.format('change-to-searchable (%d renames, polled every 20 ms): from the PUT response p50 %.0f ms, max %.0f ms; ' +
                'from sending the PUT p50 %.0f ms, max %.0f ms (PUT itself p50 %.0f ms)', delays.size(),
                median(fromCommit), fromCommit.max(), median(fromSend), fromSend.max(),
                median(delays.collect { it.put as double }.sort()))

        then: 'every rename became searchable; in the suite (strict) every request was answered as well'
        client.size() == sequential
        results.size() == rates.size() && results.every { it.sent == Math.round(it.rate * seconds) }
        !strict || warm.errors + warm.timeouts == 0
        !strict || results.every { it.errors == 0 && it.timeouts == 0 && it.latenciesMicros.length == it.sent }
        delays.size() == changes
        delays.every { !Double.isNaN(it.delay as double) }
    }

    static double median(List<Double> sorted) {
        sorted.isEmpty() ? Double.NaN : sorted[(sorted.size() - 1).intdiv(2)]
    }

    /** Nearest-rank percentile of a sorted list. */
    static double pct(List<Double> sorted, double p) {
        sorted.isEmpty() ? Double.NaN : sorted[Math.max(0, (int) Math.ceil(p / 100d * sorted.size()) - 1)]
    }

    /** Waits until the server answers a search within a second again (an overloaded rate leaves a backlog behind). */
    void drain(HttpClient http, Closure<HttpRequest> request) {
        long start = System.nanoTime()
        int i = 7
        while (System.nanoTime() - start < 600e9) {
            long t0 = System.nanoTime()
            try {
                def r = http.send(request(i++), HttpResponse.BodyHandlers.discarding())
                if (r.statusCode() == 200 && System.nanoTime() - t0 < 1e9) {
                    break
                }
            } catch (IOException e) {
                // still overloaded
            }
            Thread.sleep(1000)
        }
        double took = (System.nanoTime() - start) / 1e9d
        if (took > 2) {
            say String.format('  (backlog drained after %.0f s)', took)
        }
    }

    /** Elasticsearch's heap and garbage collection so far (GET _nodes/stats/jvm). */
    String esStats() {
        try {
            String url = SharedDevStack.get().properties()['labcommons.es.url']
            def r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + '/_nodes/stats/jvm')).build(),
                    HttpResponse.BodyHandlers.ofString())
            Map node = (json.readValue(r.body(), Map).nodes as Map).values().first() as Map
            Map jvm = node.jvm as Map
            Map mem = jvm.mem as Map
            Map gc = (jvm.gc as Map).collectors as Map
            String.format('heap %d of %d MB; GC young %d (%.1f s), old %d (%.1f s)',
                    (mem.heap_used_in_bytes as long).intdiv(1048576), (mem.heap_max_in_bytes as long).intdiv(1048576),
                    gc.young.collection_count as long, (gc.young.collection_time_in_millis as long) / 1000d,
                    gc.old.collection_count as long, (gc.old.collection_time_in_millis as long) / 1000d)
        } catch (Exception e) {
            "unavailable (${e})"
        }
    }

    Map send(HttpClient http, String method, String url, String token, String body = null, Map headers = [:]) {
        def b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120))
        if (token) { b.header('Authorization', 'Bearer ' + token) }
        if (body != null) { b.header('Content-Type', 'application/json') }
        headers.each { k, v -> b.header(k as String, v as String) }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString())
        [status: r.statusCode(), body: r.body() ? json.readValue(r.body(), Map) : [:]]
    }
}

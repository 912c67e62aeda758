package org.labcommons.search.relevance

import io.micronaut.json.JsonMapper
import io.micronaut.transaction.TransactionOperations
import jakarta.inject.Inject
import org.labcommons.core.tenancy.TenantTransactions
import org.labcommons.search.InstrumentIndex
import org.labcommons.search.catalogue.CatalogueGenerator
import org.labcommons.search.catalogue.CatalogueLoader
import org.labcommons.search.catalogue.CatalogueLoader.Catalogue
import org.labcommons.search.relevance.RelevanceSet.Outcome
import org.labcommons.testkit.PlatformSpec
import spock.lang.Shared

import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.nio.file.Files
import java.nio.file.Path
import java.sql.Connection

/**
 * Search quality, measured: a realistic catalogue (CatalogueGenerator: 4,000 instruments over 20
 * institutions in a dozen provincial networks) is loaded into PostgreSQL, the index is rebuilt
 * from it, and every labelled query of {@code relevance/queries.tsv} is sent through the HTTP API as
 * a visitor. Prints each query's P@5 and R@20, the means overall and per category, and the misses
 * of the queries that fall short (written to target/relevance/report.txt too). Fails when a mean
 * falls below its floor, when a label names nothing a visitor may see, or when any hit is
 * something a visitor may not see.
 *
 * <p>Floors were set a little below the first honest measurement (search-index/README.md); raise
 * them when the engine gets better, never lower them to make a change pass.
 */
class RelevanceSpec extends PlatformSpec {
    /**
     * The catalogue's seed: chosen (by scanning seeds) so that every labelled query has at least
     * three instruments a visitor may see. A change to the generator changes the catalogue; when the
     * first feature then reports queries without any, pick another seed the same way.
     */
    static final long SEED = 9L
    static final int INSTITUTIONS = 20
    static final int INSTRUMENTS = 4000

    /**
     * Floors on the means over all queries, a little below the measurement they were set from
     * (P@5 0.967, R@20 0.942 on seed 9; the first measurement, before the synonyms this set brought
     * along and on an older catalogue, was 0.951 and 0.919).
     */
    static final double FLOOR_P5 = 0.94
    static final double FLOOR_R20 = 0.92

    @Inject InstrumentIndex index
    @Inject TransactionOperations<Connection> transactions
    @Inject TenantTransactions tenantTransactions
    @Inject JsonMapper json

    @Shared Catalogue catalogue
    @Shared boolean indexed
    @Shared List<RelevanceSet.Query> queries = RelevanceSet.load()
    @Shared HttpClient http = HttpClient.newHttpClient()

    def setup() {
        if (catalogue == null) {
            String tag = 'rel' + UUID.randomUUID().toString().substring(0, 6)
            catalogue = new CatalogueLoader(transactions, tenantTransactions).load(new CatalogueGenerator(SEED, tag), INSTITUTIONS, INSTRUMENTS)
            println "relevance catalogue: ${catalogue.instruments.size()} instruments over ${INSTITUTIONS} institutions loaded in " +
                    "${catalogue.loadMillis} ms; ${catalogue.visibleToVisitor().size()} visible to visitors"
        }
        if (!indexed) {
            def rebuild = index.reindexAll()
            indexed = true
            println "index rebuilt in ${rebuild.tookMillis()} ms (${rebuild.documents()} documents, ${rebuild.visible()} published)"
        }
    }

    Map search(String q, String lang) {
        String url = "${server.URL}/api/v1/search/instruments?size=50&lang=${lang}&q=${URLEncoder.encode(q, 'UTF-8')}"
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString())
        assert r.statusCode() == 200: "${q}: ${r.statusCode()} ${r.body()}"
        json.readValue(r.body(), Map)
    }

    def "every labelled query names instruments a visitor may see"() {
        expect:
        queries.size() >= 60
        RelevanceSet.CATEGORIES.every { c -> queries.count { it.category == c } >= 5 }
        queries.findAll { q -> !catalogue.instruments.any { it.visibleToVisitor() && q.relevant(it) } }*.id == []
    }

    def "precision@5 and recall@20 over the labelled queries, as a visitor through the HTTP API"() {
        when:
        List<Outcome> outcomes = queries.collect { q ->
            Map r = search(q.text, q.lang)
            RelevanceSet.measure(q, catalogue.instruments, catalogue.byId, (r.items as List<Map>).collect { it.id as String }, r.total as long)
        }
        List<String> report = []
        report << String.format('%-5s %-13s %-40s %5s %6s %5s %6s', 'id', 'category', 'query', '|R|', 'total', 'P@5', 'R@20')
        outcomes.each { report << it.line() }
        report << ''
        double p5 = RelevanceSet.mean(outcomes) { it.p5 }
        double r20 = RelevanceSet.mean(outcomes) { it.r20 }
        report << String.format('mean over %d queries: P@5 %.3f  R@20 %.3f', outcomes.size(), p5, r20)
        RelevanceSet.CATEGORIES.each { c ->
            def in_ = outcomes.findAll { it.query.category == c }
            report << String.format('  %-13s %3d queries: P@5 %.3f  R@20 %.3f', c, in_.size(), RelevanceSet.mean(in_) { it.p5 },
                    RelevanceSet.mean(in_) { it.r20 })
        }
        int foreign = (int) outcomes.sum { it.foreign }
        if (foreign) {
            report << "(${foreign} hits from tenants outside the generated catalogue were skipped)".toString()
        }
        report << ''
        report << 'queries below 1.0 (first five hits; ✓ relevant, ✗ not):'
        outcomes.findAll { it.p5 < 1d || it.r20 < 1d }.each { o ->
            report << String.format('%s %s [%s] P@5 %.2f R@20 %.2f, %d of min(20,|R|=%d) relevant in the first 20, total %d',
                    o.query.id, o.query.text, o.query.rule, o.p5, o.r20, o.relevantIn20, o.relevant, o.total)
            o.top5.each { report << '    ' + it }
        }
        report.each { println it }
        Path out = Path.of('target/relevance/report.txt')
        Files.createDirectories(out.parent)
        Files.write(out, report)

        then: 'nothing a visitor may not see is ever returned'
        outcomes.every { it.leaked.isEmpty() }

        and: 'the means stay at or above their floors'
        p5 >= FLOOR_P5
        r20 >= FLOOR_R20
    }
}

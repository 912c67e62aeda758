package org.labcommons.search.relevance

import groovy.transform.CompileStatic
import org.labcommons.search.catalogue.CatalogueGenerator.GeneratedInstrument

import java.nio.charset.StandardCharsets
import java.util.regex.Pattern

/**
 * The labelled queries of {@code relevance/queries.tsv}: each with a rule that says, over the
 * generated catalogue, which instruments a researcher typing it wants; and the measures.
 *
 * <p>Measures, with |R| the number of relevant instruments a visitor may see:
 * P@5 = relevant among the first 5 / min(5, |R|); R@20 = relevant among the first 20 / min(20, |R|).
 * Both are 1.0 for a perfect ranking whatever the size of R (capped as in TREC's R-precision), so a
 * query with 3 relevant instruments is not punished for not having 5.
 */
@CompileStatic
class RelevanceSet {
    static final List<String> CATEGORIES = ['zh', 'en', 'abbreviation', 'typo', 'model', 'mixed']

    @CompileStatic
    static class Query {
        String id, category, lang, text, rule, note
        List<List<Condition>> alternatives

        boolean relevant(GeneratedInstrument i) {
            alternatives.any { List<Condition> all -> all.every { Condition c -> c.test(i) } }
        }
    }

    @CompileStatic
    static class Condition {
        final String field
        final boolean negated
        final List<String> values
        final Pattern pattern

        Condition(String field, boolean negated, List<String> values, Pattern pattern) {
            this.field = field
            this.negated = negated
            this.values = values
            this.pattern = pattern
        }

        boolean test(GeneratedInstrument i) {
            switch (field) {
                case 'type': return values.contains(i.type.key)
                case 'tag': return negated ? !i.model.tags.contains(values[0]) : i.model.tags.containsAll(values)
                case 'mhz': return i.model.mhz != null && values.contains(String.valueOf(i.model.mhz))
                case 'maker': return values.contains(i.model.maker)
                case 'model': return pattern.matcher(i.model.model).find()
                default: throw new IllegalArgumentException("unknown condition ${field}")
            }
        }
    }

    /** Reads the set from the classpath ({@code /relevance/queries.tsv}). */
    static List<Query> load() {
        InputStream in = RelevanceSet.getResourceAsStream('/relevance/queries.tsv')
        assert in != null: 'relevance/queries.tsv missing'
        List<Query> out = []
        in.withReader(StandardCharsets.UTF_8.name()) { Reader r ->
            r.eachLine { String line ->
                if (line.isBlank() || line.startsWith('#')) {
                    return
                }
                String[] c = line.split('\t', -1)
                assert c.length >= 5: "bad line: ${line}"
                assert c[1] in CATEGORIES: "unknown category in: ${line}"
                assert c[2] in ['zh', 'en']: "unknown lang in: ${line}"
                out << new Query(id: c[0], category: c[1], lang: c[2], text: c[3], rule: c[4],
                        note: c.length > 5 ? c[5] : '', alternatives: parse(c[4]))
            }
        }
        assert out*.id.toSet().size() == out.size(): 'duplicate query ids'
        out
    }

    static List<List<Condition>> parse(String rule) {
        rule.split(' ; ').collect { String alternative ->
            alternative.trim().split(/\s+/).collect { String cond ->
                if (cond.startsWith('model~')) {
                    return new Condition('model', false, [], Pattern.compile(cond.substring(6), Pattern.CASE_INSENSITIVE))
                }
                int eq = cond.indexOf('=')
                assert eq > 0: "bad condition ${cond} in ${rule}"
                String field = cond.substring(0, eq)
                String value = cond.substring(eq + 1)
                boolean negated = value.startsWith('!')
                List<String> values = (negated ? value.substring(1) : value).split(',').collect { String v ->
                    field == 'maker' ? v.replace('_', ' ') : v // a maker's space is written as an underscore
                }
                new Condition(field, negated, values, null)
            }
        }
    }

    /** One query's outcome. */
    @CompileStatic
    static class Outcome {
        Query query
        int relevant          // |R|, visible to a visitor
        long total            // the API's total
        int foreign           // hits from outside the generated catalogue (other specs' tenants), skipped
        List<String> ranked   // our hits, best first, at most 20
        List<GeneratedInstrument> leaked = []
        double p5, r20
        List<String> top5 = []  // "✓ name" / "✗ name (type)"
        int relevantIn20

        String line() {
            String.format('%-5s %-13s %-40s %5d %6d %5.2f %6.2f', query.id, query.category, pad(query.text, 40), relevant, total, p5, r20)
        }

        private static String pad(String s, int width) {
            // CJK characters take two columns
            int w = 0
            StringBuilder b = new StringBuilder()
            for (char ch : s.toCharArray()) {
                int cw = ch >= ((char) 0x2E80) ? 2 : 1
                if (w + cw > width) {
                    break
                }
                b.append(ch)
                w += cw
            }
            while (w < width - 1) {
                b.append(' ')
                w++
            }
            b.toString()
        }
    }

    static Outcome measure(Query q, List<GeneratedInstrument> catalogue, Map<String, GeneratedInstrument> byId,
                           List<String> hitIds, long total) {
        Set<String> relevant = catalogue.findAll { it.visibleToVisitor() && q.relevant(it) }.collect { it.id.toString() } as Set<String>
        def o = new Outcome(query: q, relevant: relevant.size(), total: total)
        List<String> ours = []
        for (String id : hitIds) {
            GeneratedInstrument g = byId[id]
            if (g == null) {
                o.foreign++
                continue
            }
            if (!g.visibleToVisitor()) {
                o.leaked << g
            }
            ours << id
        }
        o.ranked = ours.take(20)
        int in5 = o.ranked.take(5).count { relevant.contains(it) } as int
        o.relevantIn20 = o.ranked.count { relevant.contains(it) } as int
        o.p5 = relevant.isEmpty() ? 0d : in5 / (double) Math.min(5, relevant.size())
        o.r20 = relevant.isEmpty() ? 0d : o.relevantIn20 / (double) Math.min(20, relevant.size())
        o.top5 = o.ranked.take(5).collect { String id ->
            GeneratedInstrument g = byId[id]
            (relevant.contains(id) ? '✓ ' : '✗ ') + g.nameZh + ' / ' + g.nameEn + ' [' + g.model.model + ', ' + g.type.key + ']'
        }
        o
    }

    static double mean(Collection<Outcome> outcomes, Closure<Double> metric) {
        outcomes.isEmpty() ? 0d : (double) outcomes.collect { Outcome o -> metric.call(o) }.sum() / outcomes.size()
    }
}

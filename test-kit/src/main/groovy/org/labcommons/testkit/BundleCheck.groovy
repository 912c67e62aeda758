package org.labcommons.testkit

import java.nio.file.Files
import java.nio.file.Path

/**
 * The checks every module's messages specification makes of its message bundle, in a line each:
 *
 * <pre>
 * static final BundleCheck bundles = BundleCheck.of(Messages.&amp;read, new KernelMessages(), new FederationMessages())
 *
 * def "the module's zh-CN and en bundles have the same keys, and no text is empty"() {
 *     expect:
 *     bundles.complete(30)
 * }
 *
 * def "every key the module's templates write is in both languages"() {
 *     expect:
 *     bundles.covers(BundleCheck.templateKeys(), 10)
 * }
 * </pre>
 *
 * The bundles are the module's kernel types ({@code MessageBundle}s), read with the kernel's own
 * reader ({@code Messages.read(bundle, locale)}, which refuses a missing file and a key defined twice):
 * the test kit cannot name kernel classes. The last bundle is the module's own; all of them together
 * are what the module's pages and code see. Each check asserts with Groovy's power assertions (the
 * failure shows the offending keys) and answers {@code true}, so it reads as a Spock condition.
 */
class BundleCheck {
    static final Locale ZH_CN = Locale.SIMPLIFIED_CHINESE
    static final Locale EN = Locale.ENGLISH

    private final Closure<Map<String, String>> read
    private final List<Object> bundles

    private BundleCheck(Closure<Map<String, String>> read, List<Object> bundles) {
        this.read = read
        this.bundles = bundles
    }

    /** {@code read}: (bundle, locale) to the bundle's own texts; {@code bundles}: those the module sees, its own last. */
    static BundleCheck of(Closure<Map<String, String>> read, Object... bundles) {
        if (bundles.length == 0) {
            throw new IllegalArgumentException('name at least the module\'s own bundle')
        }
        new BundleCheck(read, bundles as List)
    }

    /** The module's own texts in one language. */
    Map<String, String> own(Locale locale) {
        read.call(bundles.last(), locale)
    }

    /** Every text the module sees in one language (its own bundle and those of the modules below it). */
    Map<String, String> seen(Locale locale) {
        bundles.collectEntries { read.call(it, locale) } as Map<String, String>
    }

    /** The module's own zh-CN and en bundles have more than {@code moreThan} keys, the same keys, and no empty text. */
    boolean complete(int moreThan) {
        Map<String, String> zh = own(ZH_CN)
        Map<String, String> en = own(EN)
        assert zh.size() > moreThan
        assert zh.keySet() == en.keySet()
        assert (zh + en).findAll { k, v -> !v.trim() } == [:]
        true
    }

    /** More than {@code moreThan} keys, each of them in both languages of the bundles the module sees. */
    boolean covers(Collection<?> keys, int moreThan = 0) {
        Set<String> all = keys*.toString() as Set<String>
        Map<String, String> zh = seen(ZH_CN)
        Map<String, String> en = seen(EN)
        assert all.size() > moreThan
        assert all.findAll { !zh.containsKey(it) } == [] as Set
        assert all.findAll { !en.containsKey(it) } == [] as Set
        true
    }

    /** Each of {@code keys} reads differently in zh-CN and en (keys {@code except} may read the same). */
    boolean differ(Collection<?> keys, Closure<Boolean> except = { false }) {
        Map<String, String> zh = seen(ZH_CN)
        Map<String, String> en = seen(EN)
        assert (keys*.toString() as Set<String>).findAll { zh[it] == en[it] && !except.call(it) } == [] as Set
        true
    }

    /** The keys the templates below {@code views} write ({@code t['key']}). */
    static Set<String> templateKeys(String views = 'src/main/resources/views') {
        Files.walk(Path.of(views)).withCloseable { paths ->
            paths.toList().findAll { it.toString().endsWith('.html') }
                    .collectMany { (Files.readString(it) =~ /t\['([a-zA-Z0-9_.\-]+)'\]/).collect { m -> m[1] as String } }
                    .toSet()
        }
    }
}

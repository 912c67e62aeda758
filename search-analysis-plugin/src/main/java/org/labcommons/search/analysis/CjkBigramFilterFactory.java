package org.labcommons.search.analysis;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.cjk.CJKBigramFilter;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.lucene.analysis.miscellaneous.DisableGraphAttribute;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code cjk_bigram}: bigrams of CJK runs from the standard tokenizer, with the settings of the
 * analysis-common filter ({@code ignored_scripts}: han, hiragana, katakana, hangul;
 * {@code output_unigrams}).
 */
final class CjkBigramFilterFactory extends AbstractTokenFilterFactory {
    private final int flags;
    private final boolean outputUnigrams;

    CjkBigramFilterFactory(IndexSettings indexSettings, Environment env, String name, Settings settings) {
        super(name, settings);
        this.outputUnigrams = settings.getAsBoolean("output_unigrams", false);
        Set<String> scripts = new HashSet<>(List.of("han", "hiragana", "katakana", "hangul"));
        scripts.removeAll(settings.getAsList("ignored_scripts"));
        int f = 0;
        for (String script : scripts) {
            f |= switch (script) {
                case "han" -> CJKBigramFilter.HAN;
                case "hiragana" -> CJKBigramFilter.HIRAGANA;
                case "katakana" -> CJKBigramFilter.KATAKANA;
                case "hangul" -> CJKBigramFilter.HANGUL;
                default -> 0;
            };
        }
        this.flags = f;
    }

    @Override
    public TokenStream create(TokenStream tokenStream) {
        CJKBigramFilter filter = new CJKBigramFilter(tokenStream, flags, outputUnigrams);
        if (outputUnigrams) {
            // unigrams and bigrams at unaligned positions: graph-aware query building would explode
            filter.addAttribute(DisableGraphAttribute.class);
        }
        return filter;
    }
}

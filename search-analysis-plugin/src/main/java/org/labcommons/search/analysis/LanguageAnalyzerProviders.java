package org.labcommons.search.analysis;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.cjk.CJKAnalyzer;
import org.apache.lucene.analysis.cn.smart.SmartChineseAnalyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractIndexAnalyzerProvider;
import org.elasticsearch.index.analysis.Analysis;
import org.elasticsearch.index.analysis.AnalyzerProvider;

/**
 * The language analyzers, with the same settings as their analysis-common / analysis-smartcn
 * counterparts: {@code stopwords} / {@code stopwords_path} for {@code cjk} and {@code english},
 * {@code stem_exclusion} for {@code english}.
 */
final class LanguageAnalyzerProviders {
    private LanguageAnalyzerProviders() {
    }

    /** Lucene's CJKAnalyzer: standard tokenizer, cjk_width, lowercase, cjk_bigram, stop. */
    static AnalyzerProvider<? extends Analyzer> cjk(IndexSettings indexSettings, Environment env, String name, Settings settings) {
        CharArraySet stopWords = Analysis.parseStopWords(env, settings, CJKAnalyzer.getDefaultStopSet());
        return new Fixed<>(name, settings, new CJKAnalyzer(stopWords));
    }

    /** Lucene's EnglishAnalyzer: standard tokenizer, possessive, lowercase, stop, keyword marker, porter stem. */
    static AnalyzerProvider<? extends Analyzer> english(IndexSettings indexSettings, Environment env, String name, Settings settings) {
        CharArraySet stopWords = Analysis.parseStopWords(env, settings, EnglishAnalyzer.getDefaultStopSet());
        CharArraySet stemExclusion = Analysis.parseStemExclusion(settings, CharArraySet.EMPTY_SET);
        return new Fixed<>(name, settings, new EnglishAnalyzer(stopWords, stemExclusion));
    }

    /** Lucene's SmartChineseAnalyzer (HMM word segmentation) with its default stop set, as analysis-smartcn. */
    static AnalyzerProvider<? extends Analyzer> smartcn(IndexSettings indexSettings, Environment env, String name, Settings settings) {
        return new Fixed<>(name, settings, new SmartChineseAnalyzer(SmartChineseAnalyzer.getDefaultStopSet()));
    }

    private static final class Fixed<T extends Analyzer> extends AbstractIndexAnalyzerProvider<T> {
        private final T analyzer;

        Fixed(String name, Settings settings, T analyzer) {
            super(name, settings);
            this.analyzer = analyzer;
        }

        @Override
        public T get() {
            return analyzer;
        }
    }
}

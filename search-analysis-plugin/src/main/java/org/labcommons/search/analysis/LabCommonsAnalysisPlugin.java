package org.labcommons.search.analysis;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.cn.smart.HMMChineseTokenizer;
import org.elasticsearch.index.analysis.AnalyzerProvider;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.index.analysis.TokenizerFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;

import java.util.Map;

/**
 * Registers Lucene's CJK, English and SmartCN analysis under the names a full Elasticsearch
 * distribution uses (the {@code analysis-common} module and the {@code analysis-smartcn} plugin),
 * so that the index mappings of LabCommons run unchanged on the minimal distribution started by
 * dev-stack and on a production cluster.
 *
 * <p>Only names that ES core does not register itself are added: core 8.19 already has the
 * {@code standard} tokenizer and analyzer, the pre-configured {@code lowercase} filter, {@code stop},
 * {@code shingle} and {@code hunspell}; registering any of those again fails node startup. For the
 * same reason this plugin must never be installed next to {@code analysis-common} (a full
 * distribution): there the names below already exist.
 */
public final class LabCommonsAnalysisPlugin extends Plugin implements AnalysisPlugin {

    @Override
    public Map<String, AnalysisProvider<AnalyzerProvider<? extends Analyzer>>> getAnalyzers() {
        return Map.of(
                "cjk", LanguageAnalyzerProviders::cjk,
                "english", LanguageAnalyzerProviders::english,
                "smartcn", LanguageAnalyzerProviders::smartcn);
    }

    @Override
    public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
        return Map.of(
                "cjk_bigram", CjkBigramFilterFactory::new,
                "cjk_width", (indexSettings, env, name, settings) -> new SimpleFilterFactory.CjkWidth(name, settings),
                "porter_stem", (indexSettings, env, name, settings) -> new SimpleFilterFactory.PorterStem(name, settings),
                "stemmer", StemmerFilterFactory::new);
    }

    @Override
    public Map<String, AnalysisProvider<TokenizerFactory>> getTokenizers() {
        return Map.of("smartcn_tokenizer",
                (indexSettings, env, name, settings) -> TokenizerFactory.newFactory(name, HMMChineseTokenizer::new));
    }
}

package org.labcommons.search.analysis;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.cjk.CJKWidthFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.NormalizingTokenFilterFactory;

/** Token filters without settings. */
final class SimpleFilterFactory {
    private SimpleFilterFactory() {
    }

    /** {@code cjk_width}: folds full-width ASCII and half-width Katakana; usable in normalizers too. */
    static final class CjkWidth extends AbstractTokenFilterFactory implements NormalizingTokenFilterFactory {
        CjkWidth(String name, Settings settings) {
            super(name, settings);
        }

        @Override
        public TokenStream create(TokenStream tokenStream) {
            return new CJKWidthFilter(tokenStream);
        }
    }

    /** {@code porter_stem}: the Porter stemmer (expects lower-cased input). */
    static final class PorterStem extends AbstractTokenFilterFactory {
        PorterStem(String name, Settings settings) {
            super(name, settings);
        }

        @Override
        public TokenStream create(TokenStream tokenStream) {
            return new PorterStemFilter(tokenStream);
        }
    }
}

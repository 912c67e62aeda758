package org.labcommons.core.catalog.io;

import java.math.BigDecimal;
import java.text.NumberFormat;
import java.util.Locale;

/**
 * Numbers on the import wizard's pages in the page's language, grouped the way its readers write
 * them ({@code 12,345} rows, {@code 1,580,000.00} yuan): the templates call {@code nf.count(n)} and
 * {@code nf.money(fen)}.
 */
public final class ImportFigures {
    private final Locale locale;

    ImportFigures(Locale locale) {
        this.locale = locale;
    }

    /** A count with the locale's thousands separators; "" for null. */
    public String count(Number n) {
        return n == null ? "" : NumberFormat.getIntegerInstance(locale).format(n.longValue());
    }

    /** An amount in fen as yuan with two decimals and thousands separators; "" for null. */
    public String money(Long fen) {
        if (fen == null) {
            return "";
        }
        NumberFormat f = NumberFormat.getNumberInstance(locale);
        f.setMinimumFractionDigits(2);
        f.setMaximumFractionDigits(2);
        return f.format(BigDecimal.valueOf(fen, 2));
    }
}

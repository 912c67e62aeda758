package org.labcommons.core.billing.subsidies;

import io.micronaut.core.annotation.Nullable;

import java.util.Locale;

/**
 * The unified social credit code (统一社会信用代码, GB 32100-2015), an enterprise's tax id: 18 characters of
 * {@code 0-9 A-H J-N P-R T U W-Y} (no I, O, S, V, Z), the last a check character: with the characters' values
 * {@code v[i]} (their positions in {@link #CHARSET}) and the weights {@code 3^i mod 31}, the check is
 * {@code 31 - (sum of v[i] * w[i], i = 0..16) mod 31}, and 31 is written 0.
 */
public final class TaxIds {
    /** The characters a code may hold, in value order. */
    public static final String CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static final int[] WEIGHTS = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

    private TaxIds() {
    }

    /** The code upper-cased and stripped (null stays null). */
    public static @Nullable String normal(@Nullable String taxId) {
        return taxId == null ? null : taxId.strip().toUpperCase(Locale.ROOT);
    }

    /** Whether {@code taxId} (as {@link #normal} makes it) is a well-formed code with the right check character. */
    public static boolean valid(@Nullable String taxId) {
        String t = normal(taxId);
        if (t == null || t.length() != 18) {
            return false;
        }
        for (int i = 0; i < 18; i++) {
            if (CHARSET.indexOf(t.charAt(i)) < 0) {
                return false;
            }
        }
        return check(t.substring(0, 17)) == t.charAt(17);
    }

    /** The check character of the first 17 characters of a code. */
    public static char check(String first17) {
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            int v = CHARSET.indexOf(first17.charAt(i));
            if (v < 0) {
                throw new IllegalArgumentException("not a code character: " + first17.charAt(i));
            }
            sum += v * WEIGHTS[i];
        }
        int c = 31 - sum % 31;
        return CHARSET.charAt(c == 31 ? 0 : c);
    }
}

package org.labcommons.core.catalog.io;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Asset numbers for a register that has none, one per row in file order: the mapping's prefix
 * followed by a key that the same row of the same file always gets, so a re-import of the file
 * matches the records the first import created.
 * <ul>
 *   <li>When a column is mapped to the asset number too (a register's own ID), the key is that
 *       cell's value: {@code GEN-} + {@code 1042}.</li>
 *   <li>Otherwise (and for a blank ID cell) the key is {@value #KEY_LENGTH} Crockford base32
 *       characters (50 bits) of the SHA-256 of the row's identifying cells: the Chinese and English
 *       names, model, manufacturer, unit, building and room, each {@link #normalise normalised}. The
 *       second, third... row with the same identifying cells in the same file gets {@code -2},
 *       {@code -3}... appended, so identical rows (two of the same microscope) get distinct,
 *       stable numbers as long as their order in the file stays.</li>
 * </ul>
 * A row whose identifying cells change gets another number (and so comes in as a new record);
 * two different rows meeting on the same 50-bit key are reported as a repeated asset number.
 */
final class AssetNumbers {
    static final int KEY_LENGTH = 10;
    /** The cells that identify an instrument in a register without numbers. */
    static final List<ImportField> IDENTIFYING = List.of(ImportField.NAME_ZH, ImportField.NAME_EN, ImportField.MODEL,
            ImportField.MANUFACTURER, ImportField.ORG_UNIT, ImportField.BUILDING, ImportField.ROOM);
    private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

    private final ColumnMapping mapping;
    private final String prefix;
    private final Map<String, Integer> seen = new HashMap<>();

    private AssetNumbers(ColumnMapping mapping) {
        this.mapping = mapping;
        this.prefix = mapping.assetNumbers().prefixOrDefault();
    }

    /** The generator for one pass over the file, or null when the mapping does not generate numbers. */
    static AssetNumbers of(ColumnMapping mapping) {
        return mapping.assetNumbers() == null ? null : new AssetNumbers(mapping);
    }

    /** The next row's asset number (call once per data row, in file order). */
    String next(List<String> cells) {
        String own = cell(cells, ImportField.ASSET_NUMBER);
        if (!own.isEmpty()) {
            return prefix + own;
        }
        String key = key(cells);
        int occurrence = seen.merge(key, 1, Integer::sum);
        return occurrence == 1 ? prefix + key : prefix + key + "-" + occurrence;
    }

    /** The content key of a row: base32 of the hash of its normalised identifying cells. */
    String key(List<String> cells) {
        StringBuilder b = new StringBuilder();
        for (ImportField f : IDENTIFYING) {
            b.append(f.key()).append('=').append(normalise(cell(cells, f))).append('\u001F');
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(b.toString().getBytes(StandardCharsets.UTF_8));
            long bits = 0;
            for (int i = 0; i < 8; i++) {
                bits = (bits << 8) | (hash[i] & 0xFF);
            }
            char[] out = new char[KEY_LENGTH];
            for (int i = 0; i < KEY_LENGTH; i++) {
                out[i] = CROCKFORD[(int) ((bits >>> (64 - 5 * (i + 1))) & 31)];
            }
            return new String(out);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String cell(List<String> cells, ImportField f) {
        Integer index = mapping.columns().get(f.key());
        if (index == null || index < 0 || index >= cells.size() || cells.get(index) == null) {
            return "";
        }
        return trim(CellValues.unneutralise(cells.get(index)));
    }

    /**
     * What does not tell two instruments apart: width and compatibility forms (NFKC), case,
     * invisible characters (zero-width, byte-order marks) and runs of any kind of space.
     */
    static String normalise(String s) {
        String n = Normalizer.normalize(s, Normalizer.Form.NFKC).replaceAll("\\p{Cf}", "");
        return n.replaceAll("[\\p{Z}\\s]+", " ").strip().toLowerCase(Locale.ROOT);
    }

    private static String trim(String s) {
        return s == null ? "" : s.replaceAll("^[\\p{Z}\\s\\p{Cf}]+|[\\p{Z}\\s\\p{Cf}]+$", "");
    }
}

package org.labcommons.core.catalog.io;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads an uploaded asset register, .xlsx or .csv, one row at a time, within {@link ImportLimits}.
 * The format is recognised by the file's first bytes, never by its name. Rows are handed over as
 * text cells exactly as the spreadsheet shows them (an .xlsx formula cell gives its cached value;
 * nothing is ever evaluated), numbered as the spreadsheet numbers them. Every cell is trimmed of
 * spaces and of the invisible characters registers carry around values (no-break spaces,
 * zero-width characters, a stray byte-order mark: {@link CellValues#trimInvisible}); a row that is
 * then blank is skipped.
 */
public final class Spreadsheets {
    private Spreadsheets() {
    }

    public enum Format { XLSX, CSV }

    /** What was recognised: the format, and for CSV the encoding and separator. */
    public record Detected(Format format, String encoding, String separator) {
    }

    /** Receives rows; returning false stops the reading (a preview needs only the first rows). */
    @FunctionalInterface
    public interface RowHandler {
        boolean row(int rowNumber, List<String> cells);
    }

    /** Reads every row of {@code bytes} (the first sheet of a workbook) into {@code handler}. */
    public static Detected read(byte[] bytes, ImportLimits limits, RowHandler handler) {
        return read(bytes, limits, null, handler);
    }

    /**
     * As {@link #read(byte[], ImportLimits, RowHandler)}, a CSV read as {@code encoding} (one of
     * {@link TextEncodings#SUPPORTED}; null or unknown: detected from the bytes). A workbook has no
     * such choice: its XML says how it is encoded.
     */
    public static Detected read(byte[] bytes, ImportLimits limits, String encoding, RowHandler rows) {
        RowHandler handler = (number, cells) -> {
            List<String> trimmed = new ArrayList<>(cells.size());
            boolean blank = true;
            for (String c : cells) {
                String t = CellValues.trimInvisible(c);
                blank &= t == null || t.isEmpty();
                trimmed.add(t);
            }
            return blank || rows.row(number, trimmed);
        };
        if (bytes.length == 0) {
            throw new SpreadsheetException("empty");
        }
        if (bytes.length > limits.getMaxFileBytes()) {
            throw new SpreadsheetException("too_large", java.util.Map.of("max", limits.getMaxFileBytes() / (1024 * 1024)));
        }
        if (startsWith(bytes, 0x50, 0x4B, 0x03, 0x04)) {
            XlsxReader.read(bytes, limits, handler);
            return new Detected(Format.XLSX, null, null);
        }
        if (startsWith(bytes, 0xD0, 0xCF, 0x11, 0xE0)) {
            // OLE2: an old .xls workbook, or an .xlsx encrypted with a password
            throw new SpreadsheetException("old_or_encrypted");
        }
        if (startsWith(bytes, 0x50, 0x4B)) {
            throw new SpreadsheetException("unsupported_format");
        }
        return CsvReader.read(bytes, limits, encoding, handler);
    }

    static boolean startsWith(byte[] bytes, int... prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((bytes[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}

package org.labcommons.core.catalog.io;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * CSV as institutions' systems and Excel write it (RFC 4180 quoting, CRLF/LF/CR line ends).
 * Encoding: detected from the bytes by {@link TextEncodings} (a byte-order mark, strict UTF-8, then
 * a detector: GB18030, Big5, windows-1252 or Mac Roman), or the one the user chose. The
 * separator is the one of comma, tab and semicolon that occurs most often outside quotes in the
 * first record. Rows are records: a quoted cell may span lines, and the row number is the record's
 * number as a spreadsheet program would show it (header = row 1).
 */
final class CsvReader {
    private CsvReader() {
    }

    /** Reads {@code bytes} as {@code encoding} (a name of {@link TextEncodings#SUPPORTED}), or as detected when null. */
    static Spreadsheets.Detected read(byte[] bytes, ImportLimits limits, String encoding, Spreadsheets.RowHandler handler) {
        TextEncodings.Choice choice = TextEncodings.supported(encoding)
                .map(c -> TextEncodings.forced(bytes, c)).orElseGet(() -> TextEncodings.detect(bytes));
        Charset charset = choice.charset();
        int offset = choice.bomLength();
        if (looksBinary(bytes, offset, charset)) {
            throw new SpreadsheetException("unsupported_format");
        }
        char separator;
        try (Reader r = reader(bytes, offset, charset)) {
            separator = detectSeparator(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (Reader r = reader(bytes, offset, charset)) {
            parse(r, separator, limits, handler);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Spreadsheets.Detected(Spreadsheets.Format.CSV, choice.label(), String.valueOf(separator));
    }

    private static Reader reader(byte[] bytes, int offset, Charset charset) {
        return new InputStreamReader(new ByteArrayInputStream(bytes, offset, bytes.length - offset),
                charset.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                        .onUnmappableCharacter(CodingErrorAction.REPLACE));
    }

    /** True when every byte sequence is well-formed UTF-8 (no allocation: a scan of the bytes). */
    static boolean isStrictUtf8(byte[] b) {
        int i = 0;
        while (i < b.length) {
            int c = b[i] & 0xFF;
            int n;
            if (c < 0x80) {
                i++;
                continue;
            } else if (c >= 0xC2 && c <= 0xDF) {
                n = 1;
            } else if (c >= 0xE0 && c <= 0xEF) {
                n = 2;
            } else if (c >= 0xF0 && c <= 0xF4) {
                n = 3;
            } else {
                return false;
            }
            for (int k = 1; k <= n; k++) {
                if (i + k >= b.length || (b[i + k] & 0xC0) != 0x80) {
                    return false;
                }
            }
            if (n == 2) {
                int c1 = b[i + 1] & 0xFF;
                if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 > 0x9F)) {
                    return false;   // overlong, or a surrogate
                }
            } else if (n == 3) {
                int c1 = b[i + 1] & 0xFF;
                if ((c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 > 0x8F)) {
                    return false;
                }
            }
            i += n + 1;
        }
        return true;
    }

    /** NUL bytes in an 8-bit text mean this is no CSV (an image, a zip, a PDF...). */
    private static boolean looksBinary(byte[] b, int offset, Charset charset) {
        if (charset == StandardCharsets.UTF_16LE || charset == StandardCharsets.UTF_16BE) {
            return false;
        }
        int end = Math.min(b.length, offset + 8192);
        for (int i = offset; i < end; i++) {
            if (b[i] == 0) {
                return true;
            }
        }
        return false;
    }

    private static char detectSeparator(Reader r) throws IOException {
        int comma = 0;
        int tab = 0;
        int semicolon = 0;
        boolean quoted = false;
        int read = 0;
        int ch;
        while ((ch = r.read()) != -1 && read++ < 65_536) {
            if (ch == '"') {
                quoted = !quoted;
            } else if (!quoted && (ch == '\n' || ch == '\r')) {
                if (comma + tab + semicolon > 0) {
                    break;
                }
            } else if (!quoted) {
                switch (ch) {
                    case ',' -> comma++;
                    case '\t' -> tab++;
                    case ';' -> semicolon++;
                    default -> { }
                }
            }
        }
        if (tab > comma && tab >= semicolon) {
            return '\t';
        }
        if (semicolon > comma) {
            return ';';
        }
        return ',';
    }

    private static void parse(Reader r, char separator, ImportLimits limits, Spreadsheets.RowHandler handler)
            throws IOException {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        boolean afterQuote = false;
        boolean any = false;
        int record = 0;
        int dataRows = 0;
        int ch;
        int pending = -2;
        while (true) {
            if (pending != -2) {
                ch = pending;
                pending = -2;
            } else {
                ch = r.read();
            }
            if (ch == -1) {
                break;
            }
            if (quoted) {
                if (ch == '"') {
                    int next = r.read();
                    if (next == '"') {
                        append(cell, '"', limits, record + 1);
                    } else {
                        quoted = false;
                        afterQuote = true;
                        pending = next;
                    }
                } else {
                    append(cell, (char) ch, limits, record + 1);
                }
                continue;
            }
            if (ch == '"' && cell.length() == 0 && !afterQuote) {
                quoted = true;
                any = true;
            } else if (ch == separator) {
                addCell(cells, cell, limits, record + 1);
                afterQuote = false;
                any = true;
            } else if (ch == '\n' || ch == '\r') {
                if (ch == '\r') {
                    int next = r.read();
                    if (next != '\n') {
                        pending = next;
                    }
                }
                if (any || cell.length() > 0) {
                    addCell(cells, cell, limits, record + 1);
                }
                record++;
                if (!blank(cells)) {
                    if (record > 1 && ++dataRows > limits.getMaxRows()) {
                        throw new SpreadsheetException("too_many_rows", Map.of("max", limits.getMaxRows()));
                    }
                    if (!handler.row(record, cells)) {
                        return;
                    }
                }
                cells = new ArrayList<>();
                afterQuote = false;
                any = false;
            } else {
                append(cell, (char) ch, limits, record + 1);
                any = true;
            }
        }
        if (quoted) {
            throw new SpreadsheetException("unclosed_quote", Map.of("row", record + 1));
        }
        if (any || cell.length() > 0) {
            addCell(cells, cell, limits, record + 1);
        }
        record++;
        if (!blank(cells)) {
            if (record > 1 && ++dataRows > limits.getMaxRows()) {
                throw new SpreadsheetException("too_many_rows", Map.of("max", limits.getMaxRows()));
            }
            handler.row(record, cells);
        }
    }

    private static void append(StringBuilder cell, char c, ImportLimits limits, int row) {
        if (cell.length() >= limits.getMaxCellChars()) {
            throw new SpreadsheetException("cell_too_long", Map.of("row", row, "max", limits.getMaxCellChars()));
        }
        cell.append(c);
    }

    private static void addCell(List<String> cells, StringBuilder cell, ImportLimits limits, int row) {
        if (cells.size() >= limits.getMaxColumns()) {
            throw new SpreadsheetException("too_many_columns", Map.of("row", row, "max", limits.getMaxColumns()));
        }
        cells.add(cell.toString());
        cell.setLength(0);
    }

    static boolean blank(List<String> cells) {
        for (String c : cells) {
            if (c != null && !c.isBlank()) {
                return false;
            }
        }
        return true;
    }
}

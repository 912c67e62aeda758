package org.labcommons.tenantadmin.onboarding;

import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Reads a spreadsheet of institutions: {@code .xlsx} (first sheet) or CSV (UTF-8 with or without
 * a byte-order mark, or GB18030 as Chinese Excel saves it; comma, semicolon or tab separated).
 * The first row names the columns (English keys or the Chinese labels). Limits are checked
 * before anything is parsed into memory: file size, and for .xlsx the real expanded size of the
 * archive (a zip bomb stops there) and the number of entries. Formulas are never evaluated: a
 * formula cell is reported as an error.
 */
final class BulkSheet {
    static final int MAX_FILE_BYTES = 2 * 1024 * 1024;
    static final long MAX_EXPANDED_BYTES = 32L * 1024 * 1024;
    static final int MAX_ZIP_ENTRIES = 500;
    static final int MAX_ROWS = 1000;
    /** Marks a cell that held a formula (reported, never evaluated). */
    static final String FORMULA = "\u0000formula";

    /** Column keys and the headers accepted for them (compared lower case, without spaces, '_' or '-'). */
    static final Map<String, List<String>> COLUMNS = new LinkedHashMap<>();

    static {
        COLUMNS.put("slug", List.of("slug", "标识", "简称代码"));
        COLUMNS.put("nameZh", List.of("namezh", "中文名称", "机构名称"));
        COLUMNS.put("nameEn", List.of("nameen", "英文名称"));
        COLUMNS.put("regionCode", List.of("regioncode", "行政区划代码", "地区代码"));
        COLUMNS.put("timeZone", List.of("timezone", "时区"));
        COLUMNS.put("contactName", List.of("contactname", "联系人"));
        COLUMNS.put("contactEmail", List.of("contactemail", "联系人邮箱", "联系邮箱"));
        COLUMNS.put("language", List.of("language", "语言"));
        COLUMNS.put("issuerUrl", List.of("issuerurl", "issuer", "身份提供方", "身份提供方地址"));
        COLUMNS.put("clientId", List.of("clientid", "客户端标识"));
        COLUMNS.put("nameClaim", List.of("nameclaim", "姓名声明"));
        COLUMNS.put("emailClaim", List.of("emailclaim", "邮箱声明"));
        COLUMNS.put("adminEmails", List.of("adminemails", "管理员邮箱"));
    }

    private BulkSheet() {
    }

    /** A file that cannot be read at all (too large, not a spreadsheet, no header). */
    static final class Unreadable extends Exception {
        final String code;

        Unreadable(String code) {
            super(code, null, false, false);
            this.code = code;
        }
    }

    /** One data row: its number as the spreadsheet shows it (the header is row 1) and its cells by column key. */
    record SheetRow(int number, Map<String, String> cells) {
    }

    /** The rows, and the recognised columns in file order (unknown columns are ignored). */
    record Parsed(List<String> columns, List<SheetRow> rows) {
    }

    static Parsed parse(byte[] file) throws Unreadable {
        if (file.length == 0) {
            throw new Unreadable("empty");
        }
        if (file.length > MAX_FILE_BYTES) {
            throw new Unreadable("too_large");
        }
        List<List<String>> raw = isZip(file) ? xlsx(file) : csv(decode(file));
        int header = 0;
        while (header < raw.size() && raw.get(header).stream().allMatch(String::isBlank)) {
            header++;
        }
        if (header >= raw.size()) {
            throw new Unreadable("empty");
        }
        List<String> keys = new ArrayList<>();
        for (String h : raw.get(header)) {
            keys.add(columnKey(h));
        }
        List<String> columns = keys.stream().filter(k -> k != null).toList();
        List<SheetRow> rows = new ArrayList<>();
        for (int r = header + 1; r < raw.size(); r++) {
            List<String> cells = raw.get(r);
            if (cells.stream().allMatch(String::isBlank)) {
                continue;
            }
            if (rows.size() == MAX_ROWS) {
                throw new Unreadable("too_many_rows");
            }
            Map<String, String> byKey = new LinkedHashMap<>();
            for (int c = 0; c < Math.min(cells.size(), keys.size()); c++) {
                if (keys.get(c) != null) {
                    byKey.put(keys.get(c), cells.get(c));
                }
            }
            rows.add(new SheetRow(r + 1, byKey));
        }
        return new Parsed(columns, rows);
    }

    static String columnKey(String header) {
        String h = header == null ? "" : header.strip().toLowerCase(Locale.ROOT).replaceAll("[\\s_\\-]", "");
        if (h.startsWith("\uFEFF")) {
            h = h.substring(1);
        }
        for (Map.Entry<String, List<String>> e : COLUMNS.entrySet()) {
            if (e.getValue().contains(h)) {
                return e.getKey();
            }
        }
        return null;
    }

    private static boolean isZip(byte[] b) {
        return b.length >= 4 && b[0] == 'P' && b[1] == 'K' && b[2] == 3 && b[3] == 4;
    }

    /** Reads every entry of the archive, counting what it really expands to, before POI sees it. */
    private static void checkArchive(byte[] file) throws Unreadable {
        long expanded = 0;
        int entries = 0;
        byte[] buffer = new byte[16 * 1024];
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(file))) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                if (++entries > MAX_ZIP_ENTRIES || entry.getName().contains("..")) {
                    throw new Unreadable("too_large");
                }
                int n;
                while ((n = zip.read(buffer)) > 0) {
                    expanded += n;
                    if (expanded > MAX_EXPANDED_BYTES) {
                        throw new Unreadable("too_large");
                    }
                }
            }
        } catch (IOException e) {
            throw new Unreadable("unreadable");
        }
        if (entries == 0) {
            throw new Unreadable("unreadable");
        }
    }

    private static List<List<String>> xlsx(byte[] file) throws Unreadable {
        checkArchive(file);
        List<List<String>> out = new ArrayList<>();
        DataFormatter formatter = new DataFormatter(Locale.ROOT);
        try (XSSFWorkbook book = new XSSFWorkbook(new ByteArrayInputStream(file))) {
            if (book.getNumberOfSheets() == 0) {
                throw new Unreadable("empty");
            }
            Sheet sheet = book.getSheetAt(0);
            if (sheet.getLastRowNum() > MAX_ROWS + 50) {
                throw new Unreadable("too_many_rows");
            }
            for (int r = 0; r <= sheet.getLastRowNum(); r++) {
                Row row = sheet.getRow(r);
                List<String> cells = new ArrayList<>();
                if (row != null) {
                    for (int c = 0; c < Math.min(Math.max(row.getLastCellNum(), 0), 64); c++) {
                        Cell cell = row.getCell(c);
                        if (cell == null) {
                            cells.add("");
                        } else if (cell.getCellType() == CellType.FORMULA) {
                            cells.add(FORMULA);
                        } else {
                            cells.add(formatter.formatCellValue(cell));
                        }
                    }
                }
                out.add(cells);
            }
        } catch (IOException | RuntimeException e) {
            throw new Unreadable("unreadable");
        }
        return out;
    }

    /** UTF-8 (a byte-order mark is dropped) when the bytes are valid UTF-8, otherwise GB18030. */
    static String decode(byte[] file) {
        int start = file.length >= 3 && (file[0] & 0xFF) == 0xEF && (file[1] & 0xFF) == 0xBB && (file[2] & 0xFF) == 0xBF ? 3 : 0;
        ByteBuffer bytes = ByteBuffer.wrap(file, start, file.length - start);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes).toString();
        } catch (CharacterCodingException e) {
            return new String(file, start, file.length - start, Charset.forName("GB18030"));
        }
    }

    /** RFC 4180 records; the separator is the most frequent of , ; and tab on the first line. */
    static List<List<String>> csv(String text) throws Unreadable {
        String firstLine = text.lines().findFirst().orElse("");
        char sep = ',';
        long best = firstLine.chars().filter(ch -> ch == ',').count();
        for (char candidate : new char[] {';', '\t'}) {
            long n = firstLine.chars().filter(ch -> ch == candidate).count();
            if (n > best) {
                best = n;
                sep = candidate;
            }
        }
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean fieldStarted = false;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (quoted) {
                if (ch == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(ch);
                }
            } else if (ch == '"' && !fieldStarted) {
                quoted = true;
                fieldStarted = true;
            } else if (ch == sep) {
                record.add(field.toString());
                field.setLength(0);
                fieldStarted = false;
            } else if (ch == '\n' || ch == '\r') {
                if (ch == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                record.add(field.toString());
                records.add(record);
                if (records.size() > MAX_ROWS + 50) {
                    throw new Unreadable("too_many_rows");
                }
                record = new ArrayList<>();
                field.setLength(0);
                fieldStarted = false;
            } else {
                field.append(ch);
                fieldStarted = true;
            }
        }
        if (quoted) {
            throw new Unreadable("unreadable");
        }
        if (fieldStarted || field.length() > 0 || !record.isEmpty()) {
            record.add(field.toString());
            records.add(record);
        }
        return records;
    }
}

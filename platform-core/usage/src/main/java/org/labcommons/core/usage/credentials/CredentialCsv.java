package org.labcommons.core.usage.credentials;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The campus card system's export as {@link PersonCredentials#importCsv} reads it: UTF-8 with or without a
 * byte-order mark, else GB18030 (what Chinese Excel saves); a header row; comma, semicolon or tab separated
 * (whichever occurs most in the header), RFC 4180 quoting. Columns are found by their header: the card number and
 * one of e-mail, login or campus id (zh-CN or en names, case and spaces ignored).
 */
final class CredentialCsv {
    /** How a person is named in the file. */
    enum PersonColumn { EMAIL, LOGIN, CAMPUS_ID }

    private static final Map<String, String> HEADERS = Map.ofEntries(
            Map.entry("card", "card"), Map.entry("cardnumber", "card"), Map.entry("cardno", "card"),
            Map.entry("卡号", "card"), Map.entry("校园卡号", "card"), Map.entry("一卡通号", "card"),
            Map.entry("email", "email"), Map.entry("mail", "email"), Map.entry("邮箱", "email"),
            Map.entry("电子邮箱", "email"), Map.entry("电子邮件", "email"),
            Map.entry("login", "login"), Map.entry("username", "login"), Map.entry("account", "login"),
            Map.entry("登录名", "login"), Map.entry("账号", "login"), Map.entry("用户名", "login"),
            Map.entry("campusid", "campus_id"), Map.entry("studentid", "campus_id"), Map.entry("staffid", "campus_id"),
            Map.entry("学工号", "campus_id"), Map.entry("学号", "campus_id"), Map.entry("工号", "campus_id"));

    /** The file read: the columns found and the data rows with their line numbers (header = line 1). */
    record Table(int cardColumn, int personColumn, PersonColumn personKind, String encoding, List<Row> rows) {
    }

    /** One data row and the number of the line it starts on. */
    record Row(int line, List<String> cells) {
    }

    private CredentialCsv() {
    }

    /** Reads the file; an {@link IllegalArgumentException} names what is wrong with it as a whole. */
    static Table read(byte[] bytes) {
        String encoding;
        String text;
        int offset = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF ? 3 : 0;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, offset, bytes.length - offset))
                    .toString();
            encoding = offset == 3 ? "UTF-8 (BOM)" : "UTF-8";
        } catch (CharacterCodingException notUtf8) {
            text = new String(bytes, Charset.forName("GB18030"));
            encoding = "GB18030";
        }
        List<Row> records = parse(text);
        if (records.isEmpty()) {
            throw new IllegalArgumentException("no_header");
        }
        List<String> header = records.get(0).cells();
        int card = -1;
        int person = -1;
        PersonColumn kind = null;
        for (int i = 0; i < header.size(); i++) {
            String name = HEADERS.get(header.get(i).toLowerCase(Locale.ROOT).replaceAll("[\\s_\\-.]", ""));
            if ("card".equals(name) && card < 0) {
                card = i;
            } else if (name != null && !"card".equals(name) && person < 0) {
                person = i;
                kind = switch (name) {
                    case "email" -> PersonColumn.EMAIL;
                    case "login" -> PersonColumn.LOGIN;
                    default -> PersonColumn.CAMPUS_ID;
                };
            }
        }
        if (card < 0 || person < 0) {
            throw new IllegalArgumentException("missing_columns");
        }
        return new Table(card, person, kind, encoding, records.subList(1, records.size()));
    }

    /** The records of the text (blank lines skipped), each with the line it starts on. */
    static List<Row> parse(String text) {
        int firstEnd = text.indexOf('\n');
        String first = firstEnd < 0 ? text : text.substring(0, firstEnd);
        char separator = ',';
        long best = first.chars().filter(ch -> ch == ',').count();
        for (char candidate : new char[]{';', '\t'}) {
            long n = first.chars().filter(ch -> ch == candidate).count();
            if (n > best) {
                best = n;
                separator = candidate;
            }
        }
        List<Row> rows = new ArrayList<>();
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        int line = 1;
        int start = 1;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    if (ch == '\n') {
                        line++;
                    }
                    cell.append(ch);
                }
            } else if (ch == '"' && cell.isEmpty()) {
                quoted = true;
            } else if (ch == separator) {
                cells.add(cell.toString());
                cell.setLength(0);
            } else if (ch == '\n' || ch == '\r') {
                if (ch == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                cells.add(cell.toString());
                cell.setLength(0);
                add(rows, start, cells);
                cells = new ArrayList<>();
                line++;
                start = line;
            } else {
                cell.append(ch);
            }
        }
        cells.add(cell.toString());
        add(rows, start, cells);
        return rows;
    }

    private static void add(List<Row> rows, int line, List<String> cells) {
        if (cells.stream().anyMatch(c -> !c.isBlank())) {
            rows.add(new Row(line, cells.stream().map(String::strip).toList()));
        }
    }
}

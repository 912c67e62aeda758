import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Generates {@code V7__classification_english.sql} from the reference file
 * {@code platform-core/catalogue/src/main/resources/reference/nrii-classification.csv}
 * (code,parent_code,level,name_zh,name_en; UTF-8, RFC 4180 quoting).
 *
 * <pre>
 *   java scripts/GenerateClassificationMigration.java          # (re)write the migration
 *   java scripts/GenerateClassificationMigration.java --check  # exit 1 if the migration is out of date
 * </pre>
 *
 * Runs on the JDK alone (single-file source launcher, no build). It validates the file first: 739
 * unique six-digit codes, levels that follow from the code, parents that exist one level up, and a
 * non-blank Chinese and English name on every row. The generated migration only sets an English
 * name where code, parent, level and Chinese name all match the table V6 loaded, so a file that
 * drifted from the table leaves a row without a name and the migration stops with a clear message.
 * Once a migration has been applied, never regenerate it: corrections go into a new migration.
 */
public class GenerateClassificationMigration {
    static final Path CSV = Path.of("platform-core/catalogue/src/main/resources/reference/nrii-classification.csv");
    static final Path SQL = Path.of("platform-core/catalogue/src/main/resources/db/migration/V7__classification_english.sql");
    static final int EXPECTED_CODES = 739;

    record Row(String code, String parentCode, int level, String nameZh, String nameEn) {
    }

    public static void main(String[] args) throws IOException {
        List<Row> rows = read(CSV);
        validate(rows);
        String sql = render(rows);
        if (args.length > 0 && args[0].equals("--check")) {
            String current = Files.exists(SQL) ? Files.readString(SQL, StandardCharsets.UTF_8) : "";
            if (!current.equals(sql)) {
                System.err.println(SQL + " is out of date; run: java scripts/GenerateClassificationMigration.java");
                System.exit(1);
            }
            System.out.println(SQL + " is up to date (" + rows.size() + " codes)");
            return;
        }
        Files.writeString(SQL, sql, StandardCharsets.UTF_8);
        System.out.println("wrote " + SQL + " (" + rows.size() + " codes)");
    }

    static List<Row> read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<List<String>> records = parseCsv(text);
        if (records.isEmpty() || !records.get(0).equals(List.of("code", "parent_code", "level", "name_zh", "name_en"))) {
            throw new IllegalArgumentException("header must be code,parent_code,level,name_zh,name_en");
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 1; i < records.size(); i++) {
            List<String> r = records.get(i);
            if (r.size() != 5) {
                throw new IllegalArgumentException("line " + (i + 1) + ": expected 5 fields, got " + r.size());
            }
            rows.add(new Row(r.get(0), r.get(1).isEmpty() ? null : r.get(1), Integer.parseInt(r.get(2)), r.get(3),
                    r.get(4)));
        }
        return rows;
    }

    /** RFC 4180: fields separated by commas, optionally quoted with "" for a quote; LF or CRLF. */
    static List<List<String>> parseCsv(String text) {
        List<List<String>> out = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        int i = 0;
        while (i < text.length()) {
            char ch = text.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    field.append(ch);
                }
            } else if (ch == '"' && field.isEmpty()) {
                quoted = true;
            } else if (ch == ',') {
                record.add(field.toString());
                field.setLength(0);
            } else if (ch == '\r' || ch == '\n') {
                if (ch == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                record.add(field.toString());
                field.setLength(0);
                out.add(record);
                record = new ArrayList<>();
            } else {
                field.append(ch);
            }
            i++;
        }
        if (quoted) {
            throw new IllegalArgumentException("unterminated quoted field");
        }
        if (!field.isEmpty() || !record.isEmpty()) {
            record.add(field.toString());
            out.add(record);
        }
        return out;
    }

    static void validate(List<Row> rows) {
        List<String> problems = new ArrayList<>();
        Map<String, Row> byCode = new HashMap<>();
        for (Row r : rows) {
            if (!r.code().matches("[0-9]{6}")) {
                problems.add(r.code() + ": not a six-digit code");
            }
            if (byCode.put(r.code(), r) != null) {
                problems.add(r.code() + ": duplicate code");
            }
            int level = r.code().endsWith("0000") ? 1 : r.code().endsWith("00") ? 2 : 3;
            if (r.level() != level) {
                problems.add(r.code() + ": level " + r.level() + " but the code says " + level);
            }
            if (r.nameZh().isBlank() || r.nameEn().isBlank()) {
                problems.add(r.code() + ": blank name");
            }
            if (!r.nameEn().equals(r.nameEn().strip()) || r.nameEn().contains("  ")) {
                problems.add(r.code() + ": stray spaces in the English name");
            }
        }
        Set<String> seen = new HashSet<>();
        for (Row r : rows) {
            seen.add(r.code());
            if (r.level() == 1) {
                if (r.parentCode() != null) {
                    problems.add(r.code() + ": a top-level class has no parent");
                }
                continue;
            }
            Row parent = r.parentCode() == null ? null : byCode.get(r.parentCode());
            if (parent == null) {
                problems.add(r.code() + ": parent " + r.parentCode() + " missing");
            } else if (parent.level() != r.level() - 1) {
                problems.add(r.code() + ": parent " + parent.code() + " is not one level up");
            } else if (!r.code().startsWith(parent.code().substring(0, 2 * parent.level()))) {
                problems.add(r.code() + ": code does not extend its parent's " + parent.code());
            }
        }
        if (rows.size() != EXPECTED_CODES) {
            problems.add("expected " + EXPECTED_CODES + " codes, found " + rows.size());
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid " + CSV + ":\n  " + String.join("\n  ", problems));
        }
    }

    static String render(List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("""
                -- V7: English names of the national instrument classification (the project's own translations).
                -- GENERATED by scripts/GenerateClassificationMigration.java from
                -- platform-core/src/main/resources/reference/nrii-classification.csv: edit the CSV, never this file
                -- (and once applied, correct names in a new migration).
                -- A name is only set where code, parent, level and Chinese name match what V6 loaded, so a
                -- reference file that drifted from the table stops the migration instead of mislabelling codes.

                update instrument_class c
                   set name_en = v.name_en
                  from (values
                """);
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            sb.append("    (").append(literal(r.code())).append(", ")
                    .append(r.parentCode() == null ? "null" : literal(r.parentCode())).append(", ")
                    .append(r.level()).append(", ")
                    .append(literal(r.nameZh())).append(", ")
                    .append(literal(r.nameEn())).append(')')
                    .append(i + 1 < rows.size() ? ",\n" : "\n");
        }
        sb.append("""
                ) as v (code, parent_code, level, name_zh, name_en)
                 where c.code = v.code
                   and c.parent_code is not distinct from v.parent_code
                   and c.level = v.level
                   and c.name_zh = v.name_zh;

                do $$
                declare
                    missing text;
                begin
                    select string_agg(code, ', ' order by code) into missing from instrument_class where name_en is null;
                    if missing is not null then
                        raise exception 'V7: no English name for % (the reference CSV differs from instrument_class)', missing;
                    end if;
                end
                $$;

                alter table instrument_class
                    alter column name_en set not null,
                    add constraint instrument_class_name_en_not_blank check (btrim(name_en) <> '');
                """);
        return sb.toString();
    }

    static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}

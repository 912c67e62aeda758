package org.labcommons.core.catalog.io;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the text of one cell into a value of the instrument record. Each parser returns empty
 * for text it cannot read; the caller reports that with the row number. Nothing here evaluates
 * anything: a cell that looks like a formula is text.
 */
public final class CellValues {
    private CellValues() {
    }

    /** First characters that a spreadsheet program would read as a formula (OWASP CSV injection). */
    static final String FORMULA_STARTS = "=+-@\t\r";

    /**
     * Our export prefixes a single quote to cells that start like a formula; reading our own export
     * back takes it off again, so a round trip leaves the data as it was.
     */
    public static String unneutralise(String cell) {
        if (cell != null && cell.length() >= 2 && cell.charAt(0) == '\'' && FORMULA_STARTS.indexOf(cell.charAt(1)) >= 0) {
            return cell.substring(1);
        }
        return cell;
    }

    /** A cell that a spreadsheet program would take for a formula gets a leading single quote. */
    public static String neutralise(String cell) {
        if (cell != null && !cell.isEmpty() && FORMULA_STARTS.indexOf(cell.charAt(0)) >= 0) {
            return "'" + cell;
        }
        return cell;
    }

    /**
     * Characters that registers carry around values without anyone seeing them: the no-break
     * spaces (U+00A0, U+2007, U+202F), the zero-width space, non-joiner and joiner (U+200B-U+200D),
     * the word joiner (U+2060), a byte-order mark inside the text (U+FEFF) and the ideographic space
     * (U+3000); besides these, whatever {@link Character#isWhitespace} calls white space.
     */
    static final String INVISIBLE = "\u00A0\u2007\u202F\u200B\u200C\u200D\u2060\uFEFF\u3000";

    /** {@code cell} without white space and {@link #INVISIBLE} characters at either end (null stays null). */
    public static String trimInvisible(String cell) {
        if (cell == null) {
            return null;
        }
        int start = 0;
        int end = cell.length();
        while (start < end && invisible(cell.charAt(start))) {
            start++;
        }
        while (end > start && invisible(cell.charAt(end - 1))) {
            end--;
        }
        return start == 0 && end == cell.length() ? cell : cell.substring(start, end);
    }

    private static boolean invisible(char c) {
        return Character.isWhitespace(c) || INVISIBLE.indexOf(c) >= 0;
    }

    private static String numeric(String s) {
        String t = s.strip().replace(",", "").replace("，", "").replace("¥", "").replace("￥", "")
                .replace("RMB", "").replace("CNY", "").replace("万元", "").replace("元", "").strip();
        return t;
    }

    /** Yuan with decimals to fen, rounded half-up (0.005 yuan is one fen). */
    public static Optional<Long> yuanToFen(String s) {
        return decimal(numeric(s)).map(v -> v.movePointRight(2).setScale(0, RoundingMode.HALF_UP).longValueExact());
    }

    /** Units of 10,000 yuan (万元) to fen, rounded half-up. */
    public static Optional<Long> wanYuanToFen(String s) {
        return decimal(numeric(s)).map(v -> v.movePointRight(6).setScale(0, RoundingMode.HALF_UP).longValueExact());
    }

    public static Optional<BigDecimal> decimal(String s) {
        try {
            BigDecimal v = new BigDecimal(s.strip());
            if (v.abs().compareTo(new BigDecimal("1e15")) > 0) {
                return Optional.empty();
            }
            return Optional.of(v);
        } catch (NumberFormatException | ArithmeticException e) {
            return Optional.empty();
        }
    }

    public static Optional<Integer> integer(String s) {
        return decimal(numeric(s)).flatMap(v -> {
            try {
                return Optional.of(v.stripTrailingZeros().intValueExact());
            } catch (ArithmeticException e) {
                return Optional.empty();
            }
        });
    }

    private static final List<DateTimeFormatter> DATES = List.of(
            DateTimeFormatter.ofPattern("uuuu-M-d"), DateTimeFormatter.ofPattern("uuuu/M/d"),
            DateTimeFormatter.ofPattern("uuuu.M.d"), DateTimeFormatter.ofPattern("uuuu年M月d日"),
            DateTimeFormatter.ofPattern("uuuuMMdd")).stream()
            .map(f -> f.withResolverStyle(ResolverStyle.STRICT)).toList();
    private static final Pattern YEAR_MONTH = Pattern.compile("(\\d{4})\\s*[-/.年]\\s*(\\d{1,2})\\s*月?");
    private static final Pattern SERIAL = Pattern.compile("\\d{4,5}(\\.\\d+)?");
    private static final LocalDate EXCEL_EPOCH = LocalDate.of(1899, 12, 30);

    /**
     * A date as registers write it: 2012-09-18, 2012/9/18, 2012.9.18, 2012年9月18日, 20120918, a
     * month alone (2012-09, 2012年9月: the first of the month), an ISO date-time (the date part),
     * or an Excel serial day number (1900 system) such as 41170.
     */
    public static Optional<LocalDate> date(String s) {
        String t = s.strip();
        int space = t.indexOf(' ');
        if (space > 0 && t.indexOf(':') > space) {
            t = t.substring(0, space);
        }
        int tee = t.indexOf('T');
        if (tee == 10) {
            t = t.substring(0, tee);
        }
        for (DateTimeFormatter f : DATES) {
            try {
                return Optional.of(LocalDate.parse(t, f));
            } catch (DateTimeParseException e) {
                // next format
            }
        }
        if (SERIAL.matcher(t).matches()) {
            double serial = Double.parseDouble(t);
            if (serial >= 61 && serial < 2_958_466) {
                return Optional.of(EXCEL_EPOCH.plusDays((long) Math.floor(serial)));
            }
        }
        Matcher m = YEAR_MONTH.matcher(t);
        if (m.matches()) {
            try {
                return Optional.of(LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), 1));
            } catch (DateTimeException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static final Map<String, String> STATUS = labels(
            "in_service", "在用|正常|使用|使用中|在役|良好|完好|正常使用|in service|in use|active|operational",
            "under_repair", "维修|维修中|待修|故障|损坏|送修|under repair|repair|broken",
            "idle", "闲置|停用|备用|未使用|idle|unused|standby",
            "retired", "报废|待报废|已报废|淘汰|retired|scrapped|disposed");
    private static final Map<String, String> PURPOSE = labels(
            "general", "通用|general|general purpose|general-purpose",
            "special", "专用|special|special purpose|special-purpose");
    private static final Map<String, String> SCOPE = labels(
            "private", "私有|不共享|不开放|仅管理员|private",
            "tenant", "本单位|校内|院内|单位内|本校|tenant|institution|internal",
            "network", "网络|省网|区域|network|regional",
            "consortium", "联盟|协作网|consortium",
            "public", "公开|对外开放|开放|对外|共享|public|open");
    private static final Map<String, String> EXEMPTION = labels(
            "classified", "涉密|保密|classified",
            "special_function", "特殊功能|special function|special_function",
            "special_purpose", "特殊用途|专用用途|special purpose|special_purpose");
    private static final Map<String, Boolean> FLAGS = new HashMap<>();

    static {
        for (String t : "是|有|√|✓|y|yes|true|1|x".split("\\|")) {
            FLAGS.put(t, true);
        }
        for (String t : "否|无|×|n|no|false|0".split("\\|")) {
            FLAGS.put(t, false);
        }
    }

    private static Map<String, String> labels(String... codeAndWords) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < codeAndWords.length; i += 2) {
            String code = codeAndWords[i];
            m.put(code, code);
            for (String w : codeAndWords[i + 1].split("\\|")) {
                m.put(w, code);
            }
        }
        return m;
    }

    private static String key(String s) {
        return s.strip().toLowerCase(Locale.ROOT).replace('_', ' ').replaceAll("\\s+", " ");
    }

    private static Optional<String> lookup(Map<String, String> m, String s) {
        String k = key(s);
        String v = m.get(k);
        if (v == null) {
            v = m.get(k.replace(' ', '_'));
        }
        return Optional.ofNullable(v);
    }

    public static Optional<String> status(String s) {
        return lookup(STATUS, s);
    }

    public static Optional<String> purpose(String s) {
        return lookup(PURPOSE, s);
    }

    public static Optional<String> scope(String s) {
        return lookup(SCOPE, s);
    }

    public static Optional<String> exemption(String s) {
        return lookup(EXEMPTION, s);
    }

    public static Optional<Boolean> flag(String s) {
        return Optional.ofNullable(FLAGS.get(key(s)));
    }

    private static final Map<String, String> COUNTRIES = new HashMap<>();

    static {
        for (String code : Locale.getISOCountries()) {
            Locale l = new Locale("", code);
            COUNTRIES.put(code.toLowerCase(Locale.ROOT), code);
            COUNTRIES.put(l.getDisplayCountry(Locale.ENGLISH).toLowerCase(Locale.ROOT), code);
            COUNTRIES.put(l.getDisplayCountry(Locale.SIMPLIFIED_CHINESE), code);
            try {
                COUNTRIES.put(l.getISO3Country().toLowerCase(Locale.ROOT), code);
            } catch (java.util.MissingResourceException e) {
                // no three-letter code
            }
        }
        Map<String, String> more = Map.ofEntries(Map.entry("中国", "CN"), Map.entry("国产", "CN"),
                Map.entry("美国", "US"), Map.entry("英国", "GB"), Map.entry("德国", "DE"), Map.entry("日本", "JP"),
                Map.entry("瑞士", "CH"), Map.entry("法国", "FR"), Map.entry("韩国", "KR"), Map.entry("荷兰", "NL"),
                Map.entry("usa", "US"), Map.entry("uk", "GB"), Map.entry("england", "GB"), Map.entry("china", "CN"),
                Map.entry("中国台湾", "TW"), Map.entry("台湾", "TW"), Map.entry("中国香港", "HK"), Map.entry("香港", "HK"),
                Map.entry("进口", "__"), Map.entry("德", "DE"), Map.entry("美", "US"), Map.entry("日", "JP"));
        more.forEach((k, v) -> {
            if (!"__".equals(v)) {
                COUNTRIES.put(k, v);
            }
        });
    }

    /** A country as a two-letter ISO code: from the code itself, or its Chinese or English name. */
    public static Optional<String> country(String s) {
        String k = s.strip();
        String v = COUNTRIES.get(k);
        if (v == null) {
            v = COUNTRIES.get(k.toLowerCase(Locale.ROOT));
        }
        return Optional.ofNullable(v);
    }

    /** "30.2636, 120.1236" (latitude first, as Uniquip's "Approximate Coordinates"). */
    public static Optional<BigDecimal[]> coordinates(String s) {
        String[] parts = s.strip().split("\\s*[,，;；\\s]\\s*");
        if (parts.length != 2) {
            return Optional.empty();
        }
        Optional<BigDecimal> lat = decimal(parts[0]);
        Optional<BigDecimal> lon = decimal(parts[1]);
        if (lat.isEmpty() || lon.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new BigDecimal[]{lat.get(), lon.get()});
    }

    /** A leading six-digit classification code, as in "010601" or "010601 核磁共振波谱仪". */
    public static Optional<String> classificationCode(String s) {
        Matcher m = Pattern.compile("^\\s*(\\d{6})(\\D.*)?$").matcher(s);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }
}

package org.labcommons.core.catalog;

import io.micronaut.core.annotation.Nullable;
import org.labcommons.core.org.OrgUnit;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * How the catalogue's pages show values, for one request: money as ¥ with thousands separators
 * from integer fen, instants in the owning tenant's time zone, names in the page's language, the
 * classification path, org units and countries. Templates reach it as {@code fmt}.
 */
public final class PageFormat {
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd");

    private final boolean zh;
    private final Locale locale;
    private final ZoneId zone;
    private final Classifications classifications;
    private final Map<UUID, OrgUnit> units;

    public PageFormat(Locale locale, boolean zh, String timeZone, Classifications classifications, Map<UUID, OrgUnit> units) {
        this.locale = locale;
        this.zh = zh;
        this.zone = zoneOf(timeZone);
        this.classifications = classifications;
        this.units = units;
    }

    static ZoneId zoneOf(@Nullable String timeZone) {
        try {
            return timeZone == null ? ZoneId.of("Asia/Shanghai") : ZoneId.of(timeZone);
        } catch (DateTimeException e) {
            return ZoneId.of("Asia/Shanghai");
        }
    }

    /** {@code 320000000} fen → {@code ¥3,200,000}; a remainder of fen shows two decimals ({@code ¥1,234.50}). */
    public static String money(long fen) {
        String sign = fen < 0 ? "-" : "";
        long abs = Math.abs(fen);
        long yuan = abs / 100;
        long rest = abs % 100;
        return sign + "¥" + String.format(Locale.ROOT, "%,d", yuan) + (rest == 0 ? "" : String.format(Locale.ROOT, ".%02d", rest));
    }

    /** A price: always two decimals ({@code 8000} → {@code ¥80.00}, {@code 123450} → {@code ¥1,234.50}). */
    public static String price(long fen) {
        String sign = fen < 0 ? "-" : "";
        long abs = Math.abs(fen);
        return sign + "¥" + String.format(Locale.ROOT, "%,d.%02d", abs / 100, abs % 100);
    }

    /** Fen as the yuan an editor types ({@code 50000000} → {@code 500000}, {@code 12345} → {@code 123.45}). */
    public static String yuan(long fen) {
        return fen % 100 == 0 ? Long.toString(fen / 100)
                : java.math.BigDecimal.valueOf(fen).movePointLeft(2).toPlainString();
    }

    public String money(@Nullable Long fen) {
        return fen == null ? "" : money(fen.longValue());
    }

    /** An instant as {@code yyyy-MM-dd HH:mm} in the tenant's time zone. */
    public String dateTime(@Nullable Instant at) {
        return at == null ? "" : DATE_TIME.format(at.atZone(zone));
    }

    /** The calendar day of an instant in the tenant's time zone. */
    public String date(@Nullable Instant at) {
        return at == null ? "" : DATE.format(at.atZone(zone));
    }

    /** The time zone instants are shown in. */
    public String zone() {
        return zone.getId();
    }

    public String name(Instrument i) {
        return zh ? i.nameZh() : i.nameEn();
    }

    /** The name in the other language (shown smaller, for people searching by either). */
    public String otherName(Instrument i) {
        return zh ? i.nameEn() : i.nameZh();
    }

    @Nullable
    public String description(Instrument i) {
        String mine = zh ? i.descriptionZh() : i.descriptionEn();
        return mine != null ? mine : zh ? i.descriptionEn() : i.descriptionZh();
    }

    public String serviceName(Instrument.Service s) {
        return zh ? s.nameZh() : s.nameEn();
    }

    /** The classification path, top level first, each as "code name" in the page's language. */
    public List<String> classPath(@Nullable String code) {
        return classifications.path(code).stream().map(e -> e.name(zh)).toList();
    }

    public String className(Classifications.Entry e) {
        return e.name(zh);
    }

    public String unit(@Nullable UUID id) {
        OrgUnit u = id == null ? null : units.get(id);
        return u == null ? "" : zh ? u.nameZh() : u.nameEn();
    }

    public String unitName(OrgUnit u) {
        return zh ? u.nameZh() : u.nameEn();
    }

    /** An ISO country code as the country's name in the page's language ({@code CH} → 瑞士 / Switzerland). */
    public String country(@Nullable String code) {
        if (code == null || code.isBlank()) {
            return "";
        }
        String name = new Locale("", code).getDisplayCountry(locale);
        return name == null || name.isBlank() || name.equals(code) ? code : name;
    }

    /** A size in bytes as KB or MB (one decimal). */
    public static String size(long bytes) {
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
    }

    public String bytes(long bytes) {
        return size(bytes);
    }
}

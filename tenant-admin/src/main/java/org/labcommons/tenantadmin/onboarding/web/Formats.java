package org.labcommons.tenantadmin.onboarding.web;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.NumberFormat;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/**
 * Formatting for the onboarding pages (templates call it as {@code fmt}): times in the network's
 * time zone, money from integer fen to yuan, shares as percentages, field names as labels.
 */
public final class Formats {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    private final ZoneId zone;
    private final Locale locale;
    private final Map<String, String> t;

    public Formats(String zone, Locale locale, Map<String, String> t) {
        ZoneId z;
        try {
            z = ZoneId.of(zone == null ? "Asia/Shanghai" : zone);
        } catch (RuntimeException e) {
            z = ZoneId.of("Asia/Shanghai");
        }
        this.zone = z;
        this.locale = locale;
        this.t = t;
    }

    public String when(Instant instant) {
        return instant == null ? "—" : WHEN.format(instant.atZone(zone));
    }

    /** Integer fen as yuan with two decimals and grouping, e.g. 1,234,567.00. */
    public String yuan(long fen) {
        NumberFormat f = NumberFormat.getNumberInstance(Locale.ROOT);
        f.setGroupingUsed(true);
        f.setMinimumFractionDigits(2);
        f.setMaximumFractionDigits(2);
        return f.format(BigDecimal.valueOf(fen).movePointLeft(2));
    }

    public String percent(Double share) {
        return share == null ? "—" : BigDecimal.valueOf(share * 100).setScale(1, RoundingMode.HALF_UP).toPlainString() + " %";
    }

    /** A field's label ({@code adminEmails[1]} reads as the admin e-mail label); the name itself if none. */
    public String field(String field) {
        String key = "onboarding.field." + field.replaceAll("\\[.*", "");
        return t.getOrDefault(key, field);
    }

    public ZoneId zone() {
        return zone;
    }

    public Locale locale() {
        return locale;
    }
}

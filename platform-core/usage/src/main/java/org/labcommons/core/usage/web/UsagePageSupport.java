package org.labcommons.core.usage.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import org.labcommons.core.booking.BookingClock;
import org.labcommons.core.directory.TenantDirectory;
import org.labcommons.core.directory.TenantDirectory.TenantProfile;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.web.PageForbiddenException;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What the usage pages share: the caller's institution and its time zone, times shown in that zone,
 * minutes and hours, the live status as the pages show it, and the texts of the model.
 */
@Singleton
public record UsagePageSupport(TenantDirectory directory, BookingClock clock) {
    static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");

    /**
     * The live status as a page shows it: state ({@code usage.state.*}), since, who (null when not to be
     * shown, empty when nobody is identified), last seen, the last power reading, the timeline link.
     */
    public record LiveView(String state, @Nullable String since, @Nullable String who,
                           @Nullable String lastSeen, @Nullable String watts, @Nullable String timelineHref) {
    }

    TenantProfile tenant(AuthenticatedUser user) {
        return directory.activeProfile(user.actingTenant().toString())
                .orElseThrow(() -> new PageForbiddenException(PageForbiddenException.SUSPENDED));
    }

    static ZoneId zone(TenantProfile tenant) {
        try {
            return ZoneId.of(tenant.timeZone());
        } catch (DateTimeException | NullPointerException e) {
            return ZoneId.of("Asia/Shanghai");
        }
    }

    static String shown(@Nullable Instant at, ZoneId zone) {
        return at == null ? "" : SHOWN.format(at.atZone(zone));
    }

    static String time(@Nullable Instant at, ZoneId zone) {
        return at == null ? "" : TIME.format(at.atZone(zone));
    }

    /** A start and end as {@code 2030-03-04 09:00–11:30} (the end's day added when it differs; "…" while open). */
    static String span(Instant start, @Nullable Instant end, ZoneId zone) {
        if (end == null) {
            return shown(start, zone) + "–…";
        }
        boolean sameDay = start.atZone(zone).toLocalDate().equals(end.atZone(zone).toLocalDate());
        return shown(start, zone) + "–" + (sameDay ? time(end, zone) : shown(end, zone));
    }

    /** Whole minutes from start to end (to now while open). */
    long minutes(Instant start, @Nullable Instant end) {
        Instant until = end != null ? end : clock.now();
        return Math.max(0, Duration.between(start, until).toMinutes());
    }

    /** Minutes as hours and minutes: {@code 2:05}. */
    static String hours(long minutes) {
        return (minutes / 60) + ":" + String.format("%02d", minutes % 60);
    }

    /** The day a page is about: {@code day} (YYYY-MM-DD) or today in the zone; 400 for anything else. */
    LocalDate day(@Nullable String day, ZoneId zone) {
        if (day == null || day.isBlank()) {
            return clock.now().atZone(zone).toLocalDate();
        }
        try {
            return LocalDate.parse(day.strip());
        } catch (DateTimeException e) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", List.of(
                    new ProblemException.FieldProblem("day", "date", "validation.usage.day", Map.of())));
        }
    }

    /** The live status for a page; {@code who} shown only to staff (or to the person themself). */
    static LiveView view(LiveStatus.Live live, ZoneId zone, boolean staff, @Nullable UUID viewer,
                  @Nullable String timelineHref) {
        UsagePageRows.Session s = live.session();
        String since = s == null ? null : shown(s.startedAt(), zone);
        String who = null;
        if (s != null && (staff || (viewer != null && viewer.equals(s.userId())))) {
            who = s.userId() == null ? "" : s.userName() == null ? s.userId().toString() : s.userName();
        }
        String watts = live.watts() == null ? null : live.watts().stripTrailingZeros().toPlainString() + " W";
        return new LiveView(live.state(), since, who,
                live.lastSeen() == null ? null : shown(live.lastSeen(), zone), watts, timelineHref);
    }

    static String name(boolean zh, String nameZh, @Nullable String nameEn) {
        return zh || nameEn == null || nameEn.isBlank() ? nameZh : nameEn;
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> messages(Map<String, Object> model) {
        return (Map<String, String>) model.get("t");
    }

    static UUID uuid(@Nullable String id) {
        try {
            return UUID.fromString(id == null ? "" : id.strip());
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound();
        }
    }

    static int page(@Nullable Integer page) {
        return page == null || page < 0 ? 0 : Math.min(page, 10_000);
    }
}

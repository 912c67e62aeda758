package org.labcommons.core.booking.web;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.labcommons.core.booking.FreeTime;
import org.labcommons.core.catalog.Instrument;
import org.labcommons.core.catalog.InstrumentPagePanel;
import org.labcommons.core.directory.TenantDirectory.TenantProfile;
import org.labcommons.core.security.AuthenticatedUser;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Booking's panel on the catalogue's instrument page: the next free times of an instrument in
 * service ({@link FreeTime#slots}), each a link to the booking calendar at its week with the form
 * filled in (the shortest booking the rules take, at least an hour when the free time allows).
 */
@Singleton
public record NextFreeSlotsPanel(FreeTime freeTime) implements InstrumentPagePanel {
    /** How many free times the page lists. */
    static final int COUNT = 4;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");
    private static final DateTimeFormatter FORM = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm");

    /** One free time as the page shows it: its day, from, until (24:00 at midnight) and the calendar link. */
    public record Line(String day, String weekday, String from, String until, String start, String href) {
    }

    @Override
    public Optional<Panel> panel(TenantProfile owner, Instrument instrument, @Nullable AuthenticatedUser viewer, boolean zh) {
        if (!"in_service".equals(instrument.status())) {
            return Optional.empty();
        }
        List<Line> lines = freeTime.slots(owner.id(), instrument.id(), COUNT).stream()
                .map(s -> line(owner, instrument, s, zh ? Locale.SIMPLIFIED_CHINESE : Locale.ENGLISH)).toList();
        String calendar = "/instruments/" + instrument.id() + "/calendar?tenant=" + enc(owner.slug());
        return Optional.of(new Panel("next-free", 50, "booking/instrument-panel", "nextFreeSlots",
                Map.of("lines", lines, "calendarHref", calendar)));
    }

    static Line line(TenantProfile owner, Instrument i, FreeTime.FreeSlot s, Locale locale) {
        ZonedDateTime start = s.start();
        Duration wanted = Duration.ofMinutes(Math.max(60, s.minSlotMinutes()));
        ZonedDateTime end = start.plus(wanted).isAfter(s.freeUntil()) ? s.freeUntil() : start.plus(wanted);
        boolean midnight = s.freeUntil().toLocalTime().equals(java.time.LocalTime.MIDNIGHT)
                && s.freeUntil().toLocalDate().isAfter(start.toLocalDate());
        String href = "/instruments/" + i.id() + "/calendar?tenant=" + enc(owner.slug()) + "&week=" + s.week()
                + "&start=" + enc(FORM.format(start)) + "&end=" + enc(FORM.format(end));
        return new Line(DAY.format(start), start.getDayOfWeek().getDisplayName(TextStyle.SHORT, locale),
                TIME.format(start), midnight ? "24:00" : TIME.format(s.freeUntil()), FORM.format(start), href);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}

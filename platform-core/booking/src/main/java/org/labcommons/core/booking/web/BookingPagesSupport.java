package org.labcommons.core.booking.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;
import org.labcommons.core.booking.BookingRules;
import org.labcommons.core.booking.notify.Notifications;
import org.labcommons.core.catalog.InstrumentRows;
import org.labcommons.core.catalog.PublicCatalogue;
import org.labcommons.core.directory.TenantDirectory;
import org.labcommons.core.directory.TenantDirectory.TenantProfile;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.security.CallerResolver;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;
import org.labcommons.core.web.MembershipRequiredException;
import org.labcommons.core.web.WebCaller;
import org.labcommons.core.web.auth.WebSession;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * What the booking pages share: which institution a page is about ({@code ?tenant=slug}, by default
 * the signed-in person's own), the caller acting in that institution (a person of another
 * institution acts there through the same {@link CallerResolver} path the API takes with
 * {@code X-LabCommons-Tenant}: only where they hold a role), local times in the institution's zone,
 * instrument names, the closed hours of a week, and the unread count for the navigation.
 */
@Singleton
public record BookingPagesSupport(WebCaller web,
                                  CallerResolver resolver,
                                  PublicCatalogue catalogue,
                                  TenantTransactions tenants,
                                  TenantDirectory directory,
                                  Notifications notifications,
                                  InstrumentRows instrumentRows) {
    static final DateTimeFormatter LOCAL_INPUT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm");
    static final DateTimeFormatter LOCAL_SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    static final DateTimeFormatter WALL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

    /** An institution a page is about and the signed-in person acting there (null: they hold no role there). */
    public record Place(TenantProfile owner, AuthenticatedUser home, @Nullable AuthenticatedUser acting) {
        public boolean outside() {
            return !home.homeTenant().equals(owner.id());
        }

        public ZoneId zone() {
            return ZoneId.of(owner.timeZone());
        }

        /** {@code ?tenant=slug} for links and forms, empty for one's own institution. */
        public String query() {
            return outside() ? "tenant=" + owner.slug() : "";
        }

        /** {@code path} with this place's {@code tenant} parameter (and {@code extra}, {@code a=b&c=d}). */
        public String link(String path, @Nullable String extra) {
            List<String> parts = new ArrayList<>();
            if (outside()) {
                parts.add("tenant=" + owner.slug());
            }
            if (extra != null && !extra.isEmpty()) {
                parts.add(extra);
            }
            return parts.isEmpty() ? path : path + (path.contains("?") ? "&" : "?") + String.join("&", parts);
        }
    }

    /**
     * The signed-in person (or sign-in, thrown) and the institution {@code slug} names (their own
     * when absent); an unknown or suspended institution is a 404. Without {@code slug}, a person
     * whose home is no institution (signed in with the consortium's account) gets the
     * "sign in through your institution" page ({@link MembershipRequiredException}).
     */
    public Place place(HttpRequest<?> request, @Nullable String slug) {
        AuthenticatedUser home = web.requireSignIn(request);
        boolean own = slug == null || slug.isBlank();
        Optional<TenantProfile> found = own ? catalogue.owner(ownSlug(home)) : catalogue.owner(slug.strip());
        if (own && found.isEmpty()) {
            // signed in with an account of no institution (the consortium's): say how to sign in as a member
            throw new MembershipRequiredException();
        }
        TenantProfile owner = found.orElseThrow(ProblemException::notFound);
        if (owner.id().equals(home.actingTenant())) {
            return new Place(owner, home, home);
        }
        WebSession s = web.session(request).orElseThrow(ProblemException::notFound);
        AuthenticatedUser acting = resolver.resolveSession(s.issuer(), s.subject(), s.displayName(),
                owner.id().toString()).caller().orElse(null);
        return new Place(owner, home, acting);
    }

    private String ownSlug(AuthenticatedUser home) {
        return directory.activeProfile(home.homeTenant().toString()).map(TenantProfile::slug).orElse("-");
    }

    // ---------------------------------------------------------------- times

    /** A local date-time typed into a form ({@code 2030-03-05T10:00}), in {@code zone}; null when empty or not one. */
    static @Nullable Instant parseLocal(@Nullable String value, ZoneId zone) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return LocalDateTime.parse(value.strip()).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static String input(@Nullable OffsetDateTime t, ZoneId zone) {
        return t == null ? "" : t.atZoneSameInstant(zone).format(LOCAL_INPUT);
    }

    static String shown(@Nullable OffsetDateTime t, ZoneId zone) {
        return t == null ? "" : t.atZoneSameInstant(zone).format(LOCAL_SHOWN);
    }

    /** The wall-clock time in {@code zone} without an offset, as the calendar (run in "UTC") takes it. */
    static String wall(Instant t, ZoneId zone) {
        return t.atZone(zone).format(WALL);
    }

    /** The Monday of the week holding {@code day}. */
    static LocalDate monday(LocalDate day) {
        return day.minusDays(day.getDayOfWeek().getValue() - DayOfWeek.MONDAY.getValue());
    }

    /** A closed stretch of local time (outside the weekly hours, or a closure). */
    public record Closed(LocalDateTime from, LocalDateTime to, String kind, @Nullable String reason) {
    }

    /**
     * The stretches of [{@code from}, {@code to}) (local days) in which the rules allow no booking:
     * outside the weekly hours of each day ({@code kind = hours}) and whole closed days ({@code closure}).
     */
    static List<Closed> closed(BookingRules rules, LocalDate from, LocalDate to) {
        List<Closed> out = new ArrayList<>();
        for (LocalDate d = from; d.isBefore(to); d = d.plusDays(1)) {
            LocalDate day = d;
            Optional<BookingRules.Closure> closure = rules.closures().stream()
                    .filter(c -> !day.isBefore(c.from()) && !day.isAfter(c.to())).findFirst();
            if (closure.isPresent()) {
                out.add(new Closed(day.atStartOfDay(), day.plusDays(1).atStartOfDay(), "closure", closure.get().reason()));
                continue;
            }
            List<BookingRules.Interval> open = new ArrayList<>(rules.weeklyHours().getOrDefault(
                    BookingRules.WEEKDAYS.get(day.getDayOfWeek().getValue() - 1), List.of()));
            open.sort((a, b) -> Integer.compare(a.fromMinutes(), b.fromMinutes()));
            int at = 0;
            for (BookingRules.Interval i : open) {
                if (i.fromMinutes() > at) {
                    out.add(new Closed(day.atStartOfDay().plusMinutes(at), day.atStartOfDay().plusMinutes(i.fromMinutes()),
                            "hours", null));
                }
                at = Math.max(at, i.toMinutes());
            }
            if (at < 1440) {
                out.add(new Closed(day.atStartOfDay().plusMinutes(at), day.plusDays(1).atStartOfDay(), "hours", null));
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- names and counts

    /** Instrument names (zh, en) by id in the tenant. */
    public Map<UUID, String[]> instrumentNames(TenantId tenant, Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return tenants.inTenant(tenant, c -> instrumentRows.namesById(ids));
    }

    static String name(Map<UUID, String[]> names, UUID id, boolean zh) {
        String[] n = names.get(id);
        if (n == null) {
            return id.toString();
        }
        return zh ? n[0] : (n[1] == null || n[1].isBlank() ? n[0] : n[1]);
    }

    /** The caller's unread notices in their acting tenant. */
    public long unread(AuthenticatedUser user) {
        return notifications.unread(user.actingTenant(), user.userId());
    }

    /** The language the caller's mail and feeds are written in ({@code zh-CN} unless set to {@code en}). */
    public String mailLanguage(AuthenticatedUser user) {
        return notifications.mailLanguage(user.actingTenant(), user.userId());
    }
}

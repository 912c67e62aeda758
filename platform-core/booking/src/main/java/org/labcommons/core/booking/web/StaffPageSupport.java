package org.labcommons.core.booking.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import org.labcommons.core.booking.BookingAccess;
import org.labcommons.core.booking.BookingPeople;
import org.labcommons.core.booking.SlotConflictException;
import org.labcommons.core.booking.StaffQueue;
import org.labcommons.core.catalog.InstrumentForm;
import org.labcommons.core.directory.TenantDirectory;
import org.labcommons.core.directory.TenantDirectory.TenantProfile;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.web.PageForbiddenException;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * What the staff pages share: the caller's tenant and its zone, the instruments they manage,
 * reading form fields and local times, and turning the booking API's refusals into page answers
 * (403 page, 404 page) the way the admin pages do.
 */
@Singleton
public record StaffPageSupport(TenantDirectory directory, StaffQueue queue, BookingPeople people) {
    static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm");
    static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    /** Thrown for a page that should answer 404 (a booking or instrument that is not the caller's to see). */
    public static final class NotFound extends RuntimeException {
        NotFound() {
            super("not found", null, false, false);
        }
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

    /** The instruments the caller manages; the forbidden page when there are none. */
    List<StaffQueue.ManagedInstrument> managedOrForbidden(AuthenticatedUser user) {
        List<StaffQueue.ManagedInstrument> managed = queue.managed(user);
        if (managed.isEmpty()) {
            throw new PageForbiddenException(PageForbiddenException.FORBIDDEN);
        }
        return managed;
    }

    Optional<BookingPeople.Person> person(AuthenticatedUser user, String typed) {
        return people.lookup(user.actingTenant(), typed);
    }

    /** Runs an access check of {@link BookingAccess}: 403 becomes the forbidden page, 404 {@link NotFound}. */
    static <T> T guarded(Supplier<T> check) {
        try {
            return check.get();
        } catch (ProblemException e) {
            if (e.status() == HttpStatus.FORBIDDEN) {
                throw new PageForbiddenException(PageForbiddenException.FORBIDDEN);
            }
            if (e.status() == HttpStatus.NOT_FOUND) {
                throw new NotFound();
            }
            throw e;
        }
    }

    static Map<String, List<String>> form(@Nullable String body) {
        return InstrumentForm.decode(body);
    }

    static String field(Map<String, List<String>> form, String name) {
        List<String> v = form.get(name);
        return v == null || v.isEmpty() ? "" : v.get(0).strip();
    }

    @Nullable
    static UUID uuid(@Nullable String s) {
        try {
            return s == null || s.isBlank() ? null : UUID.fromString(s.strip());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** A {@code datetime-local} value ({@code 2030-03-05T10:00}) in the tenant's zone; null when unreadable. */
    @Nullable
    static Instant local(String typed, ZoneId zone) {
        try {
            return LocalDateTime.parse(typed).atZone(zone).toInstant();
        } catch (DateTimeException e) {
            return null;
        }
    }

    @Nullable
    static LocalDate date(String typed) {
        try {
            return LocalDate.parse(typed);
        } catch (DateTimeException e) {
            return null;
        }
    }

    static String inputValue(@Nullable Instant at, ZoneId zone) {
        return at == null ? "" : LOCAL.format(at.atZone(zone));
    }

    static String shown(@Nullable Instant at, ZoneId zone) {
        return at == null ? "" : SHOWN.format(at.atZone(zone));
    }

    /** A slot conflict as a sentence's arguments: start and end in the tenant's zone. */
    static Map<String, Object> conflictArgs(SlotConflictException e, ZoneId zone) {
        SlotConflictException.Conflict c = e.conflict();
        return Map.of("kind", c.kind(),
                "start", c.start() == null ? "" : shown(c.start().toInstant(), zone),
                "end", c.end() == null ? "" : shown(c.end().toInstant(), zone));
    }

    static String fill(String pattern, Map<String, Object> args) {
        String out = pattern;
        for (Map.Entry<String, Object> e : args.entrySet()) {
            out = out.replace("{" + e.getKey() + "}", String.valueOf(e.getValue()));
        }
        return out;
    }

    static boolean isPost(HttpRequest<?> request) {
        return "POST".equals(request.getMethodName());
    }
}

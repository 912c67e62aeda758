package org.labcommons.core.booking;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The one "my bookings" list: the bookings a person holds in the institution shown (read by the
 * caller: {@link BookingService#mine} or, for a guest, {@link OutsideBookings#mine}) together with
 * those they hold at other institutions as their home keeps them (the {@link BookingsElsewhere}
 * port, which the federation module implements; without it the list has only the first kind).
 * Order: bookings not yet ended first, soonest first; then the ended ones, latest first; a page of
 * {@code size} from {@code page * size}. Each entry carries where it is (institution, unit,
 * building and room), whether it is assisted and its estimated cost (the published machine-time
 * price per hour for its rate group times its length). The facts are read in the tenant that holds
 * each booking and only for rows whose requester is the person, so no one sees another's bookings.
 */
@Singleton
public record MyBookingsList(TenantTransactions tenants, MyBookingsRows rows, List<BookingsElsewhere> elsewhere) {
    /** The deepest page served (a page further back answers the last rows there are). */
    public static final int MAX_PAGE = 100;

    /** The institution whose bookings the caller read ({@code held}), as the list names it. */
    public record Held(TenantId tenant, @Nullable String slug, String nameZh, String nameEn, List<Booking> bookings) {
    }

    /**
     * One row. {@code booking}: the booking itself when it is held in the institution shown (its
     * actions are offered there); null for a booking elsewhere, whose {@code homeStatus} and
     * {@code refusalReason} are the home's record's.
     */
    public record Entry(UUID bookingId, boolean elsewhere, UUID ownerTenantId, @Nullable String ownerSlug,
                        String ownerNameZh, String ownerNameEn, UUID instrumentId, @Nullable String instrumentNameZh,
                        @Nullable String instrumentNameEn, @Nullable String unitNameZh, @Nullable String unitNameEn,
                        @Nullable String building, @Nullable String room, OffsetDateTime start, OffsetDateTime end,
                        String status, @Nullable String homeStatus, @Nullable String refusalReason,
                        @Nullable Boolean assisted, @Nullable Long estimatedCostFen, @Nullable Booking booking,
                        boolean upcoming) {
    }

    /** A page of entries, how many there are in all and whether any of them has not ended yet. */
    public record Listing(List<Entry> items, long total, boolean anyUpcoming) {
    }

    /** Not ended first (soonest first), then ended (latest first), then by id. */
    static Comparator<Entry> order() {
        return Comparator.comparing((Entry e) -> !e.upcoming())
                .thenComparing((a, b) -> a.upcoming() ? a.start().toInstant().compareTo(b.start().toInstant())
                        : b.start().toInstant().compareTo(a.start().toInstant()))
                .thenComparing(e -> e.bookingId().toString());
    }

    /**
     * The page {@code page} (from 0) of {@code size} entries of {@code held} and, when
     * {@code elsewhereOf} is given (the person on their own institution's page), their bookings at
     * other institutions.
     */
    public Listing page(Held held, UUID userId, @Nullable AuthenticatedUser elsewhereOf, Instant now, int page, int size) {
        int p = Math.max(0, Math.min(page, MAX_PAGE));
        int wanted = (p + 1) * size;
        List<Entry> all = new ArrayList<>();
        for (Booking b : held.bookings()) {
            all.add(new Entry(b.id(), false, held.tenant().value(), held.slug(), held.nameZh(), held.nameEn(),
                    b.instrumentId(), null, null, null, null, null, null, b.start(), b.end(), b.status(), null, null,
                    b.assisted(), null, b, b.endInstant().isAfter(now)));
        }
        long total = held.bookings().size();
        boolean anyUpcoming = all.stream().anyMatch(Entry::upcoming);
        if (elsewhereOf != null && !elsewhere.isEmpty()) {
            BookingsElsewhere.Listing there = elsewhere.get(0).of(elsewhereOf, now, 0, wanted);
            total += there.total();
            for (BookingsElsewhere.Item i : there.items()) {
                boolean upcoming = i.end().toInstant().isAfter(now);
                anyUpcoming |= upcoming;
                all.add(new Entry(i.bookingId(), true, i.ownerTenantId(), i.ownerSlug(), i.ownerNameZh(), i.ownerNameEn(),
                        i.instrumentId(), i.instrumentNameZh(), i.instrumentNameEn(), null, null, null, null, i.start(),
                        i.end(), i.status(), i.homeStatus(), i.refusalReason(), null, i.estimatedCostFen(), null, upcoming));
            }
        }
        all.sort(order());
        int from = Math.min(p * size, all.size());
        if (from == all.size() && from > 0 && p > 0) {
            from = (int) Math.max(0, ((all.size() - 1) / size) * (long) size);
        }
        List<Entry> slice = all.subList(from, Math.min(from + size, all.size()));
        return new Listing(withFacts(slice, userId), total, anyUpcoming);
    }

    /** The entries with their facts read in the tenant that holds each (owners no longer active: as the home keeps them). */
    private List<Entry> withFacts(List<Entry> slice, UUID userId) {
        Map<UUID, List<UUID>> byTenant = new LinkedHashMap<>();
        for (Entry e : slice) {
            if (!e.elsewhere() || e.ownerSlug() != null) {
                byTenant.computeIfAbsent(e.ownerTenantId(), k -> new ArrayList<>()).add(e.bookingId());
            }
        }
        Map<UUID, MyBookingsRows.Facts> facts = new HashMap<>();
        byTenant.forEach((tenant, ids) -> tenants.inTenant(new TenantId(tenant), c -> {
            rows.facts(ids, userId).forEach(f -> facts.put(f.bookingId(), f));
            return null;
        }));
        List<Entry> out = new ArrayList<>();
        for (Entry e : slice) {
            MyBookingsRows.Facts f = facts.get(e.bookingId());
            if (f == null) {
                out.add(e);
                continue;
            }
            Long cost = e.elsewhere() && e.estimatedCostFen() != null ? e.estimatedCostFen()
                    : estimate(f.hourlyPriceFen(), e.start().toInstant(), e.end().toInstant());
            out.add(new Entry(e.bookingId(), e.elsewhere(), e.ownerTenantId(), e.ownerSlug(), e.ownerNameZh(),
                    e.ownerNameEn(), e.instrumentId(), f.instrumentNameZh(), f.instrumentNameEn(), f.unitNameZh(),
                    f.unitNameEn(), f.building(), f.room(), e.start(), e.end(), e.status(), e.homeStatus(),
                    e.refusalReason(), f.assisted(), cost, e.booking(), e.upcoming()));
        }
        return out;
    }

    /** Price per hour × length in whole fen, rounded half up; null without an hourly price. */
    static @Nullable Long estimate(@Nullable Long pricePerHourFen, Instant start, Instant end) {
        if (pricePerHourFen == null) {
            return null;
        }
        long seconds = Duration.between(start, end).getSeconds();
        return BigDecimal.valueOf(pricePerHourFen).multiply(BigDecimal.valueOf(seconds))
                .divide(BigDecimal.valueOf(3600), 0, RoundingMode.HALF_UP).longValueExact();
    }
}

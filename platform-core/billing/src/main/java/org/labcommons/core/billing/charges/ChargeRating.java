package org.labcommons.core.billing.charges;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import org.labcommons.core.billing.rates.FeeStandardRows;
import org.labcommons.core.billing.rates.RateCard;
import org.labcommons.core.billing.rates.RateCards;
import org.labcommons.core.billing.rates.TimeBand;
import org.labcommons.core.booking.BookingService;
import org.labcommons.core.events.EventEnvelope;
import org.labcommons.core.tenancy.TenantId;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Rating: turns the events of usage sessions, bookings and sample requests into charges (docs/billing.md,
 * "Charges"), in the consumer's tenant transaction. One charge per (source, card): a redelivered or repeated event
 * finds the charge and adds nothing; a later version of a session re-rates it by a {@code rerated} delta item
 * (superseded: back to zero); older versions are ignored. The basis rule (measured session, else staff record, else
 * booked time) waives the weaker charge of a booking by an item when a stronger source arrives.
 */
@Singleton
public record ChargeRating(ChargeRows rows, ChargeSourceRows sources, ChargePolicies policies, ChargeWriter writer,
                           RateCards cards, FeeStandardRows cardRows, BookingService bookings, JsonMapper json) {
    private static final Argument<List<TimeBand>> BANDS = Argument.listOf(TimeBand.class);

    /** The handler of the consumer {@code billing.charges}: dispatches by event type; unknown types change nothing. */
    public void handle(Connection c, EventEnvelope e) throws SQLException {
        TenantId tenant = new TenantId(e.tenantId());
        Map<String, Object> p = e.payload();
        switch (e.type()) {
            case "usage.session.opened", "usage.session.closed", "usage.session.changed", "usage.session.corrected",
                 "usage.session.superseded" -> session(c, tenant, e, p);
            case "usage.recorded" -> record(c, tenant, e, p);
            case "booking.cancelled" -> cancelled(c, tenant, e, p);
            case "booking.no_show" -> noShow(c, tenant, e, p);
            case "booking.no_show_overturned" -> overturned(c, tenant, p);
            case "sample.results_ready" -> sample(c, tenant, e, p);
            default -> { }
        }
    }

    private void session(Connection c, TenantId tenant, EventEnvelope e, Map<String, Object> p) throws SQLException {
        if ("booking".equals(text(p, "source"))) {
            return;   // a booked-time estimate of usage (grade C): the booked-basis sweep charges booked time
        }
        UUID id = uuid(p, "id");
        ChargeRows.Stored existing = rows.ofSource("usage_session", id).stream().findFirst().orElse(null);
        if (existing != null && e.aggregateVersion() <= existing.sourceVersion()) {
            return;   // an older (or the same) version of the session
        }
        String status = text(p, "status");
        if (existing != null) {
            if ("superseded".equals(status)) {
                rerate(c, tenant, existing, 0, BigDecimal.ZERO, existing.serviceStart(), existing.serviceEnd(),
                        e.aggregateVersion(), "session superseded");
            } else if ("closed".equals(status)) {
                Instant start = instant(p, "start");
                Instant end = instant(p, "end");
                RateCard card = existing.feeStandardId() == null ? null : card(existing.feeStandardId());
                long amount = card == null ? 0 : timePrice(card, start, end, assistedOf(existing.bookingId()));
                rerate(c, tenant, existing, amount, hours(start, end), start, end, e.aggregateVersion(),
                        "session " + e.type().substring("usage.session.".length()));
            } else {
                rows.seen(existing.id(), e.aggregateVersion());
            }
            return;
        }
        if (!"closed".equals(status)) {
            return;
        }
        UUID instrumentId = uuid(p, "instrumentId");
        ChargePolicy policy = policies.of(c, instrumentId);
        if (policy.basis().equals("booked")) {
            return;
        }
        UUID bookingId = optUuid(p, "bookingId");
        ChargeSourceRows.BookingFacts booking = bookingId == null ? null : sources.booking(bookingId).orElse(null);
        UUID userId = optUuid(p, "userId");
        if (userId == null && booking != null) {
            userId = booking.requesterUserId();
        }
        if (userId == null) {
            return;   // unattributed: nobody to charge until staff attribute it (a corrected event follows)
        }
        Instant start = instant(p, "start");
        Instant end = instant(p, "end");
        Who who = Who.SYSTEM;
        Optional<ChargeRows.Stored> made = createTime(c, tenant, "usage_session", id, e.aggregateVersion(), "usage",
                booking, instrumentId, userId, start, end, policy, "measured session");
        if (made.isPresent() && bookingId != null) {
            for (ChargeRows.Stored weaker : rows.usageOfBooking(bookingId)) {
                if (!weaker.sourceType().equals("usage_session") && !weaker.status().equals("waived")) {
                    writer.waive(c, tenant, weaker, "replaced by the measured session " + id, who);
                }
            }
        }
    }

    private void record(Connection c, TenantId tenant, EventEnvelope e, Map<String, Object> p) throws SQLException {
        UUID id = uuid(p, "id");
        UUID instrumentId = uuid(p, "instrumentId");
        ChargePolicy policy = policies.of(c, instrumentId);
        if (policy.basis().equals("booked") || !rows.ofSource("usage_record", id).isEmpty()) {
            return;
        }
        UUID bookingId = optUuid(p, "bookingId");
        ChargeSourceRows.BookingFacts booking = bookingId == null ? null : sources.booking(bookingId).orElse(null);
        if (bookingId != null && rows.usageOfBooking(bookingId).stream()
                .anyMatch(s -> s.sourceType().equals("usage_session") && !s.status().equals("waived"))) {
            return;   // a measured session of the booking is charged: it wins over the staff's record
        }
        UUID userId = optUuid(p, "userId");
        if (userId == null && booking != null) {
            userId = booking.requesterUserId();
        }
        if (userId == null) {
            return;
        }
        Optional<ChargeRows.Stored> made = createTime(c, tenant, "usage_record", id, e.aggregateVersion(), "usage",
                booking, instrumentId, userId, instant(p, "start"), instant(p, "end"), policy, "staff usage record");
        if (made.isPresent() && bookingId != null) {
            for (ChargeRows.Stored weaker : rows.usageOfBooking(bookingId)) {
                if (weaker.sourceType().equals("booking") && !weaker.status().equals("waived")) {
                    writer.waive(c, tenant, weaker, "replaced by the staff usage record " + id, Who.SYSTEM);
                }
            }
        }
    }

    private void cancelled(Connection c, TenantId tenant, EventEnvelope e, Map<String, Object> p) throws SQLException {
        if (!"requester".equals(text(p, "cancelledBy"))) {
            return;
        }
        UUID bookingId = uuid(p, "id");
        ChargeSourceRows.BookingFacts b = bookingFromPayload(p);
        ChargePolicy policy = policies.of(c, b.instrumentId());
        Instant windowOpens = b.startsAt().minus(Duration.ofHours(policy.cancelFreeHours()));
        if (policy.cancelFeeBp() == 0 || e.occurredAt().isBefore(windowOpens)) {
            return;   // free: cancelled before the fee window (or the policy charges nothing)
        }
        fee(c, tenant, b, bookingId, e.aggregateVersion(), "cancellation", policy.cancelFeeBp(), policy,
                "cancelled " + Duration.between(e.occurredAt(), b.startsAt()).toMinutes() + " min before the start");
    }

    private void noShow(Connection c, TenantId tenant, EventEnvelope e, Map<String, Object> p) throws SQLException {
        ChargeSourceRows.BookingFacts b = bookingFromPayload(p);
        ChargePolicy policy = policies.of(c, b.instrumentId());
        if (policy.noShowFeeBp() == 0) {
            return;
        }
        fee(c, tenant, b, b.id(), e.aggregateVersion(), "no_show", policy.noShowFeeBp(), policy, "no-show");
    }

    private void overturned(Connection c, TenantId tenant, Map<String, Object> p) throws SQLException {
        for (ChargeRows.Stored s : rows.ofSource("booking", uuid(p, "id"))) {
            if (s.kind().equals("no_show") && !s.status().equals("waived")) {
                String why = text(p, "reason");
                writer.waive(c, tenant, s, "no-show overturned" + (why == null ? "" : ": " + why), Who.SYSTEM);
            }
        }
    }

    private void sample(Connection c, TenantId tenant, EventEnvelope e, Map<String, Object> p) throws SQLException {
        UUID id = uuid(p, "id");
        if (!rows.ofSource("sample_request", id).isEmpty()) {
            return;   // charged when the first results were ready
        }
        ChargeSourceRows.SampleFacts s = sources.sample(id).orElse(null);
        if (s == null) {
            return;
        }
        ChargePolicy policy = policies.of(c, s.instrumentId());
        Instant at = e.occurredAt();
        RateCard card = cards.effective(tenant, s.instrumentId(), s.serviceId(), s.rateGroup(), at).orElse(null);
        long samples = s.receivedCount() != null && s.receivedCount() > 0 ? s.receivedCount() : s.sampleCount();
        String unit = card == null ? "sample" : card.unit();
        long quantity = switch (unit) {
            case "sample" -> samples;
            case "item" -> samples * Math.max(1, s.itemCount());
            default -> 1;
        };
        long amount = card == null ? 0 : cards.price(card, quantity, false, at);
        NewCharge n = new NewCharge("sample_request", id, e.aggregateVersion(), "sample", null, s.instrumentId(),
                s.serviceId(), unitOf(s.instrumentId()), s.requesterUserId(), s.requesterTenantId(), s.accountCode(),
                s.rateGroup(), card == null ? null : card.id(), card == null ? 0 : card.version(), at, null,
                BigDecimal.valueOf(quantity), unit);
        writer.create(c, tenant, n, amount, quantity + " " + unit, policy.reviewRequired(), Who.SYSTEM);
    }

    /** Charges the booked time of a booking (the booked-basis sweep), unless it has a charge of its own already. */
    boolean bookedTime(Connection c, TenantId tenant, UUID bookingId) throws SQLException {
        ChargeSourceRows.BookingFacts b = sources.booking(bookingId).orElse(null);
        if (b == null || !rows.ofSource("booking", bookingId).isEmpty()) {
            return false;
        }
        ChargePolicy policy = policies.of(c, b.instrumentId());
        return createTime(c, tenant, "booking", bookingId, 0, "usage", b, b.instrumentId(), b.requesterUserId(),
                b.startsAt(), b.endsAt(), policy, "booked time").isPresent();
    }

    private Optional<ChargeRows.Stored> createTime(Connection c, TenantId tenant, String sourceType, UUID sourceId,
                                                   long sourceVersion, String kind,
                                                   @Nullable ChargeSourceRows.BookingFacts booking, UUID instrumentId,
                                                   UUID userId, Instant start, Instant end, ChargePolicy policy,
                                                   String reason) throws SQLException {
        UUID home = booking != null ? booking.requesterTenantId() : tenant.value();
        String group = booking != null ? booking.rateGroup()
                : bookings.rateGroupFor(tenant, tenant, instrumentId);
        boolean assisted = booking != null && booking.assisted();
        RateCard card = cards.effective(tenant, instrumentId, null, group, start).orElse(null);
        long amount = card == null ? 0 : timePrice(card, start, end, assisted);
        NewCharge n = new NewCharge(sourceType, sourceId, sourceVersion, kind, booking == null ? null : booking.id(),
                instrumentId, null, unitOf(instrumentId), userId, home, booking == null ? null : booking.accountCode(),
                group, card == null ? null : card.id(), card == null ? 0 : card.version(), start, end, hours(start, end),
                card == null ? "hour" : card.unit());
        return writer.create(c, tenant, n, amount, reason, policy.reviewRequired(), Who.SYSTEM);
    }

    /**
     * A fee of {@code bp} basis points of the booked time's price: price × bp / 10,000, rounded half up to a whole fen
     * ({@code (price × bp + 5,000) / 10,000}), so a fee is never more than half a fen off.
     */
    private void fee(Connection c, TenantId tenant, ChargeSourceRows.BookingFacts b, UUID bookingId, long version,
                     String kind, int bp, ChargePolicy policy, String reason) throws SQLException {
        RateCard card = cards.effective(tenant, b.instrumentId(), null, b.rateGroup(), b.startsAt()).orElse(null);
        long price = card == null ? 0 : timePrice(card, b.startsAt(), b.endsAt(), b.assisted());
        long fee = feeOf(price, bp);
        NewCharge n = new NewCharge("booking", bookingId, version, kind, bookingId, b.instrumentId(), null,
                unitOf(b.instrumentId()), b.requesterUserId(), b.requesterTenantId(), b.accountCode(), b.rateGroup(),
                card == null ? null : card.id(), card == null ? 0 : card.version(), b.startsAt(), b.endsAt(),
                hours(b.startsAt(), b.endsAt()), card == null ? "hour" : card.unit());
        writer.create(c, tenant, n, fee, reason + " (" + bp + " bp of " + price + " fen)", policy.reviewRequired(),
                Who.SYSTEM);
    }

    /** A fee in basis points of a price, rounded half up to a whole fen. */
    static long feeOf(long priceFen, int bp) {
        return Math.addExact(Math.multiplyExact(priceFen, (long) bp), 5_000L) / 10_000L;
    }

    private void rerate(Connection c, TenantId tenant, ChargeRows.Stored existing, long amount, BigDecimal quantity,
                        Instant start, @Nullable Instant end, long version, String reason) throws SQLException {
        ChargeRows.Stored locked = rows.lock(existing.id()).orElseThrow();
        rows.rerated(locked.id(), start, end, quantity, version, writer.clock().now());
        if (locked.status().equals("waived")) {
            return;
        }
        long rated = rows.items(locked.id()).stream().filter(i -> i.kind().equals("rated") || i.kind().equals("rerated"))
                .mapToLong(ChargeRows.ItemRow::deltaFen).sum();
        if (amount != rated) {
            writer.item(c, tenant, rows.find(locked.id()).orElseThrow(), "rerated", amount - rated, quantity, reason,
                    Who.SYSTEM);
        }
    }

    /** An hourly card prices the used time ({@link RateCards#price(RateCard, Duration, boolean, Instant)}); others one unit. */
    private long timePrice(RateCard card, Instant start, @Nullable Instant end, boolean assisted) {
        Duration used = end == null ? Duration.ZERO : Duration.between(start, end);
        return card.unit().equals("hour") ? cards.price(card, used, assisted, start) : cards.price(card, 1, assisted, start);
    }

    /** Hours between two instants, to 2 decimals (half up): what a charge shows as its quantity. */
    static BigDecimal hours(Instant start, @Nullable Instant end) {
        long seconds = end == null ? 0 : Duration.between(start, end).getSeconds();
        return BigDecimal.valueOf(seconds).divide(BigDecimal.valueOf(3600), 2, RoundingMode.HALF_UP);
    }

    private boolean assistedOf(@Nullable UUID bookingId) {
        return bookingId != null && sources.booking(bookingId).map(ChargeSourceRows.BookingFacts::assisted).orElse(false);
    }

    private @Nullable UUID unitOf(UUID instrumentId) {
        return sources.unit(instrumentId).map(ChargeSourceRows.Unit::orgUnitId).orElse(null);
    }

    /** The card a charge was rated with (filed or since superseded), as the rating function reads it. */
    private @Nullable RateCard card(UUID id) {
        FeeStandardRows.Stored s = cardRows.find(id).orElse(null);
        if (s == null) {
            return null;
        }
        List<TimeBand> bands;
        try {
            bands = s.timeBands() == null ? List.of() : json.readValue(s.timeBands(), BANDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new RateCard(s.id(), s.instrumentId(), s.serviceId(), s.rateGroupCode(), s.version(), s.unit(),
                s.priceFen(), s.minimumFen(), s.rounding(), s.assistedSurchargeFen(), bands, s.effectiveFrom(),
                s.filingRef(), zone().getId());
    }

    private ZoneId zone() {
        try {
            return ZoneId.of(sources.tenantZone().orElse("Asia/Shanghai"));
        } catch (DateTimeException e) {
            return ZoneId.of("Asia/Shanghai");
        }
    }

    private static ChargeSourceRows.BookingFacts bookingFromPayload(Map<String, Object> p) {
        return new ChargeSourceRows.BookingFacts(uuid(p, "id"), uuid(p, "instrumentId"), uuid(p, "requesterUserId"),
                uuid(p, "requesterTenantId"), text(p, "accountCode"), text(p, "rateGroup"),
                Boolean.TRUE.equals(p.get("assisted")), text(p, "status"), instant(p, "start"), instant(p, "end"));
    }

    static @Nullable String text(Map<String, Object> p, String field) {
        Object o = p.get(field);
        return o == null ? null : o.toString();
    }

    static UUID uuid(Map<String, Object> p, String field) {
        return UUID.fromString(String.valueOf(p.get(field)));
    }

    static @Nullable UUID optUuid(Map<String, Object> p, String field) {
        Object o = p.get(field);
        return o == null ? null : UUID.fromString(o.toString());
    }

    static Instant instant(Map<String, Object> p, String field) {
        return Instant.parse(String.valueOf(p.get(field)));
    }
}

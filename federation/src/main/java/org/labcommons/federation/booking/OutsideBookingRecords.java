package org.labcommons.federation.booking;

import io.micronaut.core.annotation.Nullable;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.booking.BookingsElsewhere;
import org.labcommons.core.booking.notify.Notifications;
import org.labcommons.core.directory.TenantRows;
import org.labcommons.core.events.EventEnvelope;
import org.labcommons.core.events.Outbox;
import org.labcommons.core.events.PoisonEventException;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;
import org.labcommons.federation.FederationTopics;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The home institution's linked records of bookings its people hold at other institutions
 * ({@code outside_booking}, V16), and the home's side of the saga (docs/federation.md):
 * {@link #apply} mirrors one {@code booking.v1} event of the owner into the requester's home
 * tenant, and when the home refuses the booking it records the refusal and writes the compensation
 * command ({@code booking.command.v1}, {@code booking.cancel_requested}) in the same transaction.
 * An approval or rejection also writes the requester's notice in the home tenant
 * ({@link Notifications#decidedElsewhere}), in the same transaction as the record's update.
 */
@Singleton
public record OutsideBookingRecords(TenantTransactions tenants,
                                    Outbox outbox,
                                    AuditLog audit,
                                    OutsideBookingRows rows,
                                    AccountBlockRows blocks,
                                    TenantRows registry,
                                    Notifications notifications) {
    public static final String CANCEL_REQUESTED = "booking.cancel_requested";
    public static final String HOME_REFUSED = "home_refused";
    static final Set<String> STATUSES = Set.of("requested", "approved", "rejected", "cancelled", "checked_in", "no_show");

    /** What {@link #apply} did with an event. */
    public enum Applied {
        /** the requester belongs to the owner: not a cross-institution booking, nothing to do */
        INSIDE,
        /** an event of this version or a newer one was applied before: nothing changed */
        STALE,
        /** the first event of the booking: the linked record was created */
        LINKED,
        /** the linked record follows the owner's change */
        UPDATED,
        /** the home refused the booking: the record says so and the cancellation was requested */
        REFUSED
    }

    /** A linked record as the API shows it (times in the home tenant's zone). */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record OutsideBooking(UUID bookingId, UUID ownerTenantId, String ownerNameZh, String ownerNameEn,
                                 UUID instrumentId, @Nullable String instrumentNameZh, @Nullable String instrumentNameEn,
                                 UUID requesterUserId, OffsetDateTime start, OffsetDateTime end, String status,
                                 String homeStatus, @Nullable String refusalReason, String rateGroup,
                                 @Nullable String accountCode, @Nullable Long pricePerHourFen,
                                 @Nullable Long estimatedCostFen, long version, OffsetDateTime lastEventAt,
                                 OffsetDateTime updatedAt) {
    }

    /** What the owner publishes about the instrument and itself, read in the owner's tenant. */
    record OwnerFacts(String ownerNameZh, String ownerNameEn, @Nullable String instrumentNameZh,
                      @Nullable String instrumentNameEn, @Nullable Long pricePerHourFen) {
    }

    // ------------------------------------------------------------------ the saga's home step

    /**
     * Applies one {@code booking.*} event of the owner (the envelope's tenant) to the requester's
     * home tenant: only if its version is newer than the stored one (redelivery and disorder change
     * nothing). While the record is linked and the booking active ({@code requested} or
     * {@code approved}), the home checks that it is active, that the user still belongs to it and
     * that the account code is open; a refusal is recorded and the cancellation requested.
     * Throws {@link PoisonEventException} for a payload that lacks what is needed.
     */
    public Applied apply(EventEnvelope event) {
        Map<String, Object> p = event.payload();
        TenantId owner = new TenantId(event.tenantId());
        UUID homeId = uuid(p, "requesterTenantId");
        if (homeId.equals(owner.value())) {
            return Applied.INSIDE;
        }
        TenantId home = new TenantId(homeId);
        UUID bookingId = uuid(p, "id");
        if (!bookingId.toString().equals(event.aggregateId())) {
            throw new PoisonEventException("payload id " + bookingId + " differs from the aggregate id " + event.aggregateId());
        }
        UUID instrumentId = uuid(p, "instrumentId");
        UUID userId = uuid(p, "requesterUserId");
        String status = text(p, "status");
        if (!STATUSES.contains(status)) {
            throw new PoisonEventException("unknown booking status " + status);
        }
        Instant start = instant(p, "start");
        Instant end = instant(p, "end");
        if (!end.isAfter(start)) {
            throw new PoisonEventException("end " + end + " is not after start " + start);
        }
        String rateGroup = text(p, "rateGroup");
        String account = p.get("accountCode") instanceof String s && !s.isBlank() ? s : null;
        long version = event.aggregateVersion();

        OwnerFacts facts = ownerFacts(owner, instrumentId, rateGroup);
        Long estimate = estimate(facts.pricePerHourFen(), start, end);

        return tenants.inTenantRetrying(home, c -> {
            OutsideBookingRows.Row current = rows.lock(bookingId).orElse(null);
            Long stored = current == null ? null : current.aggregateVersion();
            String homeStatus = current == null ? "linked" : current.homeStatus();
            String reason = current == null ? null : current.refusalReason();
            if (stored != null && stored >= version) {
                return Applied.STALE;
            }
            boolean refuseNow = false;
            if ("linked".equals(homeStatus) && ("requested".equals(status) || "approved".equals(status))) {
                reason = refusal(home, userId, account);
                if (reason != null) {
                    homeStatus = "refused_by_home";
                    refuseNow = true;
                }
            }
            int written = rows.upsert(bookingId, owner.value(), facts.ownerNameZh(), facts.ownerNameEn(), instrumentId,
                    facts.instrumentNameZh(), facts.instrumentNameEn(), userId, start, end, status, homeStatus, reason,
                    rateGroup, account, facts.pricePerHourFen(), estimate, version, event.eventId(), event.occurredAt());
            if (written == 0) {
                return Applied.STALE;
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("ownerTenantId", owner.toString());
            details.put("status", status);
            details.put("version", version);
            details.put("eventId", event.eventId().toString());
            if (refuseNow) {
                details.put("reason", reason);
                Map<String, Object> command = new LinkedHashMap<>();
                command.put("bookingId", bookingId.toString());
                command.put("ownerTenantId", owner.toString());
                command.put("requesterTenantId", home.toString());
                command.put("requesterUserId", userId.toString());
                command.put("reason", HOME_REFUSED);
                command.put("detail", reason);
                command.put("bookingVersion", version);
                outbox.append(c, new Outbox.Event(FederationTopics.BOOKING_COMMAND, CANCEL_REQUESTED, 1, "booking", bookingId.toString(),
                        version, command));
                audit.append(c, AuditEntry.system("outside_booking.refused", "outside_booking", bookingId.toString(), details));
                return Applied.REFUSED;
            }
            audit.append(c, AuditEntry.system(stored == null ? "outside_booking.linked" : "outside_booking.updated",
                    "outside_booking", bookingId.toString(), details));
            if ("booking.approved".equals(event.type()) || "booking.rejected".equals(event.type())) {
                // the decision reaches the requester among their own notices at home (the owner's notice mails it)
                notifications.decidedElsewhere(c, event.type().substring("booking.".length()), bookingId, version, userId,
                        named(facts.instrumentNameZh(), facts.instrumentNameEn()) + "（" + facts.ownerNameZh() + "）",
                        named(facts.instrumentNameEn(), facts.instrumentNameZh()) + " (" + facts.ownerNameEn() + ")",
                        start, end, zone(home).getId());
            }
            return stored == null ? Applied.LINKED : Applied.UPDATED;
        });
    }

    /**
     * Why the home refuses a booking of its user (null: it does not): the home tenant is not active,
     * the user no longer signs in through an issuer the home trusts (membership), or the home's
     * finance closed the account code. Read in the home's transaction only.
     */
    String refusal(TenantId home, UUID userId, @Nullable String account) {
        if (!registry.findById(home.value()).map(t -> "active".equals(t.status())).orElse(false)) {
            return "tenant_inactive";
        }
        if (!rows.memberActive(userId)) {
            return "member_inactive";
        }
        if (account != null && blocks.existsByAccountCode(account)) {
            return "account_closed";
        }
        return null;
    }

    /**
     * The owner's names and the instrument's published machine-time price per hour for the
     * booking's rate group: catalogue facts, read in one read-only transaction bound to the owner
     * (never written, never mixed with the home's transaction).
     */
    OwnerFacts ownerFacts(TenantId owner, UUID instrumentId, String rateGroup) {
        return tenants.inTenant(owner, c -> {
            var tenant = registry.findById(owner.value());
            var names = rows.instrumentNames(instrumentId);
            return new OwnerFacts(tenant.map(TenantRows.Row::nameZh).orElse(owner.toString()),
                    tenant.map(TenantRows.Row::nameEn).orElse(owner.toString()),
                    names.map(OutsideBookingRows.Names::nameZh).orElse(null),
                    names.map(OutsideBookingRows.Names::nameEn).orElse(null),
                    rows.hourlyPrice(instrumentId, rateGroup).orElse(null));
        });
    }

    /**
     * Price per hour × duration in whole fen, rounded half up (a 90-minute slot at 1,001 fen an hour
     * is 1,501.5 → 1,502 fen); null when no hourly price is published for the rate group.
     */
    static Long estimate(@Nullable Long pricePerHourFen, Instant start, Instant end) {
        if (pricePerHourFen == null) {
            return null;
        }
        long seconds = Duration.between(start, end).getSeconds();
        return BigDecimal.valueOf(pricePerHourFen).multiply(BigDecimal.valueOf(seconds))
                .divide(BigDecimal.valueOf(3600), 0, RoundingMode.HALF_UP).longValueExact();
    }

    // ------------------------------------------------------------------ reads (the home's API)

    /** Filters of a list; null: any. {@code userId} set: only that requester's records; {@code owner}: only bookings at that institution. */
    public record Filter(@Nullable UUID userId, @Nullable String status, @Nullable String homeStatus,
                         @Nullable String account, @Nullable Instant from, @Nullable Instant to, @Nullable UUID owner) {
        public Filter(@Nullable UUID userId, @Nullable String status, @Nullable String homeStatus,
                      @Nullable String account, @Nullable Instant from, @Nullable Instant to) {
            this(userId, status, homeStatus, account, from, to, null);
        }
    }

    /** One page of records, with the count and the estimated cost of every record the filter matches. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Page(List<OutsideBooking> items, int page, int size, long total, long totalEstimatedCostFen) {
    }

    public Page list(TenantId home, Filter f, int page, int size) {
        return tenants.inTenant(home, c -> {
            ZoneId zone = zone(home);
            OutsideBookingRows.Totals totals = rows.totals(f.userId(), f.status(), f.homeStatus(), f.account(), f.from(),
                    f.to(), f.owner());
            List<OutsideBooking> items = rows.page(f.userId(), f.status(), f.homeStatus(), f.account(), f.from(), f.to(),
                    f.owner(), size, (long) page * size).stream().map(r -> view(r, zone)).toList();
            return new Page(items, page, size, totals.total(), totals.cost());
        });
    }

    /** One record, if the home holds it (and, with {@code userId}, if it is that user's). */
    public java.util.Optional<OutsideBooking> find(TenantId home, UUID bookingId, @Nullable UUID userId) {
        return tenants.inTenant(home, c -> rows.find(bookingId, userId).map(r -> view(r, zone(home))));
    }

    /**
     * One person's records for their "my bookings" page: those not yet ended at {@code now} first
     * (soonest first), then the ended ones (latest first), with the owner's slug for links to the
     * owner's pages (null when the owner is gone from the registry).
     */
    public BookingsElsewhere.Listing upcomingFirst(TenantId home, UUID userId, Instant now, int offset, int limit) {
        return tenants.inTenant(home, c -> {
            ZoneId zone = zone(home);
            long total = rows.countByRequesterUserId(userId);
            List<BookingsElsewhere.Item> items = rows.upcomingFirst(userId, now, limit, offset).stream()
                    .map(r -> new BookingsElsewhere.Item(r.bookingId(), r.ownerTenantId(), r.slug(), r.ownerNameZh(),
                            r.ownerNameEn(), r.instrumentId(), r.instrumentNameZh(), r.instrumentNameEn(),
                            at(r.startsAt(), zone), at(r.endsAt(), zone), r.status(), r.homeStatus(), r.refusalReason(),
                            r.rateGroup(), r.estimatedCostFen())).toList();
            return new BookingsElsewhere.Listing(items, total);
        });
    }

    /** An institution or a person a filter can choose (from the home's records). */
    public record Choice(UUID id, String label, @Nullable String labelEn) {
    }

    /** The institutions where the home's people hold bookings (for a filter), by name. */
    public List<Choice> owners(TenantId home) {
        return tenants.inTenant(home, c -> choices(rows.owners()));
    }

    /** The home's people who hold bookings elsewhere (for a filter): display name, else e-mail, else id. */
    public List<Choice> requesters(TenantId home) {
        return tenants.inTenant(home, c -> choices(rows.requesters()));
    }

    /** The home tenant's zone (records are shown in it). */
    public ZoneId zoneOf(TenantId home) {
        return tenants.inTenant(home, c -> zone(home));
    }

    private static List<Choice> choices(List<OutsideBookingRows.Label> labels) {
        return labels.stream().map(l -> new Choice(l.id(), l.label(), l.labelEn())).toList();
    }

    private static OutsideBooking view(OutsideBookingRows.Row r, ZoneId zone) {
        return new OutsideBooking(r.bookingId(), r.ownerTenantId(), r.ownerNameZh(), r.ownerNameEn(), r.instrumentId(),
                r.instrumentNameZh(), r.instrumentNameEn(), r.requesterUserId(), at(r.startsAt(), zone),
                at(r.endsAt(), zone), r.status(), r.homeStatus(), r.refusalReason(), r.rateGroup(), r.accountCode(),
                r.pricePerHourFen(), r.estimatedCostFen(), r.aggregateVersion(), at(r.lastEventAt(), zone),
                at(r.updatedAt(), zone));
    }

    private static String named(@Nullable String name, @Nullable String other) {
        return name != null && !name.isBlank() ? name : other != null ? other : "";
    }

    private ZoneId zone(TenantId tenant) {
        return registry.findById(tenant.value()).map(t -> ZoneId.of(t.timeZone())).orElse(ZoneId.of("UTC"));
    }

    private static OffsetDateTime at(@Nullable Instant t, ZoneId zone) {
        return t == null ? null : t.atZone(zone).toOffsetDateTime();
    }

    // ------------------------------------------------------------------ finance's closed account codes

    /** A closed account code of the home's finance. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record AccountBlock(String accountCode, @Nullable String reason, @Nullable UUID blockedBy, OffsetDateTime blockedAt) {
    }

    public List<AccountBlock> blocks(TenantId home) {
        return tenants.inTenant(home, c -> {
            ZoneId zone = zone(home);
            return blocks.all().stream().map(b -> new AccountBlock(b.accountCode(), b.reason(), b.blockedBy(),
                    at(b.blockedAt(), zone))).toList();
        });
    }

    /** Closes an account code (again: the reason is replaced). */
    public AccountBlock block(TenantId home, AuditEntry.Actor actor, UUID by, String code, @Nullable String reason) {
        return tenants.inTenant(home, c -> {
            blocks.block(code, reason, by);
            audit.append(c, actor.entry("finance_account.blocked", "finance_account", code,
                    Map.of("reason", reason == null ? "" : reason)));
            return new AccountBlock(code, reason, by, OffsetDateTime.now(zone(home)));
        });
    }

    /** Opens a closed account code; false when it was not closed. */
    public boolean unblock(TenantId home, AuditEntry.Actor actor, String code) {
        return tenants.inTenant(home, c -> {
            int n = blocks.unblock(code);
            if (n > 0) {
                audit.append(c, actor.entry("finance_account.unblocked", "finance_account", code, Map.of()));
            }
            return n > 0;
        });
    }

    // ------------------------------------------------------------------ payload helpers

    private static String text(Map<String, Object> p, String key) {
        if (p.get(key) instanceof String s && !s.isBlank()) {
            return s;
        }
        throw new PoisonEventException("payload has no " + key);
    }

    private static UUID uuid(Map<String, Object> p, String key) {
        try {
            return UUID.fromString(text(p, key));
        } catch (IllegalArgumentException e) {
            throw new PoisonEventException("payload " + key + " is not a uuid", e);
        }
    }

    private static Instant instant(Map<String, Object> p, String key) {
        try {
            return Instant.parse(text(p, key));
        } catch (java.time.format.DateTimeParseException e) {
            throw new PoisonEventException("payload " + key + " is not an instant", e);
        }
    }
}

package org.labcommons.core.booking.calendar;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import net.fortuna.ical4j.data.CalendarOutputter;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.property.Description;
import net.fortuna.ical4j.model.property.DtStamp;
import net.fortuna.ical4j.model.property.LastModified;
import net.fortuna.ical4j.model.property.ProdId;
import net.fortuna.ical4j.model.property.Sequence;
import net.fortuna.ical4j.model.property.Status;
import net.fortuna.ical4j.model.property.Uid;
import net.fortuna.ical4j.model.property.XProperty;
import net.fortuna.ical4j.model.property.immutable.ImmutableCalScale;
import net.fortuna.ical4j.model.property.immutable.ImmutableMethod;
import net.fortuna.ical4j.model.property.immutable.ImmutableStatus;
import net.fortuna.ical4j.model.property.immutable.ImmutableVersion;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.booking.BookingClock;
import org.labcommons.core.booking.notify.Notifications;
import org.labcommons.core.i18n.Messages;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * iCalendar (RFC 5545) feeds of bookings (docs/booking.md). A feed belongs to a user in a tenant:
 * "mine" (the user's bookings there) or one instrument's bookings (as busy blocks; requester names
 * only when the feed's owner is the instrument's staff at the time the feed is read). The token is
 * {@code <tenant id, 32 hex digits><secret, 43 base64url characters>}; only its SHA-256 is kept, so
 * a feed request binds the token's tenant and looks the hash up there: an unknown, revoked or
 * forged token, and the feed of an owner who no longer belongs to the tenant (no role there and an
 * issuer it does not trust), find nothing (404, without saying which), and a feed never reads
 * another tenant. Membership is read live in the same statement, so a removed member's feeds stop
 * at once, with nothing to clean up.
 */
@Singleton
public record CalendarFeeds(TenantTransactions tenants,
                            CalendarFeedRows rows,
                            Notifications notifications,
                            AuditLog audit,
                            Messages messages,
                            BookingClock clock) {
    /** Bookings in a feed: from this long ago … */
    public static final Duration PAST = Duration.ofDays(90);
    /** … to this far ahead, at most {@link #MAX_EVENTS} of them. */
    public static final Duration AHEAD = Duration.ofDays(366);
    public static final int MAX_EVENTS = 2000;
    private static final Pattern TOKEN = Pattern.compile("^[0-9a-f]{32}[A-Za-z0-9_-]{43}$");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A feed as its owner sees it; {@code token} only in the answer that created or rotated it. */
    @Serdeable
    public record Feed(UUID id, String kind, @Nullable UUID instrumentId, OffsetDateTime createdAt,
                       @Nullable OffsetDateTime rotatedAt, @Nullable String token) {

        static Feed of(CalendarFeedRows.Row r, @Nullable String token) {
            return new Feed(r.id(), r.kind(), r.instrumentId(), r.createdAt().atOffset(ZoneOffset.UTC),
                    r.rotatedAt() == null ? null : r.rotatedAt().atOffset(ZoneOffset.UTC), token);
        }
    }

    // ------------------------------------------------------------------ manage

    public List<Feed> list(TenantId tenant, UUID user) {
        return tenants.inTenant(tenant, c -> rows.live(user).stream().map(r -> Feed.of(r, null)).toList());
    }

    /**
     * A new feed for the user; a live feed of the same target is revoked in the same transaction
     * (one live link per target). The caller has checked that the user may read the instrument.
     */
    public Feed create(TenantId tenant, UUID user, AuditEntry.Actor actor, String kind, @Nullable UUID instrumentId) {
        return tenants.inTenant(tenant, c -> {
            Instant now = clock.now();
            rows.revokeTarget(user, kind, instrumentId, now);
            String token = newToken(tenant);
            CalendarFeedRows.Row row = rows.save(new CalendarFeedRows.Row(tenant.value(), UUID.randomUUID(), user, kind,
                    instrumentId, sha256(token), now, null, null));
            Map<String, Object> details = new HashMap<>();
            details.put("kind", kind);
            details.put("instrumentId", instrumentId == null ? "" : instrumentId.toString());
            audit.append(c, actor.entry("calendar_feed.created", "calendar_feed", row.id().toString(), details));
            return live(user, row.id(), token);
        });
    }

    /** A new token for one of the user's live feeds (the old link stops working); 404 when not theirs. */
    public Feed rotate(TenantId tenant, UUID user, AuditEntry.Actor actor, UUID id) {
        return tenants.inTenant(tenant, c -> {
            String token = newToken(tenant);
            changed(c, actor, id, "calendar_feed.rotated", rows.rotate(id, user, sha256(token), clock.now()));
            return live(user, id, token);
        });
    }

    /** Revokes one of the user's live feeds; 404 when not theirs (or revoked already). */
    public void revoke(TenantId tenant, UUID user, AuditEntry.Actor actor, UUID id) {
        tenants.inTenant(tenant, c -> {
            changed(c, actor, id, "calendar_feed.revoked", rows.revoke(id, user, clock.now()));
            return null;
        });
    }

    /** The audit entry of a change to one feed; 404 when the change found no live feed of the user's. */
    private void changed(Connection c, AuditEntry.Actor actor, UUID id, String action, long count) throws SQLException {
        if (count == 0) {
            throw ProblemException.notFound();
        }
        audit.append(c, actor.entry(action, "calendar_feed", id.toString(), Map.of()));
    }

    private Feed live(UUID user, UUID id, String token) {
        return rows.findByIdAndUserIdAndRevokedAtIsNull(id, user).map(r -> Feed.of(r, token)).orElseThrow();
    }

    // ------------------------------------------------------------------ serve

    /** The feed's text/calendar body, or empty when the token is unknown, revoked or malformed. */
    public Optional<String> render(String token) {
        if (token == null || !TOKEN.matcher(token).matches()) {
            return Optional.empty();
        }
        String hex = token.substring(0, 32);
        TenantId tenant = new TenantId(new UUID(Long.parseUnsignedLong(hex.substring(0, 16), 16),
                Long.parseUnsignedLong(hex.substring(16), 16)));
        byte[] hash = sha256(token);
        return tenants.inTenant(tenant, c -> {
            if (!rows.tenantActive(tenant.value())) {
                return Optional.<String>empty();
            }
            CalendarFeedRows.Row feed = rows.liveOfMember(hash).orElse(null);
            if (feed == null) {
                return Optional.<String>empty();
            }
            UUID user = feed.userId();
            UUID instrument = feed.instrumentId();
            Locale locale = "en".equals(notifications.languageOf(user)) ? Locale.ENGLISH : Messages.ZH_CN;
            boolean staff = false;
            if (instrument != null) {
                staff = notifications.staffOf(instrument).contains(user);
                String scope = rows.sharingScope(instrument).orElse(null);
                if (scope == null || ("private".equals(scope) && !staff)) {
                    return Optional.<String>empty();
                }
            }
            return Optional.of(calendar(user, instrument, staff, locale));
        });
    }

    private String calendar(UUID user, @Nullable UUID instrument, boolean staff, Locale locale) {
        boolean en = "en".equals(locale.getLanguage());
        Map<String, String> t = messages.all(locale);
        Instant now = clock.now();
        Instant from = now.minus(PAST);
        Instant to = now.plus(AHEAD);
        Calendar cal = new Calendar();
        cal.add(new ProdId("-//LabCommons//Bookings//EN"));
        cal.add(ImmutableVersion.VERSION_2_0);
        cal.add(ImmutableCalScale.GREGORIAN);
        cal.add(ImmutableMethod.PUBLISH);
        List<CalendarFeedRows.Event> bookings = instrument == null ? rows.bookingsOf(user, from, to, MAX_EVENTS)
                : rows.bookingsAt(instrument, from, to, MAX_EVENTS);
        for (CalendarFeedRows.Event b : bookings) {
            String name = en ? b.nameEn() : b.nameZh();
            String summary;
            if (instrument == null) {
                summary = name;
            } else if (staff) {
                summary = name + " · " + b.requesterName();
            } else {
                summary = name + " · " + t.getOrDefault("calendar.feed.busy", "busy");
            }
            String label = t.getOrDefault("calendar.feed.status." + b.status(), b.status());
            cal.add(event(b.id(), b.status(), b.startsAt(), b.endsAt(), b.updatedAt(), b.version(), summary,
                    instrument == null || staff ? label + (b.purpose() == null ? "" : "\n" + b.purpose()) : label, now));
        }
        String calName;
        if (instrument == null) {
            // the user's bookings at other institutions, from this tenant's linked records (kept by the federation saga)
            for (CalendarFeedRows.Elsewhere b : rows.elsewhere(user, from, to, MAX_EVENTS)) {
                String name = en ? b.instrumentNameEn() : b.instrumentNameZh();
                String owner = en ? b.ownerNameEn() : b.ownerNameZh();
                cal.add(event(b.bookingId(), b.status(), b.startsAt(), b.endsAt(), b.updatedAt(), b.aggregateVersion(),
                        (name == null ? "" : name + " · ") + owner,
                        t.getOrDefault("calendar.feed.status." + b.status(), b.status()) + "\n" + owner, now));
            }
            calName = t.getOrDefault("calendar.feed.mine", "My bookings");
        } else {
            CalendarFeedRows.Names names = rows.instrumentNames(instrument).orElseThrow();
            calName = en ? names.nameEn() : names.nameZh();
        }
        cal.add(new XProperty("X-WR-CALNAME", calName));
        StringWriter out = new StringWriter();
        try {
            new CalendarOutputter(false).output(cal, out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    /** One booking as a VEVENT: its uid, exactly one DTSTAMP (RFC 5545), SEQUENCE from the version. */
    private static VEvent event(UUID id, String status, Instant start, Instant end, Instant updated, long version,
                                String summary, String description, Instant now) {
        VEvent ev = new VEvent(start, end, summary);
        ev.add(new Uid("booking-" + id + "@labcommons"));
        ev.replace(new DtStamp(now)); // the constructor already added one
        ev.add(new LastModified(updated));
        ev.add(new Sequence((int) Math.max(0, version - 1)));
        ev.add(status(status));
        ev.add(new Description(description));
        return ev;
    }

    private static Status status(String status) {
        return switch (status) {
            case "requested" -> ImmutableStatus.VEVENT_TENTATIVE;
            case "approved", "checked_in" -> ImmutableStatus.VEVENT_CONFIRMED;
            default -> ImmutableStatus.VEVENT_CANCELLED; // rejected, cancelled, no_show: the slot is not held
        };
    }

    private static String newToken(TenantId tenant) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return tenant.value().toString().replace("-", "") + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

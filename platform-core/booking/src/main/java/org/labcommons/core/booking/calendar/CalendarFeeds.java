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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
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
 * forged token finds nothing (404, without saying which), and a feed never reads another tenant.
 */
@Singleton
public class CalendarFeeds {
    /** Bookings in a feed: from this long ago … */
    public static final Duration PAST = Duration.ofDays(90);
    /** … to this far ahead, at most {@link #MAX_EVENTS} of them. */
    public static final Duration AHEAD = Duration.ofDays(366);
    public static final int MAX_EVENTS = 2000;
    private static final Pattern TOKEN = Pattern.compile("^[0-9a-f]{32}[A-Za-z0-9_-]{43}$");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final TenantTransactions tenants;
    private final AuditLog audit;
    private final Messages messages;
    private final BookingClock clock;

    public CalendarFeeds(TenantTransactions tenants, AuditLog audit, Messages messages, BookingClock clock) {
        this.tenants = tenants;
        this.audit = audit;
        this.messages = messages;
        this.clock = clock;
    }

    /** A feed as its owner sees it; {@code token} only in the answer that created or rotated it. */
    @Serdeable
    public record Feed(UUID id, String kind, @Nullable UUID instrumentId, OffsetDateTime createdAt,
                       @Nullable OffsetDateTime rotatedAt, @Nullable String token) {
    }

    // ------------------------------------------------------------------ manage

    public List<Feed> list(TenantId tenant, UUID user) {
        return tenants.inTenant(tenant, c -> {
            List<Feed> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select id, kind, instrument_id, created_at, rotated_at "
                    + "from calendar_feed where user_id = ? and revoked_at is null order by created_at, id")) {
                ps.setObject(1, user);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(read(rs, null));
                    }
                }
            }
            return out;
        });
    }

    /**
     * A new feed for the user; a live feed of the same target is revoked in the same transaction
     * (one live link per target). The caller has checked that the user may read the instrument.
     */
    public Feed create(TenantId tenant, UUID user, AuditEntry.Actor actor, String kind, @Nullable UUID instrumentId) {
        return tenants.inTenant(tenant, c -> {
            Instant now = clock.now();
            try (PreparedStatement ps = c.prepareStatement("update calendar_feed set revoked_at = ? where user_id = ? "
                    + "and kind = ? and instrument_id is not distinct from ? and revoked_at is null")) {
                ps.setTimestamp(1, Timestamp.from(now));
                ps.setObject(2, user);
                ps.setString(3, kind);
                ps.setObject(4, instrumentId);
                ps.executeUpdate();
            }
            UUID id = UUID.randomUUID();
            String token = newToken(tenant);
            try (PreparedStatement ps = c.prepareStatement("insert into calendar_feed (tenant_id, id, user_id, kind, "
                    + "instrument_id, token_hash, created_at) values "
                    + "(app_tenant(), ?, ?, ?, ?, ?, ?)")) {
                ps.setObject(1, id);
                ps.setObject(2, user);
                ps.setString(3, kind);
                ps.setObject(4, instrumentId);
                ps.setBytes(5, sha256(token));
                ps.setTimestamp(6, Timestamp.from(now));
                ps.executeUpdate();
            }
            Map<String, Object> details = new HashMap<>();
            details.put("kind", kind);
            details.put("instrumentId", instrumentId == null ? "" : instrumentId.toString());
            audit.append(c, actor.entry("calendar_feed.created", "calendar_feed", id.toString(), details));
            return find(c, user, id, token).orElseThrow();
        });
    }

    /** A new token for one of the user's live feeds (the old link stops working); 404 when not theirs. */
    public Feed rotate(TenantId tenant, UUID user, AuditEntry.Actor actor, UUID id) {
        return tenants.inTenant(tenant, c -> {
            String token = newToken(tenant);
            try (PreparedStatement ps = c.prepareStatement("update calendar_feed set token_hash = ?, rotated_at = ? "
                    + "where id = ? and user_id = ? and revoked_at is null")) {
                ps.setBytes(1, sha256(token));
                ps.setTimestamp(2, Timestamp.from(clock.now()));
                ps.setObject(3, id);
                ps.setObject(4, user);
                if (ps.executeUpdate() == 0) {
                    throw ProblemException.notFound();
                }
            }
            audit.append(c, actor.entry("calendar_feed.rotated", "calendar_feed", id.toString(), Map.of()));
            return find(c, user, id, token).orElseThrow();
        });
    }

    /** Revokes one of the user's live feeds; 404 when not theirs (or revoked already). */
    public void revoke(TenantId tenant, UUID user, AuditEntry.Actor actor, UUID id) {
        tenants.inTenant(tenant, c -> {
            try (PreparedStatement ps = c.prepareStatement("update calendar_feed set revoked_at = ? "
                    + "where id = ? and user_id = ? and revoked_at is null")) {
                ps.setTimestamp(1, Timestamp.from(clock.now()));
                ps.setObject(2, id);
                ps.setObject(3, user);
                if (ps.executeUpdate() == 0) {
                    throw ProblemException.notFound();
                }
            }
            audit.append(c, actor.entry("calendar_feed.revoked", "calendar_feed", id.toString(), Map.of()));
            return null;
        });
    }

    private Optional<Feed> find(Connection c, UUID user, UUID id, @Nullable String token) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select id, kind, instrument_id, created_at, rotated_at "
                + "from calendar_feed where id = ? and user_id = ? and revoked_at is null")) {
            ps.setObject(1, id);
            ps.setObject(2, user);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs, token)) : Optional.empty();
            }
        }
    }

    private static Feed read(ResultSet rs, @Nullable String token) throws SQLException {
        Timestamp rotated = rs.getTimestamp(5);
        return new Feed(rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, UUID.class),
                rs.getTimestamp(4).toInstant().atOffset(java.time.ZoneOffset.UTC),
                rotated == null ? null : rotated.toInstant().atOffset(java.time.ZoneOffset.UTC), token);
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
            try (PreparedStatement ps = c.prepareStatement("select 1 from tenant where id = ? and status = 'active'")) {
                ps.setObject(1, tenant.value());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<String>empty();
                    }
                }
            }
            UUID user;
            String kind;
            UUID instrument;
            try (PreparedStatement ps = c.prepareStatement("select f.user_id, f.kind, f.instrument_id from calendar_feed f "
                    + "where f.token_hash = ? and f.revoked_at is null")) {
                ps.setBytes(1, hash);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<String>empty();
                    }
                    user = rs.getObject(1, UUID.class);
                    kind = rs.getString(2);
                    instrument = rs.getObject(3, UUID.class);
                }
            }
            Locale locale = Locale.ENGLISH;
            String language = null;
            try (PreparedStatement ps = c.prepareStatement("select language from user_account where id = ?")) {
                ps.setObject(1, user);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        language = rs.getString(1);
                    }
                }
            }
            locale = "en".equals(language) ? Locale.ENGLISH : Messages.ZH_CN;
            boolean staff = false;
            if (instrument != null) {
                staff = Notifications.staffOf(c, instrument).contains(user);
                try (PreparedStatement ps = c.prepareStatement("select sharing_scope from instrument where id = ?")) {
                    ps.setObject(1, instrument);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next() || ("private".equals(rs.getString(1)) && !staff)) {
                            return Optional.<String>empty();
                        }
                    }
                }
            }
            return Optional.of(calendar(c, user, instrument, staff, locale));
        });
    }

    private String calendar(Connection c, UUID user, @Nullable UUID instrument, boolean staff, Locale locale)
            throws SQLException {
        boolean en = "en".equals(locale.getLanguage());
        Map<String, String> t = messages.all(locale);
        Instant now = clock.now();
        Calendar cal = new Calendar();
        cal.add(new ProdId("-//LabCommons//Bookings//EN"));
        cal.add(ImmutableVersion.VERSION_2_0);
        cal.add(ImmutableCalScale.GREGORIAN);
        cal.add(ImmutableMethod.PUBLISH);
        String sql = "select b.id, b.status, b.starts_at, b.ends_at, b.updated_at, b.version, i.name_zh, i.name_en, "
                + "coalesce(u.display_name, u.email, ''), b.purpose from booking b join instrument i on i.id = b.instrument_id "
                + "join user_account u on u.id = b.requester_user_id where "
                + (instrument == null ? "b.requester_user_id = ?" : "b.instrument_id = ?")
                + " and b.ends_at > ? and b.starts_at < ? order by b.starts_at, b.id limit " + MAX_EVENTS;
        String calName = null;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, instrument == null ? user : instrument);
            ps.setTimestamp(2, Timestamp.from(now.minus(PAST)));
            ps.setTimestamp(3, Timestamp.from(now.plus(AHEAD)));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String status = rs.getString(2);
                    String name = en ? rs.getString(8) : rs.getString(7);
                    String summary;
                    if (instrument == null) {
                        summary = name;
                    } else if (staff) {
                        summary = name + " · " + rs.getString(9);
                    } else {
                        summary = name + " · " + t.getOrDefault("calendar.feed.busy", "busy");
                    }
                    VEvent ev = new VEvent(rs.getTimestamp(3).toInstant(), rs.getTimestamp(4).toInstant(), summary);
                    ev.add(new Uid("booking-" + rs.getObject(1, UUID.class) + "@labcommons"));
                    ev.replace(new DtStamp(now)); // the constructor already added one: exactly one DTSTAMP (RFC 5545)
                    ev.add(new LastModified(rs.getTimestamp(5).toInstant()));
                    ev.add(new Sequence((int) Math.max(0, rs.getLong(6) - 1)));
                    ev.add(status(status));
                    String label = t.getOrDefault("calendar.feed.status." + status, status);
                    String purpose = rs.getString(10);
                    ev.add(new Description(instrument == null || staff
                            ? label + (purpose == null ? "" : "\n" + purpose) : label));
                    cal.add(ev);
                }
            }
        }
        if (instrument == null) {
            // the user's bookings at other institutions, from this tenant's linked records (kept by the federation saga)
            try (PreparedStatement ps = c.prepareStatement("select booking_id, status, starts_at, ends_at, updated_at, "
                    + "aggregate_version, instrument_name_zh, instrument_name_en, owner_name_zh, owner_name_en "
                    + "from outside_booking where requester_user_id = ? and ends_at > ? and starts_at < ? "
                    + "order by starts_at, booking_id limit " + MAX_EVENTS)) {
                ps.setObject(1, user);
                ps.setTimestamp(2, Timestamp.from(now.minus(PAST)));
                ps.setTimestamp(3, Timestamp.from(now.plus(AHEAD)));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String status = rs.getString(2);
                        String name = en ? rs.getString(8) : rs.getString(7);
                        String owner = en ? rs.getString(10) : rs.getString(9);
                        VEvent ev = new VEvent(rs.getTimestamp(3).toInstant(), rs.getTimestamp(4).toInstant(),
                                (name == null ? "" : name + " · ") + owner);
                        ev.add(new Uid("booking-" + rs.getObject(1, UUID.class) + "@labcommons"));
                        ev.replace(new DtStamp(now)); // the constructor already added one: exactly one DTSTAMP (RFC 5545)
                        ev.add(new LastModified(rs.getTimestamp(5).toInstant()));
                        ev.add(new Sequence((int) Math.max(0, rs.getLong(6) - 1)));
                        ev.add(status(status));
                        ev.add(new Description(t.getOrDefault("calendar.feed.status." + status, status) + "\n" + owner));
                        cal.add(ev);
                    }
                }
            }
        }
        if (instrument != null) {
            try (PreparedStatement ps = c.prepareStatement("select name_zh, name_en from instrument where id = ?")) {
                ps.setObject(1, instrument);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    calName = en ? rs.getString(2) : rs.getString(1);
                }
            }
        } else {
            calName = t.getOrDefault("calendar.feed.mine", "My bookings");
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

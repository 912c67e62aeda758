package org.labcommons.core.booking.notify;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import org.labcommons.core.booking.Booking;
import org.labcommons.core.booking.BookingClock;
import org.labcommons.core.i18n.Messages;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Booking notifications (docs/booking.md): an in-app notice per recipient, written in the same
 * transaction as the booking change it reports, and the e-mail it owes ({@code email_status =
 * pending}), which {@link NotificationMailRelay} sends after commit and retries while the SMTP
 * server refuses it. Notices keep their facts ({@code params}: instrument names in both languages,
 * times in UTC and the tenant's zone) and are worded when read, in the reader's language; mail in
 * the recipient's language ({@code user_account.language}, zh-CN when unknown).
 */
@Singleton
public class Notifications {
    public static final int LIST_LIMIT = 200;
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private final TenantTransactions tenants;
    private final Messages messages;
    private final JsonMapper json;
    private final BookingClock clock;

    public Notifications(TenantTransactions tenants, Messages messages, JsonMapper json, BookingClock clock) {
        this.tenants = tenants;
        this.messages = messages;
        this.json = json;
        this.clock = clock;
    }

    /** A notice as its reader sees it (title and text in the reader's language). */
    @Serdeable
    public record Notice(UUID id, String kind, String title, String text, @Nullable UUID bookingId,
                         @Nullable UUID offerId, OffsetDateTime createdAt, boolean read) {
    }

    // ------------------------------------------------------------------ written with booking changes

    /**
     * The notices a booking change owes, in the caller's transaction: {@code requested} (approval
     * needed) to the instrument's staff, {@code approved}/{@code rejected} to the requester,
     * {@code cancelled} to the requester (and to the staff when the requester, or the requester's home institution, cancelled), and a
     * move that needs approval again to the staff.
     */
    public void bookingChanged(Connection c, String type, Booking b, @Nullable Map<String, Object> extra)
            throws SQLException {
        switch (type) {
            case "requested", "rescheduled" -> {
                if ("requested".equals(b.status())) {
                    for (UUID staff : staffOf(c, b.instrumentId())) {
                        if (!staff.equals(b.requesterUserId())) {
                            write(c, staff, "booking.requested", b, null, params(c, b, null));
                        }
                    }
                }
            }
            case "approved", "rejected" -> write(c, b.requesterUserId(), "booking." + type, b, null,
                    params(c, b, b.decisionNote()));
            case "cancelled" -> {
                Map<String, Object> p = params(c, b, b.decisionNote());
                write(c, b.requesterUserId(), "booking.cancelled", b, null, p);
                if (extra != null && ("requester".equals(extra.get("cancelledBy")) || "home".equals(extra.get("cancelledBy")))) {
                    for (UUID staff : staffOf(c, b.instrumentId())) {
                        if (!staff.equals(b.requesterUserId())) {
                            write(c, staff, "booking.cancelled", b, null, p);
                        }
                    }
                }
            }
            default -> {
                // checked_in, no_show: nobody is told
            }
        }
    }

    /** A freed slot offered to the person waiting, in the caller's transaction. */
    public void offered(Connection c, UUID offerId, UUID instrumentId, UUID userId, Instant start, Instant end,
                        Instant expiresAt) throws SQLException {
        Map<String, Object> p = instrumentParams(c, instrumentId);
        p.put("start", start.toString());
        p.put("end", end.toString());
        p.put("expiresAt", expiresAt.toString());
        insert(c, userId, "waitlist.offered", null, offerId, null, p, false);
    }

    /**
     * The reminder of an approved booking (the sweep, in the booking's tenant): written once per
     * booking version, so a second sweep (or a second instance) writes nothing. True when written.
     */
    public boolean remind(TenantId tenant, UUID bookingId, long version) {
        return tenants.inTenant(tenant, c -> {
            UUID instrument;
            UUID user;
            Instant start;
            Instant end;
            try (PreparedStatement ps = c.prepareStatement("select instrument_id, requester_user_id, starts_at, ends_at "
                    + "from booking where id = ? and version = ? and status = 'approved' for share")) {
                ps.setObject(1, bookingId);
                ps.setLong(2, version);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return false;
                    }
                    instrument = rs.getObject(1, UUID.class);
                    user = rs.getObject(2, UUID.class);
                    start = rs.getTimestamp(3).toInstant();
                    end = rs.getTimestamp(4).toInstant();
                }
            }
            Map<String, Object> p = instrumentParams(c, instrument);
            p.put("start", start.toString());
            p.put("end", end.toString());
            return insert(c, user, "booking.reminder", bookingId, null, version, p, true);
        });
    }

    /**
     * A notice about a sample request ({@code sample.*} kinds, docs/samples.md), in the caller's
     * transaction: the instrument's names and zone, the request id, and {@code extra} (for example
     * {@code count}, {@code note}, {@code requester}) as the words' facts.
     */
    public void sample(Connection c, String kind, UUID user, UUID requestId, UUID instrumentId,
                       Map<String, Object> extra) throws SQLException {
        Map<String, Object> p = instrumentParams(c, instrumentId);
        p.put("sampleRequestId", requestId.toString());
        p.putAll(extra);
        insert(c, user, kind, null, null, null, p, false, requestId);
    }

    private void write(Connection c, UUID user, String kind, Booking b, @Nullable UUID offer, Map<String, Object> p)
            throws SQLException {
        insert(c, user, kind, b.id(), offer, b.version(), p, false);
    }

    private Map<String, Object> params(Connection c, Booking b, @Nullable String note) throws SQLException {
        Map<String, Object> p = instrumentParams(c, b.instrumentId());
        p.put("start", b.startInstant().toString());
        p.put("end", b.endInstant().toString());
        p.put("note", note == null ? "" : note);
        String name = null;
        try (PreparedStatement ps = c.prepareStatement("select coalesce(display_name, email, '') from user_account where id = ?")) {
            ps.setObject(1, b.requesterUserId());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    name = rs.getString(1);
                }
            }
        }
        p.put("requester", name == null ? "" : name);
        return p;
    }

    private static Map<String, Object> instrumentParams(Connection c, UUID instrumentId) throws SQLException {
        Map<String, Object> p = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select i.name_zh, i.name_en, t.time_zone from instrument i "
                + "join tenant t on t.id = i.tenant_id where i.id = ?")) {
            ps.setObject(1, instrumentId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                p.put("instrumentId", instrumentId.toString());
                p.put("instrumentZh", rs.getString(1));
                p.put("instrumentEn", rs.getString(2));
                p.put("zone", rs.getString(3));
            }
        }
        return p;
    }

    private boolean insert(Connection c, UUID user, String kind, @Nullable UUID booking, @Nullable UUID offer,
                           @Nullable Long version, Map<String, Object> params, boolean once) throws SQLException {
        return insert(c, user, kind, booking, offer, version, params, once, null);
    }

    private boolean insert(Connection c, UUID user, String kind, @Nullable UUID booking, @Nullable UUID offer,
                           @Nullable Long version, Map<String, Object> params, boolean once,
                           @Nullable UUID sampleRequest) throws SQLException {
        String email = null;
        String language = "zh-CN";
        try (PreparedStatement ps = c.prepareStatement("select email, language from user_account where id = ?")) {
            ps.setObject(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    email = rs.getString(1);
                    language = rs.getString(2) == null ? "zh-CN" : rs.getString(2);
                }
            }
        }
        boolean mail = email != null && email.contains("@");
        Instant now = clock.now();
        try (PreparedStatement ps = c.prepareStatement("insert into notification (tenant_id, id, user_id, kind, "
                + "booking_id, offer_id, booking_version, params, created_at, email_to, email_language, email_status, "
                + "email_next_at, sample_request_id) values (app_tenant(), "
                + "?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?)" + (once ? " on conflict (tenant_id, booking_id, user_id, booking_version) "
                + "where kind = 'booking.reminder' do nothing" : ""))) {
            ps.setObject(1, UUID.randomUUID());
            ps.setObject(2, user);
            ps.setString(3, kind);
            ps.setObject(4, booking);
            ps.setObject(5, offer);
            ps.setObject(6, version);
            ps.setString(7, toJson(params));
            ps.setTimestamp(8, Timestamp.from(now));
            ps.setString(9, mail ? email : null);
            ps.setString(10, language);
            ps.setString(11, mail ? "pending" : "none");
            ps.setTimestamp(12, mail ? Timestamp.from(now) : null);
            ps.setObject(13, sampleRequest);
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Who is told about bookings of an instrument: its instrument admins and the admins of its unit
     * or an ancestor unit; when it has none, the institution admins of the tenant.
     */
    public static List<UUID> staffOf(Connection c, UUID instrumentId) throws SQLException {
        Set<UUID> out = new LinkedHashSet<>();
        try (PreparedStatement ps = c.prepareStatement("with recursive up (id, parent_id) as ("
                + "select u.id, u.parent_id from org_unit u join instrument i on i.org_unit_id = u.id where i.id = ? "
                + "union select p.id, p.parent_id from org_unit p join up on p.id = up.parent_id) "
                + "select distinct r.user_id from role_assignment r where r.role in ('instrument_admin', 'institution_admin', "
                + "'platform_admin') and ((r.scope_type = 'instrument' and r.scope_id = ?) "
                + "or (r.scope_type = 'org_unit' and r.scope_id in (select id from up))) order by 1")) {
            ps.setObject(1, instrumentId);
            ps.setObject(2, instrumentId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getObject(1, UUID.class));
                }
            }
        }
        if (out.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("select distinct user_id from role_assignment "
                    + "where role = 'institution_admin' and scope_type = 'tenant' order by 1")) {
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getObject(1, UUID.class));
                    }
                }
            }
        }
        return new ArrayList<>(out);
    }

    // ------------------------------------------------------------------ read

    /** The caller's latest notices in the tenant (newest first), worded in {@code locale}. */
    public List<Notice> list(TenantId tenant, UUID user, boolean unreadOnly, Locale locale) {
        return tenants.inTenant(tenant, c -> {
            List<Notice> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select id, kind, booking_id, offer_id, params::text, "
                    + "created_at, read_at from notification where user_id = ?"
                    + (unreadOnly ? " and read_at is null" : "") + " order by created_at desc, id limit " + LIST_LIMIT)) {
                ps.setObject(1, user);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Map<String, Object> p = fromJson(rs.getString(5));
                        String kind = rs.getString(2);
                        ZoneId zone = ZoneId.of(String.valueOf(p.getOrDefault("zone", "Asia/Shanghai")));
                        out.add(new Notice(rs.getObject(1, UUID.class), kind, subject(kind, p, locale),
                                text(kind, p, locale), rs.getObject(3, UUID.class), rs.getObject(4, UUID.class),
                                rs.getTimestamp(6).toInstant().atZone(zone).toOffsetDateTime(), rs.getTimestamp(7) != null));
                    }
                }
            }
            return out;
        });
    }

    /** How many of the user's notices in the tenant are unread. */
    public long unread(TenantId tenant, UUID user) {
        return tenants.inTenant(tenant, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "select count(*) from notification where user_id = ? and read_at is null")) {
                ps.setObject(1, user);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /** The language the user's mail and feeds are written in ({@code zh-CN} unless set to {@code en}). */
    public String mailLanguage(TenantId tenant, UUID user) {
        return tenants.inTenant(tenant, c -> {
            try (PreparedStatement ps = c.prepareStatement("select language from user_account where id = ?")) {
                ps.setObject(1, user);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() && "en".equals(rs.getString(1)) ? "en" : "zh-CN";
                }
            }
        });
    }

    /** Marks one of the caller's notices read (again: no change); 404 when it is not theirs. */
    public void markRead(TenantId tenant, UUID user, UUID id) {
        tenants.inTenant(tenant, c -> {
            try (PreparedStatement ps = c.prepareStatement("update notification set read_at = coalesce(read_at, ?) "
                    + "where id = ? and user_id = ?")) {
                ps.setTimestamp(1, Timestamp.from(clock.now()));
                ps.setObject(2, id);
                ps.setObject(3, user);
                if (ps.executeUpdate() == 0) {
                    throw ProblemException.notFound();
                }
            }
            return null;
        });
    }

    /** The language notices are mailed in ({@code zh-CN} or {@code en}). */
    public void setLanguage(UUID user, String language, TenantId tenant) {
        tenants.inTenant(tenant, c -> {
            try (PreparedStatement ps = c.prepareStatement("update user_account set language = ? where id = ?")) {
                ps.setString(1, language);
                ps.setObject(2, user);
                ps.executeUpdate();
            }
            return null;
        });
    }

    // ------------------------------------------------------------------ wording

    public String subject(String kind, Map<String, Object> p, Locale locale) {
        return fill(messages.get(Messages.supported(locale), "notification." + kind + ".subject"), p, locale);
    }

    public String text(String kind, Map<String, Object> p, Locale locale) {
        return fill(messages.get(Messages.supported(locale), "notification." + kind + ".text"), p, locale);
    }

    private static String fill(String pattern, Map<String, Object> p, Locale locale) {
        boolean en = "en".equals(Messages.supported(locale).getLanguage());
        ZoneId zone = ZoneId.of(String.valueOf(p.getOrDefault("zone", "Asia/Shanghai")));
        Map<String, String> values = new LinkedHashMap<>();
        values.put("instrument", String.valueOf(p.getOrDefault(en ? "instrumentEn" : "instrumentZh", "")));
        for (String t : List.of("start", "end", "expiresAt")) {
            Object v = p.get(t);
            values.put(t, v == null ? "" : WHEN.format(Instant.parse(v.toString()).atZone(zone)));
        }
        values.put("zone", zone.getId());
        values.put("note", String.valueOf(p.getOrDefault("note", "")));
        values.put("requester", String.valueOf(p.getOrDefault("requester", "")));
        for (Map.Entry<String, Object> e : p.entrySet()) {
            if (!values.containsKey(e.getKey()) && (e.getValue() instanceof String || e.getValue() instanceof Number)) {
                values.put(e.getKey(), String.valueOf(e.getValue()));
            }
        }
        String out = pattern;
        for (Map.Entry<String, String> e : values.entrySet()) {
            out = out.replace("{" + e.getKey() + "}", e.getValue());
        }
        return out;
    }

    String toJson(Map<String, Object> p) {
        try {
            return json.writeValueAsString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> fromJson(String s) {
        try {
            return json.readValue(s, Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

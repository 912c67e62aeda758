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
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Booking notifications (docs/booking.md): an in-app notice per recipient, written in the same
 * transaction as the booking change it reports, and the e-mail it owes ({@code email_status =
 * pending}), which {@link NotificationMailRelay} sends after commit and retries while the SMTP
 * server refuses it. Notices keep their facts ({@code params}: instrument names in both languages,
 * times in UTC and the tenant's zone) and are worded when read, in the reader's language; mail in
 * the recipient's language ({@code user_account.language}, zh-CN when unknown). The statements are
 * {@link NotificationRows}'; the methods that take the change's {@link Connection} write through
 * the transaction in progress (call them on the thread of the {@code inTenant} work).
 */
@Singleton
public record Notifications(TenantTransactions tenants,
                            NotificationRows rows,
                            Messages messages,
                            JsonMapper json,
                            BookingClock clock) {
    public static final int LIST_LIMIT = 200;
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    /**
     * A notice as its reader sees it (title and text in the reader's language); {@code link}: the
     * page it leads to (a booking in "my bookings", the staff's approval queue, a waitlist offer, a
     * sample request's notice: null).
     */
    @Serdeable
    public record Notice(UUID id, String kind, String title, String text, @Nullable UUID bookingId,
                         @Nullable UUID offerId, OffsetDateTime createdAt, boolean read, @Nullable String link) {
    }

    /** The {@code params} member that marks a notice written to the instrument's staff. */
    static final String FOR_STAFF = "forStaff";

    /** What a notice is about: a booking (at a version), a waitlist offer or a sample request. */
    private record About(@Nullable UUID booking, @Nullable UUID offer, @Nullable Long version,
                         @Nullable UUID sampleRequest) {
    }

    // ------------------------------------------------------------------ written with booking changes

    /**
     * The notices a booking change owes, in the caller's transaction: {@code requested} (approval
     * needed) to the instrument's staff, {@code approved}/{@code rejected} to the requester,
     * {@code cancelled} to the requester (and to the staff when the requester, or the requester's home institution, cancelled), and a
     * move that needs approval again to the staff.
     */
    public void bookingChanged(Connection c, String type, Booking b, @Nullable Map<String, Object> extra) {
        About about = new About(b.id(), null, b.version(), null);
        switch (type) {
            case "requested", "rescheduled" -> {
                if ("requested".equals(b.status())) {
                    toStaff(b.instrumentId(), b.requesterUserId(), "booking.requested", about, params(b, null));
                }
            }
            case "approved", "rejected" -> insert(b.requesterUserId(), "booking." + type, about,
                    params(b, b.decisionNote()), false);
            case "cancelled" -> {
                Map<String, Object> p = params(b, b.decisionNote());
                insert(b.requesterUserId(), "booking.cancelled", about, p, false);
                if (extra != null && ("requester".equals(extra.get("cancelledBy")) || "home".equals(extra.get("cancelledBy")))) {
                    toStaff(b.instrumentId(), b.requesterUserId(), "booking.cancelled", about, p);
                }
            }
            default -> {
                // checked_in, no_show: nobody is told
            }
        }
    }

    /** A freed slot offered to the person waiting, in the caller's transaction. */
    public void offered(Connection c, UUID offerId, UUID instrumentId, UUID userId, Instant start, Instant end,
                        Instant expiresAt) {
        Map<String, Object> p = instrumentParams(instrumentId);
        p.put("start", start.toString());
        p.put("end", end.toString());
        p.put("expiresAt", expiresAt.toString());
        insert(userId, "waitlist.offered", new About(null, offerId, null, null), p, false);
    }

    /**
     * The reminder of an approved booking (the sweep, in the booking's tenant): written once per
     * booking version, so a second sweep (or a second instance) writes nothing. True when written.
     */
    public boolean remind(TenantId tenant, UUID bookingId, long version) {
        return tenants.inTenant(tenant, c -> rows.approved(bookingId, version).map(b -> {
            Map<String, Object> p = instrumentParams(b.instrumentId());
            p.put("start", b.startsAt().toString());
            p.put("end", b.endsAt().toString());
            return insert(b.requesterUserId(), "booking.reminder", new About(bookingId, null, version, null), p, true);
        }).orElse(false));
    }

    /**
     * A notice about a sample request ({@code sample.*} kinds, docs/samples.md), in the caller's
     * transaction: the instrument's names and zone, the request id, and {@code extra} (for example
     * {@code count}, {@code note}, {@code requester}) as the words' facts.
     */
    public void sample(Connection c, String kind, UUID user, UUID requestId, UUID instrumentId,
                       Map<String, Object> extra) {
        Map<String, Object> p = instrumentParams(instrumentId);
        p.put("sampleRequestId", requestId.toString());
        p.putAll(extra);
        insert(user, kind, new About(null, null, null, requestId), p, false);
    }

    /** The same notice to each of the instrument's staff ({@link #staffOf}) but {@code except}. */
    private void toStaff(UUID instrumentId, UUID except, String kind, About about, Map<String, Object> params) {
        Map<String, Object> p = new LinkedHashMap<>(params);
        p.put(FOR_STAFF, "true");
        for (UUID staff : staffOf(instrumentId)) {
            if (!staff.equals(except)) {
                insert(staff, kind, about, p, false);
            }
        }
    }

    /**
     * The notice a decision on a booking at another institution owes its requester at home
     * ({@code booking.approved} or {@code booking.rejected}), written by the home's side of
     * cross-institution booking in the home tenant's transaction (the bound tenant), so the person
     * finds it among their own notices. No mail: the owner's notice of the same decision mails it.
     * {@code instrumentZh}/{@code instrumentEn} name the instrument with its institution; times are
     * shown in {@code zone} (the home's).
     */
    public void decidedElsewhere(Connection c, String type, UUID bookingId, long version, UUID userId,
                                 String instrumentZh, String instrumentEn, Instant start, Instant end, String zone) {
        if (!"approved".equals(type) && !"rejected".equals(type)) {
            throw new IllegalArgumentException("not a decision: " + type);
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("instrumentZh", instrumentZh);
        p.put("instrumentEn", instrumentEn);
        p.put("zone", zone);
        p.put("start", start.toString());
        p.put("end", end.toString());
        p.put("note", "");
        p.put("elsewhere", "true");
        rows.insert(UUID.randomUUID(), userId, "booking." + type, bookingId, null, version, toJson(p), clock.now(), null,
                languageOf(userId), "none", null, null);
    }

    private Map<String, Object> params(Booking b, @Nullable String note) {
        Map<String, Object> p = instrumentParams(b.instrumentId());
        p.put("start", b.startInstant().toString());
        p.put("end", b.endInstant().toString());
        p.put("note", note == null ? "" : note);
        p.put("requester", rows.recipient(b.requesterUserId())
                .map(r -> r.displayName() != null ? r.displayName() : r.email() != null ? r.email() : "").orElse(""));
        return p;
    }

    private Map<String, Object> instrumentParams(UUID instrumentId) {
        NotificationRows.InstrumentFacts i = rows.instrumentFacts(instrumentId).orElseThrow();
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("instrumentId", instrumentId.toString());
        p.put("instrumentZh", i.nameZh());
        p.put("instrumentEn", i.nameEn());
        p.put("zone", i.timeZone());
        return p;
    }

    /** Writes the notice and the mail it owes (when the recipient has an address); {@code once}: reminders. */
    private boolean insert(UUID user, String kind, About about, Map<String, Object> params, boolean once) {
        NotificationRows.Recipient to = rows.recipient(user).orElse(new NotificationRows.Recipient(null, null, null));
        String email = to.email() != null && to.email().contains("@") ? to.email() : null;
        String language = to.language() == null ? "zh-CN" : to.language();
        Instant now = clock.now();
        UUID id = UUID.randomUUID();
        String p = toJson(params);
        String status = email != null ? "pending" : "none";
        Instant next = email != null ? now : null;
        long written = once
                ? rows.insertOnce(id, user, kind, about.booking(), about.offer(), about.version(), p, now, email, language,
                        status, next, about.sampleRequest())
                : rows.insert(id, user, kind, about.booking(), about.offer(), about.version(), p, now, email, language,
                        status, next, about.sampleRequest());
        return written == 1;
    }

    /**
     * Who is told about bookings and samples of an instrument: its instrument admins and the admins
     * of its unit or an ancestor unit; when it has none, the institution admins of the tenant.
     * Inside the instrument's tenant transaction.
     */
    public List<UUID> staffOf(UUID instrumentId) {
        List<UUID> staff = rows.instrumentStaff(instrumentId);
        return staff.isEmpty() ? rows.institutionAdmins() : staff;
    }

    // ------------------------------------------------------------------ read

    /** The caller's latest notices in the tenant (newest first), worded in {@code locale}. */
    public List<Notice> list(TenantId tenant, UUID user, boolean unreadOnly, Locale locale) {
        return tenants.inTenant(tenant, c -> rows.latest(user, unreadOnly, LIST_LIMIT).stream().map(n -> {
            Map<String, Object> p = fromJson(n.params());
            ZoneId zone = ZoneId.of(String.valueOf(p.getOrDefault("zone", "Asia/Shanghai")));
            return new Notice(n.id(), n.kind(), subject(n.kind(), p, locale), text(n.kind(), p, locale), n.bookingId(),
                    n.offerId(), n.createdAt().atZone(zone).toOffsetDateTime(), n.readAt() != null,
                    link(n.kind(), n.bookingId(), n.offerId(), p));
        }).toList());
    }

    /** How many of the user's notices in the tenant are unread. */
    public long unread(TenantId tenant, UUID user) {
        return tenants.inTenant(tenant, c -> rows.unread(user));
    }

    /** The language the user's mail and feeds are written in ({@code zh-CN} unless set to {@code en}). */
    public String mailLanguage(TenantId tenant, UUID user) {
        return tenants.inTenant(tenant, c -> languageOf(user));
    }

    /** {@link #mailLanguage}, inside the caller's transaction. */
    public String languageOf(UUID user) {
        return rows.recipient(user).map(NotificationRows.Recipient::language).filter("en"::equals).orElse("zh-CN");
    }

    /** Marks one of the caller's notices read (again: no change); 404 when it is not theirs. */
    public void markRead(TenantId tenant, UUID user, UUID id) {
        tenants.inTenant(tenant, c -> {
            if (rows.markRead(id, user, clock.now()) == 0) {
                throw ProblemException.notFound();
            }
            return null;
        });
    }

    /** The language notices are mailed in ({@code zh-CN} or {@code en}). */
    public void setLanguage(UUID user, String language, TenantId tenant) {
        tenants.inTenant(tenant, c -> rows.setLanguage(user, language));
    }

    /**
     * Where a notice leads: a request awaiting approval to the staff's approval queue (at the
     * booking's card), other notices to the staff to their desk, a notice about one's booking to
     * that booking in "my bookings", an offer to the waitlist there; null otherwise.
     */
    static @Nullable String link(String kind, @Nullable UUID bookingId, @Nullable UUID offerId, Map<String, Object> p) {
        boolean staff = "true".equals(String.valueOf(p.get(FOR_STAFF))) || "booking.requested".equals(kind);
        if (bookingId != null && staff) {
            return "booking.requested".equals(kind) ? "/staff/bookings#queue-" + bookingId : "/staff/bookings";
        }
        if (bookingId != null) {
            return "/my/bookings#booking-" + bookingId;
        }
        return offerId != null ? "/my/bookings#waitlist" : null;
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

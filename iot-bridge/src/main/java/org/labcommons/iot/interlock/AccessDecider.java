package org.labcommons.iot.interlock;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The interlock's access rules (ISSUE 16 contract, docs/iot-protocol.md §9): a pure function of the request, the
 * {@link InterlockView} and the time. In this order:
 * <ol>
 *   <li>the device's tenant is inactive (its tenant record, or the instrument record's {@code tenantActive}):
 *       deny {@code tenant_inactive};</li>
 *   <li>the credential is unknown ({@code card} and {@code pc} = {@code login}; a card normalised to upper case
 *       without spaces, colons, dashes; looked up in the device's tenant, then in the home tenants of the people
 *       booked on the instrument): deny {@code unknown_credential};</li>
 *   <li>the view has no record of the instrument, it is not {@code in_service}, a maintenance block or closure
 *       covers now, or a staff {@code lock} override is in force: deny {@code out_of_service};</li>
 *   <li>the person is blocked from the instrument until after now: deny {@code blocked};</li>
 *   <li>the instrument is customs-supervised and the person's credential is not of the device's tenant: deny
 *       {@code customs_restricted};</li>
 *   <li>a staff {@code unlock} override is in force: allow until it ends;</li>
 *   <li>the person's own booking covers now ({@code start − earlyGrace ≤ now < end}; in the early grace only when
 *       nobody else's booking runs now): allow until the booking's end, or a later {@code extend} override's end;</li>
 *   <li>nobody's booking covers now, the policy allows walk-up and the person is authorised: allow until the next
 *       booking's start, at most two hours;</li>
 *   <li>someone else's booking covers now: deny {@code booked_by_other};</li>
 *   <li>the person is not authorised: deny {@code not_authorised};</li>
 *   <li>otherwise deny {@code no_booking}.</li>
 * </ol>
 */
public final class AccessDecider {
    /** How long a walk-up allow lasts at most. */
    public static final Duration WALK_UP_MAX = Duration.ofHours(2);

    public static final String TENANT_INACTIVE = "tenant_inactive";
    public static final String UNKNOWN_CREDENTIAL = "unknown_credential";
    public static final String OUT_OF_SERVICE = "out_of_service";
    public static final String BLOCKED = "blocked";
    public static final String CUSTOMS_RESTRICTED = "customs_restricted";
    public static final String BOOKED_BY_OTHER = "booked_by_other";
    public static final String NOT_AUTHORISED = "not_authorised";
    public static final String NO_BOOKING = "no_booking";
    /** Allow reasons (recorded in the decision log, not sent as a deny reason). */
    public static final String OWN_BOOKING = "own_booking";
    public static final String WALK_UP = "walk_up";
    public static final String OVERRIDE_UNLOCK = "override_unlock";

    private AccessDecider() {
    }

    /**
     * One access request.
     *
     * @param tenantId     the device's tenant
     * @param instrumentId the device's instrument (null for a device without one)
     * @param method       {@code card}, {@code pc} or {@code pin}
     * @param credential   as the device sent it
     */
    public record Request(UUID tenantId, UUID instrumentId, String method, String credential) {
    }

    /**
     * The decision.
     *
     * @param allow       allow or deny
     * @param reason      the deny reason, or on allow {@code own_booking}, {@code walk_up}, {@code override_unlock}
     * @param userId      the person the credential belongs to (null when unknown)
     * @param bookingId   the booking that allows it (null otherwise)
     * @param until       on allow: when the access ends
     * @param viewVersion the version of the instrument record decided from (0 without one)
     */
    public record Decision(boolean allow, String reason, UUID userId, UUID bookingId, Instant until, long viewVersion) {
        public String decision() {
            return allow ? "allow" : "deny";
        }
    }

    public static Decision decide(InterlockView view, Request request, Instant now) {
        UUID tenant = request.tenantId();
        Optional<InstrumentGrants> found = request.instrumentId() == null ? Optional.empty()
                : view.instrument(tenant, request.instrumentId());
        InstrumentGrants g = found.orElse(null);
        long version = g == null ? 0L : g.version();
        if (!view.tenantActive(tenant) || (g != null && !g.tenantActive())) {
            return deny(TENANT_INACTIVE, null, version);
        }
        String kind = credentialKind(request.method());
        String value = kind == null ? null : normalise(kind, request.credential());
        UUID user = null;
        UUID userTenant = null;
        if (kind != null && value != null && !value.isEmpty()) {
            Set<UUID> tenants = new LinkedHashSet<>();
            tenants.add(tenant);
            if (g != null) {
                g.bookings().forEach(b -> tenants.add(b.userTenantId()));
            }
            for (UUID t : tenants) {
                Optional<UUID> u = view.userOf(t, kind, value);
                if (u.isPresent()) {
                    user = u.get();
                    userTenant = t;
                    break;
                }
            }
        }
        if (user == null) {
            return deny(UNKNOWN_CREDENTIAL, null, version);
        }
        if (g == null || !"in_service".equals(g.instrumentStatus()) || blockedNow(g, now) || override(g, "lock", now) != null) {
            return deny(OUT_OF_SERVICE, user, version);
        }
        UUID person = user;
        if (g.blockedUsers().stream().anyMatch(b -> b.userId().equals(person) && (b.until() == null || b.until().isAfter(now)))) {
            return deny(BLOCKED, user, version);
        }
        if (g.customsSupervised() && !tenant.equals(userTenant)) {
            return deny(CUSTOMS_RESTRICTED, user, version);
        }
        InstrumentGrants.Override unlock = override(g, "unlock", now);
        if (unlock != null) {
            return new Decision(true, OVERRIDE_UNLOCK, user, null, unlock.until(), version);
        }
        InstrumentGrants.BookingGrant running = null;
        for (InstrumentGrants.BookingGrant b : g.bookings()) {
            if (!b.start().isAfter(now) && b.end().isAfter(now) && active(b)) {
                running = b;
                if (b.userId().equals(user)) {
                    break;
                }
            }
        }
        Duration early = Duration.ofMinutes(Math.max(0, g.policy().earlyGraceMin()));
        for (InstrumentGrants.BookingGrant b : g.bookings()) {
            boolean covers = !b.start().minus(early).isAfter(now) && b.end().isAfter(now);
            boolean inEarlyGrace = b.start().isAfter(now);
            if (active(b) && b.userId().equals(user) && covers && (!inEarlyGrace || running == null || running.userId().equals(user))) {
                Instant until = b.end();
                for (InstrumentGrants.Override o : g.overrides()) {
                    if ("extend".equals(o.action()) && o.until() != null && o.until().isAfter(until)) {
                        until = o.until();
                    }
                }
                return new Decision(true, OWN_BOOKING, user, b.bookingId(), until, version);
            }
        }
        boolean authorised = g.authorised().contains(user);
        if (running == null && g.policy().walkUp() && authorised) {
            Instant until = now.plus(WALK_UP_MAX);
            for (InstrumentGrants.BookingGrant b : g.bookings()) {
                if (active(b) && b.start().isAfter(now) && b.start().isBefore(until)) {
                    until = b.start();
                }
            }
            return new Decision(true, WALK_UP, user, null, until, version);
        }
        if (running != null) {
            return deny(BOOKED_BY_OTHER, user, version);
        }
        if (!authorised) {
            return deny(NOT_AUTHORISED, user, version);
        }
        return deny(NO_BOOKING, user, version);
    }

    /** {@code card} for a card, {@code login} for a PC login; null for a method without credentials in the view (PIN). */
    static String credentialKind(String method) {
        return switch (method == null ? "" : method) {
            case "card" -> "card";
            case "pc" -> "login";
            default -> null;
        };
    }

    /** Card numbers: upper case, no spaces, colons or dashes (as the usage module stores them); logins trimmed. */
    public static String normalise(String kind, String value) {
        if (value == null) {
            return null;
        }
        return "card".equals(kind) ? value.replaceAll("[\\s:\\-]", "").toUpperCase(Locale.ROOT) : value.trim();
    }

    private static boolean active(InstrumentGrants.BookingGrant b) {
        return b.status() == null || "approved".equals(b.status()) || "checked_in".equals(b.status());
    }

    private static boolean blockedNow(InstrumentGrants g, Instant now) {
        return g.blocks().stream().anyMatch(b -> !b.start().isAfter(now) && b.end().isAfter(now));
    }

    private static InstrumentGrants.Override override(InstrumentGrants g, String action, Instant now) {
        for (InstrumentGrants.Override o : g.overrides()) {
            if (action.equals(o.action()) && o.until() != null && o.until().isAfter(now)) {
                return o;
            }
        }
        return null;
    }

    private static Decision deny(String reason, UUID user, long version) {
        return new Decision(false, reason, user, null, null, version);
    }

    /** The short text for the device's display, Chinese then English. */
    public static String message(Decision d) {
        if (d.allow()) {
            return "已授权 / access granted";
        }
        return switch (d.reason()) {
            case TENANT_INACTIVE -> "机构已停用 / institution suspended";
            case UNKNOWN_CREDENTIAL -> "未知卡片或账号 / unknown card or login";
            case OUT_OF_SERVICE -> "仪器暂停使用 / instrument out of service";
            case BLOCKED -> "已被暂停预约 / you are blocked";
            case CUSTOMS_RESTRICTED -> "海关监管仪器，仅限本单位 / customs-supervised: members only";
            case BOOKED_BY_OTHER -> "他人预约中 / booked by someone else";
            case NOT_AUTHORISED -> "未获授权 / not authorised";
            case NO_BOOKING -> "无预约 / no booking";
            default -> "拒绝 / denied";
        };
    }
}

package org.labcommons.iot.interlock;

import org.labcommons.iot.protocol.CanonicalJson;
import org.labcommons.iot.protocol.Signatures;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The offline grant cache of one controller (LC-IC/1 §8, {@code down/cmd} type {@code grants}): the windows in which
 * each credential may use the instrument until {@code validUntil}, the instrument's fail mode, and the platform's
 * Ed25519 signature over the RFC 8785 canonical JSON of the body without {@code sig}. A credential appears only as
 * {@code base64url(SHA-256(deviceId + ":" + credential))}: a cache read out of one device names no card numbers and
 * is useless on another. Pure: no I/O.
 */
public final class GrantCache {
    /** Walk-up windows are cut at the grant window's end; a window shorter than this is left out. */
    private static final long MIN_WINDOW_S = 60;

    private GrantCache() {
    }

    /** One allowed window of one (hashed) credential. */
    public record Entry(String cred, Instant from, Instant to) {
    }

    /** How a credential is written into a device's cache. */
    public static String credentialHash(UUID deviceId, String credential) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((deviceId + ":" + credential).getBytes(StandardCharsets.UTF_8));
            return Signatures.base64url(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The entries of a device of instrument {@code g} at {@code now}: each booking (approved or checked in, not yet
     * over) from start minus early grace to its end, for the booker's credentials; with walk-up, the free times of the
     * calendar (no booking, no block) for every authorised person's credentials. Nothing when the tenant is inactive
     * or the instrument is not in service; blocked people get nothing before their block ends. Sorted, no duplicates.
     */
    public static List<Entry> entries(InstrumentGrants g, UUID deviceId, InterlockView view, Instant now) {
        if (!g.tenantActive() || !view.tenantActive(g.tenantId()) || !"in_service".equals(g.instrumentStatus())) {
            return List.of();
        }
        Instant until = g.validUntil();
        Set<Entry> out = new LinkedHashSet<>();
        List<InstrumentGrants.BookingGrant> bookings = new ArrayList<>();
        for (InstrumentGrants.BookingGrant b : g.bookings()) {
            if (!"approved".equals(b.status()) && !"checked_in".equals(b.status()) || !b.end().isAfter(now)) {
                continue;
            }
            bookings.add(b);
            Instant from = b.start().minusSeconds(60L * g.policy().earlyGraceMin());
            for (String cred : credentials(view, g, b.userTenantId() == null ? g.tenantId() : b.userTenantId(), b.userId())) {
                add(out, g, b.userId(), deviceId, cred, from, b.end());
            }
        }
        if (g.policy().walkUp()) {
            List<Instant[]> busy = new ArrayList<>();
            bookings.forEach(b -> busy.add(new Instant[]{b.start(), b.end()}));
            g.blocks().forEach(b -> busy.add(new Instant[]{b.start(), b.end()}));
            busy.sort(Comparator.comparing(a -> a[0]));
            List<Instant[]> free = new ArrayList<>();
            Instant cursor = now;
            for (Instant[] b : busy) {
                if (b[0].isAfter(cursor)) {
                    free.add(new Instant[]{cursor, b[0].isBefore(until) ? b[0] : until});
                }
                if (b[1].isAfter(cursor)) {
                    cursor = b[1];
                }
            }
            if (cursor.isBefore(until)) {
                free.add(new Instant[]{cursor, until});
            }
            for (UUID user : g.authorised()) {
                for (String cred : credentials(view, g, g.tenantId(), user)) {
                    for (Instant[] f : free) {
                        add(out, g, user, deviceId, cred, f[0], f[1]);
                    }
                }
            }
        }
        List<Entry> sorted = new ArrayList<>(out);
        sorted.sort(Comparator.comparing(Entry::cred).thenComparing(Entry::from).thenComparing(Entry::to));
        return sorted;
    }

    private static List<String> credentials(InterlockView view, InstrumentGrants g, UUID tenant, UUID user) {
        List<String> creds = new ArrayList<>(view.credentialsOf(tenant, user));
        if (!tenant.equals(g.tenantId())) {
            creds.addAll(view.credentialsOf(g.tenantId(), user));
        }
        return creds;
    }

    private static void add(Set<Entry> out, InstrumentGrants g, UUID user, UUID deviceId, String cred, Instant from, Instant to) {
        for (InstrumentGrants.BlockedUser blocked : g.blockedUsers()) {
            if (blocked.userId().equals(user) && blocked.until().isAfter(from)) {
                from = blocked.until();
            }
        }
        if (to.isAfter(g.validUntil())) {
            to = g.validUntil();
        }
        if (from.plusSeconds(MIN_WINDOW_S).isAfter(to)) {
            return;
        }
        out.add(new Entry(credentialHash(deviceId, cred), from, to));
    }

    /** The body without {@code sig}: {@code validUntil}, {@code failMode}, {@code entries}. */
    public static Map<String, Object> unsignedBody(Instant validUntil, String failMode, List<Entry> entries) {
        List<Object> list = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("cred", e.cred());
            m.put("from", e.from().toString());
            m.put("to", e.to().toString());
            list.add(m);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("validUntil", validUntil.toString());
        body.put("failMode", "open".equals(failMode) ? "open" : "closed");
        body.put("entries", list);
        return body;
    }

    /** The signed body of a {@code grants} command. */
    public static Map<String, Object> signedBody(Instant validUntil, String failMode, List<Entry> entries, InterlockKey key) {
        Map<String, Object> body = unsignedBody(validUntil, failMode, entries);
        body.put("sig", Signatures.base64url(key.sign(CanonicalJson.canonicalize(body))));
        return body;
    }

    /** Whether a received body's {@code sig} is the platform's over the rest (what a device checks before keeping it). */
    public static boolean verify(Map<?, ?> body, byte[] platformKey) {
        if (!(body.get("sig") instanceof String sig) || !sig.matches("[A-Za-z0-9_-]{86}")) {
            return false;
        }
        Map<Object, Object> rest = new LinkedHashMap<>(body);
        rest.remove("sig");
        try {
            return Signatures.verify(platformKey, CanonicalJson.canonicalize(rest), Signatures.fromBase64url(sig));
        } catch (RuntimeException e) {
            return false;
        }
    }
}

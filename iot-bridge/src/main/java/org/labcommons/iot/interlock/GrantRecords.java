package org.labcommons.iot.interlock;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Reads the JSON of {@code access.grants.v1} records (as maps) into {@link InstrumentGrants}; bad fields throw. */
final class GrantRecords {
    private GrantRecords() {
    }

    static InstrumentGrants instrument(Map<String, Object> v) {
        Map<String, Object> p = map(v.get("policy"));
        InstrumentGrants.Policy policy = new InstrumentGrants.Policy(Boolean.TRUE.equals(p.get("walkUp")),
                p.get("failMode") instanceof String s ? s : "closed", intOf(p, "earlyGraceMin", 15),
                intOf(p, "endGraceMin", 10), intOf(p, "warnBeforeMin", 10));
        Set<UUID> authorised = new LinkedHashSet<>();
        for (Object o : list(v.get("authorised"))) {
            authorised.add(UUID.fromString(String.valueOf(o)));
        }
        List<InstrumentGrants.BookingGrant> bookings = new ArrayList<>();
        for (Object o : list(v.get("bookings"))) {
            Map<String, Object> b = map(o);
            UUID user = uuid(b, "userId");
            bookings.add(new InstrumentGrants.BookingGrant(uuid(b, "bookingId"), user,
                    b.get("userTenantId") == null ? uuid(v, "tenantId") : uuid(b, "userTenantId"),
                    instant(b, "start"), instant(b, "end"), b.get("status") instanceof String s ? s : "approved"));
        }
        List<InstrumentGrants.Block> blocks = new ArrayList<>();
        for (Object o : list(v.get("blocks"))) {
            Map<String, Object> b = map(o);
            blocks.add(new InstrumentGrants.Block(instant(b, "start"), instant(b, "end"), String.valueOf(b.get("reason"))));
        }
        List<InstrumentGrants.BlockedUser> blocked = new ArrayList<>();
        for (Object o : list(v.get("blockedUsers"))) {
            Map<String, Object> b = map(o);
            blocked.add(new InstrumentGrants.BlockedUser(uuid(b, "userId"), instantOrNull(b, "until")));
        }
        List<InstrumentGrants.Override> overrides = new ArrayList<>();
        for (Object o : list(v.get("overrides"))) {
            Map<String, Object> b = map(o);
            overrides.add(new InstrumentGrants.Override(b.get("id") == null ? null : uuid(b, "id"),
                    String.valueOf(b.get("action")), instantOrNull(b, "until"),
                    b.get("reason") == null ? null : String.valueOf(b.get("reason"))));
        }
        return new InstrumentGrants(uuid(v, "tenantId"), uuid(v, "instrumentId"), longOf(v, "version"),
                instantOrNull(v, "generatedAt"), instantOrNull(v, "validUntil"), !Boolean.FALSE.equals(v.get("tenantActive")),
                v.get("instrumentStatus") instanceof String s ? s : "in_service", Boolean.TRUE.equals(v.get("customsSupervised")),
                policy, Set.copyOf(authorised), List.copyOf(bookings), List.copyOf(blocks), List.copyOf(blocked),
                List.copyOf(overrides));
    }

    static UUID uuid(Map<String, Object> m, String field) {
        Object o = m.get(field);
        if (o == null) {
            throw new IllegalArgumentException(field + ": required");
        }
        return UUID.fromString(o.toString());
    }

    static Instant instant(Map<String, Object> m, String field) {
        Instant i = instantOrNull(m, field);
        if (i == null) {
            throw new IllegalArgumentException(field + ": required");
        }
        return i;
    }

    static Instant instantOrNull(Map<String, Object> m, String field) {
        Object o = m.get(field);
        return o == null ? null : Instant.parse(o.toString());
    }

    static long longOf(Map<String, Object> m, String field) {
        Object o = m.get(field);
        if (o instanceof Number n) {
            return n.longValue();
        }
        if (o == null) {
            return 0L;
        }
        return Long.parseLong(o.toString());
    }

    private static int intOf(Map<String, Object> m, String field, int fallback) {
        return m.get(field) instanceof Number n ? n.intValue() : fallback;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        if (o == null) {
            return Map.of();
        }
        if (o instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new IllegalArgumentException("expected an object, got " + o.getClass().getSimpleName());
    }

    private static List<?> list(Object o) {
        if (o == null) {
            return List.of();
        }
        if (o instanceof List<?> l) {
            return l;
        }
        throw new IllegalArgumentException("expected an array");
    }
}

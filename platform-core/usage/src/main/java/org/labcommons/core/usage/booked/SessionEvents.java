package org.labcommons.core.usage.booked;

import jakarta.inject.Singleton;
import org.labcommons.core.events.Outbox;
import org.labcommons.core.usage.UsageTopics;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code usage.session.v1} events of booked against used (docs/events.md), written through the
 * kernel's outbox in the transaction of the change: {@code usage.session.closed} for a grade C session
 * made closed, {@code usage.session.corrected} for a correction or an attribution,
 * {@code usage.session.superseded}. The payload is the session after the change (its effective values),
 * {@code aggregateVersion} its version; ids only.
 */
@Singleton
public record SessionEvents(Outbox outbox) {
    public void append(Connection c, String type, UsageSession s) throws SQLException {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("id", s.id().toString());
        p.put("instrumentId", s.instrumentId().toString());
        p.put("source", s.source());
        p.put("status", s.status());
        p.put("start", s.start().toString());
        p.put("end", s.end() == null ? null : s.end().toString());
        p.put("minutes", s.minutes());
        p.put("userId", s.userId() == null ? null : s.userId().toString());
        p.put("identifiedBy", s.identifiedBy());
        p.put("bookingId", s.bookingId() == null ? null : s.bookingId().toString());
        p.put("link", s.link());
        p.put("earlyMinutes", s.earlyMinutes());
        p.put("overtimeMinutes", s.overtimeMinutes());
        p.put("grade", s.grade());
        p.put("energyWh", s.energyWh());
        p.put("version", s.version());
        outbox.append(c, new Outbox.Event(UsageTopics.USAGE_SESSION, "usage.session." + type, 1, "usage_session",
                s.id().toString(), s.version(), p));
    }
}

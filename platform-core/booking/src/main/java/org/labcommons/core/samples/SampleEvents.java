package org.labcommons.core.samples;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.labcommons.core.booking.BookingTopics;
import org.labcommons.core.booking.notify.Notifications;
import org.labcommons.core.events.Outbox;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Events of sample requests on {@code sample.v1} (docs/events.md), written in the same transaction
 * as the change, with the notices the change owes (in-app and e-mail, through the booking
 * {@link Notifications}): {@code submitted} to the instrument's staff; {@code accepted},
 * {@code rejected} and {@code results_ready} to the requester. Payloads carry ids, never names.
 */
@Singleton
public record SampleEvents(Outbox outbox, Notifications notifications) {
    /** {@code sample.<type>} for a request after the change; {@code extra} adds type-specific members. */
    public void changed(Connection c, String type, @Nullable String from, SampleRequest r,
                        @Nullable Map<String, Object> extra) throws SQLException {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("id", r.id().toString());
        p.put("instrumentId", r.instrumentId().toString());
        p.put("serviceId", r.serviceId() == null ? null : r.serviceId().toString());
        p.put("from", from);
        p.put("status", r.status());
        p.put("requesterUserId", r.requesterUserId().toString());
        p.put("requesterTenantId", r.requesterTenantId().toString());
        p.put("accountCode", r.accountCode());
        p.put("rateGroup", r.rateGroup());
        p.put("sampleCount", r.sampleCount());
        p.put("hazards", r.hazards());
        p.put("at", r.updatedAt().toInstant().toString());
        p.put("version", r.version());
        if (extra != null) {
            p.putAll(extra);
        }
        outbox.append(c, new Outbox.Event(BookingTopics.SAMPLE, "sample." + type, 1, "sample_request", r.id().toString(), r.version(), p));
        notify(c, type, r, extra);
    }

    private void notify(Connection c, String type, SampleRequest r, @Nullable Map<String, Object> extra)
            throws SQLException {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("count", r.sampleCount());
        facts.put("requester", r.requesterName() == null ? "" : r.requesterName());
        Object note = extra == null ? null : extra.get("note");
        facts.put("note", note == null ? "" : note.toString());
        switch (type) {
            case "submitted" -> {
                for (UUID staff : notifications.staffOf(r.instrumentId())) {
                    if (!staff.equals(r.requesterUserId())) {
                        notifications.sample(c, "sample.submitted", staff, r.id(), r.instrumentId(), facts);
                    }
                }
            }
            case "accepted", "rejected", "results_ready" ->
                    notifications.sample(c, "sample." + type, r.requesterUserId(), r.id(), r.instrumentId(), facts);
            default -> {
                // received, started, closed, withdrawn, cancelled: the history shows them; nobody is mailed
            }
        }
    }
}

package org.labcommons.core.booking;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;

/**
 * A machine-time booking. Times are shown in the owning tenant's zone, with their offset;
 * {@code blockedUntil} is the end plus the buffer kept free from other users.
 */
@Serdeable
public record Booking(UUID id, UUID instrumentId, String status, OffsetDateTime start, OffsetDateTime end,
                      OffsetDateTime blockedUntil, UUID requesterUserId, UUID requesterTenantId,
                      @Nullable String accountCode, String rateGroup, boolean assisted, @Nullable String purpose,
                      @Nullable UUID seriesId, @Nullable Integer seriesIndex, @Nullable UUID decidedBy,
                      @Nullable OffsetDateTime decidedAt, @Nullable String decisionNote,
                      @Nullable OffsetDateTime cancelledAt, @Nullable OffsetDateTime checkedInAt,
                      @Nullable OffsetDateTime noShowAt, @Nullable UUID waitlistOfferId, long version,
                      OffsetDateTime createdAt) {

    /** Statuses that hold the slot (the exclusion constraints cover exactly these). */
    public static final List<String> ACTIVE = List.of("requested", "approved", "checked_in");

    static final String COLUMNS = "id, instrument_id, status, starts_at, ends_at, blocked_until, requester_user_id, "
            + "requester_tenant_id, account_code, rate_group, assisted, purpose, series_id, series_index, decided_by, "
            + "decided_at, decision_note, cancelled_at, checked_in_at, no_show_at, waitlist_offer_id, version, created_at";

    public boolean active() {
        return ACTIVE.contains(status);
    }

    public Instant startInstant() {
        return start.toInstant();
    }

    public Instant endInstant() {
        return end.toInstant();
    }

    static Booking read(ResultSet rs, ZoneId zone) throws SQLException {
        Number index = (Number) rs.getObject(14);
        return new Booking(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                at(rs, 4, zone), at(rs, 5, zone), at(rs, 6, zone), rs.getObject(7, UUID.class),
                rs.getObject(8, UUID.class), rs.getString(9), rs.getString(10), rs.getBoolean(11), rs.getString(12),
                rs.getObject(13, UUID.class), index == null ? null : index.intValue(), rs.getObject(15, UUID.class),
                at(rs, 16, zone), rs.getString(17), at(rs, 18, zone), at(rs, 19, zone), at(rs, 20, zone),
                rs.getObject(21, UUID.class), rs.getLong(22), at(rs, 23, zone));
    }

    static OffsetDateTime at(ResultSet rs, int i, ZoneId zone) throws SQLException {
        Timestamp t = rs.getTimestamp(i);
        return t == null ? null : t.toInstant().atZone(zone).toOffsetDateTime();
    }

    static OffsetDateTime at(Instant instant, ZoneId zone) {
        return instant == null ? null : instant.atZone(zone).toOffsetDateTime();
    }
}

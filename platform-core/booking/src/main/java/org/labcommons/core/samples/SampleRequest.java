package org.labcommons.core.samples;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * A sample request (送样, docs/samples.md): samples sent to an instrument's staff for a test. Times
 * are shown in the owning tenant's zone. {@code history} and {@code files} are filled when one
 * request is read ({@code GET /api/v1/sample-requests/{id}}), empty in lists.
 */
@Serdeable
public record SampleRequest(UUID id, UUID instrumentId, @Nullable String instrumentNameZh,
                            @Nullable String instrumentNameEn, @Nullable UUID serviceId,
                            @Nullable String serviceNameZh, @Nullable String serviceNameEn, String status,
                            UUID requesterUserId, UUID requesterTenantId, @Nullable String requesterName,
                            @Nullable String accountCode, String rateGroup, int sampleCount, List<String> items,
                            String sampleInfo, List<String> hazards, @Nullable String safetyNotes,
                            @Nullable String reason, @Nullable Integer receivedCount, @Nullable String receiptNote,
                            OffsetDateTime submittedAt, @Nullable OffsetDateTime acceptedAt,
                            @Nullable OffsetDateTime rejectedAt, @Nullable OffsetDateTime receivedAt,
                            @Nullable OffsetDateTime startedAt, @Nullable OffsetDateTime resultsReadyAt,
                            @Nullable OffsetDateTime closedAt, @Nullable OffsetDateTime withdrawnAt,
                            @Nullable OffsetDateTime cancelledAt, long version, OffsetDateTime updatedAt,
                            List<Event> history, List<ResultFile> files) {

    public static final List<String> STATUSES = List.of("submitted", "accepted", "rejected", "received",
            "in_progress", "results_ready", "closed", "withdrawn", "cancelled");
    public static final List<String> HAZARDS = List.of("none", "toxic", "flammable", "corrosive", "oxidising",
            "explosive", "radioactive", "biohazard");
    /** Statuses in which the staff still have work to do (the queue's default). */
    public static final List<String> OPEN = List.of("submitted", "accepted", "received", "in_progress", "results_ready");

    /** One state change: from (null on submission), to, who, when, and the note given with it. */
    @Serdeable
    public record Event(@Nullable String from, String to, @Nullable UUID actorUserId, @Nullable String actorName,
                        OffsetDateTime at, @Nullable String note) {
    }

    /** A result or report file (the bytes are downloaded separately). */
    @Serdeable
    public record ResultFile(UUID id, String fileName, String contentType, long sizeBytes, String sha256,
                             OffsetDateTime uploadedAt) {
    }

    static final String COLUMNS = "s.id, s.instrument_id, i.name_zh, i.name_en, s.service_id, s.service_name_zh, "
            + "s.service_name_en, s.status, s.requester_user_id, s.requester_tenant_id, "
            + "coalesce(u.display_name, u.email), s.account_code, s.rate_group, s.sample_count, s.items, s.sample_info, "
            + "s.hazards, s.safety_notes, s.reason, s.received_count, s.receipt_note, s.submitted_at, s.accepted_at, "
            + "s.rejected_at, s.received_at, s.started_at, s.results_ready_at, s.closed_at, s.withdrawn_at, "
            + "s.cancelled_at, s.version, s.updated_at";
    static final String FROM = " from sample_request s join instrument i on i.id = s.instrument_id "
            + "left join user_account u on u.id = s.requester_user_id ";

    SampleRequest with(List<Event> history, List<ResultFile> files) {
        return new SampleRequest(id, instrumentId, instrumentNameZh, instrumentNameEn, serviceId, serviceNameZh,
                serviceNameEn, status, requesterUserId, requesterTenantId, requesterName, accountCode, rateGroup,
                sampleCount, items, sampleInfo, hazards, safetyNotes, reason, receivedCount, receiptNote, submittedAt,
                acceptedAt, rejectedAt, receivedAt, startedAt, resultsReadyAt, closedAt, withdrawnAt, cancelledAt,
                version, updatedAt, history, files);
    }

    static SampleRequest read(ResultSet rs, ZoneId zone) throws SQLException {
        Number received = (Number) rs.getObject(20);
        return new SampleRequest(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                rs.getString(4), rs.getObject(5, UUID.class), rs.getString(6), rs.getString(7), rs.getString(8),
                rs.getObject(9, UUID.class), rs.getObject(10, UUID.class), rs.getString(11), rs.getString(12),
                rs.getString(13), rs.getInt(14), strings(rs.getArray(15)), rs.getString(16), strings(rs.getArray(17)),
                rs.getString(18), rs.getString(19), received == null ? null : received.intValue(), rs.getString(21),
                at(rs, 22, zone), at(rs, 23, zone), at(rs, 24, zone), at(rs, 25, zone), at(rs, 26, zone),
                at(rs, 27, zone), at(rs, 28, zone), at(rs, 29, zone), at(rs, 30, zone), rs.getLong(31),
                at(rs, 32, zone), List.of(), List.of());
    }

    static List<String> strings(Array a) throws SQLException {
        return a == null ? List.of() : Arrays.asList((String[]) a.getArray());
    }

    static OffsetDateTime at(ResultSet rs, int i, ZoneId zone) throws SQLException {
        Timestamp t = rs.getTimestamp(i);
        return t == null ? null : t.toInstant().atZone(zone).toOffsetDateTime();
    }
}

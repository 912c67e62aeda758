package org.labcommons.core.samples;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
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

    SampleRequest with(List<Event> history, List<ResultFile> files) {
        return new SampleRequest(id, instrumentId, instrumentNameZh, instrumentNameEn, serviceId, serviceNameZh,
                serviceNameEn, status, requesterUserId, requesterTenantId, requesterName, accountCode, rateGroup,
                sampleCount, items, sampleInfo, hazards, safetyNotes, reason, receivedCount, receiptNote, submittedAt,
                acceptedAt, rejectedAt, receivedAt, startedAt, resultsReadyAt, closedAt, withdrawnAt, cancelledAt,
                version, updatedAt, history, files);
    }

    /** The request as stored, its times in {@code zone}; history and files empty. */
    static SampleRequest of(SampleRequestRows.Listed r, ZoneId zone) {
        return new SampleRequest(r.id(), r.instrumentId(), r.instrumentNameZh(), r.instrumentNameEn(), r.serviceId(),
                r.serviceNameZh(), r.serviceNameEn(), r.status(), r.requesterUserId(), r.requesterTenantId(),
                r.requesterName(), r.accountCode(), r.rateGroup(), r.sampleCount(), strings(r.items()), r.sampleInfo(),
                strings(r.hazards()), r.safetyNotes(), r.reason(), r.receivedCount(), r.receiptNote(),
                at(r.submittedAt(), zone), at(r.acceptedAt(), zone), at(r.rejectedAt(), zone), at(r.receivedAt(), zone),
                at(r.startedAt(), zone), at(r.resultsReadyAt(), zone), at(r.closedAt(), zone), at(r.withdrawnAt(), zone),
                at(r.cancelledAt(), zone), r.version(), at(r.updatedAt(), zone), List.of(), List.of());
    }

    static Event of(SampleRequestRows.HistoryLine e, ZoneId zone) {
        return new Event(e.fromStatus(), e.toStatus(), e.actorUserId(), e.actorName(), at(e.at(), zone), e.note());
    }

    static ResultFile of(SampleRequestRows.FileLine f, ZoneId zone) {
        return new ResultFile(f.id(), f.fileName(), f.contentType(), f.sizeBytes(), f.sha256(), at(f.uploadedAt(), zone));
    }

    private static List<String> strings(@Nullable String[] a) {
        return a == null ? List.of() : Arrays.asList(a);
    }

    private static OffsetDateTime at(@Nullable Instant t, ZoneId zone) {
        return t == null ? null : t.atZone(zone).toOffsetDateTime();
    }
}

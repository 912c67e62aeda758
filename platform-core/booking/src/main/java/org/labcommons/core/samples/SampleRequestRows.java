package org.labcommons.core.samples;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.DataType;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The store of the sample request aggregate ({@code sample_request}, its history
 * {@code sample_request_event} and its {@code sample_result_file}s), and what a submission and the
 * request form read of the instrument. Runs inside {@code TenantTransactions.inTenant}, so the RLS
 * policies keep every statement to the bound tenant (with none bound it reads nothing and writes
 * nothing); the states and checks are {@link SampleRequests}'. Lists of ids and statuses travel as
 * one array parameter each ({@code STRING_ARRAY}, cast in the statement).
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface SampleRequestRows extends GenericRepository<SampleRequestRows.Row, UUID> {

    /** The key columns of a {@code sample_request} row. */
    @MappedEntity("sample_request")
    record Row(UUID tenantId, @Id UUID id, String status, long version) {
    }

    /** A request as lists and the detail show it: the row with its instrument's names and its requester's name. */
    @Introspected
    record Listed(UUID id, UUID instrumentId, @Nullable String instrumentNameZh, @Nullable String instrumentNameEn,
                  @Nullable UUID serviceId, @Nullable String serviceNameZh, @Nullable String serviceNameEn,
                  String status, UUID requesterUserId, UUID requesterTenantId, @Nullable String requesterName,
                  @Nullable String accountCode, String rateGroup, int sampleCount, String[] items, String sampleInfo,
                  String[] hazards, @Nullable String safetyNotes, @Nullable String reason,
                  @Nullable Integer receivedCount, @Nullable String receiptNote, Instant submittedAt,
                  @Nullable Instant acceptedAt, @Nullable Instant rejectedAt, @Nullable Instant receivedAt,
                  @Nullable Instant startedAt, @Nullable Instant resultsReadyAt, @Nullable Instant closedAt,
                  @Nullable Instant withdrawnAt, @Nullable Instant cancelledAt, long version, Instant updatedAt) {
    }

    /** A line of a request's history, with the actor's name. */
    @Introspected
    record HistoryLine(@Nullable String fromStatus, String toStatus, @Nullable UUID actorUserId,
                       @Nullable String actorName, Instant at, @Nullable String note) {
    }

    /** A result file without its bytes. */
    @Introspected
    record FileLine(UUID id, String fileName, String contentType, long sizeBytes, String sha256, Instant uploadedAt) {
    }

    /** A result file's bytes. */
    @Introspected
    record Download(String fileName, String contentType, byte[] content) {
    }

    /** A service an instrument offers. */
    @Introspected
    record Service(UUID id, String nameZh, String nameEn, @Nullable String sampleRequirements) {
    }

    @Introspected
    record Names(String nameZh, String nameEn) {
    }

    String VIEW = "select s.id, s.instrument_id, i.name_zh as instrument_name_zh, i.name_en as instrument_name_en, "
            + "s.service_id, s.service_name_zh, s.service_name_en, s.status, s.requester_user_id, s.requester_tenant_id, "
            + "coalesce(u.display_name, u.email) as requester_name, s.account_code, s.rate_group, s.sample_count, s.items, "
            + "s.sample_info, s.hazards, s.safety_notes, s.reason, s.received_count, s.receipt_note, s.submitted_at, "
            + "s.accepted_at, s.rejected_at, s.received_at, s.started_at, s.results_ready_at, s.closed_at, "
            + "s.withdrawn_at, s.cancelled_at, s.version, s.updated_at";
    String FROM = " from sample_request s join instrument i on i.id = s.instrument_id "
            + "left join user_account u on u.id = s.requester_user_id ";
    /**
     * A list's filter: the requester's own requests, or (no requester) all of the tenant's or those of
     * the given instruments and of the instruments in the given units and their sub-units; statuses
     * and one instrument when given.
     */
    String FILTER = "where (cast(:requester as uuid) is null or s.requester_user_id = :requester) "
            + "and (cast(:requester as uuid) is not null or :allInstruments "
            + "or s.instrument_id = any(cast(:instruments as uuid[])) "
            + "or i.org_unit_id in (with recursive down (id) as (select id from org_unit "
            + "where id = any(cast(:units as uuid[])) union select o.id from org_unit o join down on o.parent_id = down.id) "
            + "select id from down)) "
            + "and (cardinality(cast(:statuses as text[])) = 0 or s.status = any(cast(:statuses as text[]))) "
            + "and (cast(:instrumentId as uuid) is null or s.instrument_id = :instrumentId)";

    // ------------------------------------------------------------------ submit

    /**
     * Whether the instrument takes requests now (in service or idle, not archived), its row
     * key-share locked for the transaction; empty when the bound tenant has no such instrument.
     */
    @Query("select status in ('in_service', 'idle') and archived_at is null from instrument "
            + "where id = :instrumentId for key share")
    Optional<Boolean> lockInstrumentOpen(UUID instrumentId);

    /** The names of a service the instrument offers. */
    @Query("select name_zh, name_en from instrument_service where instrument_id = :instrumentId and id = :serviceId")
    Optional<Names> serviceNames(UUID instrumentId, UUID serviceId);

    /** A new request ({@code submitted}) for the tenant bound to the transaction. */
    @Query("insert into sample_request (tenant_id, id, instrument_id, service_id, service_name_zh, service_name_en, "
            + "requester_user_id, requester_tenant_id, account_code, rate_group, sample_count, items, sample_info, "
            + "hazards, safety_notes, status, submitted_at, updated_at) values (app_tenant(), :id, :instrumentId, "
            + "cast(:serviceId as uuid), :serviceNameZh, :serviceNameEn, :requesterUserId, :requesterTenantId, "
            + ":accountCode, :rateGroup, :sampleCount, cast(:items as text[]), :sampleInfo, cast(:hazards as text[]), "
            + ":safetyNotes, 'submitted', :now, :now)")
    long insert(UUID id, UUID instrumentId, @Nullable UUID serviceId, @Nullable String serviceNameZh,
                @Nullable String serviceNameEn, UUID requesterUserId, UUID requesterTenantId,
                @Nullable String accountCode, String rateGroup, int sampleCount,
                @TypeDef(type = DataType.STRING_ARRAY) String[] items, String sampleInfo,
                @TypeDef(type = DataType.STRING_ARRAY) String[] hazards, @Nullable String safetyNotes, Instant now);

    // ------------------------------------------------------------------ changes

    /** The request's stored version, its row locked for update; empty when absent. */
    @Query("select version from sample_request where id = :id for update")
    Optional<Long> lockVersion(UUID id);

    /**
     * A step to {@code status}: its timestamp column ({@code <status>_at}, {@code started_at} for
     * in_progress) set to {@code now}; {@code text} is the reason (rejected, cancelled) or the receipt
     * note (received, with {@code receivedCount}).
     */
    @Query("update sample_request set status = :status, version = version + 1, updated_at = :now, "
            + "accepted_at = case when :status = 'accepted' then :now else accepted_at end, "
            + "rejected_at = case when :status = 'rejected' then :now else rejected_at end, "
            + "received_at = case when :status = 'received' then :now else received_at end, "
            + "started_at = case when :status = 'in_progress' then :now else started_at end, "
            + "closed_at = case when :status = 'closed' then :now else closed_at end, "
            + "withdrawn_at = case when :status = 'withdrawn' then :now else withdrawn_at end, "
            + "cancelled_at = case when :status = 'cancelled' then :now else cancelled_at end, "
            + "reason = case when :status in ('rejected', 'cancelled') then cast(:text as text) else reason end, "
            + "received_count = case when :status = 'received' then cast(:receivedCount as integer) else received_count end, "
            + "receipt_note = case when :status = 'received' then cast(:text as text) else receipt_note end "
            + "where id = :id")
    long step(UUID id, String status, Instant now, @Nullable String text, @Nullable Integer receivedCount);

    /** Results are in: {@code results_ready} (its first time kept). */
    @Query("update sample_request set status = 'results_ready', results_ready_at = coalesce(results_ready_at, :now), "
            + "version = version + 1, updated_at = :now where id = :id")
    long resultsReady(UUID id, Instant now);

    /** A line of the request's history. */
    @Query("insert into sample_request_event (tenant_id, id, request_id, from_status, to_status, actor_user_id, at, note) "
            + "values (app_tenant(), :id, :requestId, cast(:fromStatus as text), :toStatus, :actorUserId, :at, "
            + "cast(:note as text))")
    long event(UUID id, UUID requestId, @Nullable String fromStatus, String toStatus, UUID actorUserId, Instant at,
               @Nullable String note);

    @Query("select count(*) from sample_result_file where request_id = :requestId")
    int fileCount(UUID requestId);

    @Query("insert into sample_result_file (tenant_id, id, request_id, file_name, content_type, size_bytes, sha256, "
            + "content, uploaded_by, uploaded_at) values (app_tenant(), :id, :requestId, :fileName, :contentType, "
            + ":sizeBytes, :sha256, :content, :uploadedBy, :at)")
    long insertFile(UUID id, UUID requestId, String fileName, String contentType, long sizeBytes, String sha256,
                    byte[] content, UUID uploadedBy, Instant at);

    // ------------------------------------------------------------------ read

    @Query(VIEW + FROM + "where s.id = :id")
    Optional<Listed> view(UUID id);

    /** A page of the requests {@link #FILTER} admits, newest first. */
    @Query(VIEW + FROM + FILTER + " order by s.submitted_at desc, s.id limit :limit offset :offset")
    List<Listed> page(@Nullable UUID requester, boolean allInstruments,
                      @TypeDef(type = DataType.STRING_ARRAY) String[] instruments,
                      @TypeDef(type = DataType.STRING_ARRAY) String[] units,
                      @TypeDef(type = DataType.STRING_ARRAY) String[] statuses, @Nullable UUID instrumentId,
                      int limit, long offset);

    /** How many requests {@link #FILTER} admits. */
    @Query("select count(*)" + FROM + FILTER)
    long count(@Nullable UUID requester, boolean allInstruments,
               @TypeDef(type = DataType.STRING_ARRAY) String[] instruments,
               @TypeDef(type = DataType.STRING_ARRAY) String[] units,
               @TypeDef(type = DataType.STRING_ARRAY) String[] statuses, @Nullable UUID instrumentId);

    @Query("select e.from_status, e.to_status, e.actor_user_id, coalesce(u.display_name, u.email) as actor_name, e.at, "
            + "e.note from sample_request_event e left join user_account u on u.id = e.actor_user_id "
            + "where e.request_id = :requestId order by e.at, e.id")
    List<HistoryLine> history(UUID requestId);

    @Query("select id, file_name, content_type, size_bytes, sha256, uploaded_at from sample_result_file "
            + "where request_id = :requestId order by uploaded_at, file_name, id")
    List<FileLine> files(UUID requestId);

    @Query("select file_name, content_type, content from sample_result_file where request_id = :requestId and id = :fileId")
    Optional<Download> file(UUID requestId, UUID fileId);

    /** The services an instrument offers, for the request form, in order. */
    @Query("select id, name_zh, name_en, sample_requirements from instrument_service where instrument_id = :instrumentId "
            + "order by position, name_en")
    List<Service> servicesOffered(UUID instrumentId);

    @Query("select name_zh, name_en from instrument where id = :instrumentId")
    Optional<Names> instrumentNames(UUID instrumentId);

    /** The time zone of the bound tenant (times are shown in it). */
    @Query("select time_zone from tenant where id = app_tenant()")
    Optional<String> timeZone();
}

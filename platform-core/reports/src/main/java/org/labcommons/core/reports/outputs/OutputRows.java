package org.labcommons.core.reports.outputs;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The store of outputs ({@code research_output}, {@code research_output_instrument}, V51), inside the caller's
 * tenant-bound transaction (RLS limits every statement to the bound tenant). The linked instruments travel as a
 * comma-separated text ({@code instrument_ids}), split by {@link Outputs}.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface OutputRows extends GenericRepository<OutputRows.Key, UUID> {
    String COLUMNS = "o.id, o.kind, o.category, o.title, o.year, o.people, o.doi, o.patent_number, o.grant_code, "
            + "(select string_agg(i.instrument_id::text, ',' order by i.instrument_id) from research_output_instrument i "
            + "where i.tenant_id = o.tenant_id and i.output_id = o.id) as instrument_ids, o.booking_id, o.usage_session_id, "
            + "o.status, o.source, o.recorded_by, o.confirmed_by, o.confirmed_at, o.version, o.created_at, o.updated_at";
    /** The filters of a list (each null: any). */
    String FILTER = " from research_output o where (cast(:instrumentId as uuid) is null or exists (select 1 from "
            + "research_output_instrument l where l.tenant_id = o.tenant_id and l.output_id = o.id and l.instrument_id = :instrumentId)) "
            + "and (cast(:recordedBy as uuid) is null or o.recorded_by = :recordedBy) "
            + "and (cast(:kind as text) is null or o.kind = :kind) and (cast(:status as text) is null or o.status = :status) "
            + "and (cast(:year as integer) is null or o.year = :year) ";

    /** The key of a row. */
    @MappedEntity("research_output")
    record Key(@Id UUID id) {
    }

    /** A stored output. */
    @Introspected
    record Stored(UUID id, String kind, @Nullable String category, String title, int year, String people,
                  @Nullable String doi, @Nullable String patentNumber, @Nullable String grantCode,
                  @Nullable String instrumentIds, @Nullable UUID bookingId, @Nullable UUID usageSessionId,
                  String status, String source, UUID recordedBy, @Nullable UUID confirmedBy,
                  @Nullable Instant confirmedAt, int version, Instant createdAt, Instant updatedAt) {
    }

    /** How many confirmed outputs of a kind and category. */
    @Introspected
    record KindCount(String kind, @Nullable String category, long count) {
    }

    @Query("insert into research_output (tenant_id, id, kind, category, title, year, people, doi, patent_number, grant_code, "
            + "booking_id, usage_session_id, status, source, recorded_by, confirmed_by, confirmed_at, version, created_at, "
            + "updated_at) values (app_tenant(), :id, :kind, :category, :title, :year, :people, :doi, :patentNumber, "
            + ":grantCode, cast(:bookingId as uuid), cast(:usageSessionId as uuid), :status, :source, :recordedBy, "
            + "cast(:confirmedBy as uuid), cast(:confirmedAt as timestamptz), 1, :now, :now)")
    void insert(UUID id, String kind, @Nullable String category, String title, int year, String people,
                @Nullable String doi, @Nullable String patentNumber, @Nullable String grantCode, @Nullable UUID bookingId,
                @Nullable UUID usageSessionId, String status, String source, UUID recordedBy, @Nullable UUID confirmedBy,
                @Nullable Instant confirmedAt, Instant now);

    @Query("update research_output set kind = :kind, category = :category, title = :title, year = :year, people = :people, "
            + "doi = :doi, patent_number = :patentNumber, grant_code = :grantCode, booking_id = cast(:bookingId as uuid), "
            + "usage_session_id = cast(:usageSessionId as uuid), version = version + 1, updated_at = :now where id = :id")
    long update(UUID id, String kind, @Nullable String category, String title, int year, String people,
                @Nullable String doi, @Nullable String patentNumber, @Nullable String grantCode,
                @Nullable UUID bookingId, @Nullable UUID usageSessionId, Instant now);

    @Query("update research_output set status = 'confirmed', confirmed_by = :by, confirmed_at = :now, version = version + 1, "
            + "updated_at = :now where id = :id and status = 'recorded'")
    long confirm(UUID id, UUID by, Instant now);

    @Query("insert into research_output_instrument (tenant_id, output_id, instrument_id) values (app_tenant(), :id, :instrumentId) "
            + "on conflict do nothing")
    void link(UUID id, UUID instrumentId);

    @Query("delete from research_output_instrument where output_id = :id")
    void unlinkAll(UUID id);

    @Query("select " + COLUMNS + " from research_output o where o.id = :id")
    Optional<Stored> find(UUID id);

    @Query("select " + COLUMNS + " from research_output o where o.id = :id for update")
    Optional<Stored> lock(UUID id);

    /** An output with the same DOI (case-insensitive), other than {@code except}. */
    @Query("select id from research_output where lower(doi) = lower(:doi) and id <> :except")
    Optional<UUID> withDoi(String doi, UUID except);

    @Query("select " + COLUMNS + FILTER + "order by o.year desc, o.created_at desc, o.id limit :limit offset :offset")
    List<Stored> page(@Nullable UUID instrumentId, @Nullable UUID recordedBy, @Nullable String kind, @Nullable String status,
                      @Nullable Integer year, int offset, int limit);

    @Query("select count(*)" + FILTER)
    long count(@Nullable UUID instrumentId, @Nullable UUID recordedBy, @Nullable String kind, @Nullable String status,
               @Nullable Integer year);

    /** The confirmed outputs of {@code year} linked to the instrument, by kind and category. */
    @Query("select o.kind, o.category, count(*) as count from research_output o join research_output_instrument l "
            + "on l.tenant_id = o.tenant_id and l.output_id = o.id where l.instrument_id = :instrumentId and o.year = :year "
            + "and o.status = 'confirmed' group by o.kind, o.category")
    List<KindCount> yearCounts(UUID instrumentId, int year);
}

package org.labcommons.core.catalog.io;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The store of import uploads ({@code import_upload}: the file's bytes, header, mapping and last
 * report, tenant-scoped, kept until {@code expires_at}). Runs inside the tenant's transaction, so
 * the RLS policy keeps it to the bound tenant; rows are inserted with {@code app_tenant()}. The
 * header, mapping and report are JSON, passed and read as text ({@link ImportUploads} converts).
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ImportUploadRows extends GenericRepository<ImportUploadRows.Row, UUID> {

    /** An upload without its bytes; JSON columns as text. */
    @MappedEntity("import_upload")
    record Row(@Id UUID id, String fileName, String format, @Nullable String encoding, @Nullable String separator,
               long sizeBytes, String sha256, String header, int headerRow, int rowCount, @Nullable String mapping,
               String status, Instant createdAt, Instant expiresAt, @Nullable Instant committedAt) {
    }

    /** Deletes the bound tenant's expired uploads. */
    @Query("delete from import_upload where expires_at <= now()")
    long deleteExpired();

    @Query("insert into import_upload (tenant_id, id, file_name, format, encoding, separator, size_bytes, sha256, "
            + "content, header, header_row, row_count, mapping, uploaded_by_issuer, uploaded_by_subject, expires_at) "
            + "values (app_tenant(), :id, :fileName, :format, :encoding, :separator, :sizeBytes, :sha256, :content, "
            + "cast(:header as jsonb), :headerRow, :rowCount, cast(:mapping as jsonb), :issuer, :subject, :expiresAt)")
    long insert(UUID id, String fileName, String format, @Nullable String encoding, @Nullable String separator,
                int sizeBytes, String sha256, byte[] content, String header, int headerRow, int rowCount,
                String mapping, @Nullable String issuer, String subject, Instant expiresAt);

    /** The upload (never its bytes) while it has not expired. */
    @Query("select id, file_name, format, encoding, separator, size_bytes, sha256, header::text as header, header_row, "
            + "row_count, mapping::text as mapping, status, created_at, expires_at, committed_at from import_upload "
            + "where id = :id and expires_at > now()")
    Optional<Row> unexpired(UUID id);

    /** Locks the upload for the commit; empty when absent or expired. */
    @Query("select id from import_upload where id = :id and expires_at > now() for update")
    Optional<UUID> lock(UUID id);

    @Query("select content from import_upload where id = :id")
    Optional<Content> content(UUID id);

    /** Replaces the mapping; a committed upload stays committed. */
    @Query("update import_upload set mapping = cast(:mapping as jsonb), "
            + "status = case when status = 'committed' then status else 'mapped' end where id = :id")
    long saveMapping(UUID id, String mapping);

    /** A dry run's report; a committed upload stays committed. */
    @Query("update import_upload set status = case when status = 'committed' then status else 'checked' end, "
            + "last_report = cast(:report as jsonb) where id = :id")
    long checked(UUID id, String report);

    @Query("update import_upload set status = 'committed', committed_at = now(), last_report = cast(:report as jsonb) "
            + "where id = :id")
    long committed(UUID id, String report);

    /** The file read again in another encoding: its encoding, header, row count and mapping replaced. */
    @Query("update import_upload set encoding = :encoding, header = cast(:header as jsonb), header_row = :headerRow, "
            + "row_count = :rowCount, mapping = cast(:mapping as jsonb) where id = :id")
    long reread(UUID id, String encoding, String header, int headerRow, int rowCount, String mapping);

    /** The uploaded file's bytes. */
    @Introspected
    record Content(byte[] content) {
    }
}

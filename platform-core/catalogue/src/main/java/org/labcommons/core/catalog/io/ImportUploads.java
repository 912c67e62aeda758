package org.labcommons.core.catalog.io;

import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import org.labcommons.core.problem.ProblemException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Import uploads as the import reads and writes them: {@link ImportUploadRows} with the header,
 * mapping and report converted to and from JSON. Call it inside the tenant's transaction.
 */
@Singleton
public record ImportUploads(ImportUploadRows rows, JsonMapper json) {
    /** A new upload. */
    record NewUpload(UUID id, String fileName, String format, String encoding, String separator, byte[] content,
                     String sha256, List<String> header, int headerRow, int rowCount, ColumnMapping mapping,
                     String issuer, String subject, Instant expiresAt) {
    }

    /** Deletes the bound tenant's expired uploads, then stores {@code u}. */
    void insert(NewUpload u) {
        rows.deleteExpired();
        rows.insert(u.id(), u.fileName(), u.format(), u.encoding(), u.separator(), u.content().length, u.sha256(),
                u.content(), write(u.header()), u.headerRow(), u.rowCount(), write(u.mapping()), u.issuer(),
                u.subject(), u.expiresAt());
    }

    /** The upload (never its bytes) while it has not expired. */
    Optional<InstrumentImports.Upload> find(UUID id) {
        return rows.unexpired(id).map(r -> {
            List<String> header = read(r.header(), Argument.listOf(String.class));
            ColumnMapping mapping = r.mapping() == null ? new ColumnMapping(Map.of(), Map.of())
                    : read(r.mapping(), Argument.of(ColumnMapping.class));
            return new InstrumentImports.Upload(r.id(), r.fileName(), r.format(), r.encoding(), r.separator(),
                    r.sizeBytes(), r.sha256(), header, r.headerRow(), r.rowCount(), mapping,
                    ImportField.suggestAll(header), r.status(), r.createdAt(), r.expiresAt(), r.committedAt());
        });
    }

    /** Locks the upload for the commit; 404 when absent or expired. */
    void lock(UUID id) {
        if (rows.lock(id).isEmpty()) {
            throw ProblemException.notFound();
        }
    }

    /** The uploaded file's bytes (the caller has found the upload). */
    byte[] content(UUID id) {
        return rows.content(id).orElseThrow().content();
    }

    /** Replaces the mapping; a committed upload stays committed. */
    void saveMapping(UUID id, ColumnMapping mapping) {
        rows.saveMapping(id, write(mapping));
    }

    /** The file read again as {@code encoding}: what was read from it, and the mapping that goes with it. */
    void reread(UUID id, String encoding, List<String> header, int headerRow, int rowCount, ColumnMapping mapping) {
        rows.reread(id, encoding, write(header), headerRow, rowCount, write(mapping));
    }

    /** A dry run's report; a committed upload stays committed. */
    void checked(UUID id, Map<String, Object> report) {
        rows.checked(id, write(report));
    }

    void committed(UUID id, Map<String, Object> report) {
        rows.committed(id, write(report));
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <T> T read(String text, Argument<T> type) {
        try {
            return json.readValue(text, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

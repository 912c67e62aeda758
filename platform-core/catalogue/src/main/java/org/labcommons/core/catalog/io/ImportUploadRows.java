package org.labcommons.core.catalog.io;

import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import org.labcommons.core.problem.ProblemException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The SQL of an import upload ({@code import_upload}: the file's bytes, header, mapping and last
 * report, tenant-scoped, kept until {@code expires_at}), and the org units a row may name. Plain
 * JDBC on the caller's tenant-bound connection; the header, mapping and report are JSON columns
 * written and read here.
 */
@Singleton
public class ImportUploadRows {
    private final JsonMapper json;

    public ImportUploadRows(JsonMapper json) {
        this.json = json;
    }

    /** A new upload row. */
    record NewUpload(UUID id, String fileName, String format, String encoding, String separator, byte[] content,
                     String sha256, List<String> header, int headerRow, int rowCount, ColumnMapping mapping,
                     String issuer, String subject, Instant expiresAt) {
    }

    /** Deletes the bound tenant's expired uploads, then stores {@code u}. */
    void insert(Connection c, NewUpload u) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("delete from import_upload where expires_at <= now()")) {
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("insert into import_upload (tenant_id, id, file_name, format, "
                + "encoding, separator, size_bytes, sha256, content, header, header_row, row_count, mapping, "
                + "uploaded_by_issuer, uploaded_by_subject, expires_at) values "
                + "(app_tenant(), ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, "
                + "?::jsonb, ?, ?, ?)")) {
            ps.setObject(1, u.id());
            ps.setString(2, u.fileName());
            ps.setString(3, u.format());
            ps.setString(4, u.encoding());
            ps.setString(5, u.separator());
            ps.setInt(6, u.content().length);
            ps.setString(7, u.sha256());
            ps.setBytes(8, u.content());
            ps.setString(9, write(u.header()));
            ps.setInt(10, u.headerRow());
            ps.setInt(11, u.rowCount());
            ps.setString(12, write(u.mapping()));
            ps.setString(13, u.issuer());
            ps.setString(14, u.subject());
            ps.setTimestamp(15, Timestamp.from(u.expiresAt()));
            ps.executeUpdate();
        }
    }

    /** The upload (never its bytes) while it has not expired. */
    Optional<InstrumentImports.Upload> find(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select id, file_name, format, encoding, separator, size_bytes, "
                + "sha256, header::text, header_row, row_count, mapping::text, status, created_at, expires_at, committed_at "
                + "from import_upload where id = ? and expires_at > now()")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                List<String> header = read(rs.getString(8), Argument.listOf(String.class));
                ColumnMapping mapping = rs.getString(11) == null ? new ColumnMapping(Map.of(), Map.of())
                        : read(rs.getString(11), Argument.of(ColumnMapping.class));
                Timestamp committed = rs.getTimestamp(15);
                return Optional.of(new InstrumentImports.Upload(rs.getObject(1, UUID.class), rs.getString(2),
                        rs.getString(3), rs.getString(4), rs.getString(5), rs.getLong(6), rs.getString(7), header,
                        rs.getInt(9), rs.getInt(10), mapping, ImportField.suggestAll(header), rs.getString(12),
                        rs.getTimestamp(13).toInstant(), rs.getTimestamp(14).toInstant(),
                        committed == null ? null : committed.toInstant()));
            }
        }
    }

    /** Locks the upload for the commit; 404 when absent or expired. */
    void lock(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select 1 from import_upload where id = ? and expires_at > now() "
                + "for update")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw ProblemException.notFound();
                }
            }
        }
    }

    /** The uploaded file's bytes (the caller has found the upload). */
    byte[] content(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select content from import_upload where id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBytes(1);
            }
        }
    }

    /** Replaces the mapping; a committed upload stays committed. */
    void saveMapping(Connection c, UUID id, ColumnMapping mapping) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update import_upload set mapping = ?::jsonb, "
                + "status = case when status = 'committed' then status else 'mapped' end where id = ?")) {
            ps.setString(1, write(mapping));
            ps.setObject(2, id);
            ps.executeUpdate();
        }
    }

    /** A dry run's report; a committed upload stays committed. */
    void checked(Connection c, UUID id, Map<String, Object> report) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update import_upload set status = case when status = "
                + "'committed' then status else 'checked' end, last_report = ?::jsonb where id = ?")) {
            ps.setString(1, write(report));
            ps.setObject(2, id);
            ps.executeUpdate();
        }
    }

    void committed(Connection c, UUID id, Map<String, Object> report) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update import_upload set status = 'committed', "
                + "committed_at = now(), last_report = ?::jsonb where id = ?")) {
            ps.setString(1, write(report));
            ps.setObject(2, id);
            ps.executeUpdate();
        }
    }

    /** The bound tenant's org units, which a row may name by code or name. */
    static List<RowMapper.Unit> units(Connection c) throws SQLException {
        List<RowMapper.Unit> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select id, code, name_zh, name_en from org_unit");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new RowMapper.Unit(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4)));
            }
        }
        return out;
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

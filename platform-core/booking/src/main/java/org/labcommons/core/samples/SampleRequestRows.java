package org.labcommons.core.samples;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.labcommons.core.booking.BookingRulesService;
import org.labcommons.core.problem.ProblemException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The SQL of the sample request aggregate ({@code sample_request}, its history
 * {@code sample_request_event} and its {@code sample_result_file}s), and what a submission reads
 * of the instrument. Plain JDBC on the caller's tenant-bound connection, so row level security
 * applies; the states and checks are {@link SampleRequests}'.
 */
@Singleton
public class SampleRequestRows {

    /** A new request row ({@code submitted}). */
    record NewRow(UUID id, UUID instrumentId, @Nullable UUID serviceId, @Nullable String serviceZh,
                  @Nullable String serviceEn, UUID requester, UUID requesterTenant, @Nullable String accountCode,
                  String rateGroup, int sampleCount, List<String> items, String sampleInfo, List<String> hazards,
                  @Nullable String safetyNotes, Instant now) {
    }

    /**
     * Whether the instrument takes requests now (in service or idle, not archived), its row
     * key-share locked for the transaction; 404 when the bound tenant has no such instrument.
     */
    boolean lockInstrumentOpen(Connection c, UUID instrumentId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select status in ('in_service', 'idle') and archived_at is null "
                + "from instrument where id = ? for key share")) {
            ps.setObject(1, instrumentId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw ProblemException.notFound();
                }
                return rs.getBoolean(1);
            }
        }
    }

    /** The names (zh, en) of a service the instrument offers, or empty. */
    Optional<String[]> serviceNames(Connection c, UUID instrumentId, UUID serviceId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select name_zh, name_en from instrument_service "
                + "where instrument_id = ? and id = ?")) {
            ps.setObject(1, instrumentId);
            ps.setObject(2, serviceId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new String[]{rs.getString(1), rs.getString(2)}) : Optional.empty();
            }
        }
    }

    void insert(Connection c, NewRow r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into sample_request (tenant_id, id, instrument_id, "
                + "service_id, service_name_zh, service_name_en, requester_user_id, requester_tenant_id, account_code, "
                + "rate_group, sample_count, items, sample_info, hazards, safety_notes, status, submitted_at, updated_at) "
                + "values (app_tenant(), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                + "?, 'submitted', ?, ?)")) {
            int i = 1;
            ps.setObject(i++, r.id());
            ps.setObject(i++, r.instrumentId());
            ps.setObject(i++, r.serviceId());
            ps.setString(i++, r.serviceZh());
            ps.setString(i++, r.serviceEn());
            ps.setObject(i++, r.requester());
            ps.setObject(i++, r.requesterTenant());
            ps.setString(i++, r.accountCode());
            ps.setString(i++, r.rateGroup());
            ps.setInt(i++, r.sampleCount());
            ps.setArray(i++, c.createArrayOf("text", r.items().toArray()));
            ps.setString(i++, r.sampleInfo());
            ps.setArray(i++, c.createArrayOf("text", r.hazards().toArray()));
            ps.setString(i++, r.safetyNotes());
            ps.setTimestamp(i++, Timestamp.from(r.now()));
            ps.setTimestamp(i, Timestamp.from(r.now()));
            ps.executeUpdate();
        }
    }

    /** The transition's new state and timestamp; the reason (reject, cancel) or the receipt (receive). */
    void step(Connection c, UUID id, SampleRequests.Step step, Instant now, @Nullable String text,
              @Nullable Integer receivedCount) throws SQLException {
        StringBuilder sql = new StringBuilder("update sample_request set status = ?, " + step.column + " = ?, "
                + "version = version + 1, updated_at = ?");
        if (step == SampleRequests.Step.REJECT || step == SampleRequests.Step.CANCEL) {
            sql.append(", reason = ?");
        } else if (step == SampleRequests.Step.RECEIVE) {
            sql.append(", received_count = ?, receipt_note = ?");
        }
        sql.append(" where id = ?");
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = 1;
            ps.setString(i++, step.to);
            ps.setTimestamp(i++, Timestamp.from(now));
            ps.setTimestamp(i++, Timestamp.from(now));
            if (step == SampleRequests.Step.REJECT || step == SampleRequests.Step.CANCEL) {
                ps.setString(i++, text);
            } else if (step == SampleRequests.Step.RECEIVE) {
                ps.setInt(i++, receivedCount);
                ps.setString(i++, text);
            }
            ps.setObject(i, id);
            ps.executeUpdate();
        }
    }

    /** Results are in: {@code results_ready} (its first time kept). */
    void resultsReady(Connection c, UUID id, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update sample_request set status = 'results_ready', "
                + "results_ready_at = coalesce(results_ready_at, ?), version = version + 1, updated_at = ? where id = ?")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setObject(3, id);
            ps.executeUpdate();
        }
    }

    /** A line of the request's history (the note cut to 1000 characters). */
    void event(Connection c, UUID request, @Nullable String from, String to, UUID actor, Instant at,
               @Nullable String note) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into sample_request_event (tenant_id, id, request_id, "
                + "from_status, to_status, actor_user_id, at, note) values "
                + "(app_tenant(), ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setObject(1, UUID.randomUUID());
            ps.setObject(2, request);
            ps.setString(3, from);
            ps.setString(4, to);
            ps.setObject(5, actor);
            ps.setTimestamp(6, Timestamp.from(at));
            ps.setString(7, note == null ? null : note.length() > 1000 ? note.substring(0, 1000) : note);
            ps.executeUpdate();
        }
    }

    /** The request's stored version, its row locked for update; empty when absent. */
    Optional<Long> lockVersion(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select version from sample_request where id = ? for update")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    int fileCount(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select count(*) from sample_result_file where request_id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    void insertFile(Connection c, UUID request, String name, String contentType, byte[] bytes, String sha256,
                    UUID uploadedBy, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into sample_result_file (tenant_id, id, request_id, "
                + "file_name, content_type, size_bytes, sha256, content, uploaded_by, uploaded_at) values "
                + "(app_tenant(), ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setObject(1, UUID.randomUUID());
            ps.setObject(2, request);
            ps.setString(3, name);
            ps.setString(4, contentType);
            ps.setLong(5, bytes.length);
            ps.setString(6, sha256);
            ps.setBytes(7, bytes);
            ps.setObject(8, uploadedBy);
            ps.setTimestamp(9, Timestamp.from(now));
            ps.executeUpdate();
        }
    }

    /** A page of requests matching {@code f}, newest first. */
    SampleRequests.Page<SampleRequest> list(Connection c, SampleRequests.Filter f, int page, int size)
            throws SQLException {
        ZoneId zone = ZoneId.of(BookingRulesService.timeZone(c));
        StringBuilder where = new StringBuilder(" where true");
        List<Object> args = new ArrayList<>();
        if (f.requester() != null) {
            where.append(" and s.requester_user_id = ?");
            args.add(f.requester());
        } else if (!f.allInstruments()) {
            where.append(" and (s.instrument_id = any(?) or i.org_unit_id in (with recursive down (id) as ("
                    + "select id from org_unit where id = any(?) union select u.id from org_unit u join down "
                    + "on u.parent_id = down.id) select id from down))");
            args.add(f.instruments().toArray(UUID[]::new));
            args.add(f.units().toArray(UUID[]::new));
        }
        if (!f.statuses().isEmpty()) {
            where.append(" and s.status = any(?)");
            args.add(f.statuses().toArray(String[]::new));
        }
        if (f.instrumentId() != null) {
            where.append(" and s.instrument_id = ?");
            args.add(f.instrumentId());
        }
        long total;
        try (PreparedStatement ps = c.prepareStatement("select count(*)" + SampleRequest.FROM + where)) {
            bind(c, ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                total = rs.getLong(1);
            }
        }
        List<SampleRequest> items = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select " + SampleRequest.COLUMNS + SampleRequest.FROM + where
                + " order by s.submitted_at desc, s.id limit ? offset ?")) {
            List<Object> all = new ArrayList<>(args);
            all.add(size);
            all.add((long) page * size);
            bind(c, ps, all);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    items.add(SampleRequest.read(rs, zone));
                }
            }
        }
        return new SampleRequests.Page<>(items, total, page, size);
    }

    private static void bind(Connection c, PreparedStatement ps, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            Object a = args.get(i);
            if (a instanceof UUID[] u) {
                ps.setArray(i + 1, c.createArrayOf("uuid", u));
            } else if (a instanceof String[] s) {
                ps.setArray(i + 1, c.createArrayOf("text", s));
            } else {
                ps.setObject(i + 1, a);
            }
        }
    }

    Optional<SampleRequests.Content> file(Connection c, UUID requestId, UUID fileId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select file_name, content_type, content from sample_result_file "
                + "where request_id = ? and id = ?")) {
            ps.setObject(1, requestId);
            ps.setObject(2, fileId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new SampleRequests.Content(rs.getString(1), rs.getString(2), rs.getBytes(3)))
                        : Optional.empty();
            }
        }
    }

    /** One request with its history and files. */
    Optional<SampleRequest> read(Connection c, UUID id) throws SQLException {
        ZoneId zone = ZoneId.of(BookingRulesService.timeZone(c));
        SampleRequest r;
        try (PreparedStatement ps = c.prepareStatement("select " + SampleRequest.COLUMNS + SampleRequest.FROM
                + "where s.id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                r = SampleRequest.read(rs, zone);
            }
        }
        List<SampleRequest.Event> history = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select e.from_status, e.to_status, e.actor_user_id, "
                + "coalesce(u.display_name, u.email), e.at, e.note from sample_request_event e "
                + "left join user_account u on u.id = e.actor_user_id where e.request_id = ? order by e.at, e.id")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    history.add(new SampleRequest.Event(rs.getString(1), rs.getString(2), rs.getObject(3, UUID.class),
                            rs.getString(4), SampleRequest.at(rs, 5, zone), rs.getString(6)));
                }
            }
        }
        List<SampleRequest.ResultFile> files = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select id, file_name, content_type, size_bytes, sha256, uploaded_at "
                + "from sample_result_file where request_id = ? order by uploaded_at, file_name, id")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    files.add(new SampleRequest.ResultFile(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                            rs.getLong(4), rs.getString(5), SampleRequest.at(rs, 6, zone)));
                }
            }
        }
        return Optional.of(r.with(history, files));
    }

    /** The services an instrument offers, for the request form: (id, zh, en, sample requirements) in order. */
    List<String[]> servicesOffered(Connection c, UUID instrumentId) throws SQLException {
        List<String[]> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select id, name_zh, name_en, sample_requirements "
                + "from instrument_service where instrument_id = ? order by position, name_en")) {
            ps.setObject(1, instrumentId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new String[]{rs.getObject(1, UUID.class).toString(), rs.getString(2), rs.getString(3),
                            rs.getString(4)});
                }
            }
        }
        return out;
    }

    /** The instrument's name (zh or en). */
    String instrumentName(Connection c, UUID instrumentId, boolean zh) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select name_zh, name_en from instrument where id = ?")) {
            ps.setObject(1, instrumentId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return zh ? rs.getString(1) : rs.getString(2);
            }
        }
    }
}

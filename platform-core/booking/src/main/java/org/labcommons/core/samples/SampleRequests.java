package org.labcommons.core.samples;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.booking.BookingClock;
import org.labcommons.core.booking.BookingRulesService;
import org.labcommons.core.booking.BookingService.Requester;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Sample requests (docs/samples.md). Every change runs in one transaction bound to the instrument's
 * tenant, locks the request, checks its state and (when given) the version the caller saw, and writes
 * a {@code sample_request_event} row, an audit entry and a {@code sample.v1} event (with the
 * notifications it owes, {@link SampleEvents}) in that transaction.
 *
 * <pre>
 * submitted ─accept→ accepted ─receive→ received ─start→ in_progress ─results→ results_ready ─close→ closed
 *     │ reject(reason) → rejected
 *     │ withdraw (requester, submitted/accepted) → withdrawn
 *     └ cancel(reason) (staff, submitted/accepted/received) → cancelled
 * </pre>
 */
@Singleton
public class SampleRequests {
    private final TenantTransactions tenants;
    private final AuditLog audit;
    private final SampleEvents events;
    private final BookingClock clock;
    private final SampleSettings settings;

    public SampleRequests(TenantTransactions tenants, AuditLog audit, SampleEvents events, BookingClock clock,
                          SampleSettings settings) {
        this.tenants = tenants;
        this.audit = audit;
        this.events = events;
        this.clock = clock;
        this.settings = settings;
    }

    /** A page of a list (0-based). */
    @Serdeable
    public record Page<T>(List<T> items, long total, int page, int size) {
    }

    /** What a list asks for: the requester's own, or what the staff may see (all, or these instruments/units). */
    public record Filter(@Nullable UUID requester, boolean allInstruments, Set<UUID> instruments, Set<UUID> units,
                         List<String> statuses, @Nullable UUID instrumentId) {
    }

    /** An uploaded file, read (and size-checked) by the caller. */
    public record Upload(String fileName, @Nullable String contentType, byte[] bytes) {
    }

    /** A file's bytes for download. */
    public record Content(String fileName, String contentType, byte[] bytes) {
    }

    /** A transition: which action, the state(s) it starts from, where it goes, its timestamp column. */
    enum Step {
        ACCEPT("accepted", "accepted_at", "submitted"),
        REJECT("rejected", "rejected_at", "submitted"),
        RECEIVE("received", "received_at", "accepted"),
        START("in_progress", "started_at", "received"),
        CLOSE("closed", "closed_at", "results_ready"),
        WITHDRAW("withdrawn", "withdrawn_at", "submitted", "accepted"),
        CANCEL("cancelled", "cancelled_at", "submitted", "accepted", "received");

        final String to;
        final String column;
        final List<String> from;

        Step(String to, String column, String... from) {
            this.to = to;
            this.column = column;
            this.from = List.of(from);
        }

        /** The event type's suffix: {@code sample.started} for in_progress. */
        String type() {
            return this == START ? "started" : to;
        }
    }

    // ------------------------------------------------------------------ submit

    public SampleRequest submit(TenantId tenant, Requester who, UUID instrumentId, SampleInputs.NewRequest in) {
        List<FieldProblem> problems = validate(in);
        if (!problems.isEmpty()) {
            throw invalid(problems);
        }
        return tenants.inTenant(tenant, c -> {
            boolean open;
            try (PreparedStatement ps = c.prepareStatement("select status in ('in_service', 'idle') and archived_at is null "
                    + "from instrument where id = ? for key share")) {
                ps.setObject(1, instrumentId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw ProblemException.notFound();
                    }
                    open = rs.getBoolean(1);
                }
            }
            if (!open) {
                throw invalid(List.of(problem("instrumentId", "instrument_unavailable", "validation.sample.instrument_unavailable",
                        Map.of())));
            }
            String serviceZh = null;
            String serviceEn = null;
            if (in.serviceId() != null) {
                try (PreparedStatement ps = c.prepareStatement("select name_zh, name_en from instrument_service "
                        + "where instrument_id = ? and id = ?")) {
                    ps.setObject(1, instrumentId);
                    ps.setObject(2, in.serviceId());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            throw invalid(List.of(problem("serviceId", "unknown_service", "validation.sample.unknown_service",
                                    Map.of())));
                        }
                        serviceZh = rs.getString(1);
                        serviceEn = rs.getString(2);
                    }
                }
            }
            boolean outside = !who.homeTenant().equals(tenant);
            String rateGroup = outside ? "external" : "internal";
            Instant now = clock.now();
            UUID id = UUID.randomUUID();
            try (PreparedStatement ps = c.prepareStatement("insert into sample_request (tenant_id, id, instrument_id, "
                    + "service_id, service_name_zh, service_name_en, requester_user_id, requester_tenant_id, account_code, "
                    + "rate_group, sample_count, items, sample_info, hazards, safety_notes, status, submitted_at, updated_at) "
                    + "values (app_tenant(), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                    + "?, 'submitted', ?, ?)")) {
                int i = 1;
                ps.setObject(i++, id);
                ps.setObject(i++, instrumentId);
                ps.setObject(i++, in.serviceId());
                ps.setString(i++, serviceZh);
                ps.setString(i++, serviceEn);
                ps.setObject(i++, who.userId());
                ps.setObject(i++, who.homeTenant().value());
                ps.setString(i++, blankToNull(in.accountCode()));
                ps.setString(i++, rateGroup);
                ps.setInt(i++, in.sampleCount());
                ps.setArray(i++, c.createArrayOf("text", cleanItems(in.items()).toArray()));
                ps.setString(i++, in.sampleInfo().strip());
                ps.setArray(i++, c.createArrayOf("text", new LinkedHashSet<>(in.hazards()).toArray()));
                ps.setString(i++, blankToNull(in.safetyNotes()));
                ps.setTimestamp(i++, Timestamp.from(now));
                ps.setTimestamp(i, Timestamp.from(now));
                ps.executeUpdate();
            }
            event(c, id, null, "submitted", who, now, null);
            SampleRequest after = read(c, id).orElseThrow();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("instrumentId", instrumentId.toString());
            details.put("sampleCount", in.sampleCount());
            details.put("hazards", String.join(",", after.hazards()));
            details.put("rateGroup", rateGroup);
            audit.append(c, who.actor().entry("sample.submitted", "sample_request", id.toString(), details));
            events.changed(c, "submitted", null, after, null);
            return after;
        });
    }

    /** Field problems of a new request (empty: fine). */
    static List<FieldProblem> validate(SampleInputs.NewRequest in) {
        List<FieldProblem> out = new ArrayList<>();
        if (in.sampleCount() == null) {
            out.add(problem("sampleCount", "not_null", "validation.not_null", Map.of()));
        } else if (in.sampleCount() < 1 || in.sampleCount() > 1000) {
            out.add(problem("sampleCount", "range", "validation.sample.count", Map.of("min", 1, "max", 1000)));
        }
        List<String> items = in.items() == null ? List.of() : cleanItems(in.items());
        if (items.isEmpty()) {
            out.add(problem("items", "not_empty", "validation.sample.items_required", Map.of()));
        } else if (items.size() > 20) {
            out.add(problem("items", "size", "validation.sample.items_too_many", Map.of("max", 20)));
        } else if (items.stream().anyMatch(s -> s.length() > 200)) {
            out.add(problem("items", "size", "validation.sample.item_too_long", Map.of("max", 200)));
        }
        if (in.sampleInfo() == null || in.sampleInfo().isBlank()) {
            out.add(problem("sampleInfo", "not_blank", "validation.not_blank", Map.of()));
        } else if (in.sampleInfo().strip().length() > 4000) {
            out.add(problem("sampleInfo", "size", "validation.size", Map.of("min", 1, "max", 4000)));
        }
        List<String> hazards = in.hazards() == null ? List.of() : in.hazards();
        int before = out.size();
        if (hazards.isEmpty()) {
            out.add(problem("hazards", "not_empty", "validation.sample.hazards_required", Map.of()));
        } else if (!SampleRequest.HAZARDS.containsAll(hazards)) {
            out.add(problem("hazards", "unknown", "validation.sample.hazard_unknown",
                    Map.of("allowed", String.join(", ", SampleRequest.HAZARDS))));
        } else if (hazards.contains("none") && new LinkedHashSet<>(hazards).size() > 1) {
            out.add(problem("hazards", "none_exclusive", "validation.sample.hazard_none_exclusive", Map.of()));
        }
        boolean hazardous = out.size() == before && !hazards.contains("none");
        if (in.safetyNotes() != null && in.safetyNotes().length() > 2000) {
            out.add(problem("safetyNotes", "size", "validation.size", Map.of("min", 0, "max", 2000)));
        } else if (hazardous && (in.safetyNotes() == null || in.safetyNotes().isBlank())) {
            out.add(problem("safetyNotes", "required_for_hazard", "validation.sample.safety_notes_required", Map.of()));
        }
        if (in.accountCode() != null && in.accountCode().strip().length() > 64) {
            out.add(problem("accountCode", "size", "validation.size", Map.of("min", 1, "max", 64)));
        }
        return out;
    }

    private static List<String> cleanItems(List<String> items) {
        List<String> out = new ArrayList<>();
        for (String s : items) {
            if (s != null && !s.isBlank()) {
                out.add(s.strip());
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ transitions

    public SampleRequest accept(TenantId tenant, Requester staff, UUID id, @Nullable Long version, @Nullable String note) {
        return step(tenant, staff, id, version, Step.ACCEPT, note, null);
    }

    public SampleRequest reject(TenantId tenant, Requester staff, UUID id, @Nullable Long version, @Nullable String reason) {
        requireReason(reason);
        return step(tenant, staff, id, version, Step.REJECT, reason, null);
    }

    public SampleRequest receive(TenantId tenant, Requester staff, UUID id, @Nullable Long version,
                                 @Nullable Integer receivedCount, @Nullable String note) {
        List<FieldProblem> problems = new ArrayList<>();
        if (receivedCount == null) {
            problems.add(problem("receivedCount", "not_null", "validation.not_null", Map.of()));
        } else if (receivedCount < 0 || receivedCount > 1000) {
            problems.add(problem("receivedCount", "range", "validation.sample.count", Map.of("min", 0, "max", 1000)));
        }
        checkNote(note, "note", problems);
        if (!problems.isEmpty()) {
            throw invalid(problems);
        }
        return step(tenant, staff, id, version, Step.RECEIVE, note, receivedCount);
    }

    public SampleRequest start(TenantId tenant, Requester staff, UUID id, @Nullable Long version, @Nullable String note) {
        return step(tenant, staff, id, version, Step.START, note, null);
    }

    public SampleRequest close(TenantId tenant, Requester staff, UUID id, @Nullable Long version, @Nullable String note) {
        return step(tenant, staff, id, version, Step.CLOSE, note, null);
    }

    public SampleRequest withdraw(TenantId tenant, Requester requester, UUID id, @Nullable Long version,
                                  @Nullable String note) {
        return step(tenant, requester, id, version, Step.WITHDRAW, note, null);
    }

    public SampleRequest cancel(TenantId tenant, Requester staff, UUID id, @Nullable Long version, @Nullable String reason) {
        requireReason(reason);
        return step(tenant, staff, id, version, Step.CANCEL, reason, null);
    }

    private SampleRequest step(TenantId tenant, Requester who, UUID id, @Nullable Long version, Step step,
                               @Nullable String note, @Nullable Integer receivedCount) {
        List<FieldProblem> problems = new ArrayList<>();
        checkNote(note, step == Step.REJECT || step == Step.CANCEL ? "reason" : "note", problems);
        if (!problems.isEmpty()) {
            throw invalid(problems);
        }
        return tenants.inTenant(tenant, c -> {
            SampleRequest before = lock(c, id, version);
            if (!step.from.contains(before.status())) {
                throw wrongState(before.status());
            }
            Instant now = clock.now();
            String text = blankToNull(note);
            StringBuilder sql = new StringBuilder("update sample_request set status = ?, " + step.column + " = ?, "
                    + "version = version + 1, updated_at = ?");
            if (step == Step.REJECT || step == Step.CANCEL) {
                sql.append(", reason = ?");
            } else if (step == Step.RECEIVE) {
                sql.append(", received_count = ?, receipt_note = ?");
            }
            sql.append(" where id = ?");
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                int i = 1;
                ps.setString(i++, step.to);
                ps.setTimestamp(i++, Timestamp.from(now));
                ps.setTimestamp(i++, Timestamp.from(now));
                if (step == Step.REJECT || step == Step.CANCEL) {
                    ps.setString(i++, text);
                } else if (step == Step.RECEIVE) {
                    ps.setInt(i++, receivedCount);
                    ps.setString(i++, text);
                }
                ps.setObject(i, id);
                ps.executeUpdate();
            }
            event(c, id, before.status(), step.to, who, now, text);
            SampleRequest after = read(c, id).orElseThrow();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("instrumentId", before.instrumentId().toString());
            details.put("from", before.status());
            details.put("to", step.to);
            details.put("note", text == null ? "" : text);
            if (receivedCount != null) {
                details.put("receivedCount", receivedCount);
            }
            audit.append(c, who.actor().entry("sample." + step.type(), "sample_request", id.toString(), details));
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("note", text);
            if (receivedCount != null) {
                extra.put("receivedCount", receivedCount);
            }
            events.changed(c, step.type(), before.status(), after, extra);
            return after;
        });
    }

    /**
     * Adds result or report files: in progress (the request becomes results_ready) or already
     * results_ready (more files). At most {@code max-files} per request, each at most
     * {@code max-file-bytes} (the caller checks the size before reading; checked here again).
     */
    public SampleRequest addResults(TenantId tenant, Requester staff, UUID id, @Nullable Long version,
                                    List<Upload> files, @Nullable String note) {
        List<FieldProblem> problems = new ArrayList<>();
        if (files.isEmpty()) {
            problems.add(problem("file", "not_null", "validation.sample.file_required", Map.of()));
        }
        for (Upload u : files) {
            if (u.bytes().length > settings.getMaxFileBytes()) {
                throw tooLarge(settings.getMaxFileBytes());
            }
            if (u.bytes().length == 0) {
                problems.add(problem("file", "empty", "validation.file_empty", Map.of()));
            }
        }
        checkNote(note, "note", problems);
        if (!problems.isEmpty()) {
            throw invalid(problems);
        }
        return tenants.inTenant(tenant, c -> {
            SampleRequest before = lock(c, id, version);
            if (!List.of("in_progress", "results_ready").contains(before.status())) {
                throw wrongState(before.status());
            }
            int existing;
            try (PreparedStatement ps = c.prepareStatement("select count(*) from sample_result_file where request_id = ?")) {
                ps.setObject(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    existing = rs.getInt(1);
                }
            }
            if (existing + files.size() > settings.getMaxFiles()) {
                throw invalid(List.of(problem("file", "too_many", "validation.sample.too_many_files",
                        Map.of("max", settings.getMaxFiles()))));
            }
            Instant now = clock.now();
            List<String> names = new ArrayList<>();
            for (Upload u : files) {
                String name = safeName(u.fileName());
                names.add(name);
                try (PreparedStatement ps = c.prepareStatement("insert into sample_result_file (tenant_id, id, request_id, "
                        + "file_name, content_type, size_bytes, sha256, content, uploaded_by, uploaded_at) values "
                        + "(app_tenant(), ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    ps.setObject(1, UUID.randomUUID());
                    ps.setObject(2, id);
                    ps.setString(3, name);
                    ps.setString(4, contentType(u.contentType()));
                    ps.setLong(5, u.bytes().length);
                    ps.setString(6, sha256(u.bytes()));
                    ps.setBytes(7, u.bytes());
                    ps.setObject(8, staff.userId());
                    ps.setTimestamp(9, Timestamp.from(now));
                    ps.executeUpdate();
                }
            }
            String text = blankToNull(note);
            boolean first = "in_progress".equals(before.status());
            try (PreparedStatement ps = c.prepareStatement("update sample_request set status = 'results_ready', "
                    + "results_ready_at = coalesce(results_ready_at, ?), version = version + 1, updated_at = ? where id = ?")) {
                ps.setTimestamp(1, Timestamp.from(now));
                ps.setTimestamp(2, Timestamp.from(now));
                ps.setObject(3, id);
                ps.executeUpdate();
            }
            event(c, id, before.status(), "results_ready", staff, now, text == null ? String.join(", ", names)
                    : text + " (" + String.join(", ", names) + ")");
            SampleRequest after = read(c, id).orElseThrow();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("instrumentId", before.instrumentId().toString());
            details.put("from", before.status());
            details.put("to", "results_ready");
            details.put("files", String.join(", ", names));
            audit.append(c, staff.actor().entry(first ? "sample.results_ready" : "sample.results_added", "sample_request",
                    id.toString(), details));
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("note", text);
            extra.put("filesAdded", files.size());
            extra.put("fileCount", after.files().size());
            events.changed(c, "results_ready", before.status(), after, extra);
            return after;
        });
    }

    // ------------------------------------------------------------------ read

    /** One request with its history and files, in the tenant. */
    public Optional<SampleRequest> find(TenantId tenant, UUID id) {
        return tenants.inTenant(tenant, c -> read(c, id));
    }

    public Page<SampleRequest> list(TenantId tenant, Filter f, int page, int size) {
        return tenants.inTenant(tenant, c -> {
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
            return new Page<>(items, total, page, size);
        });
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

    public Optional<Content> file(TenantId tenant, UUID requestId, UUID fileId) {
        return tenants.inTenant(tenant, c -> {
            try (PreparedStatement ps = c.prepareStatement("select file_name, content_type, content from sample_result_file "
                    + "where request_id = ? and id = ?")) {
                ps.setObject(1, requestId);
                ps.setObject(2, fileId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new Content(rs.getString(1), rs.getString(2), rs.getBytes(3)))
                            : Optional.empty();
                }
            }
        });
    }

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

    // ------------------------------------------------------------------ helpers

    /** The request, locked for the change; 404 when absent, 409 version_conflict when {@code version} is stale. */
    private SampleRequest lock(Connection c, UUID id, @Nullable Long version) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select version from sample_request where id = ? for update")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw ProblemException.notFound();
                }
                if (version != null && version != rs.getLong(1)) {
                    throw new ProblemException(HttpStatus.CONFLICT, "version_conflict", rs.getLong(1));
                }
            }
        }
        return read(c, id).orElseThrow();
    }

    private static void event(Connection c, UUID request, @Nullable String from, String to, Requester who, Instant at,
                              @Nullable String note) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into sample_request_event (tenant_id, id, request_id, "
                + "from_status, to_status, actor_user_id, at, note) values "
                + "(app_tenant(), ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setObject(1, UUID.randomUUID());
            ps.setObject(2, request);
            ps.setString(3, from);
            ps.setString(4, to);
            ps.setObject(5, who.userId());
            ps.setTimestamp(6, Timestamp.from(at));
            ps.setString(7, note == null ? null : note.length() > 1000 ? note.substring(0, 1000) : note);
            ps.executeUpdate();
        }
    }

    private static void requireReason(@Nullable String reason) {
        if (reason == null || reason.isBlank()) {
            throw invalid(List.of(problem("reason", "not_blank", "validation.sample.reason_required", Map.of())));
        }
    }

    private static void checkNote(@Nullable String note, String field, List<FieldProblem> problems) {
        if (note != null && note.strip().length() > 1000) {
            problems.add(problem(field, "size", "validation.size", Map.of("min", 0, "max", 1000)));
        }
    }

    static ProblemException wrongState(String current) {
        return new ProblemException(HttpStatus.CONFLICT, "wrong_state", current);
    }

    static ProblemException tooLarge(long max) {
        return new ProblemException(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "too_large", List.of(
                problem("file", "too_large", "validation.file_too_large", Map.of("max", Math.max(1, max / (1024 * 1024))))));
    }

    static FieldProblem problem(String field, String code, String key, Map<String, Object> args) {
        return new FieldProblem(field, code, key, args);
    }

    static ProblemException invalid(List<FieldProblem> problems) {
        return new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", problems);
    }

    /** A declared content type kept when it looks like one (type/subtype), else octet-stream; downloads are attachments. */
    static String contentType(@Nullable String declared) {
        if (declared != null && declared.length() <= 100 && declared.matches("[a-zA-Z0-9.+-]+/[a-zA-Z0-9.+-]+")) {
            return declared.toLowerCase(java.util.Locale.ROOT);
        }
        return "application/octet-stream";
    }

    static String safeName(@Nullable String name) {
        String n = name == null ? "result" : name.replace('\\', '/');
        n = n.substring(n.lastIndexOf('/') + 1).replaceAll("[\\p{Cntrl}\"]", "").strip();
        if (n.isEmpty()) {
            n = "result";
        }
        return n.length() > 255 ? n.substring(n.length() - 255) : n;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String blankToNull(@Nullable String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}

package org.labcommons.core.samples;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.booking.BookingClock;
import org.labcommons.core.booking.BookingService.Requester;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
public record SampleRequests(TenantTransactions tenants,
                             SampleRequestRows rows,
                             AuditLog audit,
                             SampleEvents events,
                             BookingClock clock,
                             SampleSettings settings,
                             @Nullable org.labcommons.core.booking.ChargeAccountPort accounts) {
    /** A page of a list (0-based). */
    @Serdeable
    public record Page<T>(List<T> items, long total, int page, int size) {
    }

    /** What a list asks for: the requester's own, or what the staff may see (all, or these instruments/units). */
    public record Filter(@Nullable UUID requester, boolean allInstruments, Set<UUID> instruments, Set<UUID> units,
                         List<String> statuses, @Nullable UUID instrumentId) {
    }

    /**
     * An uploaded file, read (and size-checked) by the caller. The type the client declared is not
     * part of it: the stored type is detected from the bytes ({@link ResultFileTypes}).
     */
    public record Upload(String fileName, byte[] bytes) {
    }

    /** A file's bytes for download, with the type to serve it as (detected from the bytes when it is read). */
    public record Content(String fileName, String contentType, byte[] bytes) {
    }

    /** A transition: which action, the state(s) it starts from, where it goes. */
    enum Step {
        ACCEPT("accepted", "submitted"),
        REJECT("rejected", "submitted"),
        RECEIVE("received", "accepted"),
        START("in_progress", "received"),
        CLOSE("closed", "results_ready"),
        WITHDRAW("withdrawn", "submitted", "accepted"),
        CANCEL("cancelled", "submitted", "accepted", "received");

        final String to;
        final List<String> from;

        Step(String to, String... from) {
            this.to = to;
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
            if (!rows.lockInstrumentOpen(instrumentId).orElseThrow(ProblemException::notFound)) {
                throw invalid(List.of(problem("instrumentId", "instrument_unavailable", "validation.sample.instrument_unavailable",
                        Map.of())));
            }
            String serviceZh = null;
            String serviceEn = null;
            if (in.serviceId() != null) {
                SampleRequestRows.Names names = rows.serviceNames(instrumentId, in.serviceId()).orElseThrow(() -> invalid(
                        List.of(problem("serviceId", "unknown_service", "validation.sample.unknown_service", Map.of()))));
                serviceZh = names.nameZh();
                serviceEn = names.nameEn();
            }
            boolean outside = !who.homeTenant().equals(tenant);
            String rateGroup = outside ? "external" : "internal";
            Instant now = clock.now();
            UUID id = UUID.randomUUID();
            rows.insert(id, instrumentId, in.serviceId(), serviceZh, serviceEn, who.userId(), who.homeTenant().value(),
                    blankToNull(in.accountCode()), rateGroup, in.sampleCount(), cleanItems(in.items()).toArray(String[]::new),
                    in.sampleInfo().strip(), new LinkedHashSet<>(in.hazards()).toArray(String[]::new),
                    blankToNull(in.safetyNotes()), now);
            if (accounts != null && blankToNull(in.accountCode()) != null) {
                // billing's say on the account, after the insert (the estimate counts the request's samples)
                List<FieldProblem> refused = new ArrayList<>();
                accounts.admit(c, tenant, who.userId(), who.homeTenant(), instrumentId, in.serviceId(),
                        blankToNull(in.accountCode()), rateGroup, now, null, id, refused);
                if (!refused.isEmpty()) {
                    throw invalid(refused);
                }
            }
            event(id, null, "submitted", who.userId(), now, null);
            SampleRequest after = read(id).orElseThrow();
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
            SampleRequest before = lock(id, version);
            if (!step.from.contains(before.status())) {
                throw wrongState(before.status());
            }
            Instant now = clock.now();
            String text = blankToNull(note);
            rows.step(id, step.to, now, text, receivedCount);
            if (accounts != null && before.accountCode() != null
                    && (step == Step.REJECT || step == Step.WITHDRAW || step == Step.CANCEL)) {
                accounts.release(c, tenant, id);
            }
            event(id, before.status(), step.to, who.userId(), now, text);
            SampleRequest after = read(id).orElseThrow();
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
            SampleRequest before = lock(id, version);
            if (!List.of("in_progress", "results_ready").contains(before.status())) {
                throw wrongState(before.status());
            }
            int existing = rows.fileCount(id);
            if (existing + files.size() > settings.getMaxFiles()) {
                throw invalid(List.of(problem("file", "too_many", "validation.sample.too_many_files",
                        Map.of("max", settings.getMaxFiles()))));
            }
            Instant now = clock.now();
            List<String> names = new ArrayList<>();
            for (Upload u : files) {
                String name = safeName(u.fileName());
                names.add(name);
                rows.insertFile(UUID.randomUUID(), id, name, ResultFileTypes.detect(u.bytes(), name), u.bytes().length,
                        sha256(u.bytes()), u.bytes(), staff.userId(), now);
            }
            String text = blankToNull(note);
            boolean first = "in_progress".equals(before.status());
            rows.resultsReady(id, now);
            event(id, before.status(), "results_ready", staff.userId(), now, text == null ? String.join(", ", names)
                    : text + " (" + String.join(", ", names) + ")");
            SampleRequest after = read(id).orElseThrow();
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
        return tenants.inTenant(tenant, c -> read(id));
    }

    /** A page of the requests matching {@code f}, newest first. */
    public Page<SampleRequest> list(TenantId tenant, Filter f, int page, int size) {
        String[] instruments = f.instruments().stream().map(UUID::toString).toArray(String[]::new);
        String[] units = f.units().stream().map(UUID::toString).toArray(String[]::new);
        String[] statuses = f.statuses().toArray(String[]::new);
        return tenants.inTenant(tenant, c -> {
            ZoneId zone = zone();
            long total = rows.count(f.requester(), f.allInstruments(), instruments, units, statuses, f.instrumentId());
            List<SampleRequest> items = rows.page(f.requester(), f.allInstruments(), instruments, units, statuses,
                    f.instrumentId(), size, (long) page * size).stream().map(r -> SampleRequest.of(r, zone)).toList();
            return new Page<>(items, total, page, size);
        });
    }

    /**
     * A result file to download, typed by its bytes: detected again here rather than read from the
     * row, so a row stored with a client's declared type is served by its content as well.
     */
    public Optional<Content> file(TenantId tenant, UUID requestId, UUID fileId) {
        return tenants.inTenant(tenant, c -> rows.file(requestId, fileId)
                .map(f -> new Content(f.fileName(), ResultFileTypes.servedFor(f.content(), f.fileName()), f.content())));
    }

    // ------------------------------------------------------------------ helpers

    /** One request with its history and files, in the bound tenant's zone. */
    private Optional<SampleRequest> read(UUID id) {
        return rows.view(id).map(r -> {
            ZoneId zone = zone();
            return SampleRequest.of(r, zone).with(
                    rows.history(id).stream().map(e -> SampleRequest.of(e, zone)).toList(),
                    rows.files(id).stream().map(f -> SampleRequest.of(f, zone)).toList());
        });
    }

    private ZoneId zone() {
        return ZoneId.of(rows.timeZone().orElse("Asia/Shanghai"));
    }

    /** A line of the request's history (the note cut to 1000 characters). */
    private void event(UUID request, @Nullable String from, String to, UUID actor, Instant at, @Nullable String note) {
        rows.event(UUID.randomUUID(), request, from, to, actor, at,
                note == null || note.length() <= 1000 ? note : note.substring(0, 1000));
    }

    /** The request, locked for the change; 404 when absent, 409 version_conflict when {@code version} is stale. */
    private SampleRequest lock(UUID id, @Nullable Long version) {
        long stored = rows.lockVersion(id).orElseThrow(ProblemException::notFound);
        if (version != null && version != stored) {
            throw new ProblemException(HttpStatus.CONFLICT, "version_conflict", stored);
        }
        return read(id).orElseThrow();
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

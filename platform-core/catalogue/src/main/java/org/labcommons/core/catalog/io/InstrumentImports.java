package org.labcommons.core.catalog.io;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.http.HttpStatus;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.validation.validator.Validator;
import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.catalog.Classifications;
import org.labcommons.core.catalog.Instrument;
import org.labcommons.core.catalog.InstrumentInput;
import org.labcommons.core.catalog.InstrumentQuery;
import org.labcommons.core.catalog.InstrumentService;
import org.labcommons.core.db.SqlStates;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.problem.ProblemHandlers;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Imports of an institution's asset register (docs/catalogue-import.md): upload → column mapping
 * (suggested from the header) → preview → dry run → commit. The file stays in
 * {@code import_upload} (tenant-scoped, 24 h) so every step reads the same bytes. The commit is
 * one tenant transaction: every row is valid and written, or nothing is; unless the admin asks
 * for the valid rows only, when the rows with problems are skipped (and counted). Rows are matched to the
 * catalogue by asset number ({@link InstrumentService#upsertAll}), so importing the same file
 * again creates nothing. Every step that changes something is audited.
 */
@Singleton
public record InstrumentImports(TenantTransactions tenants,
                                InstrumentService instruments,
                                Classifications classifications,
                                AuditLog audit,
                                Validator validator,
                                ImportLimits limits,
                                ImportUploads uploads,
                                ImportUnits units) {
    /** At most this many row problems are listed in a report (the counts stay exact). */
    public static final int MAX_LISTED_PROBLEMS = 2000;

    /** An upload as its owner sees it (never the bytes). */
    @Serdeable
    public record Upload(UUID id, String fileName, String format, @Nullable String encoding, @Nullable String separator,
                         long sizeBytes, String sha256, List<String> header, int headerRow, int rowCount,
                         ColumnMapping mapping, Map<String, Integer> suggested, String status, Instant createdAt,
                         Instant expiresAt, @Nullable Instant committedAt) {
    }

    /** One row's problem: the row number as the spreadsheet shows it, the field, and the column it came from. */
    public record RowProblem(int row, String field, @Nullable String column, FieldProblem problem) {
    }

    /** A row as it would be stored, with its problems (the preview). */
    public record PreviewRow(int row, InstrumentInput record, boolean exists, @Nullable String outcome,
                             List<RowProblem> problems) {
    }

    /**
     * The dry run's or the commit's account of the whole file; {@code newUnits}: the units it lacks ({@link ImportUnits});
     * {@code skipped}: the rows with problems a valid-rows-only commit left out (0 otherwise).
     */
    public record Report(int rows, int valid, int invalid, int created, int updated, int unchanged,
                         int problemCount, List<RowProblem> problems, boolean written,
                         List<ImportUnits.NewUnit> newUnits, int skipped) {
    }

    /** Every row's problems by row number (rows without problems left out), with the file they came from. */
    public record Checked(Upload upload, byte[] content, Map<Integer, List<RowProblem>> problems) {
    }

    // ---------------------------------------------------------------- upload

    public Upload upload(TenantId tenant, AuditEntry.Actor actor, String fileName, byte[] bytes) {
        List<String> header = new ArrayList<>();
        int[] headerRow = {0};
        int[] rows = {0};
        Spreadsheets.Detected detected;
        try {
            detected = Spreadsheets.read(bytes, limits, (number, cells) -> {
                if (headerRow[0] == 0) {
                    headerRow[0] = number;
                    cells.forEach(c -> header.add(c == null ? "" : c.strip()));
                } else {
                    rows[0]++;
                }
                return true;
            });
        } catch (SpreadsheetException e) {
            throw fileProblem(e.code(), e.args());
        }
        if (headerRow[0] == 0) {
            throw fileProblem("no_header");
        }
        if (rows[0] == 0) {
            throw fileProblem("no_rows");
        }
        String sha = sha256(bytes);
        String name = safeName(fileName);
        Map<String, Integer> suggested = ImportField.suggestAll(header);
        UUID id = UUID.randomUUID();
        Instant expires = Instant.now().plus(limits.getUploadTtl());
        return tenants.inTenant(tenant, c -> {
            uploads.insert(new ImportUploads.NewUpload(id, name, detected.format().name().toLowerCase(Locale.ROOT),
                    detected.encoding(), detected.separator(), bytes, sha, header, headerRow[0], rows[0],
                    new ColumnMapping(suggested, Map.of()), actor.issuer(),
                    actor.subject() == null ? "system" : actor.subject(), expires));
            Map<String, Object> details = new HashMap<>();
            details.put("fileName", name);
            details.put("format", detected.format().name().toLowerCase(Locale.ROOT));
            details.put("rows", rows[0]);
            details.put("sha256", sha);
            details.put("sizeBytes", bytes.length);
            audit.append(c, actor.entry("instrument_import.uploaded", "import_upload", id.toString(), details));
            return find(c, id).orElseThrow();
        });
    }

    public Optional<Upload> find(TenantId tenant, UUID id) {
        return tenants.inTenant(tenant, c -> find(c, id));
    }

    private Optional<Upload> find(Connection c, UUID id) throws SQLException {
        return uploads.find(id);
    }

    /** The first {@code n} data rows as text (the mapping step shows samples under each column). */
    public List<List<String>> samples(TenantId tenant, UUID id, int n) {
        return tenants.inTenant(tenant, c -> {
            Loaded loaded = load(c, id, false);
            List<List<String>> out = new ArrayList<>();
            Spreadsheets.read(loaded.content(), limits, loaded.upload().encoding(), (number, cells) -> {
                if (number <= loaded.upload().headerRow()) {
                    return true;
                }
                out.add(cells.stream().map(v -> RowMapper.shorten(CellValues.unneutralise(v))).toList());
                return out.size() < n;
            });
            return out;
        });
    }

    // ---------------------------------------------------------------- mapping

    /**
     * Replaces the mapping; fields must be known, columns must exist, the asset number must be mapped
     * or generated (with a valid prefix), a parent for new units must exist.
     */
    public Upload map(TenantId tenant, AuditEntry.Actor actor, UUID id, ColumnMapping mapping) {
        return tenants.inTenant(tenant, c -> {
            Upload upload = find(c, id).orElseThrow(ProblemException::notFound);
            List<FieldProblem> problems = new ArrayList<>();
            mapping.columns().forEach((field, index) -> {
                if (ImportField.byKey(field).isEmpty()) {
                    problems.add(new FieldProblem("columns." + field, "unknown_field", "import.unknown_field",
                            Map.of("value", RowMapper.shorten(field))));
                } else if (index == null || index < 0 || index >= upload.header().size()) {
                    problems.add(new FieldProblem("columns." + field, "no_such_column", "import.no_such_column",
                            Map.of("value", String.valueOf(index))));
                }
            });
            mapping.defaults().forEach((field, value) -> {
                if (ImportField.byKey(field).isEmpty() || "assetNumber".equals(field)) {
                    problems.add(new FieldProblem("defaults." + field, "unknown_field", "import.unknown_field",
                            Map.of("value", RowMapper.shorten(field))));
                } else if (value != null && value.length() > 2000) {
                    problems.add(new FieldProblem("defaults." + field, "size", "validation.size",
                            Map.of("min", 0, "max", 2000)));
                }
            });
            if (!mapping.givesAssetNumbers()) {
                problems.add(new FieldProblem("columns.assetNumber", "required", "import.asset_number_unmapped", Map.of()));
            }
            if (mapping.assetNumbers() != null) {
                problems.addAll(mapping.assetNumbers().problems());
            }
            problems.addAll(units.problems(mapping));
            if (!problems.isEmpty()) {
                throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", problems);
            }
            uploads.saveMapping(id, mapping);
            Map<String, Object> details = new HashMap<>();
            details.put("columns", mapping.columns());
            details.put("defaults", mapping.defaults().keySet());
            if (mapping.assetNumbers() != null) {
                details.put("assetNumberPrefix", mapping.assetNumbers().prefixOrDefault());
            }
            if (mapping.newUnits() != null) {
                details.put("newUnitsParent", String.valueOf(mapping.newUnits().parentId()));
            }
            audit.append(c, actor.entry("instrument_import.mapped", "import_upload", id.toString(), details));
            return find(c, id).orElseThrow();
        });
    }

    // ---------------------------------------------------------------- preview, dry run, commit

    /** The first rows as they would be stored, each with its problems (nothing is written). */
    public List<PreviewRow> preview(TenantId tenant, AuditEntry.Actor actor, UUID id, int rows) {
        int limit = Math.max(1, Math.min(rows, 200));
        return tenants.inTenant(tenant, c -> {
            Loaded loaded = load(c, id, false);
            Evaluation e = evaluate(c, actor, loaded, limit, false, false);
            List<PreviewRow> out = new ArrayList<>();
            for (int i = 0; i < e.mapped.size(); i++) {
                RowMapper.Mapped m = e.mapped.get(i);
                out.add(new PreviewRow(m.rowNumber(), m.input(), m.exists(), e.outcomes.get(i), e.problems.get(i)));
            }
            return out;
        });
    }

    /** The units the file names that the tenant lacks, and whether the commit would create them (nothing is written). */
    public List<ImportUnits.NewUnit> newUnits(TenantId tenant, AuditEntry.Actor actor, UUID id) {
        return tenants.inTenant(tenant, c -> {
            Loaded loaded = load(c, id, false);
            return units.plan(actor, loaded.upload().mapping(), loaded.upload().headerRow(),
                    h -> Spreadsheets.read(loaded.content(), limits, loaded.upload().encoding(), h), false).newUnits();
        });
    }

    /** Every row checked as the commit would check it, and what the commit would do; nothing is written. */
    public Report dryRun(TenantId tenant, AuditEntry.Actor actor, UUID id) {
        return tenants.inTenant(tenant, c -> {
            Loaded loaded = load(c, id, false);
            Evaluation e = evaluate(c, actor, loaded, Integer.MAX_VALUE, false, false);
            Report report = e.report(false, false);
            uploads.checked(id, summary(report));
            audit.append(c, actor.entry("instrument_import.dry_run", "import_upload", id.toString(), summary(report)));
            return report;
        });
    }

    /** Every row checked as the commit would check it, each row's problems kept (the problems file); nothing is written. */
    public Checked check(TenantId tenant, AuditEntry.Actor actor, UUID id) {
        return tenants.inTenant(tenant, c -> {
            Loaded loaded = load(c, id, false);
            Evaluation e = evaluate(c, actor, loaded, Integer.MAX_VALUE, false, false);
            Map<Integer, List<RowProblem>> byRow = new LinkedHashMap<>();
            for (int i = 0; i < e.mapped.size(); i++) {
                if (!e.problems.get(i).isEmpty()) {
                    byRow.put(e.mapped.get(i).rowNumber(), e.problems.get(i));
                }
            }
            return new Checked(loaded.upload(), loaded.content(), byRow);
        });
    }

    /** Writes every row, or none ({@link #commit(TenantId, AuditEntry.Actor, UUID, boolean)} with all or nothing). */
    public Report commit(TenantId tenant, AuditEntry.Actor actor, UUID id) {
        return commit(tenant, actor, id, false);
    }

    /**
     * All or nothing ({@code validOnly} false): any problem in any row refuses the whole file (422,
     * with the problems), and the transaction is rolled back. With {@code validOnly} the rows without
     * problems are written and the others skipped (the report's {@code skipped}); a file without one
     * valid row is refused all the same. The refusal is audited on its own.
     */
    public Report commit(TenantId tenant, AuditEntry.Actor actor, UUID id, boolean validOnly) {
        try {
            return tenants.inTenant(tenant, c -> {
                Loaded loaded = load(c, id, true);
                Evaluation e = evaluate(c, actor, loaded, Integer.MAX_VALUE, true, validOnly);
                Report report = e.report(e.invalidRows == 0 || (validOnly && e.invalidRows < e.mapped.size()), validOnly);
                if (!report.written()) {
                    throw new ImportRefused(report);
                }
                Map<String, Object> details = summary(report);
                details.put("validOnly", validOnly);
                uploads.committed(id, details);
                audit.append(c, actor.entry("instrument_import.committed", "import_upload", id.toString(), details));
                return report;
            });
        } catch (ImportRefused refused) {
            tenants.inTenant(tenant, c -> {
                Map<String, Object> details = summary(refused.report);
                audit.append(c, actor.entry("instrument_import.refused", "import_upload", id.toString(), details));
                return null;
            });
            throw refused;
        }
    }

    /** Thrown (and rolling the commit back) when any row has a problem; carries the report. */
    public static final class ImportRefused extends RuntimeException {
        private final Report report;

        ImportRefused(Report report) {
            super("import refused: " + report.invalid() + " invalid rows");
            this.report = report;
        }

        public Report report() {
            return report;
        }
    }

    private static Map<String, Object> summary(Report r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rows", r.rows());
        m.put("valid", r.valid());
        m.put("invalid", r.invalid());
        m.put("created", r.created());
        m.put("updated", r.updated());
        m.put("unchanged", r.unchanged());
        m.put("problems", r.problemCount());
        m.put("written", r.written());
        m.put("skipped", r.skipped());
        m.put("unitsCreated", r.written() ? r.newUnits().stream().filter(ImportUnits.NewUnit::create).count() : 0);
        return m;
    }

    private record Loaded(Upload upload, byte[] content) {
    }

    private Loaded load(Connection c, UUID id, boolean lock) throws SQLException {
        if (lock) {
            uploads.lock(id);
        }
        Upload upload = find(c, id).orElseThrow(ProblemException::notFound);
        return new Loaded(upload, uploads.content(id));
    }

    /** Everything known about the rows: mapped records, problems per row, predicted or actual outcomes. */
    private final class Evaluation {
        final List<RowMapper.Mapped> mapped = new ArrayList<>();
        final List<List<RowProblem>> problems = new ArrayList<>();
        final List<String> outcomes = new ArrayList<>();
        int invalidRows;
        int problemCount;
        int created;
        int updated;
        int unchanged;
        List<ImportUnits.NewUnit> newUnits = List.of();

        Report report(boolean written, boolean validOnly) {
            List<RowProblem> listed = new ArrayList<>();
            for (List<RowProblem> row : problems) {
                for (RowProblem p : row) {
                    if (listed.size() < MAX_LISTED_PROBLEMS) {
                        listed.add(p);
                    }
                }
            }
            List<ImportUnits.NewUnit> units = written ? newUnits : newUnits.stream()   // none was kept
                    .map(u -> new ImportUnits.NewUnit(u.name(), u.code(), u.rows(), u.create(), null)).toList();
            return new Report(mapped.size(), mapped.size() - invalidRows, invalidRows, created, updated, unchanged,
                    problemCount, listed, written, units, written && validOnly ? invalidRows : 0);
        }
    }

    /** {@code write}: write the rows; all of them when every row is valid, or with {@code validOnly} the valid ones. */
    private Evaluation evaluate(Connection c, AuditEntry.Actor actor, Loaded loaded, int maxRows, boolean write,
                                boolean validOnly) throws SQLException {
        Upload upload = loaded.upload();
        ColumnMapping mapping = upload.mapping();
        if (!mapping.givesAssetNumbers()) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", List.of(new FieldProblem(
                    "columns.assetNumber", "required", "import.asset_number_unmapped", Map.of())));
        }
        // units the file names that the tenant lacks: created now when committing (rolled back with a refusal)
        ImportUnits.Plan plan = units.plan(actor, mapping, upload.headerRow(),
                h -> Spreadsheets.read(loaded.content(), limits, upload.encoding(), h), write);
        RowMapper.References refs = new RowMapper.References(plan.units(), classifications, existing(c));
        AssetNumbers numbers = AssetNumbers.of(mapping);
        Evaluation e = new Evaluation();
        e.newUnits = plan.newUnits();
        Spreadsheets.read(loaded.content(), limits, upload.encoding(), (number, cells) -> {
            if (number <= upload.headerRow()) {
                return true;
            }
            if (e.mapped.size() >= maxRows) {
                return false;
            }
            e.mapped.add(RowMapper.map(number, cells, mapping, refs, numbers == null ? null : numbers.next(cells)));
            return true;
        });
        List<InstrumentInput> inputs = new ArrayList<>(e.mapped.size());
        boolean anyInvalid = false;
        for (RowMapper.Mapped m : e.mapped) {
            List<FieldProblem> rowProblems = new ArrayList<>(m.problems());
            Set<String> parsed = new HashSet<>();
            m.problems().forEach(p -> parsed.add(p.field()));
            for (ConstraintViolation<InstrumentInput> v : validator.validate(m.input())) {
                FieldProblem p = fromViolation(v);
                if (!parsed.contains(p.field())) {
                    rowProblems.add(p);
                }
            }
            anyInvalid |= !rowProblems.isEmpty();
            e.problems.add(rows(m, rowProblems, mapping, upload.header()));
            inputs.add(m.input());
        }
        Map<String, Instrument> existing = refs.existingMap();
        // every row is checked (the database checks and duplicates within the file) without writing
        List<InstrumentService.RowResult> results = inputs.isEmpty() ? List.of()
                : plan.withoutPlanned(instruments.upsertAll(c, actor, inputs, false), inputs);
        boolean writeNow = write && (validOnly || !anyInvalid && results.stream().allMatch(InstrumentService.RowResult::ok));
        Set<Integer> refusedRows = new HashSet<>();
        results.stream().filter(r -> !r.ok()).forEach(r -> refusedRows.add(r.index()));
        Map<Integer, String> written = new HashMap<>();
        if (writeNow) {
            // then only the rows that change something are written: a re-import of the same file
            // touches nothing (the same decision InstrumentService makes row by row, made up front)
            List<Integer> changing = new ArrayList<>();
            List<InstrumentInput> toWrite = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                if (!e.problems.get(i).isEmpty() || refusedRows.contains(i)) {
                    continue;   // only with validOnly: a row with problems is skipped
                }
                Instrument stored = existing.get(inputs.get(i).assetNumber());
                if (stored == null || InstrumentService.wouldChange(stored, inputs.get(i))) {
                    changing.add(i);
                    toWrite.add(inputs.get(i));
                }
            }
            try {
                List<InstrumentService.RowResult> done = toWrite.isEmpty() ? List.of()
                        : instruments.upsertAll(c, actor, toWrite, true);
                for (InstrumentService.RowResult r : done) {
                    if (!r.ok()) {
                        throw new IllegalStateException("a row checked valid was refused on writing: " + r.problems());
                    }
                    written.put(changing.get(r.index()), r.outcome().name());
                }
            } catch (DataAccessException ex) {
                if (SqlStates.causedBy(ex, SqlStates.UNIQUE_VIOLATION)) {   // a concurrent import took an asset number first
                    throw new ProblemException(HttpStatus.CONFLICT, "conflict");
                }
                throw ex;
            }
        }
        for (InstrumentService.RowResult r : results) {
            int i = r.index();
            RowMapper.Mapped m = e.mapped.get(i);
            if (!r.problems().isEmpty()) {
                List<FieldProblem> translated = new ArrayList<>();
                for (FieldProblem p : r.problems()) {
                    if ("duplicate_in_file".equals(p.code()) && p.args().get("row") instanceof Integer first) {
                        translated.add(new FieldProblem(p.field(), p.code(), p.messageKey(),
                                Map.of("row", e.mapped.get(first).rowNumber())));
                    } else {
                        translated.add(p);
                    }
                }
                List<RowProblem> merged = new ArrayList<>(e.problems.get(i));
                merged.addAll(rows(m, translated, mapping, upload.header()));
                e.problems.set(i, merged);
            }
        }
        for (int i = 0; i < e.mapped.size(); i++) {
            RowMapper.Mapped m = e.mapped.get(i);
            List<RowProblem> p = e.problems.get(i);
            if (!p.isEmpty()) {
                e.invalidRows++;
                e.problemCount += p.size();
                e.outcomes.add(null);
                continue;
            }
            String outcome;
            if (writeNow) {
                outcome = written.getOrDefault(i, "UNCHANGED");
            } else {
                Instrument stored = existing.get(m.input().assetNumber());
                outcome = stored == null ? "CREATED"
                        : InstrumentService.wouldChange(stored, m.input()) ? "UPDATED" : "UNCHANGED";
            }
            switch (outcome) {
                case "CREATED" -> e.created++;
                case "UPDATED" -> e.updated++;
                default -> e.unchanged++;
            }
            e.outcomes.add(outcome);
        }
        return e;
    }

    /** The problems of row {@code m}, each with its column and the cell's text as read (argument {@code cell}). */
    private static List<RowProblem> rows(RowMapper.Mapped m, List<FieldProblem> problems, ColumnMapping mapping,
                                         List<String> header) {
        List<RowProblem> out = new ArrayList<>(problems.size());
        for (FieldProblem p : problems) {
            Integer index = RowMapper.sourceOf(p.field(), mapping).map(f -> mapping.columns().get(f.key()))
                    .filter(i -> i >= 0 && i < header.size()).orElse(null);
            out.add(new RowProblem(m.rowNumber(), p.field(), index == null ? null : header.get(index),
                    RowMapper.withCell(p, m.cells(), index)));
        }
        return out;
    }

    private static FieldProblem fromViolation(ConstraintViolation<?> v) {
        String constraint = v.getConstraintDescriptor().getAnnotation().annotationType().getSimpleName();
        String code = constraint.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
        Map<String, Object> args = new HashMap<>();
        v.getConstraintDescriptor().getAttributes().forEach((k, val) -> {
            if (val instanceof Number || val instanceof String || val instanceof Boolean) {
                args.put(k, val);
            }
        });
        return new FieldProblem(field(v.getPropertyPath()), code, "validation." + code, args);
    }

    /** {@code contacts[0].email}: the shared rendering of a bean path (list positions on the list). */
    private static String field(Path path) {
        return ProblemHandlers.ValidationHandler.field(path);
    }

    /** Every record of the bound tenant by asset number, archived ones included (an import revives them). */
    private Map<String, Instrument> existing(Connection c) throws SQLException {
        Map<String, Instrument> out = new HashMap<>();
        int page = 1000;
        for (int offset = 0; ; offset += page) {
            InstrumentService.Page p = instruments.list(c, new InstrumentQuery(null, null, null, null, null, null, null,
                    null, null, null, null, true, "assetNumber", false, offset, page));
            p.items().forEach(i -> out.put(i.assetNumber(), i));
            if (p.items().size() < page) {
                return out;
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    static ProblemException fileProblem(String code) {
        return fileProblem(code, Map.of());
    }

    static ProblemException fileProblem(String code, Map<String, Object> args) {
        HttpStatus status = "too_large".equals(code) ? HttpStatus.REQUEST_ENTITY_TOO_LARGE : HttpStatus.BAD_REQUEST;
        return new ProblemException(status, "too_large".equals(code) ? "too_large" : "import_file_rejected",
                List.of(new FieldProblem("file", code, "import." + code, args)));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String safeName(String name) {
        String n = name == null ? "" : name.replaceAll("[\\p{Cntrl}/\\\\]", "_").strip();
        if (n.isEmpty()) {
            n = "upload";
        }
        return n.length() > 200 ? n.substring(n.length() - 200) : n;
    }
}

package org.labcommons.core.reports.outputs;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.booking.BookingClock;
import org.labcommons.core.catalog.io.ImportLimits;
import org.labcommons.core.catalog.io.SpreadsheetException;
import org.labcommons.core.catalog.io.Spreadsheets;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Outputs from a spreadsheet (.xlsx or .csv, read by the catalogue import's {@link Spreadsheets} within its
 * {@link ImportLimits}), all linked to one instrument whose staff import them (so they are confirmed). The first row
 * names the columns, in English or Chinese (see {@link #HEADERS}); each data row is one output, checked as the form's
 * ({@link OutputChecks}). A dry run only lists the row errors; a real run writes nothing when any row has one
 * (all or nothing), else every row in one transaction.
 */
@Singleton
public record OutputImports(Outputs outputs, TenantTransactions tenants, ImportLimits limits, OutputSettings settings,
                            BookingClock clock) {
    /** The file problems this import adds to the catalogue import's ({@code import.<code>} texts). */
    static final List<String> OWN_CODES = List.of("no_header", "doi_taken");
    /** Header names (lower-cased, trimmed) to fields. */
    static final Map<String, String> HEADERS = headers();

    /** One row's problem: its spreadsheet row number, the field (a column), the code and the message key. */
    @Serdeable
    public record RowError(int row, String field, String code, String messageKey, Map<String, Object> args) {
    }

    /** What an import found and did. */
    @Serdeable
    public record Report(int rows, int valid, int created, boolean dryRun, List<RowError> errors) {
    }

    public Report run(TenantId tenant, AuditEntry.Actor actor, UUID userId, UUID instrumentId, byte[] bytes,
                      boolean dryRun) {
        List<OutputInput> inputs = new ArrayList<>();
        List<Integer> numbers = new ArrayList<>();
        List<RowError> errors = new ArrayList<>();
        Map<Integer, String> columns = new HashMap<>();
        int thisYear = clock.now().atZone(ZoneOffset.UTC).getYear();
        try {
            Spreadsheets.read(bytes, limits, (number, cells) -> {
                if (columns.isEmpty()) {
                    for (int i = 0; i < cells.size(); i++) {
                        String field = cells.get(i) == null ? null : HEADERS.get(cells.get(i).strip().toLowerCase(Locale.ROOT));
                        if (field != null) {
                            columns.put(i, field);
                        }
                    }
                    if (!columns.containsValue("kind") || !columns.containsValue("title")) {
                        throw new SpreadsheetException("no_header");
                    }
                    return true;
                }
                if (inputs.size() >= settings.getImportMaxRows()) {
                    throw new SpreadsheetException("too_many_rows", Map.of("max", settings.getImportMaxRows()));
                }
                Map<String, String> v = new HashMap<>();
                columns.forEach((i, f) -> v.put(f, i < cells.size() ? cells.get(i) : null));
                List<FieldProblem> problems = new ArrayList<>();
                Integer year = null;
                String y = OutputChecks.blank(v.get("year"));
                if (y != null) {
                    try {
                        year = (int) Double.parseDouble(y);
                    } catch (NumberFormatException e) {
                        problems.add(new FieldProblem("year", "invalid_format", "validation.invalid_format", Map.of()));
                    }
                }
                UUID booking = null;
                String b = OutputChecks.blank(v.get("bookingId"));
                if (b != null) {
                    try {
                        booking = UUID.fromString(b);
                    } catch (IllegalArgumentException e) {
                        problems.add(new FieldProblem("bookingId", "invalid_format", "validation.invalid_format", Map.of()));
                    }
                }
                OutputInput in = OutputChecks.normalise(new OutputInput(kind(v.get("kind")), v.get("category"),
                        v.get("title"), year, v.get("people"), v.get("doi"), v.get("patentNumber"), v.get("grantCode"),
                        List.of(instrumentId), booking, null));
                if (problems.isEmpty()) {
                    problems.addAll(OutputChecks.check(in, thisYear));
                }
                problems.forEach(p -> errors.add(new RowError(number, p.field(), p.code(), p.messageKey(), p.args())));
                inputs.add(in);
                numbers.add(number);
                return true;
            });
        } catch (SpreadsheetException e) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", List.of(new FieldProblem("file",
                    e.code(), OWN_CODES.contains(e.code()) ? "output.import." + e.code() : "import." + e.code(), e.args())));
        }
        long bad = errors.stream().mapToInt(RowError::row).distinct().count();
        int valid = (int) (inputs.size() - bad);
        if (dryRun || !errors.isEmpty()) {
            return new Report(inputs.size(), valid, 0, dryRun, errors);
        }
        Instant now = clock.now();
        int created = tenants.inTenant(tenant, c -> {
            int n = 0;
            for (OutputInput in : inputs) {
                try {
                    outputs.insert(c, actor, userId, in, true, "import", now);
                } catch (ProblemException e) {   // a DOI taken: the whole import stays unwritten
                    throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", List.of(new FieldProblem(
                            "file", "doi_taken", "output.import.doi_taken", Map.of("row", numbers.get(n), "doi", String.valueOf(in.doi())))));
                }
                n++;
            }
            return n;
        });
        return new Report(inputs.size(), valid, created, false, errors);
    }

    /** A kind as spreadsheets write it (English or Chinese). */
    static @Nullable String kind(@Nullable String v) {
        String k = OutputChecks.blank(v);
        if (k == null) {
            return null;
        }
        return switch (k) {
            case "论文" -> "paper";
            case "奖励", "获奖" -> "award";
            case "专利" -> "patent";
            case "项目", "课题" -> "project";
            default -> k;
        };
    }

    private static Map<String, String> headers() {
        Map<String, String> m = new HashMap<>();
        for (String[] e : new String[][] {{"kind", "kind"}, {"类型", "kind"}, {"category", "category"}, {"类别", "category"},
                {"title", "title"}, {"名称", "title"}, {"题目", "title"}, {"year", "year"}, {"年份", "year"},
                {"people", "people"}, {"authors", "people"}, {"holders", "people"}, {"作者", "people"},
                {"完成人", "people"}, {"doi", "doi"}, {"patent number", "patentNumber"}, {"patentnumber", "patentNumber"},
                {"专利号", "patentNumber"}, {"grant code", "grantCode"}, {"grantcode", "grantCode"},
                {"项目编号", "grantCode"}, {"booking id", "bookingId"}, {"bookingid", "bookingId"},
                {"预约号", "bookingId"}}) {
            m.put(e[0], e[1]);
        }
        return Map.copyOf(m);
    }
}

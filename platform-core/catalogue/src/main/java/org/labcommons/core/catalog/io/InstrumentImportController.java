package org.labcommons.core.catalog.io;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.Status;
import io.micronaut.http.multipart.CompletedFileUpload;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.validation.Validated;
import io.swagger.v3.oas.annotations.Operation;
import org.labcommons.core.catalog.InstrumentController;
import org.labcommons.core.catalog.InstrumentInput;
import org.labcommons.core.i18n.Messages;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.Problems;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.AccessPolicy;
import org.labcommons.core.security.Action;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.security.Scope;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The import steps as REST (docs/catalogue-import.md): upload, mapping (and a CSV's text encoding),
 * preview, dry run, commit.
 * Every step needs {@link Action#MANAGE_INSTRUMENT} on the acting tenant; an upload of another
 * tenant is simply not there (404, row level security).
 */
@Controller("/api/v1/instrument-imports")
@RequiresRole(PlatformRole.CORE)
@ExecuteOn(TaskExecutors.BLOCKING)
@Validated
public class InstrumentImportController {
    private final InstrumentImports imports;
    private final AccessPolicy access;
    private final Problems problems;
    private final Messages messages;
    private final ImportLimits limits;
    private final ImportEncodings encodings;
    private final ImportProblemsFile problemsFile;

    public InstrumentImportController(InstrumentImports imports, AccessPolicy access, Problems problems,
                                      Messages messages, ImportLimits limits, ImportEncodings encodings,
                                      ImportProblemsFile problemsFile) {
        this.problemsFile = problemsFile;
        this.encodings = encodings;
        this.imports = imports;
        this.access = access;
        this.problems = problems;
        this.messages = messages;
        this.limits = limits;
    }

    /** A field the mapping can target, with its label in the caller's language. */
    @Serdeable
    public record FieldInfo(String key, String label, boolean required) {
    }

    /** One column of the file: its header, the field it feeds, and a few values from the first rows. */
    @Serdeable
    public record ColumnInfo(int index, String header, @Nullable String field, @Nullable String suggested,
                             List<String> samples) {
    }

    /**
     * The mapping step: the columns, the mapping, the fields; for a CSV the text encoding it is read
     * in (detected, or chosen with PUT .../encoding) and the encodings that may be chosen.
     */
    @Serdeable
    public record MappingView(UUID uploadId, List<ColumnInfo> columns, ColumnMapping mapping, List<FieldInfo> fields,
                              @Nullable String encoding, List<String> encodings) {
    }

    /** A CSV upload's text encoding, one of the mapping step's {@code encodings}. */
    @Serdeable
    public record EncodingChoice(String encoding) {
    }

    /**
     * A row problem in the caller's language: the reason ({@code message}), the cell's text as read
     * ({@code value}: empty when blank, null when the file has no column for the field; JSON leaves both out) and the whole
     * in one line ({@code text}: row, column, value, reason).
     */
    @Serdeable
    public record RowProblemView(int row, String field, @Nullable String column, String code, String message,
                                 @Nullable String value, String text) {
    }

    @Serdeable
    public record PreviewRowView(int row, InstrumentInput record, boolean exists, @Nullable String outcome,
                                 List<RowProblemView> problems) {
    }

    /** The first rows, and the units the file names that the institution lacks. */
    @Serdeable
    public record PreviewView(UUID uploadId, int rowCount, List<PreviewRowView> rows,
                              List<ImportUnits.NewUnit> newUnits) {
    }

    /** {@code skipped}: the rows with problems a valid-rows-only commit left out. */
    @Serdeable
    public record ReportView(UUID uploadId, int rows, int valid, int invalid, int created, int updated, int unchanged,
                             int problemCount, boolean written, List<RowProblemView> problems,
                             List<ImportUnits.NewUnit> newUnits, int skipped) {
    }

    @Operation(summary = "Upload an instrument register (xlsx or csv) to import")
    @Status(HttpStatus.CREATED)
    @Post(consumes = MediaType.MULTIPART_FORM_DATA)
    public HttpResponse<InstrumentImports.Upload> upload(AuthenticatedUser caller, CompletedFileUpload file)
            throws IOException {
        AuthenticatedUser user = manager(caller);
        if (file.getSize() > limits.getMaxFileBytes()) {
            throw InstrumentImports.fileProblem("too_large", Map.of("max", limits.getMaxFileBytes() / (1024 * 1024)));
        }
        byte[] bytes;
        try (InputStream in = file.getInputStream()) {
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limits.getMaxFileBytes() + 1));
        }
        if (bytes.length > limits.getMaxFileBytes()) {
            throw InstrumentImports.fileProblem("too_large", Map.of("max", limits.getMaxFileBytes() / (1024 * 1024)));
        }
        InstrumentImports.Upload saved = imports.upload(user.actingTenant(), InstrumentController.actor(user),
                file.getFilename(), bytes);
        return HttpResponse.created(saved, URI.create("/api/v1/instrument-imports/" + saved.id()));
    }

    @Operation(summary = "Read an import")
    @Get("/{id}")
    public InstrumentImports.Upload get(AuthenticatedUser caller, @PathVariable UUID id) {
        AuthenticatedUser user = manager(caller);
        return imports.find(user.actingTenant(), id).orElseThrow(ProblemException::notFound);
    }

    @Operation(summary = "Read an import's column mapping with sample rows")
    @Get("/{id}/mapping")
    public MappingView mapping(HttpRequest<?> request, AuthenticatedUser caller, @PathVariable UUID id) {
        AuthenticatedUser user = manager(caller);
        InstrumentImports.Upload upload = imports.find(user.actingTenant(), id).orElseThrow(ProblemException::notFound);
        return view(request, upload, imports.samples(user.actingTenant(), id, 3));
    }

    @Operation(summary = "Set an import's column mapping")
    @Put("/{id}/mapping")
    public MappingView map(HttpRequest<?> request, AuthenticatedUser caller, @PathVariable UUID id, @Body ColumnMapping mapping) {
        AuthenticatedUser user = manager(caller);
        imports.units().requireMayCreate(user, mapping);
        InstrumentImports.Upload upload = imports.map(user.actingTenant(), InstrumentController.actor(user), id, mapping);
        return view(request, upload, imports.samples(user.actingTenant(), id, 3));
    }

    @Operation(summary = "Read a CSV import again in another text encoding")
    @Put("/{id}/encoding")
    public MappingView encoding(HttpRequest<?> request, AuthenticatedUser caller, @PathVariable UUID id,
                                @Body EncodingChoice choice) {
        AuthenticatedUser user = manager(caller);
        InstrumentImports.Upload upload = encodings.choose(user.actingTenant(), InstrumentController.actor(user), id,
                choice == null ? null : choice.encoding());
        return view(request, upload, imports.samples(user.actingTenant(), id, 3));
    }

    @Operation(summary = "Preview an import's rows as records")
    @Get("/{id}/preview")
    public PreviewView preview(HttpRequest<?> request, AuthenticatedUser caller, @PathVariable UUID id, @Nullable @QueryValue Integer rows) {
        AuthenticatedUser user = manager(caller);
        InstrumentImports.Upload upload = imports.find(user.actingTenant(), id).orElseThrow(ProblemException::notFound);
        Locale locale = Problems.locale(request);
        List<PreviewRowView> out = new ArrayList<>();
        for (InstrumentImports.PreviewRow r : imports.preview(user.actingTenant(), InstrumentController.actor(user), id,
                rows == null ? limits.getPreviewRows() : rows)) {
            out.add(new PreviewRowView(r.row(), r.record(), r.exists(), r.outcome(), localise(locale, r.problems())));
        }
        return new PreviewView(id, upload.rowCount(), out,
                imports.newUnits(user.actingTenant(), InstrumentController.actor(user), id));
    }

    @Operation(summary = "Check an import without writing anything")
    @Post("/{id}/dry-run")
    public ReportView dryRun(HttpRequest<?> request, AuthenticatedUser caller, @PathVariable UUID id) {
        AuthenticatedUser user = manager(caller);
        return view(request, id, imports.dryRun(user.actingTenant(), InstrumentController.actor(user), id));
    }

    /**
     * All or nothing: 200 with the outcome counts, or 422 problem+json listing every row problem.
     * With {@code ?validOnly=true} the valid rows are imported and the others skipped ({@code skipped});
     * 422 only when no row is valid.
     */
    @Operation(summary = "Import the rows, all or nothing (or the valid rows only with validOnly=true)")
    @Post("/{id}/commit")
    public ReportView commit(HttpRequest<?> request, AuthenticatedUser caller, @PathVariable UUID id,
                             @Nullable @QueryValue Boolean validOnly) {
        AuthenticatedUser user = manager(caller);
        imports.find(user.actingTenant(), id).ifPresent(u -> imports.units().requireMayCreate(user, u.mapping()));
        try {
            return view(request, id, imports.commit(user.actingTenant(), InstrumentController.actor(user), id,
                    Boolean.TRUE.equals(validOnly)));
        } catch (InstrumentImports.ImportRefused refused) {
            List<FieldProblem> rows = new ArrayList<>();
            Locale locale = Problems.locale(request);
            for (InstrumentImports.RowProblem p : refused.report().problems()) {
                if (rows.size() >= 500) {
                    break;
                }
                // the message is the whole line: row, column, the value as read, the reason
                rows.add(new FieldProblem("rows[" + p.row() + "]." + p.field(), p.problem().code(),
                        "import.row_problem_text", Map.of("text", RowProblemText.of(problems, locale, p).text())));
            }
            throw new ProblemException(HttpStatus.UNPROCESSABLE_ENTITY, "import_has_errors", rows,
                    refused.report().invalid(), refused.report().rows());
        }
    }

    /** The file with a problems column ({@link ImportProblemsFile}): CSV in, CSV out; xlsx in, xlsx out. */
    @Operation(summary = "Download an import's rows with their problems as a spreadsheet")
    @Get(value = "/{id}/problems", produces = {"text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"})
    public HttpResponse<byte[]> problemsFile(HttpRequest<?> request, AuthenticatedUser caller, @PathVariable UUID id) {
        AuthenticatedUser user = manager(caller);
        return problemsFile.write(user.actingTenant(), InstrumentController.actor(user), id, Problems.locale(request))
                .response();
    }

    // ----------------------------------------------------------------

    private ReportView view(HttpRequest<?> request, UUID id, InstrumentImports.Report r) {
        return new ReportView(id, r.rows(), r.valid(), r.invalid(), r.created(), r.updated(), r.unchanged(),
                r.problemCount(), r.written(), localise(Problems.locale(request), r.problems()), r.newUnits(), r.skipped());
    }

    private List<RowProblemView> localise(Locale locale, List<InstrumentImports.RowProblem> list) {
        List<RowProblemView> out = new ArrayList<>(list.size());
        for (InstrumentImports.RowProblem p : list) {
            RowProblemText.Line line = RowProblemText.of(problems, locale, p);
            out.add(new RowProblemView(p.row(), p.field(), p.column(), p.problem().code(), line.reason(), line.value(),
                    line.text()));
        }
        return out;
    }

    private MappingView view(HttpRequest<?> request, InstrumentImports.Upload upload, List<List<String>> samples) {
        Locale locale = Problems.locale(request);
        Map<String, String> t = messages.all(locale);
        List<ColumnInfo> columns = new ArrayList<>();
        for (int i = 0; i < upload.header().size(); i++) {
            int index = i;
            String field = upload.mapping().columns().entrySet().stream().filter(e -> e.getValue() == index)
                    .map(Map.Entry::getKey).findFirst().orElse(null);
            String suggested = upload.suggested().entrySet().stream().filter(e -> e.getValue() == index)
                    .map(Map.Entry::getKey).findFirst().orElse(null);
            List<String> values = samples.stream().map(r -> index < r.size() ? r.get(index) : "").toList();
            columns.add(new ColumnInfo(i, upload.header().get(i), field, suggested, values));
        }
        List<FieldInfo> fields = new ArrayList<>();
        for (ImportField f : ImportField.values()) {
            fields.add(new FieldInfo(f.key(), t.getOrDefault("import.field." + f.key(), f.key()),
                    f == ImportField.ASSET_NUMBER));
        }
        return new MappingView(upload.id(), columns, upload.mapping(), fields, upload.encoding(),
                "csv".equals(upload.format()) ? ImportEncodings.supported() : List.of());
    }

    /** The caller, who must manage instruments across the acting tenant. */
    private AuthenticatedUser manager(AuthenticatedUser user) {
        if (user.roles().isEmpty() && !user.homeTenant().equals(user.actingTenant())) {
            throw ProblemException.notFound();
        }
        if (!access.allows(user.roles(), Action.MANAGE_INSTRUMENT, Scope.tenant(user.actingTenant()))) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "forbidden");
        }
        return user;
    }
}

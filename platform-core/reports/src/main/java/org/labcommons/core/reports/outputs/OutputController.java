package org.labcommons.core.reports.outputs;

import io.micronaut.core.annotation.Nullable;
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
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.labcommons.core.catalog.CatalogueAccess;
import org.labcommons.core.catalog.io.ImportLimits;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.AuthenticatedUser;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Outputs linked to instruments: {@code /api/v1/reports/outputs}. Who may do what is {@link OutputAccess}'s; the
 * checks {@link OutputChecks}'. Bad input is 400 problem+json {@code validation_failed} with a field error per bad
 * field; an import's row errors are listed in its report.
 */
@Controller("/api/v1/reports/outputs")
@RequiresRole(PlatformRole.CORE)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Outputs", description = "Papers, awards, patents and projects supported by instruments, recorded by users "
        + "and staff, confirmed by the instrument's staff, imported from spreadsheets.")
public class OutputController {
    static final int MAX_SIZE = 200;
    private final OutputAccess access;
    private final Outputs outputs;
    private final OutputImports imports;
    private final ImportLimits limits;

    public OutputController(OutputAccess access, Outputs outputs, OutputImports imports, ImportLimits limits) {
        this.access = access;
        this.outputs = outputs;
        this.imports = imports;
        this.limits = limits;
    }

    @Operation(summary = "List outputs: an instrument's (its staff), else one's own; filtered by kind, status, year")
    @Get
    public Output.Page list(AuthenticatedUser user, @Nullable @QueryValue UUID instrumentId,
                            @Nullable @QueryValue String kind, @Nullable @QueryValue String status,
                            @Nullable @QueryValue Integer year, @Nullable @QueryValue Integer page,
                            @Nullable @QueryValue Integer size) {
        List<FieldProblem> problems = new ArrayList<>();
        if (kind != null && !OutputChecks.KINDS.contains(kind)) {
            problems.add(new FieldProblem("kind", "one_of", "output.validation.one_of",
                    Map.of("values", String.join(", ", OutputChecks.KINDS))));
        }
        if (status != null && !Outputs.STATUSES.contains(status)) {
            problems.add(new FieldProblem("status", "one_of", "output.validation.one_of",
                    Map.of("values", String.join(", ", Outputs.STATUSES))));
        }
        if (page != null && page < 0) {
            problems.add(new FieldProblem("page", "min", "validation.min", Map.of("value", 0)));
        }
        if (size != null && (size < 1 || size > MAX_SIZE)) {
            problems.add(new FieldProblem("size", "range", "validation.size", Map.of("min", 1, "max", MAX_SIZE)));
        }
        if (!problems.isEmpty()) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", problems);
        }
        if (instrumentId != null) {
            access.managed(user, instrumentId);
        }
        return outputs.list(user.actingTenant(), instrumentId, instrumentId == null ? user.userId() : null, kind, status,
                year, page == null ? 0 : page, size == null ? 50 : size);
    }

    @Operation(summary = "Read one output (its recorder, or staff of one of its instruments)")
    @Get("/{id}")
    public Output one(AuthenticatedUser user, @PathVariable UUID id) {
        return access.readable(user, id);
    }

    @Operation(summary = "Record an output linked to instruments (confirmed at once when recorded by their staff)")
    @Status(HttpStatus.CREATED)
    @Post
    public HttpResponse<Output> create(AuthenticatedUser user, @Body OutputInput input) {
        OutputInput n = outputs.checked(input);
        boolean staff = access.linking(user, n.instrumentIds());
        return HttpResponse.created(outputs.create(user.actingTenant(), CatalogueAccess.actor(user), user.userId(), n,
                staff, "form"));
    }

    @Operation(summary = "Edit an output (its recorder while recorded, staff of one of its instruments always)")
    @Put("/{id}")
    public Output edit(AuthenticatedUser user, @PathVariable UUID id, @Body OutputInput input) {
        Output o = access.readable(user, id);
        OutputInput n = outputs.checked(input);
        access.linking(user, n.instrumentIds());
        return outputs.edit(user.actingTenant(), CatalogueAccess.actor(user), user.userId(), o.id(), n,
                access.staffOf(user, o));
    }

    @Operation(summary = "Confirm a user's output (staff of one of its instruments); confirmed outputs count in evaluations")
    @Post("/{id}/confirm")
    public Output confirm(AuthenticatedUser user, @PathVariable UUID id) {
        access.confirming(user, id);
        return outputs.confirm(user.actingTenant(), CatalogueAccess.actor(user), user.userId(), id);
    }

    @Operation(summary = "Import outputs of an instrument from a spreadsheet (xlsx or csv); dryRun lists the row errors only")
    @Post(value = "/import", consumes = MediaType.MULTIPART_FORM_DATA)
    public OutputImports.Report importFile(AuthenticatedUser user, @QueryValue UUID instrumentId,
                                           @Nullable @QueryValue Boolean dryRun, CompletedFileUpload file)
            throws IOException {
        access.managed(user, instrumentId);
        return imports.run(user.actingTenant(), CatalogueAccess.actor(user), user.userId(), instrumentId,
                read(file, limits), !Boolean.FALSE.equals(dryRun));
    }

    /** The upload's bytes, refused (400 {@code file} {@code too_large}) above the catalogue import's size limit. */
    static byte[] read(CompletedFileUpload file, ImportLimits limits) throws IOException {
        byte[] bytes;
        try (InputStream in = file.getInputStream()) {
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limits.getMaxFileBytes() + 1));
        }
        if (bytes.length > limits.getMaxFileBytes()) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", List.of(new FieldProblem("file",
                    "too_large", "import.too_large", Map.of("max", limits.getMaxFileBytes() / (1024 * 1024)))));
        }
        return bytes;
    }
}

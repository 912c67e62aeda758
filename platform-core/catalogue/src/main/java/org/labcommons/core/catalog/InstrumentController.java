package org.labcommons.core.catalog;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestBean;
import io.micronaut.http.annotation.Status;
import io.micronaut.http.multipart.CompletedFileUpload;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.validation.Validated;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.Action;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.web.IfMatch;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.UUID;

/**
 * The catalogue of the caller's acting tenant (owners' view). Reading needs a role in the
 * tenant; private records are shown only to those who may manage instruments. Writing needs
 * {@link Action#MANAGE_INSTRUMENT} on the instrument (or its unit, or the tenant). The public,
 * cross-tenant view is {@link PublicCatalogueController}.
 */
@Controller("/api/v1/instruments")
@RequiresRole(PlatformRole.CORE)
@ExecuteOn(TaskExecutors.BLOCKING)
@Validated
public class InstrumentController {
    private final InstrumentService service;
    private final InstrumentDocuments documents;
    private final CatalogueAccess rules;

    public InstrumentController(InstrumentService service, InstrumentDocuments documents, CatalogueAccess rules) {
        this.service = service;
        this.documents = documents;
        this.rules = rules;
    }

    /** A page of instruments with the total that matched. */
    @Serdeable
    public record Page(List<Instrument> items, long total, int page, int size) {
    }

    /** Instruments matching the filters, a page at a time (private ones only for those who manage instruments). */
    @Operation(summary = "List the acting tenant's instruments, filtered and sorted")
    @Get
    public Page list(AuthenticatedUser user, @Valid @RequestBean InstrumentFilter filter,
                     @QueryValue(defaultValue = "0") @Min(0) @Max(100000) int page,
                     @QueryValue(defaultValue = "20") @Min(1) @Max(200) int size) {
        InstrumentService.Page result = service.list(user.actingTenant(), rules.query(user, filter, page * size, size));
        return new Page(result.items(), result.total(), page, size);
    }

    @Operation(summary = "Read one instrument")
    @Get("/{id}")
    public Instrument get(AuthenticatedUser user, @PathVariable UUID id) {
        return rules.readable(user, id);
    }

    @Operation(summary = "Create an instrument record")
    @Status(HttpStatus.CREATED)
    @Post
    public HttpResponse<Instrument> create(AuthenticatedUser user, @Body @Valid InstrumentInput input) {
        rules.requireMayCreateIn(user, input.orgUnitId());
        Instrument created = service.create(user.actingTenant(), actor(user), input);
        return HttpResponse.created(created, URI.create("/api/v1/instruments/" + created.id()));
    }

    /** Replaces the record; {@code If-Match: "<version>"} makes a lost update a 409 instead. */
    @Operation(summary = "Replace an instrument record (If-Match guards against a lost update)")
    @Put("/{id}")
    public HttpResponse<Instrument> replace(AuthenticatedUser user, @PathVariable UUID id,
                                            @Nullable @IfMatch Long version,
                                            @Body @Valid InstrumentInput input) {
        rules.requireMayMove(user, rules.managed(user, id), input.orgUnitId());
        Instrument saved = service.replace(user.actingTenant(), actor(user), id, version, input);
        return HttpResponse.ok(saved).header(HttpHeaders.ETAG, "\"" + saved.version() + "\"");
    }

    /** Archives the record (it leaves lists and the consortium; nothing is deleted). */
    @Operation(summary = "Archive an instrument record")
    @Delete("/{id}")
    public Instrument archive(AuthenticatedUser user, @PathVariable UUID id) {
        rules.managed(user, id);
        return service.archive(user.actingTenant(), actor(user), id);
    }

    @Operation(summary = "Upload a document (manual, SOP) for an instrument")
    @Status(HttpStatus.CREATED)
    @Post(value = "/{id}/documents", consumes = MediaType.MULTIPART_FORM_DATA)
    public HttpResponse<Instrument.DocumentInfo> upload(AuthenticatedUser user, @PathVariable UUID id,
                                                        CompletedFileUpload file,
                                                        @Nullable @Pattern(regexp = "manual|sop|other") String kind)
            throws IOException {
        rules.managed(user, id);
        Instrument.DocumentInfo saved = documents.upload(user.actingTenant(), actor(user), id,
                kind == null ? "other" : kind, file);
        return HttpResponse.created(saved, URI.create("/api/v1/instruments/" + id + "/documents/" + saved.id()));
    }

    @Operation(summary = "Download an instrument document")
    @Get("/{id}/documents/{documentId}")
    public HttpResponse<byte[]> download(AuthenticatedUser user, @PathVariable UUID id, @PathVariable UUID documentId) {
        get(user, id);
        InstrumentDocuments.Content content = documents.content(user.actingTenant(), id, documentId)
                .orElseThrow(ProblemException::notFound);
        return InstrumentDocuments.response(content);
    }

    @Operation(summary = "Delete an instrument document")
    @Delete("/{id}/documents/{documentId}")
    public HttpResponse<Void> deleteDocument(AuthenticatedUser user, @PathVariable UUID id, @PathVariable UUID documentId) {
        rules.managed(user, id);
        documents.delete(user.actingTenant(), actor(user), id, documentId);
        return HttpResponse.noContent();
    }

    // ----------------------------------------------------------------

    boolean mayManage(AuthenticatedUser user, Instrument i) {
        return rules.mayManage(user, i);
    }

    public static AuditEntry.Actor actor(AuthenticatedUser user) {
        return CatalogueAccess.actor(user);
    }
}

package org.labcommons.core.catalog;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.multipart.CompletedFileUpload;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.validation.Validated;
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

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
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

    @Get
    public Page list(HttpRequest<?> request,
                     @Nullable @QueryValue String q,
                     @Nullable @QueryValue @Pattern(regexp = "in_service|under_repair|idle|retired") String status,
                     @Nullable @QueryValue @Pattern(regexp = "private|tenant|network|consortium|public") String scope,
                     @Nullable @QueryValue @Pattern(regexp = "[0-9]{6}") String classification,
                     @Nullable @QueryValue UUID orgUnitId,
                     @Nullable @QueryValue @Min(0) Long minValueFen,
                     @Nullable @QueryValue @Min(0) Long maxValueFen,
                     @Nullable @QueryValue Boolean requiresIot,
                     @Nullable @QueryValue Boolean stale,
                     @Nullable @QueryValue @Pattern(regexp = "fundSubsidised|benefitEvaluation|sharedPlatform|listedInCers|customsSupervised") String flag,
                     @QueryValue(defaultValue = "assetNumber") @Pattern(regexp = "-?(assetNumber|nameZh|nameEn|originalValue|purchaseDate|updatedAt|classification)") String sort,
                     @QueryValue(defaultValue = "false") boolean includeArchived,
                     @QueryValue(defaultValue = "0") @Min(0) @Max(100000) int page,
                     @QueryValue(defaultValue = "20") @Min(1) @Max(200) int size) {
        AuthenticatedUser user = caller(request);
        InstrumentQuery query = query(user, q, status, scope, classification, orgUnitId, minValueFen, maxValueFen,
                requiresIot, stale, flag, sort, includeArchived, page * size, size);
        InstrumentService.Page result = service.list(user.actingTenant(), query);
        return new Page(result.items(), result.total(), page, size);
    }

    /** The query the list, the pages and the export share ({@link CatalogueAccess#query}). */
    public InstrumentQuery query(AuthenticatedUser user, String q, String status, String scope, String classification,
                          UUID orgUnitId, Long minValueFen, Long maxValueFen, Boolean requiresIot, Boolean stale,
                          String flag, String sort, boolean includeArchived, int offset, int limit) {
        return rules.query(user, q, status, scope, classification, orgUnitId, minValueFen, maxValueFen, requiresIot,
                stale, flag, sort, includeArchived, offset, limit);
    }

    @Get("/{id}")
    public Instrument get(HttpRequest<?> request, @PathVariable UUID id) {
        return rules.readable(caller(request), id);
    }

    @Post
    public HttpResponse<Instrument> create(HttpRequest<?> request, @Body @Valid InstrumentInput input) {
        AuthenticatedUser user = caller(request);
        rules.requireMayCreateIn(user, input.orgUnitId());
        Instrument created = service.create(user.actingTenant(), actor(user), input);
        return HttpResponse.created(created, URI.create("/api/v1/instruments/" + created.id()));
    }

    /** Replaces the record; {@code If-Match: "<version>"} makes a lost update a 409 instead. */
    @Put("/{id}")
    public HttpResponse<Instrument> replace(HttpRequest<?> request, @PathVariable UUID id,
                                            @Nullable @Header(HttpHeaders.IF_MATCH) String ifMatch,
                                            @Body @Valid InstrumentInput input) {
        AuthenticatedUser user = caller(request);
        rules.requireMayMove(user, rules.managed(user, id), input.orgUnitId());
        Instrument saved = service.replace(user.actingTenant(), actor(user), id, version(ifMatch), input);
        return HttpResponse.ok(saved).header(HttpHeaders.ETAG, "\"" + saved.version() + "\"");
    }

    /** Archives the record (it leaves lists and the consortium; nothing is deleted). */
    @Delete("/{id}")
    public Instrument archive(HttpRequest<?> request, @PathVariable UUID id) {
        AuthenticatedUser user = caller(request);
        rules.managed(user, id);
        return service.archive(user.actingTenant(), actor(user), id);
    }

    @Post(value = "/{id}/documents", consumes = MediaType.MULTIPART_FORM_DATA)
    public HttpResponse<Instrument.DocumentInfo> upload(HttpRequest<?> request, @PathVariable UUID id,
                                                        CompletedFileUpload file,
                                                        @Nullable @Pattern(regexp = "manual|sop|other") String kind)
            throws IOException {
        AuthenticatedUser user = caller(request);
        rules.managed(user, id);
        Instrument.DocumentInfo saved = documents.upload(user.actingTenant(), actor(user), id,
                kind == null ? "other" : kind, file);
        return HttpResponse.created(saved, URI.create("/api/v1/instruments/" + id + "/documents/" + saved.id()));
    }

    @Get("/{id}/documents/{documentId}")
    public HttpResponse<byte[]> download(HttpRequest<?> request, @PathVariable UUID id, @PathVariable UUID documentId) {
        AuthenticatedUser user = caller(request);
        get(request, id);
        InstrumentDocuments.Content content = documents.content(user.actingTenant(), id, documentId)
                .orElseThrow(ProblemException::notFound);
        return InstrumentDocuments.response(content);
    }

    @Delete("/{id}/documents/{documentId}")
    public HttpResponse<Void> deleteDocument(HttpRequest<?> request, @PathVariable UUID id, @PathVariable UUID documentId) {
        AuthenticatedUser user = caller(request);
        rules.managed(user, id);
        documents.delete(user.actingTenant(), actor(user), id, documentId);
        return HttpResponse.noContent();
    }

    // ----------------------------------------------------------------

    boolean mayManage(AuthenticatedUser user, Instrument i) {
        return rules.mayManage(user, i);
    }

    /** The version an {@code If-Match} header names, or null for none or {@code *}. */
    public static Long version(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.strip().equals("*")) {
            return null;
        }
        String v = ifMatch.strip();
        if (v.startsWith("W/")) {
            v = v.substring(2);
        }
        v = v.replace("\"", "");
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", List.of(
                    new ProblemException.FieldProblem("If-Match", "invalid", "validation.invalid_version", Map.of())));
        }
    }

    public static AuditEntry.Actor actor(AuthenticatedUser user) {
        return CatalogueAccess.actor(user);
    }

    public static AuthenticatedUser caller(HttpRequest<?> request) {
        return request.getAttribute(AuthenticatedUser.ATTRIBUTE, AuthenticatedUser.class)
                .orElseThrow(() -> new ProblemException(HttpStatus.UNAUTHORIZED, "invalid_token"));
    }
}

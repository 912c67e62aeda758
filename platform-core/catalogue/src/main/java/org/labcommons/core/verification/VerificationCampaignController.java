package org.labcommons.core.verification;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.Status;
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
import org.labcommons.core.catalog.CatalogueAccess;
import org.labcommons.core.catalog.Instrument;
import org.labcommons.core.catalog.InstrumentController;
import org.labcommons.core.catalog.InstrumentInput;
import org.labcommons.core.catalog.InstrumentService;
import org.labcommons.core.catalog.ManagedInstruments;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.AccessPolicy;
import org.labcommons.core.security.Action;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.security.Scope;
import org.labcommons.core.web.IfMatch;

import java.net.URI;
import java.util.List;
import java.util.UUID;

/**
 * Verification campaigns of the caller's acting tenant. Starting and closing one needs
 * {@link Action#MANAGE_ORGANISATION} on the tenant (institution admin). Reading campaigns needs a
 * role that may manage instruments somewhere in the tenant; the items list shows such a caller
 * only the instruments it administers (all of them for a tenant-wide role). Confirming or
 * correcting an item needs {@link Action#MANAGE_INSTRUMENT} on that instrument.
 */
@Controller("/api/v1/verification-campaigns")
@RequiresRole(PlatformRole.CORE)
@ExecuteOn(TaskExecutors.BLOCKING)
@Validated
public class VerificationCampaignController {
    private final VerificationService service;
    private final InstrumentService instruments;
    private final CatalogueAccess catalogue;
    private final AccessPolicy access;

    public VerificationCampaignController(VerificationService service, InstrumentService instruments,
                                          CatalogueAccess catalogue, AccessPolicy access) {
        this.service = service;
        this.instruments = instruments;
        this.catalogue = catalogue;
        this.access = access;
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Page<T>(List<T> items, long total, int page, int size) {
    }

    @Operation(summary = "Start a verification campaign")
    @Status(HttpStatus.CREATED)
    @Post
    public HttpResponse<VerificationCampaign> start(AuthenticatedUser user, @Body @Valid CampaignInput input) {
        requireOrganiser(user);
        VerificationCampaign started = service.start(user.actingTenant(), user.userId(), actor(user), input);
        return HttpResponse.created(started, URI.create("/api/v1/verification-campaigns/" + started.id()));
    }

    @Operation(summary = "List verification campaigns")
    @Get
    public Page<VerificationCampaign> list(AuthenticatedUser user,
                                           @Nullable @QueryValue @Pattern(regexp = "open|closed") String state,
                                           @QueryValue(defaultValue = "0") @Min(0) @Max(100000) int page,
                                           @QueryValue(defaultValue = "20") @Min(1) @Max(100) int size) {
        requireInstrumentAdmin(user);
        VerificationService.Page<VerificationCampaign> result = service.list(user.actingTenant(), state, page * size, size);
        return new Page<>(result.items(), result.total(), page, size);
    }

    @Operation(summary = "Read one verification campaign")
    @Get("/{id}")
    public VerificationCampaign get(AuthenticatedUser user, @PathVariable UUID id) {
        requireInstrumentAdmin(user);
        return service.find(user.actingTenant(), id).orElseThrow(ProblemException::notFound);
    }

    @Operation(summary = "List a campaign's instruments and their state")
    @Get("/{id}/items")
    public Page<VerificationItem> items(AuthenticatedUser user, @PathVariable UUID id,
                                        @Nullable @QueryValue @Pattern(regexp = "pending|confirmed|corrected") String state,
                                        @QueryValue(defaultValue = "0") @Min(0) @Max(100000) int page,
                                        @QueryValue(defaultValue = "50") @Min(1) @Max(200) int size) {
        requireInstrumentAdmin(user);
        VerificationService.Page<VerificationItem> result = service.items(user.actingTenant(), id, state,
                visibility(user), page * size, size);
        return new Page<>(result.items(), result.total(), page, size);
    }

    /** The record is right as it stands. */
    @Operation(summary = "Confirm an instrument record as right")
    @Post("/{id}/items/{instrumentId}/confirm")
    public VerificationItem confirm(AuthenticatedUser user, @PathVariable UUID id, @PathVariable UUID instrumentId) {
        managed(user, instrumentId, null);
        return service.confirm(user.actingTenant(), user.userId(), actor(user), id, instrumentId);
    }

    /**
     * The record needed changes: the body is the whole corrected record (as {@code PUT
     * /api/v1/instruments/{id}}), {@code If-Match: "<version>"} guards against a lost update.
     */
    @Operation(summary = "Correct an instrument record in a campaign")
    @Post("/{id}/items/{instrumentId}/correct")
    public HttpResponse<VerificationItem> correct(AuthenticatedUser user, @PathVariable UUID id,
                                                  @PathVariable UUID instrumentId,
                                                  @Nullable @IfMatch Long version,
                                                  @Body @Valid InstrumentInput input) {
        managed(user, instrumentId, input.orgUnitId());
        VerificationItem item = service.correct(user.actingTenant(), user.userId(), actor(user), id, instrumentId,
                version, input);
        return HttpResponse.ok(item).header(HttpHeaders.ETAG, "\"" + item.instrumentVersion() + "\"");
    }

    /** Closes the campaign now: every instrument still pending is flagged stale. */
    @Operation(summary = "Close a campaign (pending instruments become stale)")
    @Post("/{id}/close")
    public VerificationCampaign close(AuthenticatedUser user, @PathVariable UUID id) {
        requireOrganiser(user);
        return service.close(user.actingTenant(), user.userId(), actor(user), id);
    }

    // ----------------------------------------------------------------

    private void requireOrganiser(AuthenticatedUser user) {
        if (!access.allows(user.roles(), Action.MANAGE_ORGANISATION, Scope.tenant(user.actingTenant()))) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "forbidden");
        }
    }

    /** Campaigns are for those who look after instruments (any scope in the acting tenant). */
    static void requireInstrumentAdmin(AuthenticatedUser user) {
        if (ManagedInstruments.of(user).none()) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "forbidden");
        }
    }

    /** The items of the instruments the caller manages ({@link ManagedInstruments}, as the catalogue's lists). */
    static VerificationService.ItemVisibility visibility(AuthenticatedUser user) {
        ManagedInstruments managed = ManagedInstruments.of(user);
        return managed.all() ? VerificationService.ItemVisibility.ALL
                : new VerificationService.ItemVisibility(false, managed.instruments(), managed.units());
    }

    /**
     * The caller may manage the instrument (and, for a correction that moves it, the target unit);
     * a private record it may not manage is not found, as in the catalogue API.
     */
    private void managed(AuthenticatedUser user, UUID instrumentId, @Nullable UUID targetUnit) {
        Instrument found = catalogue.managed(user, instrumentId);
        catalogue.requireMayMove(user, found, targetUnit);
    }

    static AuditEntry.Actor actor(AuthenticatedUser user) {
        return CatalogueAccess.actor(user);
    }
}

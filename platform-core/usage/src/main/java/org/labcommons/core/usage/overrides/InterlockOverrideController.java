package org.labcommons.core.usage.overrides;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.Status;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.labcommons.core.booking.BookingAccess;
import org.labcommons.core.catalog.CatalogueAccess;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.AuthenticatedUser;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * Staff overrides of an instrument's interlock ({@link InterlockOverrides}): only staff who manage the instrument
 * (404 when the caller cannot see it, 403 when they see but do not manage it).
 */
@Controller("/api/v1/instruments/{id}/interlock/overrides")
@RequiresRole(PlatformRole.CORE)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Interlock", description = "Staff overrides of an instrument's power interlock.")
public class InterlockOverrideController {
    private final BookingAccess access;
    private final InterlockOverrides overrides;

    public InterlockOverrideController(BookingAccess access, InterlockOverrides overrides) {
        this.access = access;
        this.overrides = overrides;
    }

    /** A new override: {@code action} unlock, lock or extend; {@code until} (required for extend); {@code reason}. */
    @Serdeable
    public record OverrideInput(@Nullable String action, @Nullable OffsetDateTime until, @Nullable String reason) {
    }

    /** A list. */
    @Serdeable
    public record Items(List<InterlockOverrides.Override> items) {
    }

    @Operation(summary = "List an instrument's interlock overrides (live ones; all=true for revoked and past ones too)")
    @Get
    public Items list(AuthenticatedUser user, @PathVariable UUID id, @Nullable @QueryValue Boolean all) {
        access.managed(user, id);
        return new Items(overrides.list(user.actingTenant(), id, Boolean.TRUE.equals(all)));
    }

    @Operation(summary = "Override an instrument's interlock: unlock or lock now, or extend the current use")
    @Status(HttpStatus.CREATED)
    @Post
    public HttpResponse<InterlockOverrides.Override> create(AuthenticatedUser user, @PathVariable UUID id,
                                                            @Body OverrideInput input) {
        access.managed(user, id);
        return HttpResponse.created(overrides.create(user.actingTenant(), CatalogueAccess.actor(user), user.userId(), id,
                input.action(), input.until() == null ? null : input.until().toInstant(), input.reason()));
    }

    @Operation(summary = "Revoke an interlock override")
    @Delete("/{overrideId}")
    public InterlockOverrides.Override revoke(AuthenticatedUser user, @PathVariable UUID id, @PathVariable UUID overrideId) {
        access.managed(user, id);
        return overrides.revoke(user.actingTenant(), CatalogueAccess.actor(user), id, overrideId);
    }
}

package org.labcommons.tenantadmin.devices;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.Status;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.validation.Validated;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.iot.devices.Device;
import org.labcommons.iot.devices.DeviceRegistry;
import org.labcommons.iot.devices.NewDevice;
import org.labcommons.iot.devices.Provisioned;

import java.util.UUID;

/**
 * The acting institution's instrument controllers, for its institution admins: list, read, create
 * (the secret and config file, or a claim code, in the answer and never again), rotate the secret,
 * revoke, register the public key. A device of another tenant is 404, like one that does not exist
 * (the registry reads through the tenant's RLS). No answer but create's and rotate's holds a secret.
 */
@Controller("/api/v1/devices")
@RequiresRole(PlatformRole.TENANT_ADMIN)
@ExecuteOn(TaskExecutors.BLOCKING)
@Validated
public class DevicesController {
    private final DeviceRegistry registry;
    private final DeviceAccess access;

    public DevicesController(DeviceRegistry registry, DeviceAccess access) {
        this.registry = registry;
        this.access = access;
    }

    /** A public key to register. */
    @Serdeable
    public record PublicKey(@Nullable String publicKey) {
    }

    @Operation(summary = "List the institution's devices")
    @Get
    public DeviceRegistry.Page list(AuthenticatedUser caller, @Nullable @QueryValue UUID instrumentId,
                                    @QueryValue(defaultValue = "0") @Min(0) @Max(100000) int page,
                                    @QueryValue(defaultValue = "20") @Min(1) @Max(100) int size) {
        AuthenticatedUser user = access.require(caller);
        return registry.list(user.actingTenant(), instrumentId, page, size);
    }

    @Operation(summary = "Read one device")
    @Get("/{id}")
    public Device get(AuthenticatedUser caller, @PathVariable UUID id) {
        AuthenticatedUser user = access.require(caller);
        return registry.find(user.actingTenant(), id).orElseThrow(ProblemException::notFound);
    }

    @Operation(summary = "Create a device: its secret and config file, or a claim code, are answered once")
    @Status(HttpStatus.CREATED)
    @Post
    public HttpResponse<Provisioned> create(AuthenticatedUser caller, @Body NewDevice input) {
        AuthenticatedUser user = access.require(caller);
        return HttpResponse.created(registry.create(user.actingTenant(), DeviceAccess.actor(user), user.userId(), input));
    }

    @Operation(summary = "Rotate a device's secret: the new secret and config file are answered once")
    @Post("/{id}/rotate")
    public Provisioned rotate(AuthenticatedUser caller, @PathVariable UUID id) {
        AuthenticatedUser user = access.require(caller);
        return registry.rotate(user.actingTenant(), DeviceAccess.actor(user), id);
    }

    @Operation(summary = "Revoke a device (the broker refuses and disconnects it within a minute)")
    @Post("/{id}/revoke")
    public Device revoke(AuthenticatedUser caller, @PathVariable UUID id) {
        AuthenticatedUser user = access.require(caller);
        return registry.revoke(user.actingTenant(), DeviceAccess.actor(user), user.userId(), id);
    }

    @Operation(summary = "Register or replace a device's Ed25519 public key")
    @Put("/{id}/public-key")
    public Device registerKey(AuthenticatedUser caller, @PathVariable UUID id, @Body PublicKey body) {
        AuthenticatedUser user = access.require(caller);
        return registry.registerKey(user.actingTenant(), DeviceAccess.actor(user), id, body.publicKey());
    }
}

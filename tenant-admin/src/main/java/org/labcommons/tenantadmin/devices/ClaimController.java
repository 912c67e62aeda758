package org.labcommons.tenantadmin.devices;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import org.labcommons.core.problem.Problems;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.web.ClientAddresses;
import org.labcommons.iot.devices.DeviceRegistry;

/**
 * A controller claims the device an admin created with a claim code, on first contact and without
 * any credential: {@code POST /api/v1/public/iot/claim} with {@code {code, publicKey, firmware}}.
 * The answer (200) is the device with its secret and config file, once; the code is then used up.
 * Rate limited per client address ({@link ClaimLimiter}: 429 {@code rate_limited} with Retry-After).
 * Errors are problem+json: 400 {@code validation_failed} naming the fields, 404 {@code claim_unknown}
 * (no open code is this one: wrong, used, or its device revoked), 410 {@code claim_expired}.
 */
@Controller("/api/v1/public/iot/claim")
@RequiresRole(PlatformRole.TENANT_ADMIN)
@ExecuteOn(TaskExecutors.BLOCKING)
public class ClaimController {
    private final DeviceRegistry registry;
    private final ClaimLimiter limiter;
    private final ClientAddresses addresses;
    private final Problems problems;

    public ClaimController(DeviceRegistry registry, ClaimLimiter limiter, ClientAddresses addresses, Problems problems) {
        this.registry = registry;
        this.limiter = limiter;
        this.addresses = addresses;
        this.problems = problems;
    }

    /** What a controller sends to claim its device. */
    @Serdeable
    public record Claim(@Nullable String code, @Nullable String publicKey, @Nullable String firmware) {
    }

    @Operation(summary = "Claim a device with its claim code (a controller's first contact): its credentials once")
    @Post
    public HttpResponse<?> claim(HttpRequest<?> request, @Body Claim claim) {
        long wait = limiter.tryAcquire(addresses.of(request).block());
        if (wait > 0) {
            return problems.response(request, HttpStatus.TOO_MANY_REQUESTS, "rate_limited")
                    .header("Retry-After", Long.toString(wait));
        }
        DeviceRegistry.ClaimOutcome outcome = registry.claim(claim.code(), claim.publicKey(), claim.firmware());
        if (outcome instanceof DeviceRegistry.Claimed claimed) {
            return HttpResponse.ok(claimed.provisioned());
        }
        return outcome instanceof DeviceRegistry.ExpiredCode
                ? problems.response(request, HttpStatus.GONE, "claim_expired")
                : problems.response(request, HttpStatus.NOT_FOUND, "claim_unknown");
    }
}

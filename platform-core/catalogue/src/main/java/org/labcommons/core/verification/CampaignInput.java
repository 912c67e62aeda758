package org.labcommons.core.verification;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.time.Instant;
import java.util.UUID;

/**
 * Starting a campaign: its name, the deadline (an ISO-8601 instant, in the future and at most
 * {@value VerificationService#MAX_DAYS} days ahead) and optionally the org unit whose instruments
 * (its own and those of the units below it) are to be verified; without one, the whole tenant's.
 */
@Serdeable
public record CampaignInput(@NotBlank @Size(max = 200) String name,
                            @NotNull Instant deadline,
                            @Nullable UUID orgUnitId) {
}

package org.labcommons.core.org;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.UUID;

/** What a client sends to create an org unit. */
@Serdeable
public record OrgUnitInput(
        @Nullable UUID parentId,
        @NotNull @Pattern(regexp = "department|lab|platform") String kind,
        @NotBlank @Size(min = 1, max = 64) @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9_.-]*") String code,
        @NotBlank @Size(max = 200) String nameZh,
        @NotBlank @Size(max = 200) String nameEn,
        @Nullable @Min(1) @Max(3) Integer platformLevel,
        @Nullable @Pattern(regexp = "central|group") String managementMode) {
}

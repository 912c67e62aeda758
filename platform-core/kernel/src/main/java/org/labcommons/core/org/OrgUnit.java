package org.labcommons.core.org;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.UUID;

/**
 * A unit inside an institution: a department or college, a lab, or a shared platform (with its
 * level: 1 school, 2 college, 3 department, and its management mode: central or group-run).
 */
@Serdeable
public record OrgUnit(UUID id, @Nullable UUID parentId, String kind, String code, String nameZh, String nameEn,
                      @Nullable Integer platformLevel, @Nullable String managementMode, Instant createdAt) {
}

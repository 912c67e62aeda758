package org.labcommons.core.security;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.util.UUID;

/** Who holds a role on one scope: the assignment and the account it names. */
@Introspected
public record RoleHolder(UUID assignmentId, UUID userId, String issuer, String subject, @Nullable String displayName,
                         String role, Instant grantedAt) {
}

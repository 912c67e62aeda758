package org.labcommons.core.security;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code user_account}: a global identity, keyed by (issuer, subject). */
@MappedEntity("user_account")
public record UserAccountRow(@Id UUID id, String issuer, String subject, @Nullable String displayName,
                             @Nullable String email, @Nullable @GeneratedValue Instant createdAt) {
}

package org.labcommons.core.tenancy;

import io.micronaut.serde.annotation.Serdeable;

import java.util.Objects;
import java.util.UUID;

/** A tenant's identity. Passed explicitly through services; never read from a static. */
@Serdeable
public record TenantId(UUID value) {
    public TenantId {
        Objects.requireNonNull(value, "tenant id");
    }

    public static TenantId of(String value) {
        return new TenantId(UUID.fromString(value));
    }

    @Override
    public String toString() {
        return value.toString();
    }
}

package org.labcommons.core.catalog.io;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.UUID;

/**
 * The mapping's choice to create the units a register names that the institution lacks
 * ({@link ImportUnits}): present means create them, as departments under {@code parentId}
 * (absent: at the top of the institution), in the commit's transaction.
 */
@Serdeable
public record NewUnits(@Nullable UUID parentId) {
}

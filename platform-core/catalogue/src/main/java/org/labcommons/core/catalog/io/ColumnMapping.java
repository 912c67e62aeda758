package org.labcommons.core.catalog.io;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which column (0-based index) feeds which field ({@link ImportField} keys), and constant values
 * for fields a new record gets when the file gives none (a Uniquip file has no original value;
 * a register of one department may have no unit column).
 */
@Serdeable
public record ColumnMapping(@Nullable Map<String, Integer> columns, @Nullable Map<String, String> defaults) {
    public ColumnMapping {
        columns = columns == null ? Map.of() : new LinkedHashMap<>(columns);
        defaults = defaults == null ? Map.of() : new LinkedHashMap<>(defaults);
    }

    public boolean maps(ImportField field) {
        return columns.containsKey(field.key());
    }
}

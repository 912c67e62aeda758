package org.labcommons.core.catalog.io;

import io.micronaut.core.annotation.Creator;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which column (0-based index) feeds which field ({@link ImportField} keys), and constant values
 * for fields a new record gets when the file gives none (a Uniquip file has no original value;
 * a register of one department may have no unit column). {@code assetNumbers} asks for generated
 * asset numbers ({@link AssetNumbering}), {@code newUnits} for the missing units to be created
 * ({@link NewUnits}); both are absent unless chosen.
 */
@Serdeable
public record ColumnMapping(@Nullable Map<String, Integer> columns, @Nullable Map<String, String> defaults,
                            @Nullable AssetNumbering assetNumbers, @Nullable NewUnits newUnits) {
    @Creator
    public ColumnMapping {
        columns = columns == null ? Map.of() : new LinkedHashMap<>(columns);
        defaults = defaults == null ? Map.of() : new LinkedHashMap<>(defaults);
    }

    /** Columns and defaults only: asset numbers come from the file, no unit is created. */
    public ColumnMapping(@Nullable Map<String, Integer> columns, @Nullable Map<String, String> defaults) {
        this(columns, defaults, null, null);
    }

    public boolean maps(ImportField field) {
        return columns.containsKey(field.key());
    }

    /** Whether every row gets an asset number: from its column, or generated. */
    public boolean givesAssetNumbers() {
        return maps(ImportField.ASSET_NUMBER) || assetNumbers != null;
    }
}

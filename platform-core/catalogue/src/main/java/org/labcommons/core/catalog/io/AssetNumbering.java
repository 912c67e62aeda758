package org.labcommons.core.catalog.io;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import org.labcommons.core.problem.ProblemException.FieldProblem;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The mapping's choice to generate asset numbers (docs/catalogue-import.md, "Registers without
 * asset numbers"): present means generate, {@code prefix} starts every generated number
 * ({@value #DEFAULT_PREFIX} when absent). {@link AssetNumbers} makes the numbers.
 */
@Serdeable
public record AssetNumbering(@Nullable String prefix) {
    /** The prefix when the mapping names none. */
    public static final String DEFAULT_PREFIX = "GEN-";
    /** The longest prefix. */
    public static final int MAX_PREFIX = 20;
    /** Letters, digits and {@code - _ . /}, starting with a letter or digit. */
    static final String PREFIX_PATTERN = "[A-Za-z0-9][A-Za-z0-9_./-]*";

    public String prefixOrDefault() {
        return prefix == null ? DEFAULT_PREFIX : prefix.strip();
    }

    /** What is wrong with the prefix, as field problems of {@code assetNumbers.prefix}. */
    List<FieldProblem> problems() {
        List<FieldProblem> out = new ArrayList<>();
        String p = prefixOrDefault();
        if (p.isEmpty()) {
            out.add(new FieldProblem("assetNumbers.prefix", "required", "import.prefix_required", Map.of()));
        } else if (p.length() > MAX_PREFIX) {
            out.add(new FieldProblem("assetNumbers.prefix", "size", "import.prefix_too_long",
                    Map.of("max", MAX_PREFIX)));
        } else if (!p.matches(PREFIX_PATTERN)) {
            out.add(new FieldProblem("assetNumbers.prefix", "pattern", "import.prefix_invalid",
                    Map.of("value", RowMapper.shorten(p))));
        }
        return out;
    }
}

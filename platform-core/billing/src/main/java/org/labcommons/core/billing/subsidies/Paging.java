package org.labcommons.core.billing.subsidies;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.ProblemException.FieldProblem;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code page} (from 0) and {@code size} (1-200, default 50) of a list; bad values are 400 field errors. */
record Paging(int page, int size) {
    static final int MAX_SIZE = 200;

    static Paging of(@Nullable Integer page, @Nullable Integer size) {
        List<FieldProblem> problems = new ArrayList<>();
        if (page != null && (page < 0 || page > 100_000)) {
            problems.add(new FieldProblem("page", "range", "subsidy.validation.range", Map.of("min", 0, "max", 100_000)));
        }
        if (size != null && (size < 1 || size > MAX_SIZE)) {
            problems.add(new FieldProblem("size", "range", "subsidy.validation.range", Map.of("min", 1, "max", MAX_SIZE)));
        }
        if (!problems.isEmpty()) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", problems);
        }
        return new Paging(page == null ? 0 : page, size == null ? 50 : size);
    }
}

package org.labcommons.core.problem;

import io.micronaut.http.HttpStatus;

import java.util.List;
import java.util.Map;

/**
 * Thrown by services for a problem the caller can act on. {@code code} selects the localized
 * title ({@code problem.<code>.title}) and, when present, detail ({@code problem.<code>.detail},
 * formatted with {@code args}).
 */
public class ProblemException extends RuntimeException {
    private final HttpStatus status;
    private final String code;
    private final Object[] args;
    private final List<FieldProblem> fieldProblems;

    /** A field-level problem; {@code messageKey} is looked up in the messages with {@code args}. */
    public record FieldProblem(String field, String code, String messageKey, Map<String, Object> args) {
    }

    public ProblemException(HttpStatus status, String code, Object... args) {
        this(status, code, List.of(), args);
    }

    public ProblemException(HttpStatus status, String code, List<FieldProblem> fieldProblems, Object... args) {
        super(code);
        this.status = status;
        this.code = code;
        this.args = args.clone();
        this.fieldProblems = List.copyOf(fieldProblems);
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Object[] args() {
        return args.clone();
    }

    public List<FieldProblem> fieldProblems() {
        return fieldProblems;
    }

    public static ProblemException notFound() {
        return new ProblemException(HttpStatus.NOT_FOUND, "not_found");
    }
}

package org.labcommons.core.problem;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.convert.exceptions.ConversionErrorException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.UnsatisfiedRouteHandler;
import io.micronaut.core.bind.exceptions.UnsatisfiedArgumentException;
import io.micronaut.http.server.exceptions.ConversionErrorHandler;
import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Exception handlers that turn every error the API can raise into problem+json: the platform's
 * own {@link ProblemException}, bean-validation failures (one field error per violation) and
 * unparseable or missing parameters.
 */
public final class ProblemHandlers {
    private ProblemHandlers() {
    }

    /** A 400 validation problem about one request parameter. */
    static HttpResponse<?> singleField(Problems problems, HttpRequest<?> request, String field, String code, String messageKey) {
        Locale locale = Problems.locale(request);
        var error = problems.fieldError(locale, field, code, messageKey, Map.of());
        return Problems.response(problems.problem(locale, HttpStatus.BAD_REQUEST, "validation_failed",
                new Object[0], request.getPath(), List.of(error)));
    }

    @Singleton
    @Produces
    public static class ProblemExceptionHandler implements ExceptionHandler<ProblemException, HttpResponse<?>> {
        private final Problems problems;

        public ProblemExceptionHandler(Problems problems) {
            this.problems = problems;
        }

        @Override
        public HttpResponse<?> handle(HttpRequest request, ProblemException exception) {
            return problems.response(request, exception);
        }
    }

    /**
     * Bean-validation violations as field problems (code {@code size}, message key
     * {@code validation.size} with the constraint's attributes), sorted by field: what the API
     * answers with, and what the pages show next to their fields.
     */
    public static List<ProblemException.FieldProblem> fieldProblems(Set<? extends ConstraintViolation<?>> violations) {
        List<ProblemException.FieldProblem> out = new ArrayList<>();
        for (ConstraintViolation<?> v : violations) {
            String constraint = v.getConstraintDescriptor().getAnnotation().annotationType().getSimpleName();
            String code = constraint.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
            Map<String, Object> attrs = v.getConstraintDescriptor().getAttributes();
            out.add(new ProblemException.FieldProblem(ValidationHandler.field(v.getPropertyPath()), code,
                    "validation." + code, attrs));
        }
        out.sort(java.util.Comparator.comparing(ProblemException.FieldProblem::field));
        return out;
    }

    @Singleton
    @Produces
    @Replaces(io.micronaut.validation.exceptions.ConstraintExceptionHandler.class)
    @Requires(classes = ConstraintViolationException.class)
    public static class ValidationHandler implements ExceptionHandler<ConstraintViolationException, HttpResponse<?>> {
        private final Problems problems;

        public ValidationHandler(Problems problems) {
            this.problems = problems;
        }

        @Override
        public HttpResponse<?> handle(HttpRequest request, ConstraintViolationException exception) {
            Locale locale = Problems.locale(request);
            List<Problem.FieldError> errors = new ArrayList<>();
            for (ProblemException.FieldProblem p : fieldProblems(exception.getConstraintViolations())) {
                errors.add(problems.fieldError(locale, p.field(), p.code(), p.messageKey(), p.args()));
            }
            return Problems.response(problems.problem(locale, HttpStatus.BAD_REQUEST, "validation_failed",
                    new Object[0], request.getPath(), errors));
        }

        /**
         * {@code create.input.nameZh} becomes {@code nameZh} (callers know the fields of what they
         * sent, not our method and parameter names); a plain parameter such as {@code list.size}
         * stays {@code size}; an element of a list is {@code prices[2].amountFen} (bean validation
         * puts the position on the node after the list, or on a {@code <list element>} node).
         */
        public static String field(Path path) {
            List<String> names = new ArrayList<>();
            boolean startsWithParameter = false;
            for (Path.Node node : path) {
                switch (node.getKind()) {
                    case PARAMETER -> {
                        if (names.isEmpty()) {
                            startsWithParameter = true;
                            names.add(node.getName());
                        }
                    }
                    case PROPERTY, CONTAINER_ELEMENT -> {
                        String name = node.getName();
                        boolean element = name == null || name.startsWith("<");
                        Object position = node.getIndex() != null ? node.getIndex() : node.getKey();
                        String suffix = position == null ? "" : "[" + position + "]";
                        if (!suffix.isEmpty() && (node.isInIterable() || element) && !names.isEmpty()) {
                            int last = names.size() - 1;
                            names.set(last, names.get(last) + suffix);
                            suffix = "";
                        }
                        if (!element) {
                            names.add(name + suffix);
                        }
                    }
                    default -> { }
                }
            }
            if (startsWithParameter && names.size() > 1) {
                names.remove(0);
            }
            return String.join(".", names);
        }
    }

    @Singleton
    @Produces
    @Replaces(ConversionErrorHandler.class)
    public static class ConversionHandler implements ExceptionHandler<ConversionErrorException, HttpResponse<?>> {
        private final Problems problems;

        public ConversionHandler(Problems problems) {
            this.problems = problems;
        }

        @Override
        public HttpResponse<?> handle(HttpRequest request, ConversionErrorException exception) {
            return singleField(problems, request, exception.getArgument().getName(), "invalid_format",
                    "validation.invalid_format");
        }
    }

    @Singleton
    @Produces
    @Replaces(UnsatisfiedRouteHandler.class)
    public static class MissingArgumentHandler implements ExceptionHandler<UnsatisfiedArgumentException, HttpResponse<?>> {
        private final Problems problems;

        public MissingArgumentHandler(Problems problems) {
            this.problems = problems;
        }

        @Override
        public HttpResponse<?> handle(HttpRequest request, UnsatisfiedArgumentException exception) {
            return singleField(problems, request, exception.getArgument().getName(), "required", "validation.not_null");
        }
    }
}

package org.labcommons.core.problem;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import jakarta.inject.Singleton;
import org.labcommons.core.i18n.Messages;

import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Builds localized problem+json responses; the one place problem bodies are made. */
@Singleton
public record Problems(Messages messages) {
    public static final MediaType PROBLEM_JSON = MediaType.of("application/problem+json");
    /** The caller's language from Accept-Language (zh-CN by default). */
    public static Locale locale(HttpRequest<?> request) {
        return Messages.supported(request.getLocale().orElse(Messages.ZH_CN));
    }

    public Problem problem(Locale locale, HttpStatus status, String code, Object[] args, String instance,
                           List<Problem.FieldError> errors) {
        String title = messages.get(locale, "problem." + code + ".title");
        String detailKey = "problem." + code + ".detail";
        String detailPattern = messages.all(locale).get(detailKey);
        String detail = detailPattern == null ? null : new MessageFormat(detailPattern, locale).format(args);
        return new Problem(Problem.TYPE_BASE + code.replace('_', '-'), title, status.getCode(), detail, instance,
                code, errors.isEmpty() ? null : errors);
    }

    public Problem.FieldError fieldError(Locale locale, String field, String code, String messageKey,
                                         Map<String, Object> args) {
        String pattern = messages.get(locale, messageKey);
        String message = pattern;
        for (Map.Entry<String, Object> e : args.entrySet()) {
            message = message.replace("{" + e.getKey() + "}", String.valueOf(e.getValue()));
        }
        return new Problem.FieldError(field, code, message);
    }

    public MutableHttpResponse<Problem> response(HttpRequest<?> request, ProblemException e) {
        Locale locale = locale(request);
        List<Problem.FieldError> errors = new ArrayList<>();
        for (ProblemException.FieldProblem fp : e.fieldProblems()) {
            errors.add(fieldError(locale, fp.field(), fp.code(), fp.messageKey(), fp.args()));
        }
        return response(problem(locale, e.status(), e.code(), e.args(), request.getPath(), errors));
    }

    public MutableHttpResponse<Problem> response(HttpRequest<?> request, HttpStatus status, String code) {
        return response(problem(locale(request), status, code, new Object[0], request.getPath(), List.of()));
    }

    public static MutableHttpResponse<Problem> response(Problem problem) {
        return HttpResponse.<Problem>status(HttpStatus.valueOf(problem.status()))
                .contentType(PROBLEM_JSON)
                .body(problem);
    }
}

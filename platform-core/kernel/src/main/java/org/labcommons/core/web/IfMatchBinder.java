package org.labcommons.core.web;

import io.micronaut.core.convert.ArgumentConversionContext;
import io.micronaut.core.util.StringUtils;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.bind.binders.AnnotatedRequestArgumentBinder;
import io.micronaut.http.bind.binders.PostponedRequestArgumentBinder;
import jakarta.inject.Singleton;
import org.labcommons.core.problem.ProblemException;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Binds {@link IfMatch} parameters: the version in the {@code If-Match} header, or null for none
 * or {@code *}; anything else is 400 {@code validation_failed} (field {@code If-Match}, message
 * {@code validation.invalid_version}). Bound after the filters, so a request without a valid token
 * is refused as such first.
 */
@Singleton
public class IfMatchBinder implements AnnotatedRequestArgumentBinder<IfMatch, Long>, PostponedRequestArgumentBinder<Long> {
    @Override
    public Class<IfMatch> getAnnotationType() {
        return IfMatch.class;
    }

    @Override
    public BindingResult<Long> bind(ArgumentConversionContext<Long> context, HttpRequest<?> source) {
        Long version = version(source.getHeaders().get(HttpHeaders.IF_MATCH));
        return () -> Optional.ofNullable(version);
    }

    /** The version an {@code If-Match} value names, or null for none or {@code *}; 400 for anything else. */
    public static Long version(String ifMatch) {
        if (StringUtils.isEmpty(ifMatch) || ifMatch.isBlank() || ifMatch.strip().equals("*")) {
            return null;
        }
        String v = ifMatch.strip();
        if (v.startsWith("W/")) {
            v = v.substring(2);
        }
        v = v.replace("\"", "");
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", List.of(
                    new ProblemException.FieldProblem(HttpHeaders.IF_MATCH, "invalid", "validation.invalid_version", Map.of())));
        }
    }
}

package org.labcommons.core.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * An RFC 9457 problem detail as this API sends it: {@code type} is a stable URI per kind of
 * problem, {@code code} the same as a short token for programs, {@code title}/{@code detail} in
 * the caller's language (Accept-Language: zh-CN or en), and {@code errors} one entry per bad
 * field with a JSON-pointer-like {@code field}.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, @Nullable String detail, @Nullable String instance,
                      String code, @Nullable List<FieldError> errors) {

    /** Base of every problem type URI. */
    public static final String TYPE_BASE = "https://labcommons.org/problems/";

    /** One invalid input: where it is, a stable code, and the message in the caller's language. */
    @Serdeable
    public record FieldError(String field, String code, String message) {
    }
}

package org.labcommons.core.web;

import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.http.HttpHeaders;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Schema;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A controller parameter ({@code @Nullable @IfMatch Long version}) that receives the version the
 * {@code If-Match} header names ({@code "3"}, {@code W/"3"} or {@code 3}), or null when the header
 * is absent, blank or {@code *}. A value that names no version is 400 {@code validation_failed}
 * with a field error on {@code If-Match}, before the method runs ({@link IfMatchBinder}). The API
 * document shows it as the optional {@code If-Match} header.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER})
@Bindable(value = HttpHeaders.IF_MATCH)
@Parameter(in = ParameterIn.HEADER, name = HttpHeaders.IF_MATCH, required = false,
        description = "The version last read (the ETag, e.g. \"3\"): a stale one is 409 version_conflict.",
        schema = @Schema(type = "string"))
public @interface IfMatch {
}

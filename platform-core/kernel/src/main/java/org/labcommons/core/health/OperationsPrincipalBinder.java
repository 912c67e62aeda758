package org.labcommons.core.health;

import io.micronaut.core.convert.ArgumentConversionContext;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.bind.binders.PostponedRequestArgumentBinder;
import io.micronaut.http.bind.binders.TypedRequestArgumentBinder;
import jakarta.inject.Singleton;

import java.security.Principal;

/**
 * Gives a {@link Principal} parameter the request's principal: the health endpoint's, which shows
 * details only when there is one. Micronaut binds such a parameter only with micronaut-security,
 * which the platform does not use; the one principal set is {@link OperationsFilter}'s, on the
 * operations paths. Bound after the filters.
 */
@Singleton
public class OperationsPrincipalBinder implements TypedRequestArgumentBinder<Principal>,
        PostponedRequestArgumentBinder<Principal> {
    private static final Argument<Principal> TYPE = Argument.of(Principal.class);

    @Override
    public Argument<Principal> argumentType() {
        return TYPE;
    }

    @Override
    public BindingResult<Principal> bind(ArgumentConversionContext<Principal> context, HttpRequest<?> request) {
        return request::getUserPrincipal;
    }
}

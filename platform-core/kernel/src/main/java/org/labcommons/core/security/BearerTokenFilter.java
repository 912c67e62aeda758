package org.labcommons.core.security;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.labcommons.core.problem.Problems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Authenticates every {@code /api/**} request with an OAuth 2.0 bearer token. Any failure, and a
 * missing token, is 401 problem+json with code {@code invalid_token} and a
 * {@code WWW-Authenticate: Bearer} challenge (RFC 6750). On success the caller becomes an
 * {@link AuthenticatedUser} in the request attributes.
 *
 * <p>The caller is resolved by {@link CallerResolver}, the same path the browser pages use. The
 * acting tenant is the issuer's tenant, unless the client names another in
 * {@value #TENANT_HEADER} (id or slug): that is honoured only when the user holds a role
 * assignment there. A tenant the user has no role in answers exactly like a tenant that does not
 * exist (404 {@code not_found}), so the header can neither grant access nor probe for tenants.
 *
 * <p>A token whose (trusted) issuer's keys cannot be had now ({@link IssuerKeys}: its provider
 * failed or is slow, and no keys of it are on hand) is answered 503 {@code issuer_unavailable} with
 * {@code Retry-After}, at once while the failure is remembered; the token may be genuine.
 *
 * <p>A valid token of a suspended tenant's user is refused with 403 {@code tenant_suspended}
 * (only after its signature and claims were verified, so a forged token learns nothing).
 *
 * <p>Paths under {@value #PUBLIC_PREFIX} (the published catalogue, reference data) need no token:
 * without an Authorization header the request goes on with no caller; with one, the token must be
 * valid like anywhere else, and the caller may see more (what a member may see). The national
 * instrument classification ({@code /api/v1/classifications}, its list, one code and its search) is
 * reference data and public in the same way; that exception is matched exactly by
 * {@link #PUBLIC_REFERENCE}: at most one more path segment of letters and digits, so no dot segment
 * or encoded character can lead from it to anything else. The API's own description
 * ({@value #API_DOCUMENT} and its browsable page {@value #API_DOCS}) is public too, matched exactly.
 *
 * <p>The MQTT brokers' access decision ({@link #BROKER_PATHS}: {@code /api/iot/broker/auth}, {@code acl},
 * {@code revocations}, matched exactly) is not for users: brokers call it with a secret of their own
 * (iot-bridge's {@code BrokerAccessController} checks it on every call), so this filter leaves it alone. The
 * platform's public key for instrument controllers ({@link #DEVICE_PUBLIC}, {@code /api/iot/interlock/key}, matched
 * exactly) is public like the reference data: devices have no user token.
 */
@ServerFilter("/api/**")
public class BearerTokenFilter {
    public static final String TENANT_HEADER = "X-LabCommons-Tenant";
    public static final String PUBLIC_PREFIX = "/api/v1/public/";
    /**
     * Public reference data ({@code /api/v1/classifications}, optionally one code or {@code search})
     * and the consortium-wide search ({@code /api/v1/search/instruments}, {@code /api/v1/search/suggest}):
     * a visitor sees what is public, a token widens what the search may show.
     */
    public static final Pattern PUBLIC_REFERENCE =
            Pattern.compile("/api/v1/classifications(/[A-Za-z0-9]{1,32})?|/api/v1/search/(instruments|suggest)");
    /** The OpenAPI document of this API (server module). */
    public static final String API_DOCUMENT = "/api/openapi.yml";
    /** The page that shows {@link #API_DOCUMENT} (Swagger UI). */
    public static final String API_DOCS = "/api/docs";
    /** The MQTT brokers' access decision: authenticated by the broker token, not by a user's bearer token. */
    public static final Pattern BROKER_PATHS = Pattern.compile("/api/iot/broker/(auth|acl|revocations)");
    /** What instrument controllers read without a token: the platform's public key for their offline caches. */
    public static final String DEVICE_PUBLIC = "/api/iot/interlock/key";
    private static final Logger LOG = LoggerFactory.getLogger(BearerTokenFilter.class);

    private final TokenValidator validator;
    private final CallerResolver callers;
    private final Problems problems;

    public BearerTokenFilter(TokenValidator validator, CallerResolver callers, Problems problems) {
        this.validator = validator;
        this.callers = callers;
        this.problems = problems;
    }

    /** Null lets the request through with the caller attached; otherwise the refusal. */
    @RequestFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Nullable
    public HttpResponse<?> authenticate(HttpRequest<?> request) {
        if (BROKER_PATHS.matcher(request.getPath()).matches()) {
            return null;
        }
        List<String> authorization = request.getHeaders().getAll(HttpHeaders.AUTHORIZATION);
        if (authorization.isEmpty()) {
            if (isPublic(request.getPath())) {
                return null;
            }
            return unauthorized(request, "Bearer realm=\"labcommons\"");
        }
        String value = authorization.size() == 1 ? authorization.get(0) : "";
        if (!value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return unauthorized(request, "Bearer realm=\"labcommons\", error=\"invalid_token\"");
        }
        TokenValidator.ValidatedToken token;
        try {
            token = validator.validate(value.substring(7).strip());
        } catch (InvalidTokenException e) {
            LOG.debug("bearer token refused: {}", e.getMessage());
            return unauthorized(request, "Bearer realm=\"labcommons\", error=\"invalid_token\"");
        } catch (IssuerKeysUnavailableException e) {
            LOG.debug("bearer token not checked: {}", e.getMessage());
            return problems.response(request, HttpStatus.SERVICE_UNAVAILABLE, "issuer_unavailable")
                    .header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds()));
        }
        if (token.tenantSuspended()) {
            LOG.debug("token of {} refused: its tenant {} is suspended", token.subject(), token.issuerTenant());
            return problems.response(request, HttpStatus.FORBIDDEN, "tenant_suspended");
        }
        var resolution = callers.resolve(CallerResolver.VerifiedPrincipal.of(token),
                request.getHeaders().get(TENANT_HEADER));
        if (resolution.caller().isEmpty()) {
            return problems.response(request, HttpStatus.NOT_FOUND, "not_found");
        }
        request.setAttribute(AuthenticatedUser.ATTRIBUTE, resolution.caller().get());
        return null;
    }

    /** Whether {@code path} may be requested without a token (a token sent is still checked). */
    public static boolean isPublic(String path) {
        return path.startsWith(PUBLIC_PREFIX) || PUBLIC_REFERENCE.matcher(path).matches()
                || path.equals(API_DOCUMENT) || path.equals(API_DOCS) || path.equals(DEVICE_PUBLIC);
    }

    private HttpResponse<?> unauthorized(HttpRequest<?> request, String challenge) {
        return problems.response(request, HttpStatus.UNAUTHORIZED, "invalid_token")
                .header(HttpHeaders.WWW_AUTHENTICATE, challenge);
    }
}

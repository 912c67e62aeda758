package org.labcommons.core.web.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.Problems;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.TrustedIssuer;
import org.labcommons.core.security.TrustedIssuers;
import org.labcommons.core.web.Pages;
import org.labcommons.core.web.UiLocale;
import org.labcommons.core.web.WebCaller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Browser sign-in: authorization code flow with PKCE (S256), state and nonce, against the
 * consortium's or a member institution's identity provider; a server-side session afterwards;
 * logout that ends both. Return addresses are local paths only (no open redirect). The pending
 * sign-in is bound to the browser that started it ({@link LoginBinding}): a callback from any
 * other browser is refused with a page that explains, so nobody can be signed into an account
 * that is not their own.
 */
@Controller
@RequiresRole(PlatformRole.CORE)
@ExecuteOn(TaskExecutors.BLOCKING)
public class LoginController {
    private static final Logger LOG = LoggerFactory.getLogger(LoginController.class);

    private final WebLoginSettings settings;
    private final WebSessions sessions;
    private final ProviderMetadataCache providers;
    private final Problems problems;
    private final TrustedIssuers issuers;
    private final Pages pages;
    private final InstitutionChooser chooser;

    public LoginController(WebLoginSettings settings, WebSessions sessions, ProviderMetadataCache providers,
                           Problems problems, TrustedIssuers issuers, Pages pages, InstitutionChooser chooser) {
        this.pages = pages;
        this.chooser = chooser;
        this.settings = settings;
        this.sessions = sessions;
        this.providers = providers;
        this.problems = problems;
        this.issuers = issuers;
    }

    /**
     * The sign-in page, or the start of a sign-in.
     * <ul>
     *   <li>{@code issuer}: starts the sign-in there at once; it must be one of the configured login
     *       issuers or the registered identity provider of an active tenant (tenant-admin registers them);</li>
     *   <li>{@code institution} (a slug): starts the sign-in at that institution's own provider and
     *       remembers the choice in this browser ({@link InstitutionChooser#COOKIE});</li>
     *   <li>neither: the institution chooser ({@code views/login.html}), filtered by {@code q} (the
     *       page filters as one types; the form does the same without script), the remembered
     *       institution first with a one-click button, and the consortium's account for everyone else.</li>
     * </ul>
     */
    @Get("/login")
    @Produces({MediaType.TEXT_HTML, MediaType.APPLICATION_JSON, "application/problem+json"})
    public HttpResponse<?> login(HttpRequest<?> request, @Nullable @QueryValue String issuer,
                                 @Nullable @QueryValue String institution, @Nullable @QueryValue String q,
                                 @Nullable @QueryValue String returnTo) {
        if (issuer != null && !issuer.isBlank()) {
            return start(request, issuer, returnTo);
        }
        if (institution != null && !institution.isBlank()) {
            Optional<InstitutionChooser.Institution> chosen = chooser.find(institution);
            if (chosen.isEmpty()) {
                // an error page for a browser, problem+json otherwise (PageProblemHandler)
                throw new ProblemException(HttpStatus.BAD_REQUEST, "unknown_institution");
            }
            return start(request, chosen.get().issuer(), returnTo)
                    .cookie(InstitutionChooser.remember(chosen.get().slug(), secure(request)));
        }
        return choose(request, q, safeReturnTo(returnTo));
    }

    /** The institution chooser: every institution that accepts sign-in (those matching {@code q}), the remembered one first. */
    private MutableHttpResponse<?> choose(HttpRequest<?> request, @Nullable String q, String returnTo) {
        Map<String, Object> model = pages.model(request);
        Locale locale = (Locale) model.get("locale");
        List<InstitutionChooser.Institution> all = chooser.all(locale);
        Optional<InstitutionChooser.Institution> remembered = chooser.remembered(request);
        List<InstitutionChooser.Institution> shown = new ArrayList<>();
        remembered.filter(r -> r.matches(q)).ifPresent(shown::add);
        all.stream().filter(i -> i.matches(q) && !shown.contains(i)).forEach(shown::add);
        model.put("institutions", shown);
        model.put("total", all.size());
        model.put("remembered", remembered.orElse(null));
        model.put("q", q == null ? "" : q.strip());
        model.put("returnTo", returnTo);
        model.put("outsideHref", "/login?issuer=" + URLEncoder.encode(settings.getIssuer(), StandardCharsets.UTF_8)
                + "&returnTo=" + URLEncoder.encode(returnTo, StandardCharsets.UTF_8));
        return pages.respond(request, HttpStatus.OK, "login", model);
    }

    /** Starts the authorization code flow with PKCE at {@code chosen}, bound to this browser. */
    private MutableHttpResponse<?> start(HttpRequest<?> request, String chosen, @Nullable String returnTo) {
        Optional<TrustedIssuer> trust = issuers.find(chosen);
        if (trust.isPresent() && trust.get().tenantSuspended()) {
            return problems.response(request, HttpStatus.FORBIDDEN, "tenant_suspended");
        }
        if (!settings.allLoginIssuers().contains(chosen) && trust.isEmpty()) {
            return problems.response(request, HttpStatus.BAD_REQUEST, "unknown_issuer");
        }
        OIDCProviderMetadata metadata = providers.get(chosen);
        State state = new State();
        Nonce nonce = new Nonce();
        CodeVerifier verifier = new CodeVerifier();
        sessions.saveLoginAttempt(state.getValue(),
                new WebSessions.LoginAttempt(verifier.getValue(), nonce.getValue(), chosen, safeReturnTo(returnTo)));
        URI authorize = new AuthenticationRequest.Builder(ResponseType.CODE, new Scope("openid", "profile"),
                new ClientID(clientId(trust)), callbackUri(request))
                .endpointURI(metadata.getAuthorizationEndpointURI())
                .state(state)
                .nonce(nonce)
                .codeChallenge(verifier, CodeChallengeMethod.S256)
                .build()
                .toURI();
        return HttpResponse.seeOther(authorize).cookie(LoginBinding.set(state.getValue(), secure(request)));
    }

    /**
     * The identity provider sends the browser back here with a code and the state. The state must
     * be bound to this browser ({@link LoginBinding}'s cookie, cleared here whatever the outcome);
     * the pending sign-in is used up by any callback naming its state, so a callback URL that was
     * passed on is worthless afterwards.
     */
    @Get("/login/callback")
    @Produces({MediaType.TEXT_HTML, MediaType.APPLICATION_JSON, "application/problem+json"})
    public HttpResponse<?> callback(HttpRequest<?> request, @Nullable @QueryValue String code,
                                    @Nullable @QueryValue String state, @Nullable @QueryValue String error) {
        String binding = request.getCookies().findCookie(LoginBinding.COOKIE).map(Cookie::getValue).orElse(null);
        return complete(request, code, state, error, binding).cookie(LoginBinding.clear(secure(request)));
    }

    private MutableHttpResponse<?> complete(HttpRequest<?> request, @Nullable String code, @Nullable String state,
                                            @Nullable String error, @Nullable String binding) {
        if (error != null || code == null || state == null) {
            return problems.response(request, HttpStatus.BAD_REQUEST, "login_failed");
        }
        var attempt = sessions.takeLoginAttempt(state);
        if (!LoginBinding.matches(binding, state)) {
            LOG.info("sign-in callback refused: its state is not bound to this browser ({})",
                    binding == null ? "no binding cookie" : "the cookie of another sign-in");
            return notBound(request);
        }
        if (attempt.isEmpty()) {
            return problems.response(request, HttpStatus.BAD_REQUEST, "login_failed");
        }
        try {
            Optional<TrustedIssuer> trust = issuers.find(attempt.get().issuer());
            if (trust.isPresent() && trust.get().tenantSuspended()) {
                LOG.info("sign-in with {} refused: its tenant {} is suspended", attempt.get().issuer(), trust.get().tenant());
                return problems.response(request, HttpStatus.FORBIDDEN, "tenant_suspended");
            }
            String clientId = clientId(trust);
            OIDCProviderMetadata metadata = providers.get(attempt.get().issuer());
            AuthorizationCodeGrant grant = new AuthorizationCodeGrant(new AuthorizationCode(code), callbackUri(request),
                    new CodeVerifier(attempt.get().codeVerifier()));
            // a tenant's own registration is a public client (PKCE); the platform's client has a secret
            TokenRequest tokenRequest = trust.map(TrustedIssuer::clientId).isPresent()
                    ? new TokenRequest(metadata.getTokenEndpointURI(), new ClientID(clientId), grant)
                    : new TokenRequest(metadata.getTokenEndpointURI(),
                    new ClientSecretBasic(new ClientID(clientId), new Secret(settings.getClientSecret())), grant);
            TokenResponse response = OIDCTokenResponseParser.parse(tokenRequest.toHTTPRequest().send());
            if (!response.indicatesSuccess()) {
                LOG.warn("token exchange refused by {}: {}", attempt.get().issuer(),
                        response.toErrorResponse().getErrorObject());
                return problems.response(request, HttpStatus.BAD_REQUEST, "login_failed");
            }
            JWT idToken = ((com.nimbusds.openid.connect.sdk.OIDCTokenResponse) response.toSuccessResponse())
                    .getOIDCTokens().getIDToken();
            IDTokenValidator validator = new IDTokenValidator(metadata.getIssuer(),
                    new ClientID(clientId), JWSAlgorithm.RS256, metadata.getJWKSetURI().toURL());
            IDTokenClaimsSet claims = validator.validate(idToken, new Nonce(attempt.get().nonce()));
            String name = claims.getStringClaim(trust.map(TrustedIssuer::nameClaim).orElse("name"));
            // signing in again (through one's institution after the consortium's account, say) replaces the session
            request.getAttribute(WebSession.ATTRIBUTE, WebSession.class).ifPresent(sessions::delete);
            var created = sessions.create(claims.getIssuer().getValue(), claims.getSubject().getValue(),
                    name != null ? name : claims.getSubject().getValue(), settings.getSessionLifetime());
            return HttpResponse.seeOther(URI.create(attempt.get().returnTo()))
                    .cookie(sessionCookie(request, created.rawId(), settings.getSessionLifetime()));
        } catch (Exception e) {
            LOG.warn("sign-in with {} failed: {}", attempt.get().issuer(), e.getMessage());
            return problems.response(request, HttpStatus.BAD_REQUEST, "login_failed");
        }
    }

    /**
     * 400 page: the sign-in was started in another browser (or has expired); nobody was signed in.
     * Offers to start signing in again, in this browser.
     */
    private MutableHttpResponse<?> notBound(HttpRequest<?> request) {
        Map<String, Object> model = pages.model(request);
        model.put("problem", problems.problem(UiLocale.resolve(request, null), HttpStatus.BAD_REQUEST,
                "login_not_bound", new Object[0], request.getPath(), List.of()));
        model.put("again", WebCaller.loginPath("/"));
        return pages.respond(request, HttpStatus.BAD_REQUEST, "login-refused", model);
    }

    /** Ends the session (the CSRF filter has checked the form's token) and the provider's session. */
    @Post(value = "/logout", consumes = {MediaType.APPLICATION_FORM_URLENCODED, MediaType.MULTIPART_FORM_DATA})
    public HttpResponse<?> logout(HttpRequest<?> request) {
        var session = request.getAttribute(WebSession.ATTRIBUTE, WebSession.class);
        URI next = URI.create("/");
        if (session.isPresent()) {
            sessions.delete(session.get());
            try {
                URI endSession = providers.get(session.get().issuer()).getEndSessionEndpointURI();
                if (endSession != null) {
                    next = URI.create(endSession + "?post_logout_redirect_uri=" + baseUrl(request) + "/");
                }
            } catch (IllegalStateException e) {
                LOG.debug("no end-session endpoint: {}", e.getMessage());
            }
        }
        return HttpResponse.seeOther(next).cookie(sessionCookie(request, "", Duration.ZERO));
    }

    /** The web client's id at this provider: the tenant's registration, or the platform's own. */
    private String clientId(Optional<TrustedIssuer> trust) {
        return trust.map(TrustedIssuer::clientId).orElse(settings.getClientId());
    }

    private Cookie sessionCookie(HttpRequest<?> request, String value, Duration maxAge) {
        return Cookie.of(WebSession.COOKIE, value)
                .httpOnly(true)
                .secure(secure(request))
                .sameSite(SameSite.Lax)
                .path("/")
                .maxAge(maxAge);
    }

    /** Whether the browser reaches the platform over https (then every cookie is {@code Secure}). */
    private boolean secure(HttpRequest<?> request) {
        return baseUrl(request).startsWith("https://");
    }

    private URI callbackUri(HttpRequest<?> request) {
        return URI.create(baseUrl(request) + "/login/callback");
    }

    private String baseUrl(HttpRequest<?> request) {
        if (settings.getPublicUrl() != null) {
            return settings.getPublicUrl().replaceAll("/$", "");
        }
        String host = request.getHeaders().get("Host");
        return (request.isSecure() ? "https://" : "http://") + (host != null ? host : "localhost:8080");
    }

    /** Only a local absolute path is a valid return address. */
    public static String safeReturnTo(@Nullable String returnTo) {
        if (returnTo == null || !returnTo.startsWith("/") || returnTo.startsWith("//") || returnTo.contains("\\")
                || returnTo.contains("\r") || returnTo.contains("\n")) {
            return "/";
        }
        return returnTo;
    }
}

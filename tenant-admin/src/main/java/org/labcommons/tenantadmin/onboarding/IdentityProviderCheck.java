package org.labcommons.tenantadmin.onboarding;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import org.labcommons.core.i18n.Messages;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * "Test the connection" of an identity-provider registration: fetches
 * {@code <issuer>/.well-known/openid-configuration} (and the key set it names) the way token
 * validation will, and says plainly what is wrong. Results, in the order checked:
 * {@code invalid_url}, {@code unreachable}, {@code http_status}, {@code not_json},
 * {@code issuer_mismatch} (the document must name exactly the registered issuer),
 * {@code no_jwks_uri}, {@code jwks_unreachable}, {@code jwks_invalid} (no keys), or {@code ok}.
 *
 * <p>Only admins who onboard tenants can run it. Outside dev mode an http address or a loopback,
 * link-local or unspecified host is {@code invalid_url} without any request ({@link IssuerRules}).
 * It follows no redirects, reads at most
 * {@value #MAX_BYTES} bytes and gives up after a few seconds; the answer names the kind of failure,
 * never the body that came back.
 */
@Singleton
public class IdentityProviderCheck {
    static final int MAX_BYTES = 256 * 1024;
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final JsonMapper json;
    private final Messages messages;
    private final IssuerRules rules;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(3))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    public IdentityProviderCheck(JsonMapper json, Messages messages, IssuerRules rules) {
        this.rules = rules;
        this.json = json;
        this.messages = messages;
    }

    /**
     * The outcome: {@code ok}, a stable {@code code}, a message in the caller's language, what was
     * fetched, and what the document named (when it was readable).
     */
    @Serdeable
    public record Result(boolean ok, String code, String message, String discoveryUrl, @Nullable Integer httpStatus,
                         @Nullable String issuerFound, @Nullable String jwksUri, @Nullable Integer keys) {
    }

    public Result check(String issuer, Locale locale) {
        String discovery = (issuer == null ? "" : issuer.replaceAll("/+$", "")) + "/.well-known/openid-configuration";
        // outside dev mode a loopback or link-local address is never fetched
        if (issuer == null || !ApplicationValidator.issuerUrl(issuer) || rules.refusedHost(issuer)) {
            return result(locale, "invalid_url", discovery, null, null, null, null);
        }
        Fetched doc = fetch(discovery);
        if (doc.failure != null) {
            return result(locale, doc.failure, discovery, doc.status, null, null, null);
        }
        Map<?, ?> body = object(doc.body);
        if (body == null) {
            return result(locale, "not_json", discovery, doc.status, null, null, null);
        }
        Object named = body.get("issuer");
        String found = named instanceof String s ? s : null;
        if (!issuer.equals(found)) {
            return result(locale, "issuer_mismatch", discovery, doc.status, found, null, null);
        }
        Object jwks = body.get("jwks_uri");
        if (!(jwks instanceof String jwksUri) || !jwksUri.matches("https?://\\S+")) {
            return result(locale, "no_jwks_uri", discovery, doc.status, found, null, null);
        }
        Fetched keySet = fetch(jwksUri);
        if (keySet.failure != null) {
            return result(locale, "jwks_unreachable", discovery, doc.status, found, jwksUri, null);
        }
        Map<?, ?> keys = object(keySet.body);
        if (keys == null || !(keys.get("keys") instanceof List<?> list) || list.isEmpty()) {
            return result(locale, "jwks_invalid", discovery, doc.status, found, jwksUri, null);
        }
        return result(locale, "ok", discovery, doc.status, found, jwksUri, list.size());
    }

    private Result result(Locale locale, String code, String url, Integer status, String issuer, String jwks, Integer keys) {
        String message = messages.get(locale, "onboarding.idp_check." + code)
                .replace("{url}", url).replace("{status}", status == null ? "" : status.toString())
                .replace("{issuer}", issuer == null ? "" : issuer);
        return new Result("ok".equals(code), code, message, url, status, issuer, jwks, keys);
    }

    private record Fetched(String failure, Integer status, byte[] body) {
    }

    private Fetched fetch(String url) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)
                    .header("Accept", "application/json").GET().build();
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                if (response.statusCode() != 200) {
                    return new Fetched("http_status", response.statusCode(), null);
                }
                byte[] body = in.readNBytes(MAX_BYTES + 1);
                if (body.length > MAX_BYTES) {
                    return new Fetched("not_json", response.statusCode(), null);
                }
                return new Fetched(null, response.statusCode(), body);
            }
        } catch (HttpTimeoutException e) {
            return new Fetched("unreachable", null, null);
        } catch (IOException | IllegalArgumentException e) {
            return new Fetched("unreachable", null, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Fetched("unreachable", null, null);
        }
    }

    private Map<?, ?> object(byte[] body) {
        if (body == null) {
            return null;
        }
        try {
            Object parsed = json.readValue(body, Object.class);
            return parsed instanceof Map<?, ?> m ? m : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}

package org.labcommons.core.health;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * The consortium's identity provider: its discovery document is served and names the issuer we
 * were configured with (a mismatch would make every token fail the {@code iss} check).
 */
@Singleton
public class IdentityProviderHealthIndicator extends ProbeHealthIndicator {
    private final String issuer;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public IdentityProviderHealthIndicator(@Value("${labcommons.oidc.issuer:`http://localhost:8081/consortium`}") String issuer) {
        super("identityProvider");
        this.issuer = issuer;
    }

    @Override
    protected boolean probe(Map<String, Object> details) throws Exception {
        details.put("issuer", issuer);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create(issuer.replaceAll("/$", "") + "/.well-known/openid-configuration"))
                .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.ofString());
        boolean ok = response.statusCode() == 200
                && response.body().replace(" ", "").contains("\"issuer\":\"" + issuer + "\"");
        details.put("status", response.statusCode());
        if (!ok) {
            details.put("error", "discovery document does not name issuer " + issuer);
        }
        return ok;
    }
}

package org.labcommons.core.web.auth;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code labcommons.oidc.*} as the browser login uses it: the web client's id and secret at the
 * identity providers, the issuers a person may sign in with, and session lifetime.
 */
@ConfigurationProperties("labcommons.oidc")
public class WebLoginSettings {
    private String issuer = "http://localhost:8081/consortium";
    private String clientId = "labcommons";
    private String clientSecret = "";
    private List<String> loginIssuers = new ArrayList<>();
    @Nullable
    private String publicUrl;
    private Duration sessionLifetime = Duration.ofHours(8);

    /** The consortium's issuer: the default sign-in. */
    public String getIssuer() { return issuer; }
    public void setIssuer(String issuer) { this.issuer = issuer; }
    public String getClientId() { return clientId; }
    public void setClientId(String clientId) { this.clientId = clientId; }
    public String getClientSecret() { return clientSecret; }
    public void setClientSecret(String clientSecret) { this.clientSecret = clientSecret; }
    /** Further issuers offered on the login page (the universities' SSO); the consortium's is always offered. */
    public List<String> getLoginIssuers() { return loginIssuers; }
    public void setLoginIssuers(List<String> loginIssuers) { this.loginIssuers = loginIssuers; }
    /** The platform's external URL, for the redirect URI; derived from the request when unset. */
    @Nullable public String getPublicUrl() { return publicUrl; }
    public void setPublicUrl(@Nullable String publicUrl) { this.publicUrl = publicUrl; }
    public Duration getSessionLifetime() { return sessionLifetime; }
    public void setSessionLifetime(Duration sessionLifetime) { this.sessionLifetime = sessionLifetime; }

    /** Every issuer a person may sign in with, the consortium's first. */
    public List<String> allLoginIssuers() {
        List<String> all = new ArrayList<>();
        all.add(issuer);
        loginIssuers.stream().filter(i -> !all.contains(i)).forEach(all::add);
        return all;
    }
}

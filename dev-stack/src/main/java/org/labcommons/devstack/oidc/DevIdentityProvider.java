package org.labcommons.devstack.oidc;

import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import org.labcommons.devstack.FreePorts;
import org.labcommons.devstack.InfraService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * An OpenID Connect provider for development and tests (NAV's mock-oauth2-server, in process).
 * It serves one issuer per path segment ({@code /consortium}, {@code /donghu}, ...), so each demo
 * tenant can have its own "university SSO". Authorization-code logins show a form where any
 * user name can be typed; every token carries the audience {@value #AUDIENCE}.
 *
 * <p>The issuer in tokens follows the request's Host header, so everything (browser, server,
 * tests) uses the single host name {@code localhost}.
 */
public final class DevIdentityProvider implements InfraService {
    public static final String AUDIENCE = "labcommons";
    public static final String CONSORTIUM_ISSUER_ID = "consortium";
    private static final Logger LOG = LoggerFactory.getLogger(DevIdentityProvider.class);

    private final int requestedPort;
    private final List<String> issuerIds;
    private MockOAuth2Server server;
    private int port;

    /**
     * @param port      fixed port, or 0 for a free one
     * @param issuerIds issuers to configure (the consortium's first); others work with defaults
     */
    public DevIdentityProvider(int port, List<String> issuerIds) {
        this.requestedPort = port;
        this.issuerIds = List.copyOf(issuerIds);
    }

    @Override
    public String name() {
        return "identity-provider";
    }

    @Override
    public void start() throws Exception {
        port = FreePorts.pick(requestedPort);
        // client credentials: the subject is the client; every grant: our audience and a tenant hint
        // (an interactive login's subject is the user name typed on the login page)
        String callbacks = issuerIds.stream().map(id -> """
                {"issuerId": "%s", "tokenExpiry": 3600,
                 "requestMappings": [
                   {"requestParam": "grant_type", "match": "client_credentials",
                    "claims": {"sub": "${clientId}", "aud": ["%s"], "tenant_hint": "%s"}},
                   {"requestParam": "grant_type", "match": "*",
                    "claims": {"aud": ["%s"], "tenant_hint": "%s"}}]}"""
                .formatted(id, AUDIENCE, id, AUDIENCE, id)).collect(Collectors.joining(","));
        OAuth2Config config = OAuth2Config.Companion.fromJson("""
                {"interactiveLogin": true, "httpServer": "MockWebServerWrapper", "tokenCallbacks": [%s]}"""
                .formatted(callbacks));
        server = new MockOAuth2Server(config);
        server.start(InetAddress.getLoopbackAddress(), port);
        LOG.info("Identity provider ready on {}", baseUrl());
    }

    /** {@code http://localhost:<port>}: the host name is fixed because issuers follow it. */
    public String baseUrl() {
        return "http://localhost:" + port;
    }

    public String issuer(String issuerId) {
        return baseUrl() + "/" + issuerId;
    }

    public String tokenEndpoint(String issuerId) {
        return issuer(issuerId) + "/token";
    }

    /** The underlying server, for tests that mint tokens directly. */
    public MockOAuth2Server server() {
        return server;
    }

    @Override
    public Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("labcommons.oidc.issuer", issuer(CONSORTIUM_ISSUER_ID));
        // the web client's id equals the API audience, so ID tokens (aud = client id) and access
        // tokens (aud = labcommons) both carry the one audience the provider is configured with
        p.put("labcommons.oidc.client-id", AUDIENCE);
        p.put("labcommons.oidc.client-secret", "dev-only-secret");
        p.put("labcommons.oidc.audience", AUDIENCE);
        p.put("labcommons.oidc.dev-base-url", baseUrl());
        p.put("labcommons.oidc.login-issuers", issuerIds.stream().map(this::issuer).collect(Collectors.joining(",")));
        return p;
    }

    @Override
    public Map<String, String> endpoints() {
        Map<String, String> e = new LinkedHashMap<>();
        for (String id : issuerIds) {
            e.put("issuer " + id, issuer(id) + "/.well-known/openid-configuration");
        }
        return e;
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            try {
                server.shutdown();
            } catch (Exception e) {
                LOG.warn("identity provider did not stop cleanly", e);
            }
            server = null;
        }
    }
}

package org.labcommons.core.web.auth;

import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Discovery documents of the issuers people sign in with, refreshed every ten minutes. */
@Singleton
public class ProviderMetadataCache {
    private static final Duration TTL = Duration.ofMinutes(10);

    private record Entry(OIDCProviderMetadata metadata, Instant fetched) {
    }

    private final Map<String, Entry> cache = new ConcurrentHashMap<>();

    public OIDCProviderMetadata get(String issuer) {
        Entry e = cache.get(issuer);
        if (e == null || e.fetched().plus(TTL).isBefore(Instant.now())) {
            try {
                OIDCProviderMetadata metadata = OIDCProviderMetadata.resolve(new Issuer(issuer), 3000, 3000);
                if (!issuer.equals(metadata.getIssuer().getValue())) {
                    throw new IllegalStateException("discovery document of " + issuer + " names issuer " + metadata.getIssuer());
                }
                e = new Entry(metadata, Instant.now());
                cache.put(issuer, e);
            } catch (Exception ex) {
                throw new IllegalStateException("identity provider " + issuer + " is not reachable: " + ex.getMessage(), ex);
            }
        }
        return e.metadata();
    }
}

package org.labcommons.core.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import jakarta.inject.Singleton;
import org.labcommons.core.tenancy.TenantId;

import java.security.Key;
import java.text.ParseException;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Validates OAuth 2.0 bearer access tokens (signed JWTs) from the issuers tenants trust. The
 * rules, cheapest first, so hostile input is refused before any JSON is parsed or key fetched:
 * <ol>
 *   <li>at most {@value #MAX_TOKEN_LENGTH} characters, exactly three non-empty base64url segments
 *       (so unsigned, stripped and JWE tokens fail here), JSON nested at most {@value #MAX_JSON_DEPTH} deep;</li>
 *   <li>header: {@code alg} on the issuer's allow list (asymmetric only: never {@code none} or
 *       HMAC), no {@code jku}, {@code x5u}, {@code jwk}, {@code x5c} or {@code crit} (keys named by
 *       the token are never fetched or used), {@code typ} absent or one of {@code JWT},
 *       {@code at+jwt}, {@code application/at+jwt};</li>
 *   <li>{@code iss} exactly a trusted issuer ({@link TrustedIssuers});</li>
 *   <li>{@code aud}, {@code sub}, {@code exp} and {@code nbf} as in the last rule, on the claims as
 *       sent: a token that cannot be valid is refused before its issuer's keys are needed;</li>
 *   <li>signature by a key of that issuer's JWKS ({@link IssuerKeys}: found from its discovery
 *       document, kept per issuer, refreshed in the background and on an unknown {@code kid} at most
 *       once per interval, so rotation works; when the issuer's keys cannot be had,
 *       {@link IssuerKeysUnavailableException}); the exact same token verified in the last minute is not verified again
 *       ({@link #VERIFIED_SIGNATURE_TTL_NANOS}) while the issuer's key set still offers the same
 *       keys for it, and every other rule still applies to it;</li>
 *   <li>{@code aud} contains the issuer's audience; {@code sub} and {@code exp} present;
 *       {@code exp}/{@code nbf} checked with {@value #CLOCK_SKEW_SECONDS} s of clock skew.</li>
 * </ol>
 */
@Singleton
public class TokenValidator {
    public static final int MAX_TOKEN_LENGTH = 8192;
    public static final int MAX_JSON_DEPTH = 8;
    public static final int CLOCK_SKEW_SECONDS = 60;
    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    private static final Set<String> FORBIDDEN_HEADERS = Set.of("jku", "x5u", "jwk", "x5c", "crit");
    private static final Set<JOSEObjectType> TYPES = Set.of(JOSEObjectType.JWT, new JOSEObjectType("at+jwt"),
            new JOSEObjectType("application/at+jwt"));

    /** A token that passed every rule: who it speaks for and which tenant trusts its issuer. */
    public record ValidatedToken(String issuer, String subject, TenantId issuerTenant, JWTClaimsSet claims,
                                 boolean tenantSuspended) {
        public ValidatedToken(String issuer, String subject, TenantId issuerTenant, JWTClaimsSet claims) {
            this(issuer, subject, issuerTenant, claims, false);
        }
    }

    /**
     * How long a token whose signature was verified is taken as signed without checking the
     * signature again (the RSA check was the largest single cost of an API request in the booking
     * benchmark's profile). Only the exact same token string hits; the issuer's trust, its
     * algorithms, audience, expiry and not-before are checked on every use, and so is the key: the
     * remembered signature counts only while the issuer's key set (as this server last fetched it)
     * offers exactly the keys it offered when the signature was checked. Once a rotation has been
     * seen (a token with the new kid refreshes the set), a token of the withdrawn key is verified
     * again and fails. What is left: a token of a withdrawn key keeps working for at most this long
     * if no token of the new key has been seen here yet (keys are fetched again in the background
     * after {@code labcommons.security.issuer-keys.refresh-after}).
     */
    static final long VERIFIED_SIGNATURE_TTL_NANOS = Duration.ofSeconds(60).toNanos();
    private static final int MAX_VERIFIED_SIGNATURES = 20_000;

    /** A checked signature: the issuer, the claims, when, and the keys the issuer's set offered for it. */
    private record Verified(String issuer, JWTClaimsSet claims, long at, List<? extends Key> keys) {
    }

    /** Passes the selection through and remembers it (one instance per validation, never shared). */
    private static final class RecordingKeySelector implements com.nimbusds.jose.proc.JWSKeySelector<SecurityContext> {
        private final JWSVerificationKeySelector<SecurityContext> delegate;
        private List<? extends Key> selected = List.of();

        RecordingKeySelector(JWSVerificationKeySelector<SecurityContext> delegate) {
            this.delegate = delegate;
        }

        @Override
        public List<? extends Key> selectJWSKeys(JWSHeader header, SecurityContext context) throws KeySourceException {
            selected = delegate.selectJWSKeys(header, context);
            return selected;
        }
    }

    private final TrustedIssuers issuers;
    private final IssuerKeys keys;
    private final Map<String, Verified> verifiedSignatures = new ConcurrentHashMap<>();

    public TokenValidator(TrustedIssuers issuers, IssuerKeys keys) {
        this.issuers = issuers;
        this.keys = keys;
    }

    /**
     * The validated token, or {@link InvalidTokenException} naming (for logs) the first rule it broke,
     * or {@link IssuerKeysUnavailableException} when the issuer's keys cannot be had now (the token
     * broke no rule that can be checked without them).
     */
    public ValidatedToken validate(String token) {
        if (token == null || token.isEmpty()) {
            throw new InvalidTokenException("empty token");
        }
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw new InvalidTokenException("token longer than " + MAX_TOKEN_LENGTH);
        }
        if (!SHAPE.matcher(token).matches()) {
            throw new InvalidTokenException("not three non-empty base64url segments");
        }
        String[] parts = token.split("\\.");
        if (depth(decode(parts[0])) > 1 || depth(decode(parts[1])) > MAX_JSON_DEPTH) {
            throw new InvalidTokenException("JSON nested too deep");
        }
        SignedJWT jwt;
        JWTClaimsSet unverified;
        try {
            jwt = SignedJWT.parse(token);
            unverified = jwt.getJWTClaimsSet();
        } catch (ParseException | RuntimeException e) {
            throw new InvalidTokenException("unparseable", e);
        }
        JWSHeader header = jwt.getHeader();
        Set<String> forbidden = new HashSet<>(header.getIncludedParams());
        forbidden.retainAll(FORBIDDEN_HEADERS);
        if (!forbidden.isEmpty()) {
            throw new InvalidTokenException("forbidden header parameters " + forbidden);
        }
        if (header.getType() != null && !TYPES.contains(header.getType())) {
            throw new InvalidTokenException("typ " + header.getType());
        }
        if (unverified.getIssuer() == null) {
            throw new InvalidTokenException("no issuer");
        }
        TrustedIssuer trust = issuers.find(unverified.getIssuer())
                .orElseThrow(() -> new InvalidTokenException("untrusted issuer"));
        if (!trust.algorithms().contains(header.getAlgorithm())) {
            throw new InvalidTokenException("algorithm " + header.getAlgorithm() + " not allowed");
        }
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        Set<JOSEObjectType> types = new HashSet<>(TYPES);
        types.add(null); // typ may be absent
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(types));
        RecordingKeySelector selector = new RecordingKeySelector(
                new JWSVerificationKeySelector<>(trust.algorithms(), keys.source(trust.issuer())));
        processor.setJWSKeySelector(selector);
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                new HashSet<>(Set.of(trust.audience())), // Nimbus asks contains(null): no Set.of here
                new JWTClaimsSet.Builder().issuer(trust.issuer()).build(), Set.of("sub", "exp"), null);
        claims.setMaxClockSkew(CLOCK_SKEW_SECONDS);
        processor.setJWTClaimsSetVerifier(claims);
        try {
            // the claims first, unverified: a token that cannot be valid is refused without its issuer's keys
            claims.verify(unverified, null);
        } catch (com.nimbusds.jwt.proc.BadJWTException e) {
            throw new InvalidTokenException("rejected", e);
        }
        JWTClaimsSet verified;
        long now = System.nanoTime();
        Verified known = verifiedSignatures.get(token);
        if (known != null && known.issuer().equals(trust.issuer()) && now - known.at() < VERIFIED_SIGNATURE_TTL_NANOS
                && sameKeysOffered(trust, header, known)) {
            // The same bytes whose signature this issuer's key verified moments ago, and the key set
            // still offers the same keys: the signature is not checked again, every other rule is
            // (trust and algorithm above, claims here).
            try {
                claims.verify(known.claims(), null);
            } catch (com.nimbusds.jwt.proc.BadJWTException e) {
                verifiedSignatures.remove(token);
                throw new InvalidTokenException("rejected", e);
            }
            verified = known.claims();
        } else {
            try {
                verified = processor.process(jwt, null);
            } catch (BadJOSEException | JOSEException | IllegalArgumentException | ClassCastException e) {
                throw new InvalidTokenException("rejected", e);
            }
            if (verifiedSignatures.size() >= MAX_VERIFIED_SIGNATURES) {
                verifiedSignatures.clear();
            }
            verifiedSignatures.put(token, new Verified(trust.issuer(), verified, now, selector.selected));
        }
        String subject = verified.getSubject();
        if (subject == null || subject.isBlank() || subject.length() > 255) {
            throw new InvalidTokenException("bad subject");
        }
        return new ValidatedToken(trust.issuer(), subject, trust.tenant(), verified, trust.tenantSuspended());
    }

    /** Whether the issuer's key set, as last obtained (nothing is fetched), still offers exactly the keys it offered at the check. */
    private boolean sameKeysOffered(TrustedIssuer trust, JWSHeader header, Verified known) {
        JWKSet onHand = keys.onHand(trust.issuer());
        if (onHand == null || known.keys().isEmpty()) {
            return false;
        }
        try {
            return new JWSVerificationKeySelector<SecurityContext>(trust.algorithms(), (selector, context) -> selector.select(onHand))
                    .selectJWSKeys(header, null).equals(known.keys());
        } catch (KeySourceException | RuntimeException e) {
            return false; // verified in full, which reports the key problem
        }
    }

    private static byte[] decode(String segment) {
        try {
            return Base64.getUrlDecoder().decode(segment);
        } catch (IllegalArgumentException e) {
            throw new InvalidTokenException("not base64url", e);
        }
    }

    /** How deeply objects and arrays nest in {@code json} (strings skipped), without parsing it. */
    static int depth(byte[] json) {
        int depth = 0;
        int max = 0;
        boolean inString = false;
        boolean escaped = false;
        for (byte b : json) {
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (b == '\\') {
                    escaped = true;
                } else if (b == '"') {
                    inString = false;
                }
            } else if (b == '"') {
                inString = true;
            } else if (b == '{' || b == '[') {
                max = Math.max(max, ++depth);
            } else if (b == '}' || b == ']') {
                depth--;
            }
        }
        return max;
    }
}

package org.labcommons.tenantadmin.onboarding;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.web.AddressRange;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which identity providers an institution may register, beyond the shape
 * {@link ApplicationValidator} checks: never the consortium's own issuer
 * ({@code labcommons.oidc.issuer}: its people sign in to the consortium tenant), and outside dev
 * mode never a loopback, link-local or unspecified host ({@code localhost}, {@code 127.0.0.0/8},
 * {@code ::1}, {@code 169.254.0.0/16}, {@code fe80::/10}, {@code 0.0.0.0}) nor {@code http://}
 * (the connection test would otherwise probe the platform's own machine). Hosts are judged as
 * written, without a DNS lookup. Dev mode is the embedded platform, where the dev stack's identity
 * provider runs on localhost: {@code labcommons.oidc.dev-base-url} is set (the dev stack sets it).
 * An issuer already registered by a tenant is a 409 ({@link #taken()}), decided by the database
 * ({@code trusted_issuer_claim}, kernel V22).
 */
@Singleton
public class IssuerRules {
    private static final Pattern DOTTED = Pattern.compile("[0-9]+(\\.[0-9]+){0,3}");

    private final String consortiumIssuer;
    private final boolean devMode;

    public IssuerRules(@Value("${labcommons.oidc.issuer}") String consortiumIssuer,
                       @Value("${labcommons.oidc.dev-base-url:}") String devBaseUrl) {
        this(consortiumIssuer, devBaseUrl != null && !devBaseUrl.isBlank());
    }

    IssuerRules(String consortiumIssuer, boolean devMode) {
        this.consortiumIssuer = consortiumIssuer;
        this.devMode = devMode;
    }

    /** Whether loopback issuers over http are allowed (the embedded platform). */
    public boolean devMode() {
        return devMode;
    }

    /**
     * What is wrong with registering {@code issuer} (already of a valid shape) as the field
     * {@code field}: {@code consortium_issuer}, {@code loopback}; empty when nothing.
     */
    public List<FieldProblem> problems(String field, @Nullable String issuer) {
        List<FieldProblem> problems = new ArrayList<>();
        if (issuer == null || !ApplicationValidator.issuerUrl(issuer)) {
            return problems;
        }
        if (normalized(issuer).equals(normalized(consortiumIssuer))) {
            problems.add(new FieldProblem(field, "consortium_issuer", "validation.onboarding.issuer_consortium", Map.of()));
        }
        if (refusedHost(issuer)) {
            problems.add(new FieldProblem(field, "loopback", "validation.onboarding.issuer_loopback", Map.of()));
        }
        return problems;
    }

    /**
     * Whether the connection test must not fetch from {@code issuer}: outside dev mode, an http
     * address or a loopback, link-local or unspecified host.
     */
    public boolean refusedHost(String issuer) {
        if (devMode) {
            return false;
        }
        try {
            URI uri = new URI(issuer);
            return !"https".equals(uri.getScheme()) || uri.getHost() == null || localHost(uri.getHost());
        } catch (URISyntaxException e) {
            return true;
        }
    }

    /** 409 {@code conflict} on {@code issuerUrl}: another institution has registered this issuer. */
    static ProblemException taken() {
        return new ProblemException(HttpStatus.CONFLICT, "conflict", List.of(
                new FieldProblem("issuerUrl", "taken", "validation.onboarding.issuer_taken", Map.of())));
    }

    static boolean localHost(String rawHost) {
        String host = rawHost.toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (host.equals("localhost") || host.endsWith(".localhost")) {
            return true;
        }
        Optional<InetAddress> literal = AddressRange.literal(host);   // parses literals only, never asks DNS
        if (literal.isPresent()) {
            return local(literal.get());
        }
        // digits and dots that are no four-part address (127.1, 2130706433) spell an address some
        // other way, and a bracketed text that is no IPv6 literal is no address: both refused
        return DOTTED.matcher(host).matches() || host.startsWith("[");
    }

    private static boolean local(InetAddress address) {
        return address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isAnyLocalAddress();
    }

    /** Scheme and host lower-cased, trailing slashes removed: how two spellings of one issuer compare. */
    static String normalized(String issuer) {
        try {
            URI uri = new URI(issuer.strip());
            String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
            return (uri.getScheme() + "://" + uri.getRawAuthority()).toLowerCase(Locale.ROOT) + path;
        } catch (URISyntaxException | RuntimeException e) {
            return issuer.strip();
        }
    }
}

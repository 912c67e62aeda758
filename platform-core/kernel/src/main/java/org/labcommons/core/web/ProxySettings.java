package org.labcommons.core.web;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.util.List;

/**
 * {@code labcommons.trusted-proxies} and {@code labcommons.forwarded-header}: which immediate peers
 * may say who the client is ({@link ClientAddresses}). With no trusted proxies (the default) the
 * client is always the socket's peer and forwarding headers are ignored.
 */
@ConfigurationProperties("labcommons")
public class ProxySettings {
    /** Header value of {@link #getForwardedHeader()} for {@code X-Forwarded-For}. */
    public static final String X_FORWARDED_FOR = "x-forwarded-for";
    /** Header value of {@link #getForwardedHeader()} for RFC 7239 {@code Forwarded}. */
    public static final String FORWARDED = "forwarded";

    private List<String> trustedProxies = List.of();
    private String forwardedHeader = X_FORWARDED_FOR;

    /**
     * Address ranges (CIDR, IPv4 or IPv6) of the reverse proxies in front of the server (the ingress
     * controller's pods); environment {@code LABCOMMONS_TRUSTED_PROXIES}, comma separated.
     */
    public List<String> getTrustedProxies() { return trustedProxies; }
    public void setTrustedProxies(List<String> trustedProxies) {
        this.trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
    }
    /**
     * The header the trusted proxies append the client to: {@code x-forwarded-for} or
     * {@code forwarded} (RFC 7239). Only this one is read; the other is ignored, so a client cannot
     * slip an entry past the proxy in the header the proxy does not write.
     */
    public String getForwardedHeader() { return forwardedHeader; }
    public void setForwardedHeader(String forwardedHeader) { this.forwardedHeader = forwardedHeader; }
}

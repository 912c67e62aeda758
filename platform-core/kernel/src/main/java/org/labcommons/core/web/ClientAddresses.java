package org.labcommons.core.web;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.server.util.DefaultHttpClientAddressResolver;
import io.micronaut.http.server.util.HttpClientAddressResolver;
import jakarta.inject.Singleton;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The one answer to "which address did this request come from", for rate limits, logs and the
 * operations endpoints. It replaces Micronaut's resolver, which believes the first
 * {@code X-Forwarded-For} entry of anyone.
 *
 * <p>The socket's peer is the client, unless the peer is one of the trusted proxies
 * ({@code labcommons.trusted-proxies}). Then the entries of the forwarding header
 * ({@code labcommons.forwarded-header}: {@code X-Forwarded-For}, or {@code for=} of RFC 7239
 * {@code Forwarded}) are read from the right, each being the address the hop after it saw: the
 * first that is not itself a trusted proxy is the client. Entries left of it were written by
 * the client and are never believed. An entry that is no address literal stops the walk at the
 * last address known; when every entry is a trusted proxy, the left-most is the client.
 *
 * <p>Resolved once per request and kept in the request attribute {@value #ATTRIBUTE}.
 */
@Singleton
@Replaces(DefaultHttpClientAddressResolver.class)
public class ClientAddresses implements HttpClientAddressResolver {
    static final String ATTRIBUTE = "labcommons.clientAddress";

    private final List<AddressRange> trusted;
    private final boolean rfc7239;

    public ClientAddresses(ProxySettings settings) {
        this.trusted = AddressRange.parseAll("labcommons.trusted-proxies", settings.getTrustedProxies());
        String header = settings.getForwardedHeader() == null ? "" : settings.getForwardedHeader().strip().toLowerCase(Locale.ROOT);
        if (!header.equals(ProxySettings.X_FORWARDED_FOR) && !header.equals(ProxySettings.FORWARDED)) {
            throw new IllegalArgumentException("labcommons.forwarded-header: '" + settings.getForwardedHeader()
                    + "' is neither " + ProxySettings.X_FORWARDED_FOR + " nor " + ProxySettings.FORWARDED);
        }
        this.rfc7239 = header.equals(ProxySettings.FORWARDED);
    }

    /** The client of {@code request}. */
    public ClientAddress of(HttpRequest<?> request) {
        Optional<ClientAddress> known = request.getAttribute(ATTRIBUTE, ClientAddress.class);
        if (known.isPresent()) {
            return known.get();
        }
        InetSocketAddress remote = request.getRemoteAddress();
        InetAddress peer = remote == null ? null : remote.getAddress();
        ClientAddress resolved = peer == null ? ClientAddress.UNKNOWN : new ClientAddress(resolve(peer, chain(request)));
        request.setAttribute(ATTRIBUTE, resolved);
        return resolved;
    }

    /** For Micronaut's own users of {@link HttpClientAddressResolver}: the same answer as {@link #of}. */
    @Override
    @Nullable
    public String resolve(HttpRequest request) {
        ClientAddress client = of((HttpRequest<?>) request);
        return client.address() == null ? null : client.text();
    }

    /**
     * The client, given the socket's {@code peer} and the forwarding header's entries in order
     * (left-most first).
     */
    public InetAddress resolve(InetAddress peer, List<String> chain) {
        if (!isTrustedProxy(peer)) {
            return peer;
        }
        InetAddress last = peer;
        for (int i = chain.size() - 1; i >= 0; i--) {
            Optional<InetAddress> hop = AddressRange.literal(chain.get(i));
            if (hop.isEmpty()) {
                return last;
            }
            if (!isTrustedProxy(hop.get())) {
                return hop.get();
            }
            last = hop.get();
        }
        return last;
    }

    /**
     * Whether {@code request} carries a forwarding header ({@code X-Forwarded-For} or
     * {@code Forwarded}) from a peer that is no trusted proxy: it probably passed a proxy nobody
     * configured, so its peer address tells nothing about the client (and is never enough to
     * trust it as coming from a network).
     */
    public boolean forwardedByUntrustedPeer(HttpRequest<?> request) {
        InetSocketAddress remote = request.getRemoteAddress();
        InetAddress peer = remote == null ? null : remote.getAddress();
        boolean forwarded = request.getHeaders().contains("X-Forwarded-For") || request.getHeaders().contains("Forwarded");
        return forwarded && (peer == null || !isTrustedProxy(peer));
    }

    /** Whether {@code address} is one of the configured trusted proxies. */
    public boolean isTrustedProxy(InetAddress address) {
        return AddressRange.anyContains(trusted, address);
    }

    /** The entries of the configured forwarding header, over all its lines, left-most first. */
    private List<String> chain(HttpRequest<?> request) {
        List<String> entries = new ArrayList<>();
        if (trusted.isEmpty()) {
            return entries;
        }
        for (String line : request.getHeaders().getAll(rfc7239 ? "Forwarded" : "X-Forwarded-For")) {
            for (String element : splitOutsideQuotes(line, ',')) {
                entries.add(rfc7239 ? forParameter(element) : element.strip());
            }
        }
        return entries;
    }

    /** The value of {@code for=} in one RFC 7239 element ({@code for=192.0.2.1;proto=https}); blank when absent. */
    static String forParameter(String element) {
        for (String pair : splitOutsideQuotes(element, ';')) {
            String p = pair.strip();
            if (p.length() > 4 && p.substring(0, 4).equalsIgnoreCase("for=")) {
                return p.substring(4).strip();
            }
        }
        return "";
    }

    private static List<String> splitOutsideQuotes(String text, char separator) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == separator && !quoted) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString());
        return parts;
    }
}

package org.labcommons.core.web;

import io.micronaut.core.annotation.Nullable;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;

/**
 * The address a request came from, as {@link ClientAddresses} resolved it; {@link #UNKNOWN} when the
 * server could not tell (no socket address).
 */
public record ClientAddress(@Nullable InetAddress address) {
    public static final ClientAddress UNKNOWN = new ClientAddress(null);

    /** {@code 203.0.113.7}, {@code 2001:db8:0:0:0:0:0:1}, or {@code unknown}. */
    public String text() {
        return address == null ? "unknown" : address.getHostAddress();
    }

    /**
     * The block one client usually holds, for per-client limits: an IPv4 address itself, and for
     * IPv6 its /64 network (a single subscriber gets at least a /64, so counting single IPv6
     * addresses would give one client billions of allowances).
     */
    public String block() {
        if (address instanceof Inet6Address) {
            byte[] network = Arrays.copyOf(address.getAddress(), 16);
            Arrays.fill(network, 8, 16, (byte) 0);
            return new AddressRange(network, 64).toString();
        }
        return text();
    }

    @Override
    public String toString() {
        return text();
    }
}

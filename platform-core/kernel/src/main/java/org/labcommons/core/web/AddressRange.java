package org.labcommons.core.web;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A block of IPv4 or IPv6 addresses written in CIDR notation ({@code 10.0.0.0/8}, {@code fd00::/8};
 * a bare address is the block of that one address), and the parser of address literals that the
 * client-address resolver and the operations networks share. Nothing here looks a name up in DNS:
 * only literals are accepted.
 */
public record AddressRange(byte[] network, int prefix) {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    public AddressRange {
        network = network.clone();
        if (prefix < 0 || prefix > network.length * 8) {
            throw new IllegalArgumentException("prefix " + prefix + " out of range");
        }
    }

    /** The block's first address, as bytes (a copy). */
    @Override
    public byte[] network() {
        return network.clone();
    }

    /**
     * Parses {@code 192.168.0.0/16}, {@code 2001:db8::/32} or a single address. The bits after the
     * prefix are ignored ({@code 10.1.2.3/8} is {@code 10.0.0.0/8}).
     *
     * @throws IllegalArgumentException naming the text when it is not such a range
     */
    public static AddressRange parse(String text) {
        String t = text.strip();
        int slash = t.indexOf('/');
        Optional<InetAddress> address = literal(slash < 0 ? t : t.substring(0, slash));
        if (address.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "' is not an address range (such as 10.0.0.0/8 or fd00::/8)");
        }
        byte[] bytes = address.get().getAddress();
        int prefix = bytes.length * 8;
        if (slash >= 0) {
            String bits = t.substring(slash + 1);
            if (!bits.matches("\\d{1,3}") || Integer.parseInt(bits) > prefix) {
                throw new IllegalArgumentException("'" + text + "' has no valid prefix length (0 to " + prefix + ")");
            }
            prefix = Integer.parseInt(bits);
        }
        return new AddressRange(bytes, prefix);
    }

    /** The ranges of {@code texts}, blank entries left out (an empty environment variable means none). */
    public static List<AddressRange> parseAll(String setting, Collection<String> texts) {
        List<AddressRange> ranges = new ArrayList<>();
        for (String text : texts) {
            if (text != null && !text.isBlank()) {
                try {
                    ranges.add(parse(text));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(setting + ": " + e.getMessage(), e);
                }
            }
        }
        return List.copyOf(ranges);
    }

    /** Whether {@code address} lies in this block (an IPv4 address never lies in an IPv6 block, nor the reverse). */
    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (a[full] & mask) == (network[full] & mask);
    }

    /** Whether any of {@code ranges} contains {@code address}. */
    public static boolean anyContains(Collection<AddressRange> ranges, InetAddress address) {
        for (AddressRange r : ranges) {
            if (r.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The address an entry of a forwarding header names: an IPv4 or IPv6 literal, optionally quoted,
     * an IPv6 one optionally in brackets, either optionally with a port ({@code 192.0.2.1:4711},
     * {@code [2001:db8::1]:4711}). Anything else (a host name, {@code unknown}, an obfuscated
     * identifier such as {@code _proxy1}, a zone id) is empty.
     */
    public static Optional<InetAddress> literal(String entry) {
        String s = entry == null ? "" : entry.strip();
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            s = s.substring(1, s.length() - 1).strip();
        }
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0 || !(close == s.length() - 1 || s.substring(close + 1).matches(":\\d{1,5}"))) {
                return Optional.empty();
            }
            return ipv6(s.substring(1, close));
        }
        int colons = s.length() - s.replace(":", "").length();
        if (colons == 1) {
            int colon = s.indexOf(':');
            return s.substring(colon + 1).matches("\\d{1,5}") ? ipv4(s.substring(0, colon)) : Optional.empty();
        }
        return colons == 0 ? ipv4(s) : ipv6(s);
    }

    private static Optional<InetAddress> ipv4(String s) {
        if (!IPV4.matcher(s).matches()) {
            return Optional.empty();
        }
        String[] parts = s.split("\\.");
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            int v = Integer.parseInt(parts[i]);
            if (v > 255) {
                return Optional.empty();
            }
            bytes[i] = (byte) v;
        }
        return Optional.of(byAddress(bytes));
    }

    private static Optional<InetAddress> ipv6(String s) {
        if (!IPV6.matcher(s).matches()) {
            return Optional.empty();
        }
        try {
            // in brackets InetAddress takes the text as an IPv6 literal or refuses it, and never asks DNS
            return Optional.of(InetAddress.getByName("[" + s.toLowerCase(Locale.ROOT) + "]"));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static InetAddress byAddress(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);   // only for a wrong length
        }
    }

    /** {@code 10.0.0.0/8}; IPv6 in Java's notation. */
    @Override
    public String toString() {
        return byAddress(network).getHostAddress() + "/" + prefix;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AddressRange r && r.prefix == prefix && java.util.Arrays.equals(r.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Arrays.hashCode(network) + prefix;
    }
}

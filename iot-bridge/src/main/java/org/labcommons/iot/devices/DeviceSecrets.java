package org.labcommons.iot.devices;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Device secrets and their slow hash: PBKDF2-HMAC-SHA256 (the JDK's), a random 16-byte salt,
 * {@value #ITERATIONS} iterations, 32 bytes out, kept with its parameters as
 * {@code pbkdf2-sha256$<iterations>$<salt>$<hash>} (base64url, no padding), so the iteration count
 * can be raised later without invalidating stored hashes. {@value #ITERATIONS} iterations cost about
 * 25-35 ms on one core of the 2-core build machine: a secret is 32 random bytes, so the hash guards a
 * leaked table against nothing but brute force, and the broker pays it on each CONNECT.
 */
public final class DeviceSecrets {
    /** PBKDF2 iterations of a new hash. */
    public static final int ITERATIONS = 100_000;
    private static final String PREFIX = "pbkdf2-sha256";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private DeviceSecrets() {
    }

    /** A new secret: 32 random bytes, base64url without padding (43 characters). */
    public static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return B64.encodeToString(bytes);
    }

    /** The slow, salted hash of {@code secret}, with its parameters. */
    public static String hash(String secret) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return PREFIX + "$" + ITERATIONS + "$" + B64.encodeToString(salt) + "$"
                + B64.encodeToString(derive(secret, salt, ITERATIONS));
    }

    /** Whether {@code secret} is the one {@code hash} was made of; false for a null or malformed hash or secret. */
    public static boolean matches(String secret, String hash) {
        if (secret == null || hash == null) {
            return false;
        }
        String[] parts = hash.split("\\$");
        if (parts.length != 4 || !PREFIX.equals(parts[0])) {
            return false;
        }
        try {
            int iterations = Integer.parseInt(parts[1]);
            if (iterations < 1 || iterations > 10_000_000) {
                return false;
            }
            byte[] salt = Base64.getUrlDecoder().decode(parts[2]);
            byte[] expected = Base64.getUrlDecoder().decode(parts[3]);
            return MessageDigest.isEqual(expected, derive(secret, salt, iterations));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The SHA-256 of a claim code (normalised: upper case, no spaces or dashes), base64url: how it is stored. */
    public static String claimCodeHash(String code) {
        String normal = code == null ? "" : code.toUpperCase(java.util.Locale.ROOT).replaceAll("[\\s-]", "");
        try {
            return B64.encodeToString(MessageDigest.getInstance("SHA-256").digest(normal.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }

    private static byte[] derive(String secret, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(secret.toCharArray(), salt, iterations, 256);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing from the JDK", e);
        } finally {
            spec.clearPassword();
        }
    }
}

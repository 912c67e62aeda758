package org.labcommons.iot.protocol;

import org.bouncycastle.math.ec.rfc8032.Ed25519;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * Ed25519 (RFC 8032) as LC-IC/1 uses it. Keys are the JDK's ({@code KeyPairGenerator "Ed25519"},
 * PKCS#8 / X.509 encodings, so {@code openssl genpkey -algorithm ed25519} keys work); signing and
 * verification run on BouncyCastle's RFC 8032 code, measured several times faster than the JDK
 * 17 provider on this project's machines (iot-bridge README). Signatures and raw public keys
 * travel as base64url without padding.
 */
public final class Signatures {
    /** X.509 SubjectPublicKeyInfo prefix of an Ed25519 public key (RFC 8410). */
    private static final byte[] X509_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
    /** PKCS#8 PrivateKeyInfo prefix of an Ed25519 private key (RFC 8410). */
    private static final byte[] PKCS8_PREFIX = {0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70,
            0x04, 0x22, 0x04, 0x20};
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64URL_DEC = Base64.getUrlDecoder();

    static {
        Ed25519.precompute();
    }

    private Signatures() {
    }

    /** True when {@code signature} (64 bytes) is {@code publicKey32}'s Ed25519 signature of {@code message}. */
    public static boolean verify(byte[] publicKey32, byte[] message, byte[] signature) {
        if (publicKey32 == null || publicKey32.length != Ed25519.PUBLIC_KEY_SIZE
                || signature == null || signature.length != Ed25519.SIGNATURE_SIZE || message == null) {
            return false;
        }
        try {
            return Ed25519.verify(signature, 0, publicKey32, 0, message, 0, message.length);
        } catch (RuntimeException e) {
            return false; // a malformed point is a bad signature, not an error
        }
    }

    /** The 64-byte Ed25519 signature of {@code message} by an Ed25519 private key. */
    public static byte[] sign(PrivateKey key, byte[] message) {
        byte[] seed = seed(key);
        byte[] signature = new byte[Ed25519.SIGNATURE_SIZE];
        Ed25519.sign(seed, 0, message, 0, message.length, signature, 0);
        return signature;
    }

    public static KeyPair newKeyPair() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is not available in this JVM", e);
        }
    }

    /** The 32-byte raw public key (what a device registers, base64url). */
    public static byte[] rawPublicKey(PublicKey key) {
        byte[] encoded = key.getEncoded();
        if (encoded == null || encoded.length != 44 || !Arrays.equals(encoded, 0, 12, X509_PREFIX, 0, 12)) {
            throw new IllegalArgumentException("not an Ed25519 public key");
        }
        return Arrays.copyOfRange(encoded, 12, 44);
    }

    /** The 32-byte raw public key that belongs to a private key. */
    public static byte[] rawPublicKey(PrivateKey key) {
        byte[] publicKey = new byte[Ed25519.PUBLIC_KEY_SIZE];
        Ed25519.generatePublicKey(seed(key), 0, publicKey, 0);
        return publicKey;
    }

    /** A JDK public key from the 32 raw bytes. */
    public static PublicKey publicKey(byte[] raw32) {
        if (raw32 == null || raw32.length != 32) {
            throw new IllegalArgumentException("an Ed25519 public key has 32 bytes");
        }
        byte[] encoded = Arrays.copyOf(X509_PREFIX, 44);
        System.arraycopy(raw32, 0, encoded, 12, 32);
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 public key", e);
        }
    }

    /** A JDK private key from its 32-byte seed (RFC 8032's "private key"). */
    public static PrivateKey privateKey(byte[] seed32) {
        if (seed32 == null || seed32.length != 32) {
            throw new IllegalArgumentException("an Ed25519 private key has 32 bytes");
        }
        byte[] encoded = Arrays.copyOf(PKCS8_PREFIX, 48);
        System.arraycopy(seed32, 0, encoded, 16, 32);
        try {
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(encoded));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 private key", e);
        }
    }

    /** PEM text ({@code -----BEGIN PRIVATE KEY-----}, PKCS#8), as {@code openssl genpkey -algorithm ed25519} writes. */
    public static String toPem(PrivateKey key) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getEncoded());
        return "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
    }

    /** Reads a PKCS#8 PEM Ed25519 private key. */
    public static PrivateKey fromPem(String pem) {
        String base64 = pem.replace("-----BEGIN PRIVATE KEY-----", "")
                .replace("-----END PRIVATE KEY-----", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a PKCS#8 PEM Ed25519 private key", e);
        }
    }

    public static String base64url(byte[] bytes) {
        return B64URL.encodeToString(bytes);
    }

    /** Decodes base64url (padding optional); {@link IllegalArgumentException} when it is not. */
    public static byte[] fromBase64url(String text) {
        return B64URL_DEC.decode(text);
    }

    private static byte[] seed(PrivateKey key) {
        if (key instanceof EdECPrivateKey edec) {
            return edec.getBytes().orElseThrow(() -> new IllegalArgumentException("the private key hides its bytes"));
        }
        byte[] encoded = key == null ? null : key.getEncoded();
        if (encoded != null && encoded.length == 48 && Arrays.equals(encoded, 0, 16, PKCS8_PREFIX, 0, 16)) {
            return Arrays.copyOfRange(encoded, 16, 48);
        }
        throw new IllegalArgumentException("not an Ed25519 private key");
    }
}

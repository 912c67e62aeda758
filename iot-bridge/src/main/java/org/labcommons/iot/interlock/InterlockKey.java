package org.labcommons.iot.interlock;

import jakarta.inject.Singleton;
import org.labcommons.iot.protocol.Signatures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.KeyPair;
import java.security.PrivateKey;

/**
 * The platform's Ed25519 key for what controllers must trust offline (the grant cache, LC-IC/1 §8 {@code grants}):
 * {@code labcommons.iot.interlock.signing-key} (base64url of the 32-byte seed), or, when empty (dev, tests), a key
 * made at start whose public half is logged. Processes that share devices must share the key: set it in production.
 * The public key is served at {@code GET /api/iot/interlock/key} and written into device config files.
 */
@Singleton
public class InterlockKey {
    private static final Logger LOG = LoggerFactory.getLogger(InterlockKey.class);

    private final PrivateKey privateKey;
    private final byte[] publicKey;

    public InterlockKey(InterlockOfflineSettings settings) {
        this(settings.getSigningKey());
    }

    /** A key from its base64url seed; blank: a new one. */
    public InterlockKey(String seed) {
        if (seed == null || seed.isBlank()) {
            KeyPair pair = Signatures.newKeyPair();
            this.privateKey = pair.getPrivate();
            this.publicKey = Signatures.rawPublicKey(pair.getPublic());
            LOG.info("labcommons.iot.interlock.signing-key is empty: made an interlock signing key for this process; "
                    + "public key {}", Signatures.base64url(publicKey));
        } else {
            byte[] raw = Signatures.fromBase64url(seed.strip());
            if (raw.length != 32) {
                throw new IllegalArgumentException("labcommons.iot.interlock.signing-key must be 32 bytes base64url, was "
                        + raw.length + " bytes");
            }
            this.privateKey = Signatures.privateKey(raw);
            this.publicKey = Signatures.rawPublicKey(privateKey);
        }
    }

    /** The raw 32-byte public key. */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** The public key as base64url (what devices keep as {@code keys.platformKey}). */
    public String publicKeyText() {
        return Signatures.base64url(publicKey);
    }

    public byte[] sign(byte[] message) {
        return Signatures.sign(privateKey, message);
    }
}

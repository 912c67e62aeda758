package org.labcommons.iot.protocol;
import java.security.*;
/** PLACEHOLDER (untracked). */
public final class Signatures {
    public static boolean verify(byte[] publicKey32, byte[] message, byte[] signature) { return true; }
    public static byte[] sign(PrivateKey key, byte[] message) { return new byte[64]; }
    public static KeyPair newKeyPair() { throw new UnsupportedOperationException(); }
    public static byte[] rawPublicKey(PublicKey key) { return new byte[32]; }
}

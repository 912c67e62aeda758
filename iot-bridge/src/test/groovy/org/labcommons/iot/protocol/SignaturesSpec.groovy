package org.labcommons.iot.protocol

import spock.lang.Specification
import spock.lang.Tag

import java.security.Signature

@Tag('fast')
class SignaturesSpec extends Specification {

    static byte[] hex(String s) { s.decodeHex() }

    def "RFC 8032 test vectors 1-3: the signature and the public key of the secret key"() {
        given:
        def key = Signatures.privateKey(hex(secret))

        expect:
        Signatures.rawPublicKey(key) == hex(publicKey)
        Signatures.sign(key, hex(message)) == hex(signature)
        Signatures.verify(hex(publicKey), hex(message), hex(signature))

        where:
        secret                                                             | publicKey                                                          | message  | signature
        '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60' | 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a' | ''       | 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b'
        '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb' | '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c' | '72'     | '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00'
        'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7' | 'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025' | 'af82'   | '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a'
    }

    def "a changed message, a changed signature, another key or wrong lengths do not verify"() {
        given:
        def pair = Signatures.newKeyPair()
        def raw = Signatures.rawPublicKey(pair.public)
        def message = '{"seq":1}'.bytes
        def sig = Signatures.sign(pair.private, message)
        def tampered = sig.clone(); tampered[5] ^= 1

        expect:
        Signatures.verify(raw, message, sig)
        !Signatures.verify(raw, '{"seq":2}'.bytes, sig)
        !Signatures.verify(raw, message, tampered)
        !Signatures.verify(Signatures.rawPublicKey(Signatures.newKeyPair().public), message, sig)
        !Signatures.verify(raw[0..30] as byte[], message, sig)
        !Signatures.verify(raw, message, sig[0..62] as byte[])
        !Signatures.verify(null, message, sig)
    }

    def "keys interoperate with the JDK's Ed25519: JDK signatures verify here, ours verify there"() {
        given:
        def pair = Signatures.newKeyPair()
        def message = 'LC-IC/1'.bytes
        def jdk = Signature.getInstance('Ed25519')
        jdk.initSign(pair.private); jdk.update(message)
        def jdkSig = jdk.sign()
        def verifier = Signature.getInstance('Ed25519')
        verifier.initVerify(Signatures.publicKey(Signatures.rawPublicKey(pair.public))); verifier.update(message)

        expect:
        Signatures.sign(pair.private, message) == jdkSig    // Ed25519 is deterministic
        Signatures.verify(Signatures.rawPublicKey(pair.public), message, jdkSig)
        verifier.verify(Signatures.sign(pair.private, message))
        Signatures.rawPublicKey(pair.private) == Signatures.rawPublicKey(pair.public)
    }

    def "a private key survives PEM (PKCS#8, as openssl writes it) and raw public keys base64url"() {
        given:
        def pair = Signatures.newKeyPair()
        def pem = Signatures.toPem(pair.private)

        expect:
        pem.startsWith('-----BEGIN PRIVATE KEY-----\n')
        Signatures.rawPublicKey(Signatures.fromPem(pem)) == Signatures.rawPublicKey(pair.public)
        Signatures.base64url(Signatures.rawPublicKey(pair.public)) ==~ /[A-Za-z0-9_-]{43}/
        Signatures.fromBase64url(Signatures.base64url(Signatures.rawPublicKey(pair.public))) == Signatures.rawPublicKey(pair.public)
    }

    def "an openssl-generated PEM key signs RFC 8032 test vector 1"() {
        given: 'openssl genpkey -algorithm ed25519 wraps the 32-byte seed in PKCS#8'
        def pem = '-----BEGIN PRIVATE KEY-----\n' +
                Base64.mimeEncoder.encodeToString(hex('302e020100300506032b657004220420' +
                        '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60')) + '\n-----END PRIVATE KEY-----\n'

        expect:
        Signatures.sign(Signatures.fromPem(pem), new byte[0]) == hex('e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b')
    }
}

package org.labcommons.iot.interlock;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * {@code GET /api/iot/interlock/key}: the platform's Ed25519 public key that controllers check grant caches with.
 * Public (no token; kernel's {@code BearerTokenFilter.DEVICE_PUBLIC}): it is a public key, the same for every tenant,
 * and devices have no user token. Served by every role, like the device config file that carries it too.
 */
@Controller("/api/iot/interlock")
@Tag(name = "IoT interlock", description = "What instrument controllers need to decide offline.")
public class InterlockKeyController {
    private final InterlockKey key;

    public InterlockKeyController(InterlockKey key) {
        this.key = key;
    }

    /** The key: {@code algorithm} Ed25519, {@code publicKey} base64url of the raw 32 bytes. */
    @Serdeable
    public record PublicKey(String algorithm, String publicKey) {
    }

    @Operation(summary = "The platform's Ed25519 public key that signs controllers' offline grant caches")
    @Get("/key")
    public PublicKey key() {
        return new PublicKey("Ed25519", key.publicKeyText());
    }
}

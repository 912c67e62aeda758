package org.labcommons.iot.device;

import org.labcommons.iot.protocol.JsonTree;
import org.labcommons.iot.protocol.Signatures;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.util.Map;
import java.util.UUID;

/**
 * A device's config file (docs/iot-protocol.md, section 11) and where the reference device keeps
 * its own files beside it: {@code <name>.key} (its Ed25519 private key, PKCS#8 PEM, made at first
 * start), {@code <name>.state} (boot id and reserved sequence) and {@code <name>.buffer} (the offline
 * buffer), where {@code <name>} is the config file's name without {@code .json}.
 */
public record DeviceConfigFile(Path file, UUID tenantId, UUID deviceId, String kind, URI brokerUrl,
                               String username, String clientId, String password, String privateKeyText,
                               String platformKey) {

    public static DeviceConfigFile read(Path file) {
        Object parsed;
        try {
            parsed = JsonTree.parse(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the config file " + file + ": " + e.getMessage(), e);
        }
        if (!(parsed instanceof Map<?, ?> json)) {
            throw new IllegalArgumentException(file + " is not a JSON object");
        }
        String protocol = text(json, "protocol", file);
        if (!"LC-IC/1".equals(protocol)) {
            throw new IllegalArgumentException(file + ": protocol " + protocol + " is not LC-IC/1");
        }
        UUID deviceId = UUID.fromString(text(json, "deviceId", file));
        String username = json.get("username") instanceof String u && !u.isBlank() ? u : deviceId.toString();
        String clientId = json.get("clientId") instanceof String c && !c.isBlank() ? c : deviceId.toString();
        String privateKey = json.get("keys") instanceof Map<?, ?> keys && keys.get("privateKey") instanceof String k ? k : "";
        String platformKey = json.get("keys") instanceof Map<?, ?> keys && keys.get("platformKey") instanceof String k ? k : "";
        URI broker = URI.create(text(json, "brokerUrl", file));
        if (!"tcp".equals(broker.getScheme()) && !"ssl".equals(broker.getScheme())) {
            throw new IllegalArgumentException(file + ": brokerUrl must be tcp://host:port or ssl://host:port");
        }
        return new DeviceConfigFile(file, UUID.fromString(text(json, "tenantId", file)), deviceId,
                json.get("kind") instanceof String k ? k : "power_interlock", broker, username, clientId,
                text(json, "password", file), privateKey, platformKey);
    }

    private static String text(Map<?, ?> json, String field, Path file) {
        if (json.get(field) instanceof String s && !s.isBlank()) {
            return s;
        }
        throw new IllegalArgumentException(file + ": field " + field + " is missing");
    }

    private Path beside(String suffix) {
        String name = file.getFileName().toString();
        String base = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
        return file.resolveSibling(base + suffix);
    }

    public Path keyFile() {
        return beside(".key");
    }

    public Path stateFile() {
        return beside(".state");
    }

    /** The offline grant cache last received and verified ({@link OfflineGrants}). */
    public Path grantsFile() {
        return beside(".grants");
    }

    public Path bufferFile() {
        return beside(".buffer");
    }

    /** What {@link #privateKey()} found or made. */
    public record Key(PrivateKey privateKey, boolean created) {
    }

    /**
     * The device's private key: {@code keys.privateKey} of the file (PEM or a base64url seed) when set,
     * else {@code <name>.key}; made and written (mode 600) when neither exists.
     */
    public Key privateKey() {
        if (privateKeyText != null && !privateKeyText.isBlank()) {
            String k = privateKeyText.strip();
            return new Key(k.startsWith("-----") ? Signatures.fromPem(k) : Signatures.privateKey(Signatures.fromBase64url(k)), false);
        }
        Path keyFile = keyFile();
        try {
            if (Files.exists(keyFile)) {
                return new Key(Signatures.fromPem(Files.readString(keyFile)), false);
            }
            KeyPair pair = Signatures.newKeyPair();
            Path tmp = keyFile.resolveSibling(keyFile.getFileName() + ".tmp");
            Files.writeString(tmp, Signatures.toPem(pair.getPrivate()));
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the directory's permissions must protect it
            }
            Files.move(tmp, keyFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return new Key(pair.getPrivate(), true);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read or write the key file " + keyFile, e);
        }
    }
}

package org.labcommons.iot.device;

import org.labcommons.iot.protocol.JsonTree;
import org.labcommons.iot.protocol.Signatures;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Map;

/**
 * Creates devices through a running LabCommons server's device API, as an institution admin would
 * (bearer token, e.g. {@code ./labcommons token donghu-admin}): {@code POST /api/v1/devices} with the
 * device's public key, then writes the config file it answers (and the private key beside it). The
 * simulator uses it for {@code --devices N} without config files: the devices are real registry
 * entries that the broker authenticates like any controller's.
 */
public final class DeviceProvisioning {
    private final URI server;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public DeviceProvisioning(URI server, String token) {
        this.server = server;
        this.token = token;
    }

    /** Creates a device named {@code name} in {@code room} and writes {@code <dir>/<deviceId>.json} and {@code .key}. */
    public Path create(Path dir, String name, String kind, String room) throws IOException, InterruptedException {
        KeyPair pair = Signatures.newKeyPair();
        String body = "{\"kind\":\"" + kind + "\",\"name\":\"" + name + "\",\"room\":\"" + room
                + "\",\"publicKey\":\"" + Signatures.base64url(Signatures.rawPublicKey(pair.getPublic())) + "\"}";
        return post("/api/v1/devices", body, true, dir, pair);
    }

    /**
     * A controller's first contact with a claim code (docs/iot-protocol.md, section 11): sends a fresh
     * public key to {@code POST /api/v1/public/iot/claim} (no token) and writes the config file it answers.
     */
    public Path claim(Path dir, String code, String firmware) throws IOException, InterruptedException {
        KeyPair pair = Signatures.newKeyPair();
        String body = "{\"code\":\"" + code.replace("\"", "") + "\",\"publicKey\":\""
                + Signatures.base64url(Signatures.rawPublicKey(pair.getPublic())) + "\",\"firmware\":\"" + firmware + "\"}";
        return post("/api/v1/public/iot/claim", body, false, dir, pair);
    }

    private Path post(String path, String body, boolean authorised, Path dir, KeyPair pair)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.resolve(path))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorised) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 201 && response.statusCode() != 200) {
            throw new IOException("POST " + path + " answered " + response.statusCode() + ": "
                    + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
        }
        Map<?, ?> answer = (Map<?, ?>) JsonTree.parse(response.body());
        if (!(answer.get("config") instanceof String config) || !(answer.get("device") instanceof Map<?, ?> device)) {
            throw new IOException("POST " + path + " answered no config file");
        }
        Files.createDirectories(dir);
        String id = String.valueOf(device.get("id"));
        Path file = dir.resolve(id + ".json");
        Path key = dir.resolve(id + ".key");
        Files.writeString(key, Signatures.toPem(pair.getPrivate()));
        Path tmp = dir.resolve(id + ".json.tmp");
        Files.writeString(tmp, config);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        return file;
    }
}

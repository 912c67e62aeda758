package org.labcommons.iot.devices;

import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import org.labcommons.iot.MqttSettings;
import org.labcommons.iot.interlock.InterlockKey;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A device's config file, handed out once with its secret (JSON, UTF-8):
 * <pre>{@code
 * { "protocol": "LC-IC/1", "brokerUrl": "ssl://mqtt.example.edu:8883",
 *   "tenantId": "…", "deviceId": "…", "kind": "power_interlock",
 *   "username": "<deviceId>", "clientId": "<deviceId>", "password": "<secret>",
 *   "topicPrefix": "lc/v1/<tenantId>/<deviceId>/",
 *   "keys": { "algorithm": "Ed25519", "publicKey": "<registered key or empty>", "privateKey": "",
 *             "platformKey": "<the platform's interlock public key>" } }
 * }</pre>
 * {@code keys.platformKey} is the platform's interlock public key ({@link InterlockKey}: what the device checks its
 * offline grant cache with). {@code keys.privateKey} is for the device to fill with the private key it keeps (never sent to
 * the platform); {@code keys.publicKey} is the registered public key, empty until one is. The broker
 * URL is {@code labcommons.iot.devices.public-broker-url}, or {@code labcommons.mqtt.url} when unset.
 */
@Singleton
public record DeviceConfig(DeviceSettings settings, MqttSettings mqtt, JsonMapper json, InterlockKey interlockKey) {
    /** The protocol version devices speak. */
    public static final String PROTOCOL = "LC-IC/1";

    /** The broker address devices are told to connect to. */
    public String brokerUrl() {
        String url = settings.getPublicBrokerUrl();
        return url == null || url.isBlank() ? mqtt.getUrl() : url.strip();
    }

    /** The topic root of a device: {@code lc/v1/{tenantId}/{deviceId}/}. */
    public static String topicPrefix(Device device) {
        return "lc/v1/" + device.tenantId() + "/" + device.id() + "/";
    }

    /** The config file of {@code device} with {@code secret}. */
    public String file(Device device, String secret) {
        Map<String, Object> keys = new LinkedHashMap<>();
        keys.put("algorithm", "Ed25519");
        keys.put("publicKey", device.publicKey() == null ? "" : device.publicKey());
        keys.put("privateKey", "");
        keys.put("platformKey", interlockKey.publicKeyText());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("protocol", PROTOCOL);
        out.put("brokerUrl", brokerUrl());
        out.put("tenantId", device.tenantId().toString());
        out.put("deviceId", device.id().toString());
        out.put("kind", device.kind().code());
        out.put("username", device.id().toString());
        out.put("clientId", device.id().toString());
        out.put("password", secret);
        out.put("topicPrefix", topicPrefix(device));
        out.put("keys", keys);
        try {
            return json.writeValueAsString(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package org.labcommons.iot.protocol;
import java.util.Optional;
import java.util.UUID;
/** PLACEHOLDER (untracked) until branch protocol is merged. */
public record Topic(UUID tenantId, UUID deviceId, String direction, String channel) {
    public static Optional<Topic> parse(String mqttTopic) {
        String[] p = mqttTopic.split("/", 6);
        if (p.length < 6 || !p[0].equals("lc") || !p[1].equals("v1")) return Optional.empty();
        try { return Optional.of(new Topic(UUID.fromString(p[2]), UUID.fromString(p[3]), p[4], p[5])); }
        catch (IllegalArgumentException e) { return Optional.empty(); }
    }
    @Override public String toString() { return "lc/v1/" + tenantId + "/" + deviceId + "/" + direction + "/" + channel; }
}

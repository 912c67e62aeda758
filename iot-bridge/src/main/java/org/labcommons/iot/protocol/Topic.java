package org.labcommons.iot.protocol;

import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * An LC-IC/1 topic: {@code lc/v1/{tenantId}/{deviceId}/{direction}/{channel}}, tenant and device
 * as lower-case UUID text (docs/iot-protocol.md, "Topics").
 *
 * @param tenantId  the tenant named by the topic (the bridge checks it against the credential)
 * @param deviceId  the device named by the topic
 * @param direction {@code "up"} (device to platform) or {@code "down"} (platform to device)
 * @param channel   {@code state}, {@code telemetry}, {@code event}, {@code auth/req}, {@code cmd/res} (up);
 *                  {@code auth/res}, {@code cmd} (down)
 */
public record Topic(UUID tenantId, UUID deviceId, String direction, String channel) {
    public static final String ROOT = "lc/v1/";
    public static final String UP = "up";
    public static final String DOWN = "down";
    public static final String STATE = "state";
    public static final String TELEMETRY = "telemetry";
    public static final String EVENT = "event";
    public static final String AUTH_REQ = "auth/req";
    public static final String CMD_RES = "cmd/res";
    public static final String AUTH_RES = "auth/res";
    public static final String CMD = "cmd";
    public static final Set<String> UP_CHANNELS = Set.of(STATE, TELEMETRY, EVENT, AUTH_REQ, CMD_RES);
    public static final Set<String> DOWN_CHANNELS = Set.of(AUTH_RES, CMD);
    /** The bridge's shared subscription (group {@code labcommons-bridge}) to every device's uplink. */
    public static final String BRIDGE_SHARED_FILTER = "$share/labcommons-bridge/lc/v1/+/+/up/#";

    private static final Pattern LOWER_UUID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    public Topic {
        if (tenantId == null || deviceId == null) {
            throw new IllegalArgumentException("a topic names its tenant and device");
        }
        if (!(UP.equals(direction) && UP_CHANNELS.contains(channel))
                && !(DOWN.equals(direction) && DOWN_CHANNELS.contains(channel))) {
            throw new IllegalArgumentException("no LC-IC/1 channel " + direction + "/" + channel);
        }
    }

    public static Topic up(UUID tenantId, UUID deviceId, String channel) {
        return new Topic(tenantId, deviceId, UP, channel);
    }

    public static Topic down(UUID tenantId, UUID deviceId, String channel) {
        return new Topic(tenantId, deviceId, DOWN, channel);
    }

    /** What a device may publish to: {@code lc/v1/{tenantId}/{deviceId}/up/#}. */
    public static String uplinkFilter(UUID tenantId, UUID deviceId) {
        return ROOT + tenantId + "/" + deviceId + "/up/#";
    }

    /** What a device may subscribe to: {@code lc/v1/{tenantId}/{deviceId}/down/#}. */
    public static String downlinkFilter(UUID tenantId, UUID deviceId) {
        return ROOT + tenantId + "/" + deviceId + "/down/#";
    }

    /**
     * Reads an MQTT topic name. Empty for anything that is not exactly an LC-IC/1 topic: another
     * root or version, upper-case or non-canonical UUIDs, unknown directions or channels, wildcards.
     */
    public static Optional<Topic> parse(String mqttTopic) {
        if (mqttTopic == null || !mqttTopic.startsWith(ROOT) || mqttTopic.length() < ROOT.length() + 74 + 3) {
            return Optional.empty();
        }
        int t = ROOT.length();
        int d = t + 37;
        int rest = d + 37;
        if (mqttTopic.charAt(d - 1) != '/' || mqttTopic.charAt(rest - 1) != '/') {
            return Optional.empty();
        }
        String tenant = mqttTopic.substring(t, d - 1);
        String device = mqttTopic.substring(d, rest - 1);
        if (!LOWER_UUID.matcher(tenant).matches() || !LOWER_UUID.matcher(device).matches()) {
            return Optional.empty();
        }
        String tail = mqttTopic.substring(rest);
        int slash = tail.indexOf('/');
        if (slash < 0) {
            return Optional.empty();
        }
        String direction = tail.substring(0, slash);
        String channel = tail.substring(slash + 1);
        boolean known = (UP.equals(direction) && UP_CHANNELS.contains(channel))
                || (DOWN.equals(direction) && DOWN_CHANNELS.contains(channel));
        if (!known) {
            return Optional.empty();
        }
        return Optional.of(new Topic(UUID.fromString(tenant), UUID.fromString(device), direction, channel));
    }

    /** True for uplink topics. */
    public boolean isUp() {
        return UP.equals(direction);
    }

    /** The MQTT topic name. */
    @Override
    public String toString() {
        return ROOT + tenantId + "/" + deviceId + "/" + direction + "/" + channel;
    }
}

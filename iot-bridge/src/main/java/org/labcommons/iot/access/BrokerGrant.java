package org.labcommons.iot.access;

import io.micronaut.core.annotation.Nullable;

import java.util.List;
import java.util.UUID;

/**
 * What one MQTT session may do: the topic filters it may publish to and subscribe with; everything
 * else is denied. A device's grant is confined to its own prefix {@code lc/v1/{tenantId}/{deviceId}/}
 * (the tenant from its credential); the bridge's service account has no tenant and no device.
 *
 * @param principal the device id, or the service account's user name
 * @param tenantId  the device's tenant (null for the service account)
 * @param deviceId  the device (null for the service account)
 * @param publish   filters it may publish to
 * @param subscribe filters it may subscribe with (shared subscriptions written {@code $share/group/filter})
 */
public record BrokerGrant(String principal, @Nullable UUID tenantId, @Nullable UUID deviceId,
                          List<String> publish, List<String> subscribe) {
    public BrokerGrant {
        publish = List.copyOf(publish);
        subscribe = List.copyOf(subscribe);
    }

    /** The grant of a device of {@code tenantId}: publish its uplink, subscribe its downlink. */
    public static BrokerGrant device(UUID tenantId, UUID deviceId) {
        String root = "lc/v1/" + tenantId + "/" + deviceId + "/";
        return new BrokerGrant(deviceId.toString(), tenantId, deviceId, List.of(root + "up/#"), List.of(root + "down/#"));
    }

    /** Whether this grant lets its session do {@code action} on {@code topic}. */
    public boolean allows(BrokerAction action, String topic) {
        if (action == BrokerAction.PUBLISH) {
            return TopicFilters.isTopicName(topic) && publish.stream().anyMatch(f -> TopicFilters.covers(f, topic));
        }
        return subscribe.stream().anyMatch(f -> TopicFilters.covers(f, topic));
    }
}

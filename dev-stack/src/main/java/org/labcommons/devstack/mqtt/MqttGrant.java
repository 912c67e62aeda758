package org.labcommons.devstack.mqtt;

import java.util.List;

/**
 * What an authenticated MQTT session may do: topic filters it may publish to and subscribe to.
 * Everything else is denied. {@code ${clientid}} is not expanded: the policy writes exact filters.
 *
 * @param principal        who the session belongs to (device id or service account), for logs
 * @param publishFilters   topic filters the client may publish to
 * @param subscribeFilters topic filters the client may subscribe to (shared subscriptions included)
 */
public record MqttGrant(String principal, List<String> publishFilters, List<String> subscribeFilters) {
    public MqttGrant {
        publishFilters = List.copyOf(publishFilters);
        subscribeFilters = List.copyOf(subscribeFilters);
    }
}

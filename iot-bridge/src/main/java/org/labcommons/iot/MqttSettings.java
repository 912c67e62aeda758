package org.labcommons.iot;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.net.URI;

/**
 * {@code labcommons.mqtt.*}: the broker the bridge reads device messages from
 * (LABCOMMONS_MQTT_URL, LABCOMMONS_MQTT_USER, LABCOMMONS_MQTT_PASSWORD).
 */
@ConfigurationProperties("labcommons.mqtt")
public class MqttSettings {
    private String url = "tcp://localhost:1883";
    private String user = "labcommons-bridge";
    private String password = "";

    public String getUrl() { return url; }
    public void setUrl(String url) { this.url = url; }
    public String getUser() { return user; }
    public void setUser(String user) { this.user = user; }
    public String getPassword() { return password; }
    public void setPassword(String password) { this.password = password; }

    /** The broker URL, checked: {@code tcp://host:port} or {@code ssl://host:port}. */
    public URI uri() {
        URI uri = URI.create(url);
        if (!"tcp".equals(uri.getScheme()) && !"ssl".equals(uri.getScheme())) {
            throw new IllegalArgumentException("labcommons.mqtt.url must be tcp://host:port or ssl://host:port, was " + url);
        }
        return uri;
    }
}

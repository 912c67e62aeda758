package org.labcommons.devstack.mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A policy that asks the platform over HTTP: {@code POST {base}/api/iot/broker/auth} on every CONNECT
 * and {@code GET {base}/api/iot/broker/revocations?since=…} at every sweep, with
 * {@code Authorization: Bearer <broker token>} (the platform's {@code labcommons.iot.access.broker-token},
 * which this stack hands out). Dev mode and the test kit install it once the platform's HTTP server is up,
 * so the embedded broker decides exactly as a production broker with the LabCommons extension does. Any
 * failure (no answer, an error status, an unreadable body) refuses the connection.
 */
public final class HttpMqttAccessPolicy implements MqttAccessPolicy {
    private static final Logger LOG = LoggerFactory.getLogger(HttpMqttAccessPolicy.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String token;
    private final Duration timeout;
    private final HttpClient http;

    /**
     * @param baseUrl the platform's address, e.g. {@code http://localhost:8080}
     * @param token   the broker token
     */
    public HttpMqttAccessPolicy(String baseUrl, String token) {
        this(baseUrl, token, Duration.ofSeconds(10));
    }

    public HttpMqttAccessPolicy(String baseUrl, String token, Duration timeout) {
        this.base = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
        this.token = token;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Where it asks. */
    public URI baseUri() {
        return base;
    }

    @Override
    public Optional<MqttGrant> authenticate(String clientId, String username, byte[] password) {
        try {
            ObjectNode body = JSON.createObjectNode()
                    .put("clientId", clientId)
                    .put("username", username)
                    .put("password", new String(password, StandardCharsets.UTF_8));
            HttpResponse<String> response = http.send(request("api/iot/broker/auth")
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                LOG.warn("MQTT access decision for client {} answered {}", clientId, response.statusCode());
                return Optional.empty();
            }
            JsonNode decision = JSON.readTree(response.body());
            if (!"allow".equals(decision.path("result").asText())) {
                return Optional.empty();
            }
            return Optional.of(new MqttGrant(decision.path("principal").asText(username),
                    strings(decision.path("publish")), strings(decision.path("subscribe"))));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (Exception e) {
            LOG.warn("MQTT access decision for client {} failed: {}", clientId, e.toString());
            return Optional.empty();
        }
    }

    @Override
    public Set<String> clientsToDisconnect(Instant since) {
        try {
            HttpResponse<String> response = http.send(request("api/iot/broker/revocations?since="
                            + URLEncoder.encode(since.toString(), StandardCharsets.UTF_8)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                LOG.warn("MQTT revocations answered {}", response.statusCode());
                return Set.of();
            }
            return new LinkedHashSet<>(strings(JSON.readTree(response.body()).path("clients")));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Set.of();
        } catch (Exception e) {
            LOG.warn("MQTT revocations failed: {}", e.toString());
            return Set.of();
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json");
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}

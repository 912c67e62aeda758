package org.labcommons.iot.broker;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The platform's access decision over HTTP ({@code /api/iot/broker/auth} and {@code revocations},
 * {@code Authorization: Bearer <token>}). Any failure is an exception; the caller refuses.
 */
final class AccessClient {
    /** A session's grant: topic filters it may publish to and subscribe with. */
    record Grant(String principal, List<String> publish, List<String> subscribe) {
    }

    /** Clients to disconnect, as of the platform's {@code asOf} (the next sweep's starting point). */
    record Revocations(Instant asOf, List<String> clients) {
    }

    private final BrokerAccessConfig config;
    private final HttpClient http;

    AccessClient(BrokerAccessConfig config) {
        this.config = config;
        this.http = HttpClient.newBuilder().connectTimeout(config.timeout()).build();
    }

    /** The decision on a CONNECT: a grant, or empty when refused. */
    Optional<Grant> authenticate(String clientId, String username, String password)
            throws IOException, InterruptedException {
        String body = "{\"clientId\":" + Json.quote(clientId) + ",\"username\":" + Json.quote(username)
                + ",\"password\":" + Json.quote(password) + "}";
        Map<?, ?> answer = call(request("api/iot/broker/auth")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build());
        if (!"allow".equals(answer.get("result"))) {
            return Optional.empty();
        }
        Object principal = answer.get("principal");
        return Optional.of(new Grant(principal instanceof String p ? p : username,
                strings(answer.get("publish")), strings(answer.get("subscribe"))));
    }

    /** Devices revoked or rotated at or after {@code since}. */
    Revocations revocations(Instant since) throws IOException, InterruptedException {
        Map<?, ?> answer = call(request("api/iot/broker/revocations?since="
                + URLEncoder.encode(since.toString(), StandardCharsets.UTF_8)).GET().build());
        return new Revocations(Instant.parse(String.valueOf(answer.get("asOf"))), strings(answer.get("clients")));
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(config.baseUrl().resolve(path))
                .timeout(config.timeout())
                .header("Authorization", "Bearer " + config.token())
                .header("Accept", "application/json");
    }

    private Map<?, ?> call(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() != 200) {
            throw new IOException(request.uri().getPath() + " answered " + response.statusCode());
        }
        if (!(Json.parse(response.body()) instanceof Map<?, ?> map)) {
            throw new IOException(request.uri().getPath() + " answered no JSON object");
        }
        return map;
    }

    private static List<String> strings(Object value) {
        List<String> out = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.forEach(v -> out.add(String.valueOf(v)));
        }
        return out;
    }
}

package org.labcommons.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Proves that one tenant cannot reach another's resources through an API: for every probe, a
 * caller of tenant B asking about tenant A's resource id gets exactly the answer it gets for an
 * id that does not exist (same status, same body once the ids are masked), and tenant A's data
 * is unchanged afterwards. Ids can be placed in the path, the query string or the request body.
 *
 * <pre>{@code
 * def report = IsolationProbe.against(baseUrl, [Authorization: "Bearer $tokenOfB"])
 *     .probe('GET', '/api/v1/org-units/{id}')
 *     .probe('GET', '/api/v1/instruments?orgUnit={id}')
 *     .probe('PATCH', '/api/v1/org-units/{id}', '{"nameEn":"taken over"}')
 *     .probe('POST', '/api/v1/instruments', '{"orgUnitId":"{id}","assetNumber":"X-1"}')
 *     .run(foreignIdsOfA, { snapshotOfTenantA() })
 * assert report.leaks() == []
 * }</pre>
 */
public final class IsolationProbe {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String baseUrl;
    private final Map<String, String> headers;
    private final List<Probe> probes = new ArrayList<>();

    /** One request shape; {@code {id}} in the path or body is replaced by the id under test. */
    public record Probe(String method, String path, String body) {
        String path(String id) {
            return path.replace("{id}", id);
        }

        String body(String id) {
            return body == null ? null : body.replace("{id}", id);
        }

        @Override
        public String toString() {
            return method + " " + path + (body == null ? "" : " " + body);
        }
    }

    /** What one probe answered for a foreign id and for a missing id. */
    public record Outcome(Probe probe, String foreignId, int foreignStatus, String foreignBody,
                          int missingStatus, String missingBody) {
        /** True when the two answers differ once ids are masked: the foreign resource is detectable. */
        public boolean leaks() {
            return foreignStatus != missingStatus || !foreignBody.equals(missingBody);
        }
    }

    /** All outcomes, and whether tenant A's data changed. */
    public record Report(List<Outcome> outcomes, boolean dataOfOwnerChanged, Object before, Object after) {
        public List<Outcome> leaks() {
            return outcomes.stream().filter(Outcome::leaks).toList();
        }

        public int probesMade() {
            return outcomes.size() * 2;
        }
    }

    private IsolationProbe(String baseUrl, Map<String, String> headers) {
        this.baseUrl = baseUrl.replaceAll("/$", "");
        this.headers = Map.copyOf(headers);
    }

    /** Probes sent to {@code baseUrl} with {@code headers} (tenant B's credentials). */
    public static IsolationProbe against(String baseUrl, Map<String, String> headers) {
        return new IsolationProbe(baseUrl, headers);
    }

    public IsolationProbe probe(String method, String path) {
        return probe(method, path, null);
    }

    public IsolationProbe probe(String method, String path, String body) {
        probes.add(new Probe(method, Objects.requireNonNull(path), body));
        return this;
    }

    /**
     * Runs every probe with every foreign id, and with a fresh random id for comparison.
     *
     * @param foreignIds       ids of tenant A's resources
     * @param snapshotOfOwner  reads tenant A's data (as A); compared before and after
     */
    public Report run(List<String> foreignIds, Supplier<Object> snapshotOfOwner) {
        Object before = snapshotOfOwner.get();
        List<Outcome> outcomes = new ArrayList<>();
        for (String foreignId : foreignIds) {
            for (Probe probe : probes) {
                String missingId = UUID.randomUUID().toString();
                HttpResponse<String> foreign = send(probe, foreignId);
                HttpResponse<String> missing = send(probe, missingId);
                outcomes.add(new Outcome(probe, foreignId, foreign.statusCode(), mask(foreign.body(), foreignId),
                        missing.statusCode(), mask(missing.body(), missingId)));
            }
        }
        Object after = snapshotOfOwner.get();
        return new Report(outcomes, !Objects.equals(before, after), before, after);
    }

    private HttpResponse<String> send(Probe probe, String id) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + probe.path(id)))
                .timeout(Duration.ofSeconds(20));
        headers.forEach(request::header);
        String body = probe.body(id);
        if (body != null && headers.keySet().stream().noneMatch("Content-Type"::equalsIgnoreCase)) {
            request.header("Content-Type", "application/json"); // JSON unless the caller's headers name a type (forms)
        }
        request.method(probe.method(), body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("probe " + probe + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The id under test and any generated UUIDs (error ids, timestamps are not expected) masked. */
    static String mask(String body, String id) {
        if (body == null) {
            return "";
        }
        return body.replace(id, "{id}");
    }
}

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
 *
 * <p>A caller may also be allowed to see some of the owner's data but not all of it: an instrument
 * admin of one lab sees the lab's own private records and the institution's shared ones, never a
 * sibling lab's private records. Then the foreign resources are the sibling's, and the lists,
 * counts and exports the caller may use are probed with {@link #listing}: such an answer must not
 * name any foreign id nor show any of the foreign values given to {@link #run(List, List, Supplier)}
 * (asset numbers, contacts' e-mails, prices), and answers the same status for a foreign id (in
 * {@code {id}}) as for a missing one. Its body is not compared (a sibling's shared records may
 * rightly be in it).
 *
 * <pre>{@code
 * def report = IsolationProbe.against(baseUrl, [Authorization: "Bearer $tokenOfLabAdmin"])
 *     .probe('GET', '/api/v1/instruments/{id}')
 *     .listing('GET', '/api/v1/instruments?size=200')
 *     .listing('GET', '/api/v1/instruments/export?format=csv&orgUnitId={id}')
 *     .run(privateIdsOfSiblingLab + [siblingLabId], [assetNumber, contactEmail], { snapshotOfSibling() })
 * }</pre>
 */
public final class IsolationProbe {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String baseUrl;
    private final Map<String, String> headers;
    private final List<Probe> probes = new ArrayList<>();

    /**
     * One request shape; {@code {id}} in the path or body is replaced by the id under test.
     * {@code listing}: a list, count or export, judged by what its answer shows ({@link #listing}).
     */
    public record Probe(String method, String path, String body, boolean listing) {
        String path(String id) {
            return path.replace("{id}", id);
        }

        String body(String id) {
            return body == null ? null : body.replace("{id}", id);
        }

        @Override
        public String toString() {
            return (listing ? "listing " : "") + method + " " + path + (body == null ? "" : " " + body);
        }
    }

    /**
     * What one probe answered for a foreign id and for a missing id; {@code shown}: the foreign values
     * found in the foreign answer, and for a listing also the foreign ids other than the one it named.
     */
    public record Outcome(Probe probe, String foreignId, int foreignStatus, String foreignBody,
                          int missingStatus, String missingBody, List<String> shown) {
        /**
         * True when the foreign resource is detectable: the answer shows a foreign id or value, or
         * the statuses differ, or (not for a listing) the two answers differ once ids are masked.
         */
        public boolean leaks() {
            return !shown.isEmpty() || foreignStatus != missingStatus
                    || !probe.listing() && !foreignBody.equals(missingBody);
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
        probes.add(new Probe(method, Objects.requireNonNull(path), body, false));
        return this;
    }

    /** A list, count or export the caller may use, which must show nothing of the foreign resources. */
    public IsolationProbe listing(String method, String path) {
        return listing(method, path, null);
    }

    public IsolationProbe listing(String method, String path, String body) {
        probes.add(new Probe(method, Objects.requireNonNull(path), body, true));
        return this;
    }

    /**
     * Runs every probe with every foreign id, and with a fresh random id for comparison.
     *
     * @param foreignIds       ids of tenant A's resources
     * @param snapshotOfOwner  reads tenant A's data (as A); compared before and after
     */
    public Report run(List<String> foreignIds, Supplier<Object> snapshotOfOwner) {
        return run(foreignIds, List.of(), snapshotOfOwner);
    }

    /**
     * Runs every probe with every foreign id, and with a fresh random id for comparison; no answer
     * may show any of {@code foreignValues}, and no listing a foreign id other than the one it names.
     *
     * @param foreignIds       ids of the foreign resources
     * @param foreignValues    what only the foreign resources hold (asset numbers, e-mails, amounts as written)
     * @param snapshotOfOwner  reads the owner's data (as the owner); compared before and after
     */
    public Report run(List<String> foreignIds, List<String> foreignValues, Supplier<Object> snapshotOfOwner) {
        Object before = snapshotOfOwner.get();
        List<Outcome> outcomes = new ArrayList<>();
        for (String foreignId : foreignIds) {
            for (Probe probe : probes) {
                String missingId = UUID.randomUUID().toString();
                HttpResponse<String> foreign = send(probe, foreignId);
                HttpResponse<String> missing = send(probe, missingId);
                String foreignBody = mask(foreign.body(), foreignId);
                List<String> shown = new ArrayList<>();
                for (String secret : probe.listing() ? foreignIds : List.<String>of()) {
                    if (!secret.equals(foreignId) && foreignBody.contains(secret)) {
                        shown.add(secret);
                    }
                }
                for (String secret : foreignValues) {
                    if (foreignBody.contains(secret)) {
                        shown.add(secret);
                    }
                }
                outcomes.add(new Outcome(probe, foreignId, foreign.statusCode(), foreignBody,
                        missing.statusCode(), mask(missing.body(), missingId), List.copyOf(shown)));
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

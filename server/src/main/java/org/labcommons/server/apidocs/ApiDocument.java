package org.labcommons.server.apidocs;

import jakarta.inject.Singleton;
import org.labcommons.core.security.BearerTokenFilter;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The API's OpenAPI document as {@code /api/openapi.yml} serves it: the document micronaut-openapi
 * wrote at build time ({@value #RESOURCE}, declared by {@link ApiDocumentDefinition}), read once,
 * with two facts the generator cannot see from the controllers' signatures:
 * <ul>
 *   <li>every error answer is {@code application/problem+json} ({@code org.labcommons.core.problem}):
 *       a reusable response {@value #PROBLEM_RESPONSE} is added, and every operation that declares no
 *       {@code default} response gets it as its {@code default};</li>
 *   <li>the paths {@link BearerTokenFilter#isPublic} lets through without a token carry an optional
 *       bearer requirement ({@code security: [{}, {bearer: []}]}); every other operation inherits the
 *       document's bearer requirement.</li>
 * </ul>
 */
@Singleton
public class ApiDocument {
    /** Where the build puts the generated document (openapi.properties: micronaut.openapi.filename). */
    public static final String RESOURCE = "META-INF/swagger/labcommons-api.yml";
    public static final String PROBLEM_RESPONSE = "Problem";
    public static final String PROBLEM_MEDIA_TYPE = "application/problem+json";
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    private final String yaml;

    public ApiDocument() {
        this.yaml = render(complete(read()));
    }

    /** The document, YAML. */
    public String yaml() {
        return yaml;
    }

    private static Map<String, Object> read() {
        try (InputStream in = ApiDocument.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing: the server module was built without "
                        + "the micronaut-openapi annotation processor");
            }
            return new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> complete(Map<String, Object> doc) {
        Map<String, Object> components = child(doc, "components");
        Map<String, Object> responses = child(components, "responses");
        Map<String, Object> problemContent = new LinkedHashMap<>();
        problemContent.put(PROBLEM_MEDIA_TYPE, Map.of("schema", Map.of("$ref", "#/components/schemas/Problem")));
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("description", "The request was refused or failed: an RFC 9457 problem detail with a stable "
                + "code, a title and detail in the caller's language (Accept-Language), and one entry per bad "
                + "field in errors. 401 (no or bad token) also carries WWW-Authenticate: Bearer.");
        problem.put("content", problemContent);
        responses.putIfAbsent(PROBLEM_RESPONSE, problem);

        Map<String, Object> paths = (Map<String, Object>) doc.getOrDefault("paths", Map.of());
        for (Map.Entry<String, Object> path : paths.entrySet()) {
            boolean open = BearerTokenFilter.isPublic(path.getKey().replaceAll("\\{[^}/]+}", "x"));
            for (Map.Entry<String, Object> op : ((Map<String, Object>) path.getValue()).entrySet()) {
                if (!METHODS.contains(op.getKey())) {
                    continue;
                }
                Map<String, Object> operation = (Map<String, Object>) op.getValue();
                child(operation, "responses").putIfAbsent("default",
                        Map.of("$ref", "#/components/responses/" + PROBLEM_RESPONSE));
                if (open) {
                    operation.put("security", List.of(Map.of(), Map.of(ApiDocumentDefinition.BEARER, List.of())));
                }
            }
        }
        return doc;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> child(Map<String, Object> parent, String key) {
        return (Map<String, Object>) parent.computeIfAbsent(key, k -> new LinkedHashMap<String, Object>());
    }

    private static String render(Map<String, Object> doc) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndicatorIndent(0);
        options.setWidth(120);
        return new Yaml(new Representer(options), options).dump(doc);
    }
}

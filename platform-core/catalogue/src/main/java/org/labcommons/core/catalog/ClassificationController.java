package org.labcommons.core.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.validation.Validated;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;

import java.util.List;

/**
 * The national instrument classification (reference data, the same for every tenant) for the
 * instrument editor's pickers: browse a level, read one code with its path, search by name for
 * autocomplete. Public: no token is needed (see {@code BearerTokenFilter} and docs/security.md),
 * and answers may be cached, since the classification changes only with a migration. Every field
 * is always present (a top-level class has {@code "parentCode": null}, a leaf {@code "children": []}).
 */
@Controller("/api/v1/classifications")
@RequiresRole(PlatformRole.CORE)
@ExecuteOn(TaskExecutors.BLOCKING)
@Validated
public class ClassificationController {
    /** Search results per request: enough for an autocomplete list. */
    public static final int MAX_MATCHES = 20;
    static final String CACHE_CONTROL = "public, max-age=3600";

    private final Classifications classifications;

    public ClassificationController(Classifications classifications) {
        this.classifications = classifications;
    }

    /** A class in a list: {@code childCount} 0 means a leaf (what an instrument is filed under). */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Node(String code, @Nullable String parentCode, int level, String nameZh, String nameEn,
                       int childCount) {
    }

    /** A class named on a path, top level first. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Ref(String code, int level, String nameZh, String nameEn) {
    }

    /** The children of {@code parent} ({@code null}: the top level). */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Level(@Nullable Node parent, List<Node> items) {
    }

    /** One class with its path (level 1 down to itself) and its children. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Detail(String code, @Nullable String parentCode, int level, String nameZh, String nameEn,
                         List<Ref> path, List<Node> children) {
    }

    /** A search result with its path, so a picker can show "分析仪器 › 电子光学仪器 › 透射电镜". */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Match(String code, int level, String nameZh, String nameEn, List<Ref> path) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Matches(String q, List<Match> items) {
    }

    /** The children of a class, or the 15 top-level classes when no parent is given. */
    @Operation(summary = "List the children of a classification (or the top-level classes)")
    @Get
    public HttpResponse<Level> children(@Nullable @QueryValue @Pattern(regexp = "[0-9]{6}") String parent) {
        Node parentNode = parent == null ? null : node(known(parent));
        List<Node> items = classifications.children(parent).stream().map(this::node).toList();
        return cacheable(new Level(parentNode, items));
    }

    /** Name search (Chinese or English, any case) and code prefix, best matches first. */
    @Operation(summary = "Search the classification by name or code")
    @Get("/search")
    public HttpResponse<Matches> search(@QueryValue @NotBlank @Size(max = 50) String q,
                                        @QueryValue(defaultValue = "20") @Min(1) @Max(MAX_MATCHES) int limit) {
        List<Match> items = classifications.search(q, limit).stream()
                .map(e -> new Match(e.code(), e.level(), e.nameZh(), nameEn(e), path(e.code())))
                .toList();
        return cacheable(new Matches(q.strip(), items));
    }

    @Operation(summary = "Read one classification code")
    @Get("/{code}")
    public HttpResponse<Detail> get(@PathVariable @Pattern(regexp = "[0-9]{6}") String code) {
        Classifications.Entry e = known(code);
        return cacheable(new Detail(e.code(), e.parentCode(), e.level(), e.nameZh(), nameEn(e), path(code),
                classifications.children(code).stream().map(this::node).toList()));
    }

    private Classifications.Entry known(String code) {
        return classifications.find(code)
                .orElseThrow(() -> new ProblemException(HttpStatus.NOT_FOUND, "unknown_classification", code));
    }

    private Node node(Classifications.Entry e) {
        return new Node(e.code(), e.parentCode(), e.level(), e.nameZh(), nameEn(e),
                classifications.children(e.code()).size());
    }

    private List<Ref> path(String code) {
        return classifications.path(code).stream().map(p -> new Ref(p.code(), p.level(), p.nameZh(), nameEn(p)))
                .toList();
    }

    /** V7 makes the English name mandatory; the Chinese one stands in should a row ever lack it. */
    private static String nameEn(Classifications.Entry e) {
        return e.nameEn() == null ? e.nameZh() : e.nameEn();
    }

    private static <T> HttpResponse<T> cacheable(T body) {
        return HttpResponse.ok(body).header(HttpHeaders.CACHE_CONTROL, CACHE_CONTROL);
    }
}

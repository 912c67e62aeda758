package org.labcommons.search;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.validation.Validated;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.AccessPolicy;
import org.labcommons.core.security.Action;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.security.Scope;

import java.util.List;

/**
 * The consortium-wide search API (docs/search.md). No token: public entries; a token widens the
 * view to what its holder may see. Every parameter is checked; a bad one is a 400 problem with the
 * field named.
 */
@Controller("/api/v1/search")
@RequiresRole(PlatformRole.SEARCH)
@ExecuteOn(TaskExecutors.BLOCKING)
@Validated
public class SearchController {
    private final SearchService search;
    private final InstrumentIndex index;
    private final TenantRegistry registry;
    private final AccessPolicy access;

    public SearchController(SearchService search, InstrumentIndex index, TenantRegistry registry, AccessPolicy access) {
        this.search = search;
        this.index = index;
        this.registry = registry;
        this.access = access;
    }

    @Get("/instruments")
    public SearchService.Result instruments(HttpRequest<?> request,
                                            @Nullable @QueryValue @Size(max = 200) String q,
                                            @QueryValue(defaultValue = "zh") @Pattern(regexp = "zh|en") String lang,
                                            @QueryValue(defaultValue = "0") @Min(0) @Max(499) int page,
                                            @QueryValue(defaultValue = "20") @Min(1) @Max(50) int size,
                                            @QueryValue(defaultValue = "relevance") @Pattern(regexp = "relevance|distance") String sort,
                                            @Nullable @QueryValue @DecimalMin("-90") @DecimalMax("90") Double lat,
                                            @Nullable @QueryValue @DecimalMin("-180") @DecimalMax("180") Double lon,
                                            @Nullable @QueryValue @DecimalMin("0.1") @DecimalMax("5000") Double radiusKm,
                                            @Nullable @QueryValue @Pattern(regexp = "[0-9]{2}0000") String classL1,
                                            @Nullable @QueryValue @Pattern(regexp = "[0-9]{4}00") String classL2,
                                            @Nullable @QueryValue @Pattern(regexp = "[0-9]{6}") String classL3,
                                            @Nullable @QueryValue @Pattern(regexp = "[0-9]{2}0000") String province,
                                            @Nullable @QueryValue @Pattern(regexp = "[a-z0-9][a-z0-9-]{1,62}") String institution,
                                            @Nullable @QueryValue @Pattern(regexp = "in_service|under_repair|idle|retired") String status,
                                            @Nullable @QueryValue @Size(max = 200) String service,
                                            @Nullable @QueryValue @Pattern(regexp = "lt100k|100k-400k|400k-500k|500k-1m|1m-5m|ge5m") String valueBand,
                                            @QueryValue(defaultValue = "true") boolean facets) {
        List<FieldProblem> joined = SearchParams.crossChecks(page, size, sort, lat, lon, radiusKm);
        if (!joined.isEmpty()) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", joined.subList(0, 1));
        }
        return search.search(new SearchQuery(q, lang, page, size, sort, lat, lon, radiusKm, classL1, classL2, classL3,
                province, institution, status, service, valueBand), facets, caller(request));
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Suggestions(List<SearchService.Suggestion> items) {
    }

    @Get("/suggest")
    public Suggestions suggest(HttpRequest<?> request, @QueryValue @Size(min = 1, max = 100) String q,
                               @QueryValue(defaultValue = "zh") @Pattern(regexp = "zh|en") String lang,
                               @QueryValue(defaultValue = "8") @Min(1) @Max(20) int size) {
        return new Suggestions(search.suggest(q, lang, size, caller(request)));
    }

    /** Rebuilds the index from PostgreSQL and swaps the alias (the consortium operator only). */
    @Post("/reindex")
    public InstrumentIndex.Rebuild reindex(HttpRequest<?> request) {
        AuthenticatedUser caller = caller(request);
        if (caller == null) {
            throw new ProblemException(HttpStatus.UNAUTHORIZED, "invalid_token");
        }
        boolean consortium = registry.find(caller.actingTenant().value()).map(t -> "consortium".equals(t.kind())).orElse(false);
        if (!consortium || !access.allows(caller.roles(), Action.ONBOARD_TENANTS, Scope.tenant(caller.actingTenant()))) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "forbidden");
        }
        return index.reindexAll();
    }

    @Nullable
    private static AuthenticatedUser caller(HttpRequest<?> request) {
        return request.getAttribute(AuthenticatedUser.ATTRIBUTE, AuthenticatedUser.class).orElse(null);
    }
}

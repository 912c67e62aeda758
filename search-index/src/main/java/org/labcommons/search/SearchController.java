package org.labcommons.search;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestBean;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.validation.Validated;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
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

    @Operation(summary = "Search instruments across the consortium")
    @Get("/instruments")
    public SearchService.Result instruments(@Nullable AuthenticatedUser caller, @Valid @RequestBean SearchFilter filter,
                                            @QueryValue(defaultValue = "true") boolean facets) {
        SearchQuery query = filter.query();
        List<FieldProblem> joined = SearchParams.crossChecks(query.page(), query.size(), query.sort(), query.lat(),
                query.lon(), query.radiusKm());
        if (!joined.isEmpty()) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", joined.subList(0, 1));
        }
        return search.search(query, facets, caller);
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Suggestions(List<SearchService.Suggestion> items) {
    }

    @Operation(summary = "Suggest instrument names as the caller types")
    @Get("/suggest")
    public Suggestions suggest(@Nullable AuthenticatedUser user, @QueryValue @Size(min = 1, max = 100) String q,
                               @QueryValue(defaultValue = "zh") @Pattern(regexp = "zh|en") String lang,
                               @QueryValue(defaultValue = "8") @Min(1) @Max(20) int size) {
        return new Suggestions(search.suggest(q, lang, size, user));
    }

    /** Rebuilds the index from PostgreSQL and swaps the alias (the consortium operator only). */
    @Operation(summary = "Rebuild the search index from the database")
    @Post("/reindex")
    public InstrumentIndex.Rebuild reindex(AuthenticatedUser caller) {
        boolean consortium = registry.find(caller.actingTenant().value()).map(t -> "consortium".equals(t.kind())).orElse(false);
        if (!consortium || !access.allows(caller.roles(), Action.ONBOARD_TENANTS, Scope.tenant(caller.actingTenant()))) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "forbidden");
        }
        return index.reindexAll();
    }
}

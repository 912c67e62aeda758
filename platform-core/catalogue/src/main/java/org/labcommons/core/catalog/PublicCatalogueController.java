package org.labcommons.core.catalog;

import io.micronaut.core.annotation.Nullable;
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
import jakarta.validation.constraints.Pattern;
import org.labcommons.core.directory.TenantDirectory.TenantProfile;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.AuthenticatedUser;

import java.util.List;
import java.util.UUID;

/**
 * A tenant's published catalogue: no sign-in needed for public entries; a bearer token widens the
 * view to what its holder may see ({@link PublicCatalogue}). A suspended or unknown tenant is 404.
 */
@Controller("/api/v1/public/tenants/{slug}/instruments")
@RequiresRole(PlatformRole.CORE)
@ExecuteOn(TaskExecutors.BLOCKING)
@Validated
public class PublicCatalogueController {
    private final PublicCatalogue catalogue;

    public PublicCatalogueController(PublicCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    @Serdeable
    public record Page(String tenant, List<Instrument> items, long total, int page, int size) {
    }

    @Operation(summary = "List an institution's published instruments")
    @Get
    public Page list(@Nullable AuthenticatedUser viewer, @PathVariable @Pattern(regexp = "[a-z0-9-]{2,63}") String slug,
                     @Nullable @QueryValue String q,
                     @Nullable @QueryValue @Pattern(regexp = "in_service|under_repair|idle|retired") String status,
                     @Nullable @QueryValue @Pattern(regexp = "[0-9]{6}") String classification,
                     @QueryValue(defaultValue = "nameZh") @Pattern(regexp = "-?(assetNumber|nameZh|nameEn|originalValue|purchaseDate|updatedAt|classification)") String sort,
                     @QueryValue(defaultValue = "0") @Min(0) @Max(100000) int page,
                     @QueryValue(defaultValue = "20") @Min(1) @Max(100) int size) {
        TenantProfile owner = catalogue.owner(slug).orElseThrow(ProblemException::notFound);
        boolean descending = sort.startsWith("-");
        InstrumentQuery query = new InstrumentQuery(q, status, null, classification, null, null, null, null, null, null,
                List.of(), false, descending ? sort.substring(1) : sort, descending, page * size, size);
        InstrumentService.Page result = catalogue.list(owner, viewer, query);
        return new Page(owner.slug(), result.items(), result.total(), page, size);
    }

    @Operation(summary = "Read one published instrument")
    @Get("/{id}")
    public Instrument get(@Nullable AuthenticatedUser viewer, @PathVariable String slug, @PathVariable UUID id) {
        TenantProfile owner = catalogue.owner(slug).orElseThrow(ProblemException::notFound);
        return catalogue.find(owner, viewer, id).orElseThrow(ProblemException::notFound);
    }
}

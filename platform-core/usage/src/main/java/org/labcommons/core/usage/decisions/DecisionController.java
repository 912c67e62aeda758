package org.labcommons.core.usage.decisions;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.validation.Validated;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.labcommons.core.booking.BookingAccess;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.AuthenticatedUser;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The interlock's decision log of an instrument, for its staff (404 when unreadable, 403 when not managed). */
@Controller("/api/v1/usage")
@RequiresRole(PlatformRole.CORE)
@ExecuteOn(TaskExecutors.BLOCKING)
@Validated
public class DecisionController {
    private final BookingAccess access;
    private final AccessDecisions decisions;

    public DecisionController(BookingAccess access, AccessDecisions decisions) {
        this.access = access;
        this.decisions = decisions;
    }

    @Operation(summary = "List an instrument's access decisions (card, PC login), newest first")
    @Get("/decisions")
    public AccessDecisions.Page list(AuthenticatedUser user, @Nullable @QueryValue UUID instrument,
                                     @QueryValue(defaultValue = "0") @Min(0) @Max(100000) int page,
                                     @QueryValue(defaultValue = "50") @Min(1) @Max(200) int size) {
        if (instrument == null) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", List.of(
                    new ProblemException.FieldProblem("instrument", "required", "validation.not_null", Map.of())));
        }
        access.managed(user, instrument);
        return decisions.forInstrument(user.actingTenant(), instrument, page, size);
    }
}

package org.labcommons.core.usage.policy;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.labcommons.core.catalog.CatalogueAccess;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.AuthenticatedUser;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The form of {@link UsagePolicyPanel}: the interlock policy of an instrument the caller manages, through
 * {@link UsagePolicies#put} (the thresholds stay as they are; an empty field means the default). Back to the
 * instrument page on success; a bad value is the error page with its field.
 */
@Controller("/staff/instruments/{id}/usage-policy")
@RequiresRole(PlatformRole.CORE)
@ExecuteOn(TaskExecutors.BLOCKING)
public class UsagePolicyPages {
    private final UsagePolicies policies;
    private final CatalogueAccess catalogue;

    public UsagePolicyPages(UsagePolicies policies, CatalogueAccess catalogue) {
        this.policies = policies;
        this.catalogue = catalogue;
    }

    @Post(consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<String> save(HttpRequest<?> request, AuthenticatedUser caller, @PathVariable UUID id,
                                     @Body Map<String, String> form) {
        catalogue.managed(caller, id);
        UsagePolicies.Policy now = policies.get(caller.actingTenant(), id);
        List<FieldProblem> problems = new ArrayList<>();
        String walkUp = form.getOrDefault("walkUp", "");
        String failMode = form.getOrDefault("failMode", "");
        UsagePolicies.Input input = new UsagePolicies.Input(now.onWatts(), now.onSustainS(), now.offAfterS(),
                now.mergeGapS(), now.minSessionS(), walkUp.isBlank() ? null : Boolean.valueOf("true".equals(walkUp)),
                failMode.isBlank() ? null : failMode, number(form, "earlyGraceMin", problems),
                number(form, "endGraceMin", problems), number(form, "warnBeforeMin", problems));
        if (!problems.isEmpty()) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", problems);
        }
        policies.put(caller.actingTenant(), UsagePolicyController.actor(caller), caller.userId(), id, input, null);
        String back = form.getOrDefault("back", "");
        return HttpResponse.seeOther(URI.create(back.startsWith("/t/") ? back + "#usage-policy" : "/"));
    }

    private static Integer number(Map<String, String> form, String field, List<FieldProblem> problems) {
        String v = form.getOrDefault(field, "").strip();
        if (v.isEmpty()) {
            return null;
        }
        try {
            return Integer.valueOf(v);
        } catch (NumberFormatException e) {
            problems.add(new FieldProblem(field, "invalid_format", "validation.invalid_format", Map.of()));
            return null;
        }
    }
}

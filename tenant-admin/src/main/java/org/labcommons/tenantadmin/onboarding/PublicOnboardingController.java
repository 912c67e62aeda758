package org.labcommons.tenantadmin.onboarding;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.Status;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.Problems;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.web.ClientAddresses;

import java.util.List;

/**
 * The public side of onboarding (no sign-in): the networks that accept applications, an
 * institution's application (rate limited per client address, as {@link ClientAddresses} resolves
 * it, and in total: 429 {@code rate_limited} with Retry-After), and what an invitation link shows.
 */
@Controller("/api/v1/public/onboarding")
@RequiresRole(PlatformRole.TENANT_ADMIN)
@ExecuteOn(TaskExecutors.BLOCKING)
public class PublicOnboardingController {
    private final ApplicationService applications;
    private final PublicFormLimiter limiter;
    private final ClientAddresses addresses;
    private final Problems problems;

    public PublicOnboardingController(ApplicationService applications, PublicFormLimiter limiter,
                                      ClientAddresses addresses, Problems problems) {
        this.applications = applications;
        this.limiter = limiter;
        this.addresses = addresses;
        this.problems = problems;
    }

    /** The form: the network applied to, an invitation token when completing one, and the application. */
    @Serdeable
    public record Submission(@Nullable String network, @Nullable String invitationToken, @Nullable String slug,
                             @Nullable String nameZh, @Nullable String nameEn, @Nullable String regionCode,
                             @Nullable String timeZone, @Nullable String contactName, @Nullable String contactEmail,
                             @Nullable String language, @Nullable String issuerUrl, @Nullable String clientId,
                             @Nullable String nameClaim, @Nullable String emailClaim, @Nullable List<String> adminEmails) {
        public ApplicationInput input() {
            return new ApplicationInput(slug, nameZh, nameEn, regionCode, timeZone, contactName, contactEmail, language,
                    issuerUrl, clientId, nameClaim, emailClaim, adminEmails);
        }
    }

    @Operation(summary = "List the networks an institution may apply to")
    @Get("/networks")
    public List<ApplicationService.Network> networks() {
        return applications.openNetworks();
    }

    @Operation(summary = "Submit an onboarding application")
    @Status(HttpStatus.CREATED)
    @Post("/applications")
    public HttpResponse<?> apply(HttpRequest<?> request, @Body Submission submission) {
        long wait = limiter.tryAcquire(addresses.of(request).block());
        if (wait > 0) {
            return problems.response(request, HttpStatus.TOO_MANY_REQUESTS, "rate_limited")
                    .header("Retry-After", Long.toString(wait));
        }
        return HttpResponse.created(applications.submit(submission.network(), submission.invitationToken(),
                submission.input()));
    }

    @Operation(summary = "Read the application an invitation token opens")
    @Get("/invitations/{token}")
    public ApplicationService.InvitationView invitation(@PathVariable String token, @Nullable @QueryValue String network) {
        return applications.invitationView(network, token).orElseThrow(ProblemException::notFound);
    }
}

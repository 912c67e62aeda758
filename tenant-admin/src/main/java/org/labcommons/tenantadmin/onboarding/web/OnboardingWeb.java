package org.labcommons.tenantadmin.onboarding.web;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.i18n.Messages;
import org.labcommons.core.problem.Problem;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.Problems;
import org.labcommons.core.security.AccessPolicy;
import org.labcommons.core.security.Action;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.security.CallerResolver;
import org.labcommons.core.security.Scope;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.web.PageForbiddenException;
import org.labcommons.core.web.UiLocale;
import org.labcommons.core.web.WebCaller;
import org.labcommons.core.web.auth.WebSession;
import org.labcommons.tenantadmin.onboarding.TenantRegistryRows;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * What the onboarding pages share: which network the signed-in person onboards for (a network
 * admin of several picks one with {@code ?network=slug}; the person's sign-in usually belongs to
 * the consortium, so the network is an acting tenant they hold a role in, resolved through the
 * same {@link CallerResolver} path as the API's tenant header), and problems shown on a page.
 */
@Singleton
public record OnboardingWeb(WebCaller web,
                            CallerResolver resolver,
                            AccessPolicy policy,
                            TransactionOperations<Connection> transactions,
                            Problems problems,
                            Messages messages,
                            TenantRegistryRows registry) {
    /** A network (or the consortium) by its registry row. */
    public record Network(UUID id, String slug, String nameZh, String nameEn, String kind) {
        public String name(boolean zh) {
            return zh ? nameZh : nameEn;
        }
    }

    /** The signed-in person acting in the network they onboard for, and the networks they may choose. */
    public record Context(AuthenticatedUser caller, Network network, List<Network> choices) {
        public TenantId tenant() {
            return new TenantId(network.id());
        }

        public AuditEntry.Actor actor() {
            return new AuditEntry.Actor(caller.issuer(), caller.subject(), network.id().toString());
        }
    }

    /** The networks this person may onboard for (network kind first); empty when none or not signed in. */
    public List<Network> networks(HttpRequest<?> request) {
        Optional<WebSession> session = web.session(request);
        if (session.isEmpty() || web.caller(request).isEmpty()) {
            return List.of();
        }
        WebSession s = session.get();
        List<Network> out = new ArrayList<>();
        for (Network n : openNetworks()) {
            Optional<AuthenticatedUser> acting = resolver.resolveSession(s.issuer(), s.subject(), s.displayName(),
                    n.id().toString()).caller();
            if (acting.isPresent() && acting.get().actingTenant().value().equals(n.id())
                    && policy.allows(acting.get().roles(), Action.ONBOARD_TENANTS, Scope.tenant(acting.get().actingTenant()))) {
                out.add(n);
            }
        }
        return out;
    }

    /**
     * The context for an onboarding page: sign-in required (a redirect otherwise), and a role that
     * may onboard tenants in the chosen network (the 403 page otherwise).
     */
    public Context require(HttpRequest<?> request, String networkSlug) {
        web.requireSignIn(request);
        List<Network> choices = networks(request);
        if (choices.isEmpty()) {
            throw new PageForbiddenException(PageForbiddenException.FORBIDDEN);
        }
        Network chosen = choices.stream().filter(n -> n.slug().equals(networkSlug)).findFirst().orElse(choices.get(0));
        WebSession s = web.session(request).orElseThrow();
        AuthenticatedUser caller = resolver.resolveSession(s.issuer(), s.subject(), s.displayName(),
                chosen.id().toString()).caller().orElseThrow(() -> new PageForbiddenException(PageForbiddenException.FORBIDDEN));
        return new Context(caller, chosen, choices);
    }

    /** A problem in the page's language: title, detail and one message per field (by field name). */
    public record PageProblem(String title, String detail, Map<String, String> fields, List<Problem.FieldError> errors) {
    }

    public PageProblem problem(HttpRequest<?> request, ProblemException e) {
        Locale locale = UiLocale.resolve(request, request.getParameters().get("lang"));
        List<Problem.FieldError> errors = new ArrayList<>();
        Map<String, String> fields = new LinkedHashMap<>();
        for (ProblemException.FieldProblem fp : e.fieldProblems()) {
            Problem.FieldError error = problems.fieldError(locale, fp.field(), fp.code(), fp.messageKey(), fp.args());
            errors.add(error);
            String key = fp.field().replaceAll("\\[.*", "");
            fields.merge(key, error.message(), (a, b) -> a + "; " + b);
        }
        Problem p = problems.problem(locale, e.status(), e.code(), e.args(), request.getPath(), errors);
        return new PageProblem(p.title(), p.detail(), fields, errors);
    }

    /** A message in the page's language. */
    public String message(HttpRequest<?> request, String key) {
        return messages.get(UiLocale.resolve(request, request.getParameters().get("lang")), key);
    }

    /** Whether the status of a problem means the page should answer with it (not 200). */
    public static HttpStatus status(ProblemException e) {
        return e.status().getCode() >= 500 ? HttpStatus.INTERNAL_SERVER_ERROR : e.status();
    }

    private List<Network> openNetworks() {
        return transactions.executeRead(status -> registry.openNetworks().stream()
                .map(t -> new Network(t.id(), t.slug(), t.nameZh(), t.nameEn(), t.kind())).toList());
    }
}

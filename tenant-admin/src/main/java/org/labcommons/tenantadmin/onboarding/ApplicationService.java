package org.labcommons.tenantadmin.onboarding;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.http.HttpStatus;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Applications of institutions to a network: the public form (with or without an invitation),
 * a network's invitation, review (reject with a reason; approval is {@link Provisioner}'s).
 * Every transition is checked against the current state (409 {@code wrong_state} otherwise) and
 * audited in the network's log in the same transaction.
 */
@Singleton
public record ApplicationService(TenantTransactions tenants,
                                 TransactionOperations<Connection> transactions,
                                 AuditLog audit,
                                 OnboardingMail mail,
                                 OnboardingSettings settings,
                                 ApplicationRows applications,
                                 TenantRegistryRows registry,
                                 IssuerRules issuerRules) {
    /** Who submits the public form: nobody signed in. */
    static final AuditEntry.Actor ANONYMOUS = new AuditEntry.Actor(null, "anonymous", null);
    private static final Logger LOG = LoggerFactory.getLogger(ApplicationService.class);

    /** A page of results with the total count. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Page<T>(List<T> items, int page, int size, long total) {
    }

    /** What the public form answers: the application's id and state, nothing more. */
    @Serdeable
    public record Receipt(UUID id, String status) {
    }

    /** What an invitation link shows the institution before it completes the form. */
    @Serdeable
    public record InvitationView(String network, String networkNameZh, String networkNameEn, String nameZh,
                                 String nameEn, String slug, String contactName, String contactEmail, String language,
                                 Instant expiresAt) {
    }

    /** An invitation sent (or not: the mail server refused; send it again). */
    @Serdeable
    public record Invited(Application application, boolean mailSent) {
    }

    /** A network (or the consortium) that accepts applications. */
    @Serdeable
    public record Network(String slug, String nameZh, String nameEn, String kind) {
    }

    public List<Network> openNetworks() {
        return transactions.executeRead(s -> registry.openNetworks().stream()
                .map(t -> new Network(t.slug(), t.nameZh(), t.nameEn(), t.kind())).toList());
    }

    public Page<Application> list(TenantId network, String status, int page, int size) {
        return tenants.inTenant(network, c -> new Page<>(applications.page(status, page * size, size).stream()
                .map(ApplicationRows.Row::toApplication).toList(), page, size, applications.count(status)));
    }

    public Optional<Application> find(TenantId network, UUID id) {
        return tenants.inTenant(network, c -> applications.find(id));
    }

    /**
     * The public form: a complete application to {@code networkSlug}, or the completion of an
     * invitation when {@code invitationToken} is given (then single use).
     */
    public Receipt submit(String networkSlug, String invitationToken, ApplicationInput input) {
        ApplicationValidator.Result checked = ApplicationValidator.validate(input, ApplicationValidator.Mode.COMPLETE, issuerRules);
        TenantId network = openNetwork(networkSlug).orElse(null);
        if (network == null || !checked.valid()) {
            List<FieldProblem> problems = new java.util.ArrayList<>(checked.problems());
            if (network == null) {
                problems.add(0, new FieldProblem("network", "unknown", "validation.unknown_reference", Map.of()));
            }
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", problems);
        }
        ApplicationInput v = checked.value();
        return tenants.inTenant(network, c -> {
            UUID id;
            if (invitationToken != null && !invitationToken.isBlank()) {
                Application invited = invitation(invitationToken, true).orElseThrow(ProblemException::notFound);
                id = invited.id();
                requireFreeSlug(v.slug(), id);
                ApplicationStore.slugChecked(() -> applications.complete(id, v));
            } else {
                id = UUID.randomUUID();
                requireFreeSlug(v.slug(), null);
                ApplicationStore.slugChecked(() -> applications.insert(id, "form", "submitted", v, null, null));
            }
            audit.append(c, ANONYMOUS.entry("onboarding.application.submitted", "onboarding_application", id.toString(),
                    details(v, invitationToken != null && !invitationToken.isBlank() ? "invitation" : "form")));
            return new Receipt(id, "submitted");
        });
    }

    /** What an institution's invitation link shows; not found when unknown, used or expired. */
    public Optional<InvitationView> invitationView(String networkSlug, String token) {
        if (!Tokens.plausible(token)) {
            return Optional.empty();
        }
        return openNetworkRow(networkSlug).flatMap(n -> tenants.inTenant(new TenantId(n.id()), c -> {
            Optional<Application> found = invitation(token, false);
            if (found.isEmpty()) {
                return Optional.<InvitationView>empty();
            }
            Application a = found.get();
            return Optional.of(new InvitationView(n.slug(), n.nameZh(), n.nameEn(), a.nameZh(), a.nameEn(), a.slug(),
                    a.contactName(), a.contactEmail(), a.language(), applications.findById(a.id()).map(ApplicationRows.Row::invitationExpiresAt).orElse(null)));
        }));
    }

    /**
     * A network invites an institution: names and a contact (the slug optional); the contact gets
     * a mail with a single-use link to complete the application.
     */
    public Invited invite(TenantId network, AuditEntry.Actor actor, ApplicationInput input) {
        ApplicationValidator.Result checked = ApplicationValidator.validate(input, ApplicationValidator.Mode.INVITATION, issuerRules);
        if (!checked.valid()) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", checked.problems());
        }
        ApplicationInput v = checked.value();
        String token = Tokens.random();
        Instant expires = Instant.now().plus(settings.getInvitationLifetime());
        UUID id = UUID.randomUUID();
        Application created = tenants.inTenant(network, c -> {
            if (v.slug() != null) {
                requireFreeSlug(v.slug(), null);
            }
            ApplicationStore.slugChecked(() -> applications.insert(id, "invitation", "invited", v, Tokens.hash(token), expires));
            audit.append(c, actor.entry("onboarding.application.invited", "onboarding_application", id.toString(),
                    details(v, "invitation")));
            return applications.find(id).orElseThrow();
        });
        return new Invited(created, sendInvitation(network, created, token, expires));
    }

    /** Sends an invited institution a new link (the previous one stops working). */
    public Invited resendInvitation(TenantId network, AuditEntry.Actor actor, UUID id) {
        String token = Tokens.random();
        Instant expires = Instant.now().plus(settings.getInvitationLifetime());
        Application a = tenants.inTenant(network, c -> {
            Application app = applications.lock(id).orElseThrow(ProblemException::notFound);
            if (!"invited".equals(app.status())) {
                throw ApplicationStore.wrongState(app.status());
            }
            applications.renewInvitation(id, Tokens.hash(token), expires);
            audit.append(c, actor.entry("onboarding.application.invitation_resent", "onboarding_application",
                    id.toString(), Map.of()));
            return applications.find(id).orElseThrow();
        });
        return new Invited(a, sendInvitation(network, a, token, expires));
    }

    /** Rejects an invited or submitted application with a reason (required); the contact is told why. */
    public Application reject(TenantId network, AuditEntry.Actor actor, UUID id, String reason) {
        String why = reason == null ? null : reason.strip();
        if (why == null || why.isEmpty() || why.length() > 1000) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", List.of(why == null || why.isEmpty()
                    ? new FieldProblem("reason", "required", "validation.not_null", Map.of())
                    : new FieldProblem("reason", "size", "validation.size", Map.of("min", 1, "max", 1000))));
        }
        Application rejected = tenants.inTenant(network, c -> {
            Application app = applications.lock(id).orElseThrow(ProblemException::notFound);
            if (!"submitted".equals(app.status()) && !"invited".equals(app.status())) {
                throw ApplicationStore.wrongState(app.status());
            }
            applications.reject(id, why, actor.issuer(), actor.subject());
            Map<String, Object> details = new HashMap<>();
            details.put("reason", why);
            details.put("previousStatus", app.status());
            audit.append(c, actor.entry("onboarding.application.rejected", "onboarding_application", id.toString(), details));
            return applications.find(id).orElseThrow();
        });
        networkName(network, rejected.language()).ifPresent(name -> {
            try {
                mail.applicationRejected(rejected.contactEmail(), rejected.language(), name,
                        "en".equals(rejected.language()) ? rejected.nameEn() : rejected.nameZh(), why);
            } catch (RuntimeException e) {
                LOG.warn("the rejection of application {} was not mailed: {}", id, e.getMessage());
            }
        });
        return rejected;
    }

    private boolean sendInvitation(TenantId network, Application a, String token, Instant expires) {
        var n = transactions.executeRead(s -> registry.findById(network.value())).orElseThrow();
        String link = mail.link("/onboarding/apply?network=" + enc(n.slug()) + "&invitation=" + enc(token)
                + "&lang=" + enc(a.language()));
        try {
            mail.institutionInvited(a.contactEmail(), a.language(), "en".equals(a.language()) ? n.nameEn() : n.nameZh(),
                    "en".equals(a.language()) ? a.nameEn() : a.nameZh(), link, expires, n.timeZone());
            return true;
        } catch (RuntimeException e) {
            LOG.warn("invitation of application {} not mailed: {}", a.id(), e.getMessage());
            return false;
        }
    }

    /** The invited application whose link carries {@code token}, if still valid (optionally locked). */
    private Optional<Application> invitation(String token, boolean lock) {
        if (!Tokens.plausible(token)) {
            return Optional.empty();
        }
        String hash = Tokens.hash(token);
        return (lock ? applications.lockInvitedBy(hash) : applications.invitedBy(hash)).map(ApplicationRows.Row::toApplication);
    }

    /** The slug is free: no tenant has it, and no other open application of this network. */
    private void requireFreeSlug(String slug, UUID except) {
        if (applications.slugTaken(slug, except)) {
            throw ApplicationStore.slugTaken();
        }
    }

    private Optional<TenantId> openNetwork(String slug) {
        return openNetworkRow(slug).map(t -> new TenantId(t.id()));
    }

    private Optional<TenantRegistryRows.TenantRow> openNetworkRow(String slug) {
        if (slug == null || slug.isBlank()) {
            return Optional.empty();
        }
        return transactions.executeRead(s -> registry.findBySlug(slug.strip()))
                .filter(t -> TenantRegistryRows.isNetwork(t) && "active".equals(t.status()));
    }

    private Optional<String> networkName(TenantId network, String language) {
        return transactions.executeRead(s -> registry.findById(network.value()))
                .map(t -> "en".equals(language) ? t.nameEn() : t.nameZh());
    }

    static Map<String, Object> details(ApplicationInput v, String source) {
        Map<String, Object> d = new HashMap<>();
        d.put("source", source);
        d.put("slug", v.slug() == null ? "" : v.slug());
        d.put("nameZh", v.nameZh());
        d.put("nameEn", v.nameEn());
        return d;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}

package org.labcommons.tenantadmin.onboarding.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Part;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.multipart.CompletedFileUpload;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.web.Pages;
import org.labcommons.core.web.UiLocale;
import org.labcommons.core.web.WebCaller;
import org.labcommons.core.web.auth.WebSession;
import org.labcommons.tenantadmin.onboarding.AdminInvitations;
import org.labcommons.tenantadmin.onboarding.Application;
import org.labcommons.tenantadmin.onboarding.ApplicationInput;
import org.labcommons.tenantadmin.onboarding.ApplicationService;
import org.labcommons.tenantadmin.onboarding.BulkOnboarding;
import org.labcommons.tenantadmin.onboarding.IdentityProviderCheck;
import org.labcommons.tenantadmin.onboarding.IdentityProviderTests;
import org.labcommons.tenantadmin.onboarding.LikelySameInstitutions;
import org.labcommons.tenantadmin.onboarding.MemberService;
import org.labcommons.tenantadmin.onboarding.Provisioner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The onboarding pages (zh-CN and en, usable on a phone): the public application form, the
 * network's queue with review (approve, reject with a reason, test the identity provider), an
 * invitation and a bulk upload, the member institutions with their aggregates and a tenant page
 * with suspend/reactivate, and the page where an invited admin accepts. Every page calls the
 * same services as the REST API; forms post back here with the session's CSRF token and
 * redirect after success (a problem re-renders the page with the messages by field).
 */
@Controller("/onboarding")
@RequiresRole(PlatformRole.TENANT_ADMIN)
@ExecuteOn(TaskExecutors.BLOCKING)
public class OnboardingPagesController {
    private static final List<String> STATUSES = List.of("submitted", "invited", "provisioning", "approved", "rejected");
    private static final String FORM = MediaType.APPLICATION_FORM_URLENCODED;

    private final Pages pages;
    private final WebCaller web;
    private final OnboardingWeb onboarding;
    private final ApplicationService applications;
    private final Provisioner provisioner;
    private final MemberService members;
    private final AdminInvitations invitations;
    private final BulkOnboarding bulk;
    private final IdentityProviderTests idpTests;
    private final LikelySameInstitutions likelySame;

    public OnboardingPagesController(Pages pages, WebCaller web, OnboardingWeb onboarding, ApplicationService applications,
                                     Provisioner provisioner, MemberService members, AdminInvitations invitations,
                                     BulkOnboarding bulk, IdentityProviderTests idpTests,
                                     LikelySameInstitutions likelySame) {
        this.pages = pages;
        this.web = web;
        this.onboarding = onboarding;
        this.applications = applications;
        this.provisioner = provisioner;
        this.members = members;
        this.invitations = invitations;
        this.bulk = bulk;
        this.idpTests = idpTests;
        this.likelySame = likelySame;
    }

    // --- the public application form (submitted by a script to the public API)

    @Get(value = "/apply", produces = MediaType.TEXT_HTML)
    public HttpResponse<String> apply(HttpRequest<?> request, @Nullable @QueryValue String network,
                                      @Nullable @QueryValue String invitation) {
        Map<String, Object> model = pages.model(request);
        List<ApplicationService.Network> networks = applications.openNetworks();
        model.put("networks", networks);
        String chosen = network;
        if (invitation != null && !invitation.isBlank()) {
            Optional<ApplicationService.InvitationView> view = applications.invitationView(network, invitation);
            if (view.isPresent()) {
                model.put("invitation", view.get());
                model.put("invitationToken", invitation);
            } else {
                model.put("invitationInvalid", true);
            }
        }
        if (chosen == null && !networks.isEmpty()) {
            chosen = networks.get(0).slug();
        }
        model.put("network", chosen);
        model.put("canReview", !onboarding.networks(request).isEmpty());
        return pages.respond(request, HttpStatus.OK, "onboarding/apply", model);
    }

    // --- the queue and the review of one application

    @Get(produces = MediaType.TEXT_HTML)
    public HttpResponse<String> queue(HttpRequest<?> request, @Nullable @QueryValue String network,
                                      @Nullable @QueryValue String status, @QueryValue(defaultValue = "0") int page) {
        OnboardingWeb.Context ctx = onboarding.require(request, network);
        return queuePage(request, ctx, status, page, null, null, HttpStatus.OK);
    }

    private HttpResponse<String> queuePage(HttpRequest<?> request, OnboardingWeb.Context ctx, String status, int page,
                                           Map<String, String> inviteForm, OnboardingWeb.PageProblem inviteProblem,
                                           HttpStatus httpStatus) {
        String shown = status != null && STATUSES.contains(status) ? status : "submitted";
        Map<String, Object> model = base(request, ctx);
        model.put("status", shown);
        model.put("statuses", STATUSES);
        ApplicationService.Page<Application> listed = applications.list(ctx.tenant(), shown, Math.max(0, page), 20);
        model.put("applications", listed);
        Map<String, Long> counts = likelySame.counts(ctx.tenant());
        model.put("counts", STATUSES.stream().collect(java.util.stream.Collectors.toMap(s -> s,
                s -> counts.getOrDefault(s, 0L))));
        model.put("likelySame", likelySame.of(ctx.tenant(), listed.items().stream().map(Application::id).toList()));
        model.put("inviteForm", inviteForm == null ? Map.of() : inviteForm);
        if (inviteProblem != null) {
            model.put("inviteProblem", inviteProblem);
        }
        return pages.respond(request, httpStatus, "onboarding/queue", model);
    }

    @Post(value = "/invite", consumes = FORM)
    public HttpResponse<?> invite(HttpRequest<?> request, @Body Map<String, String> form) {
        OnboardingWeb.Context ctx = onboarding.require(request, form.get("network"));
        try {
            var invited = applications.invite(ctx.tenant(), ctx.actor(), new ApplicationInput(form.get("slug"),
                    form.get("nameZh"), form.get("nameEn"), null, null, form.get("contactName"), form.get("contactEmail"),
                    form.get("language"), null, null, null, null, null));
            return redirect("/onboarding/applications/" + invited.application().id(), ctx, request,
                    invited.mailSent() ? "invited" : "mail_failed");
        } catch (ProblemException e) {
            return queuePage(request, ctx, "invited", 0, form, onboarding.problem(request, e), OnboardingWeb.status(e));
        }
    }

    @Get(value = "/applications/{id}", produces = MediaType.TEXT_HTML)
    public HttpResponse<String> application(HttpRequest<?> request, @PathVariable UUID id,
                                            @Nullable @QueryValue String network) {
        OnboardingWeb.Context ctx = onboarding.require(request, network);
        return applicationPage(request, ctx, id, null, null, null, HttpStatus.OK);
    }

    private HttpResponse<String> applicationPage(HttpRequest<?> request, OnboardingWeb.Context ctx, UUID id,
                                                 OnboardingWeb.PageProblem problem, IdentityProviderCheck.Result test,
                                                 String reason, HttpStatus httpStatus) {
        Application app = applications.find(ctx.tenant(), id).orElseThrow(ProblemException::notFound);
        Map<String, Object> model = base(request, ctx);
        model.put("app", app);
        model.put("reviewable", "submitted".equals(app.status()) || "provisioning".equals(app.status()));
        model.put("rejectable", "submitted".equals(app.status()) || "invited".equals(app.status()));
        // "approve and provision" only once the identity provider it names passed its test (Provisioner enforces it)
        model.put("idpPassedAt", idpTests.passedAt(ctx.tenant(), id).orElse(null));
        model.put("likelySame", likelySame.of(ctx.tenant(), List.of(id)).getOrDefault(id, List.of()));
        if (problem != null) {
            model.put("problem", problem);
        }
        if (test != null) {
            model.put("test", test);
        }
        model.put("reason", reason == null ? "" : reason);
        return pages.respond(request, httpStatus, "onboarding/application", model);
    }

    @Post(value = "/applications/{id}/approve", consumes = FORM)
    public HttpResponse<?> approve(HttpRequest<?> request, @PathVariable UUID id, @Body Map<String, String> form) {
        OnboardingWeb.Context ctx = onboarding.require(request, form.get("network"));
        try {
            provisioner.approve(ctx.tenant(), ctx.actor(), id);
            return redirect("/onboarding/applications/" + id, ctx, request, "approved");
        } catch (ProblemException e) {
            return applicationPage(request, ctx, id, onboarding.problem(request, e), null, null, OnboardingWeb.status(e));
        }
    }

    @Post(value = "/applications/{id}/reject", consumes = FORM)
    public HttpResponse<?> reject(HttpRequest<?> request, @PathVariable UUID id, @Body Map<String, String> form) {
        OnboardingWeb.Context ctx = onboarding.require(request, form.get("network"));
        try {
            applications.reject(ctx.tenant(), ctx.actor(), id, form.get("reason"));
            return redirect("/onboarding/applications/" + id, ctx, request, "rejected");
        } catch (ProblemException e) {
            return applicationPage(request, ctx, id, onboarding.problem(request, e), null, form.get("reason"),
                    OnboardingWeb.status(e));
        }
    }

    @Post(value = "/applications/{id}/resend", consumes = FORM)
    public HttpResponse<?> resend(HttpRequest<?> request, @PathVariable UUID id, @Body Map<String, String> form) {
        OnboardingWeb.Context ctx = onboarding.require(request, form.get("network"));
        try {
            var sent = applications.resendInvitation(ctx.tenant(), ctx.actor(), id);
            return redirect("/onboarding/applications/" + id, ctx, request, sent.mailSent() ? "invited" : "mail_failed");
        } catch (ProblemException e) {
            return applicationPage(request, ctx, id, onboarding.problem(request, e), null, null, OnboardingWeb.status(e));
        }
    }

    @Post(value = "/applications/{id}/test", consumes = FORM)
    public HttpResponse<?> testApplication(HttpRequest<?> request, @PathVariable UUID id, @Body Map<String, String> form) {
        OnboardingWeb.Context ctx = onboarding.require(request, form.get("network"));
        return applicationPage(request, ctx, id, null, idpTests.test(ctx.tenant(), ctx.actor(), id, locale(request)), null,
                HttpStatus.OK);
    }

    // --- bulk upload (htmx, multipart: the CSRF token travels in the X-CSRF-Token header)

    @Post(value = "/bulk", consumes = MediaType.MULTIPART_FORM_DATA)
    public HttpResponse<String> bulk(HttpRequest<?> request, @Nullable @Part("file") CompletedFileUpload file,
                                     @Nullable @Part("network") String network, @Nullable @Part("mode") String mode) {
        OnboardingWeb.Context ctx = onboarding.require(request, network);
        Map<String, Object> model = base(request, ctx);
        boolean dryRun = !"commit".equals(mode) && !"approve".equals(mode);
        try {
            byte[] bytes = file == null ? new byte[0] : file.getBytes();
            model.put("report", bulk.run(ctx.tenant(), ctx.actor(), bytes, dryRun, "approve".equals(mode), locale(request)));
            return pages.respond(request, HttpStatus.OK, "onboarding/bulk-report", model);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ProblemException e) {
            model.put("problem", onboarding.problem(request, e));
            return pages.respond(request, HttpStatus.OK, "onboarding/bulk-report", model);
        }
    }

    // --- member institutions

    @Get(value = "/members", produces = MediaType.TEXT_HTML)
    public HttpResponse<String> members(HttpRequest<?> request, @Nullable @QueryValue String network,
                                        @QueryValue(defaultValue = "0") int page) {
        OnboardingWeb.Context ctx = onboarding.require(request, network);
        Map<String, Object> model = base(request, ctx);
        model.put("members", members.list(ctx.tenant(), Math.max(0, page), 50));
        return pages.respond(request, HttpStatus.OK, "onboarding/members", model);
    }

    @Get(value = "/members/{id}", produces = MediaType.TEXT_HTML)
    public HttpResponse<String> member(HttpRequest<?> request, @PathVariable UUID id, @Nullable @QueryValue String network) {
        OnboardingWeb.Context ctx = onboarding.require(request, network);
        return memberPage(request, ctx, id, null, null, null, HttpStatus.OK);
    }

    private HttpResponse<String> memberPage(HttpRequest<?> request, OnboardingWeb.Context ctx, UUID id,
                                            OnboardingWeb.PageProblem problem, List<IdentityProviderCheck.Result> tests,
                                            Map<String, String> form, HttpStatus httpStatus) {
        return memberPage(request, ctx, id, problem, tests, form, httpStatus, false);
    }

    private HttpResponse<String> memberPage(HttpRequest<?> request, OnboardingWeb.Context ctx, UUID id,
                                            OnboardingWeb.PageProblem problem, List<IdentityProviderCheck.Result> tests,
                                            Map<String, String> form, HttpStatus httpStatus, boolean confirmSuspension) {
        MemberService.Member member = members.find(ctx.tenant(), id).orElseThrow(ProblemException::notFound);
        Map<String, Object> model = base(request, ctx);
        model.put("confirmSuspension", confirmSuspension);
        model.put("member", member);
        model.put("providers", members.identityProviders(ctx.tenant(), id));
        model.put("invitations", invitations.list(new TenantId(id)));
        model.put("form", form == null ? Map.of() : form);
        if (problem != null) {
            model.put("problem", problem);
        }
        if (tests != null) {
            model.put("tests", tests);
        }
        return pages.respond(request, httpStatus, "onboarding/member", model);
    }

    @Post(value = "/members/{id}/suspend", consumes = FORM)
    public HttpResponse<?> suspend(HttpRequest<?> request, @PathVariable UUID id, @Body Map<String, String> form) {
        return statusChange(request, id, form, true);
    }

    @Post(value = "/members/{id}/reactivate", consumes = FORM)
    public HttpResponse<?> reactivate(HttpRequest<?> request, @PathVariable UUID id, @Body Map<String, String> form) {
        return statusChange(request, id, form, false);
    }

    private HttpResponse<?> statusChange(HttpRequest<?> request, UUID id, Map<String, String> form, boolean suspend) {
        OnboardingWeb.Context ctx = onboarding.require(request, form.get("network"));
        try {
            if (suspend && !confirmed(ctx, id, form)) {
                // a suspension is confirmed on a page of its own that names the institution and the reason
                MemberService.checkedReason(form.get("reason"));
                return memberPage(request, ctx, id, null, null, form, HttpStatus.OK, true);
            }
            if (suspend) {
                members.suspend(ctx.tenant(), ctx.actor(), id, form.get("reason"));
            } else {
                members.reactivate(ctx.tenant(), ctx.actor(), id, form.get("reason"));
            }
            return redirect("/onboarding/members/" + id, ctx, request, suspend ? "suspended" : "reactivated");
        } catch (ProblemException e) {
            return memberPage(request, ctx, id, onboarding.problem(request, e), null, form, OnboardingWeb.status(e));
        }
    }

    /** Whether the form is the confirmation of suspending this member: it names the member's short name. */
    private boolean confirmed(OnboardingWeb.Context ctx, UUID id, Map<String, String> form) {
        String slug = members.find(ctx.tenant(), id).map(MemberService.Member::slug).orElse(null);
        return slug != null && slug.equals(form.get("confirm"));
    }

    @Post(value = "/members/{id}/test", consumes = FORM)
    public HttpResponse<?> testMember(HttpRequest<?> request, @PathVariable UUID id, @Body Map<String, String> form) {
        OnboardingWeb.Context ctx = onboarding.require(request, form.get("network"));
        var results = members.testIdentityProviders(ctx.tenant(), ctx.actor(), id, locale(request));
        return memberPage(request, ctx, id, null, results, null, HttpStatus.OK);
    }

    @Post(value = "/members/{id}/invitations", consumes = FORM)
    public HttpResponse<?> inviteAdmin(HttpRequest<?> request, @PathVariable UUID id, @Body Map<String, String> form) {
        OnboardingWeb.Context ctx = onboarding.require(request, form.get("network"));
        members.find(ctx.tenant(), id).orElseThrow(ProblemException::notFound);
        try {
            invitations.invite(new TenantId(id), ctx.actor(), form.get("email"), form.get("language"));
            return redirect("/onboarding/members/" + id, ctx, request, "invited");
        } catch (ProblemException e) {
            return memberPage(request, ctx, id, onboarding.problem(request, e), null, form, OnboardingWeb.status(e));
        }
    }

    @Post(value = "/members/{id}/invitations/{invitation}/resend", consumes = FORM)
    public HttpResponse<?> resendAdmin(HttpRequest<?> request, @PathVariable UUID id, @PathVariable UUID invitation,
                                       @Body Map<String, String> form) {
        OnboardingWeb.Context ctx = onboarding.require(request, form.get("network"));
        members.find(ctx.tenant(), id).orElseThrow(ProblemException::notFound);
        try {
            invitations.send(new TenantId(id), ctx.actor(), invitation);
            return redirect("/onboarding/members/" + id, ctx, request, "invited");
        } catch (ProblemException e) {
            return memberPage(request, ctx, id, onboarding.problem(request, e), null, form, OnboardingWeb.status(e));
        }
    }

    // --- accepting an institution-admin invitation

    @Get(value = "/invitations/{tenant}/{token}", produces = MediaType.TEXT_HTML)
    public HttpResponse<String> invitation(HttpRequest<?> request, @PathVariable UUID tenant, @PathVariable String token) {
        return invitationPage(request, tenant, token, null, HttpStatus.OK);
    }

    private HttpResponse<String> invitationPage(HttpRequest<?> request, UUID tenant, String token,
                                                OnboardingWeb.PageProblem problem, HttpStatus httpStatus) {
        Map<String, Object> model = pages.model(request);
        model.put("fmt", formats(model));
        Optional<AdminInvitations.Pending> pending = invitations.pending(new TenantId(tenant), token);
        model.put("pending", pending.orElse(null));
        model.put("tenantId", tenant);
        model.put("token", token);
        if (problem != null) {
            model.put("problem", problem);
        }
        Optional<WebSession> session = web.session(request);
        boolean fromTenant = pending.isPresent() && session.isPresent()
                && pending.get().issuers().contains(session.get().issuer());
        model.put("signedInWithTenant", fromTenant);
        if (pending.isPresent() && !pending.get().issuers().isEmpty()) {
            String here = WebCaller.returnPath(request);
            model.put("tenantLogin", "/login?issuer=" + enc(pending.get().issuers().get(0)) + "&returnTo=" + enc(here));
        }
        return pages.respond(request, pending.isPresent() || problem != null ? httpStatus : HttpStatus.NOT_FOUND,
                "onboarding/invitation", model);
    }

    @Post(value = "/invitations/{tenant}/{token}", consumes = FORM)
    public HttpResponse<?> accept(HttpRequest<?> request, @PathVariable UUID tenant, @PathVariable String token,
                                  @Body Map<String, String> form) {
        Optional<WebSession> session = web.session(request);
        if (session.isEmpty()) {
            return HttpResponse.seeOther(URI.create(WebCaller.loginPath(WebCaller.returnPath(request))));
        }
        try {
            invitations.accept(new TenantId(tenant), token, session.get().issuer(), session.get().subject(),
                    session.get().displayName(), null);
            String lang = form.get("lang");
            return HttpResponse.seeOther(URI.create("/account?welcome=institution_admin"
                    + (lang == null || lang.isBlank() ? "" : "&lang=" + enc(lang))));
        } catch (ProblemException e) {
            return invitationPage(request, tenant, token, onboarding.problem(request, e), OnboardingWeb.status(e));
        }
    }

    // --- helpers

    private Map<String, Object> base(HttpRequest<?> request, OnboardingWeb.Context ctx) {
        Map<String, Object> model = pages.model(request);
        model.put("ctx", ctx);
        model.put("networkName", ctx.network().name(Boolean.TRUE.equals(model.get("zh"))));
        model.put("done", request.getParameters().get("done"));
        model.put("fmt", formats(model));
        return model;
    }

    @SuppressWarnings("unchecked")
    private static Formats formats(Map<String, Object> model) {
        return new Formats("Asia/Shanghai", (Locale) model.get("locale"), (Map<String, String>) model.get("t"));
    }

    private static HttpResponse<?> redirect(String path, OnboardingWeb.Context ctx, HttpRequest<?> request, String done) {
        String lang = request.getParameters().get("lang");
        return HttpResponse.seeOther(URI.create(path + "?network=" + enc(ctx.network().slug()) + "&done=" + enc(done)
                + (lang == null ? "" : "&lang=" + enc(lang))));
    }

    private static Locale locale(HttpRequest<?> request) {
        return UiLocale.resolve(request, request.getParameters().get("lang"));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}

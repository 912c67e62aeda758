package org.labcommons.core.billing.payers;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import jakarta.inject.Singleton;
import org.labcommons.core.billing.single.InvoiceRequest;
import org.labcommons.core.billing.single.SingleSettlement;
import org.labcommons.core.catalog.CatalogueAccess;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.Action;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.web.NavContributor;
import org.labcommons.core.web.NavLink;
import org.labcommons.core.web.Pages;

import java.net.URI;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The payer pages (zh-CN/en), over the same services and rules as the API ({@link Payers}, {@link PayerAccess}):
 * <ul>
 *   <li>{@code /admin/payer-accounts} (finance): the accounts with their money, a form for a new account or
 *       ({@code ?edit=}) an account's terms;</li>
 *   <li>{@code /admin/payer-accounts/{id}}: one account, its members and, prepaid, its deposit with holds and the
 *       top-up form; settling singly, its posted charges with each one's statement (PDF, xlsx) and invoice request
 *       (request, issue with the number, cancel with a reason: {@code billing.single});</li>
 *   <li>{@code /my/projects}: the caller's accounts (as PI: the members to approve or revoke, budget used, arrears
 *       notice; as member: the state of their request) and a request to join an account by its code.</li>
 * </ul>
 * A change is a form post that answers 303 back to its page, or the page again with the problem (422).
 */
@Controller
@RequiresRole(PlatformRole.CORE)
@ExecuteOn(TaskExecutors.BLOCKING)
public class PayerPages {
    private final PayerAccess access;
    private final Payers payers;
    private final Pages pages;
    private final SingleSettlement single;

    public PayerPages(PayerAccess access, Payers payers, Pages pages, SingleSettlement single) {
        this.access = access;
        this.payers = payers;
        this.pages = pages;
        this.single = single;
    }

    /** "My projects" for everyone, the accounts for finance. */
    @Singleton
    public static class Nav implements NavContributor {
        @Override
        public List<NavLink> navLinks() {
            return List.of(NavLink.everyone("payers.nav.mine", "/my/projects", 23),
                    NavLink.forAction("payers.nav.admin", "/admin/payer-accounts", Action.SETTLE_ACCOUNTS, 160));
        }
    }

    /** A PI's account with its members. */
    public record Led(Payers.Mine mine, List<PayerRows.MemberRow> members) {
    }

    // ------------------------------------------------------------------ finance

    @Get(value = "/admin/payer-accounts", produces = MediaType.TEXT_HTML)
    public HttpResponse<String> list(HttpRequest<?> request, AuthenticatedUser caller, @Nullable @QueryValue UUID edit,
                                     @Nullable @QueryValue String q) {
        access.requireFinance(caller);
        Map<String, String> form = new HashMap<>();
        if (edit != null) {
            form.putAll(formOf(access.managed(caller, edit)));
        }
        return pages.respond(request, HttpStatus.OK, "billing/payer-admin", adminModel(request, caller, edit, q, form));
    }

    @Post(value = "/admin/payer-accounts", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<String> save(HttpRequest<?> request, AuthenticatedUser caller, @Body Map<String, String> form) {
        access.requireFinance(caller);
        UUID edit = uuid(form.get("edit"), "edit", new ArrayList<>());
        try {
            PayerInput in = input(form);
            PayerAccount a = edit == null
                    ? payers.create(caller.actingTenant(), CatalogueAccess.actor(caller), caller.userId(), in)
                    : payers.update(caller.actingTenant(), CatalogueAccess.actor(caller), access.managed(caller, edit).id(), in);
            return HttpResponse.seeOther(URI.create("/admin/payer-accounts/" + a.id() + lang(request, "?")));
        } catch (ProblemException e) {
            if (e.status() == HttpStatus.NOT_FOUND || e.status() == HttpStatus.FORBIDDEN) {
                throw e;
            }
            return pages.respond(request, HttpStatus.UNPROCESSABLE_ENTITY, "billing/payer-admin",
                    pages.withProblem(request, adminModel(request, caller, edit, null, form), e));
        }
    }

    @Get(value = "/admin/payer-accounts/{id}", produces = MediaType.TEXT_HTML)
    public HttpResponse<String> one(HttpRequest<?> request, AuthenticatedUser caller, @PathVariable UUID id) {
        return pages.respond(request, HttpStatus.OK, "billing/payer-account", accountModel(request, caller, id));
    }

    @Post(value = "/admin/payer-accounts/{id}/deposits", consumes = MediaType.APPLICATION_FORM_URLENCODED,
            produces = MediaType.TEXT_HTML)
    public HttpResponse<String> topUp(HttpRequest<?> request, AuthenticatedUser caller, @PathVariable UUID id,
                                      @Body Map<String, String> form) {
        PayerAccount a = access.managed(caller, id);
        try {
            List<FieldProblem> problems = new ArrayList<>();
            Long amount = number(form.get("amountFen"), "amountFen", problems);
            invalid(problems);
            payers.topUp(caller.actingTenant(), CatalogueAccess.actor(caller), a, amount, form.get("key"), form.get("memo"));
            return HttpResponse.seeOther(URI.create("/admin/payer-accounts/" + id + lang(request, "?")));
        } catch (ProblemException e) {
            return pages.respond(request, HttpStatus.UNPROCESSABLE_ENTITY, "billing/payer-account",
                    pages.withProblem(request, accountModel(request, caller, id), e));
        }
    }

    // ------------------------------------------------------------------ single settlement (billing.single)

    @Get(value = "/admin/payer-accounts/{id}/single/{chargeId}/statement.{format}",
            produces = {"application/pdf", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"})
    public HttpResponse<byte[]> singleStatement(AuthenticatedUser caller, @PathVariable UUID id, @PathVariable UUID chargeId,
                                                @PathVariable String format) {
        if (!"pdf".equals(format) && !"xlsx".equals(format)) {
            throw ProblemException.notFound();
        }
        PayerAccount a = access.managed(caller, id);
        boolean pdf = "pdf".equals(format);
        return HttpResponse.ok(single.statement(caller.actingTenant(), a, chargeId, pdf))
                .contentType(MediaType.of(pdf ? "application/pdf" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
                .header("Content-Disposition", "attachment; filename=\"statement-" + chargeId + "." + format + "\"");
    }

    @Post(value = "/admin/payer-accounts/{id}/single/{chargeId}/invoice-request",
            consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<String> requestInvoice(HttpRequest<?> request, AuthenticatedUser caller, @PathVariable UUID id,
                                               @PathVariable UUID chargeId, @Body Map<String, String> form) {
        PayerAccount a = access.managed(caller, id);
        return singleChange(request, caller, id, () -> single.request(caller.actingTenant(), CatalogueAccess.actor(caller),
                caller.userId(), a, chargeId, new InvoiceRequest.Input(form.get("organisation"), form.get("taxId"), form.get("note"))));
    }

    @Post(value = "/admin/payer-accounts/{id}/invoice-requests/{requestId}/{action}",
            consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<String> decideInvoice(HttpRequest<?> request, AuthenticatedUser caller, @PathVariable UUID id,
                                              @PathVariable UUID requestId, @PathVariable String action,
                                              @Body Map<String, String> form) {
        if (!"issue".equals(action) && !"cancel".equals(action)) {
            throw ProblemException.notFound();
        }
        PayerAccount a = access.managed(caller, id);
        return singleChange(request, caller, id, () -> "issue".equals(action)
                ? single.issue(caller.actingTenant(), CatalogueAccess.actor(caller), caller.userId(), a, requestId,
                        new InvoiceRequest.IssueInput(form.get("invoiceNumber")))
                : single.cancel(caller.actingTenant(), CatalogueAccess.actor(caller), caller.userId(), a, requestId,
                        new InvoiceRequest.CancelInput(form.get("reason"))));
    }

    private HttpResponse<String> singleChange(HttpRequest<?> request, AuthenticatedUser caller, UUID id,
                                              java.util.function.Supplier<InvoiceRequest> change) {
        try {
            change.get();
            return HttpResponse.seeOther(URI.create("/admin/payer-accounts/" + id + lang(request, "?") + "#single"));
        } catch (ProblemException e) {
            if (e.status() == HttpStatus.NOT_FOUND || e.status() == HttpStatus.FORBIDDEN) {
                throw e;
            }
            return pages.respond(request, HttpStatus.UNPROCESSABLE_ENTITY, "billing/payer-account",
                    pages.withProblem(request, accountModel(request, caller, id), e));
        }
    }

    // ------------------------------------------------------------------ my projects

    @Get(value = "/my/projects", produces = MediaType.TEXT_HTML)
    public HttpResponse<String> mine(HttpRequest<?> request, AuthenticatedUser caller) {
        access.requireMember(caller);
        return pages.respond(request, HttpStatus.OK, "billing/my-projects", mineModel(request, caller));
    }

    @Post(value = "/my/projects/join", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<String> join(HttpRequest<?> request, AuthenticatedUser caller, @Body Map<String, String> form) {
        access.requireMember(caller);
        try {
            payers.join(caller.actingTenant(), CatalogueAccess.actor(caller), caller.userId(), form.get("code"),
                    form.get("category"), form.get("note"));
            return HttpResponse.seeOther(URI.create("/my/projects" + lang(request, "?")));
        } catch (ProblemException e) {
            Map<String, Object> model = mineModel(request, caller);
            model.put("form", form);
            return pages.respond(request, HttpStatus.UNPROCESSABLE_ENTITY, "billing/my-projects",
                    pages.withProblem(request, model, e));
        }
    }

    @Post(value = "/my/projects/{id}/members/{userId}/{decision}", consumes = MediaType.APPLICATION_FORM_URLENCODED,
            produces = MediaType.TEXT_HTML)
    public HttpResponse<String> decide(HttpRequest<?> request, AuthenticatedUser caller, @PathVariable UUID id,
                                       @PathVariable UUID userId, @PathVariable String decision,
                                       @Body Map<String, String> form) {
        if (!"approve".equals(decision) && !"revoke".equals(decision)) {
            throw ProblemException.notFound();
        }
        access.approving(caller, id);
        try {
            payers.decide(caller.actingTenant(), CatalogueAccess.actor(caller), caller.userId(), id, userId,
                    "approve".equals(decision) ? "approved" : "revoked", form.get("note"));
            return HttpResponse.seeOther(URI.create("/my/projects" + lang(request, "?")));
        } catch (ProblemException e) {
            if (e.status() == HttpStatus.NOT_FOUND) {
                throw e;
            }
            return pages.respond(request, HttpStatus.UNPROCESSABLE_ENTITY, "billing/my-projects",
                    pages.withProblem(request, mineModel(request, caller), e));
        }
    }

    // ------------------------------------------------------------------ models

    private Map<String, Object> adminModel(HttpRequest<?> request, AuthenticatedUser caller, @Nullable UUID edit,
                                           @Nullable String q, Map<String, String> form) {
        Map<String, Object> model = pages.model(request);
        List<Payers.Summary> rows = new ArrayList<>();
        for (PayerAccount a : payers.list(caller.actingTenant(), null, null, q, 0, 200).items()) {
            rows.add(payers.summary(caller.actingTenant(), a));
        }
        model.put("rows", rows);
        model.put("q", q == null ? "" : q);
        model.put("edit", edit == null ? null : edit.toString());
        model.put("form", form);
        model.put("kinds", List.of("project", "department", "customer"));
        model.put("settlements", List.of("monthly", "single", "prepaid"));
        return model;
    }

    private Map<String, Object> accountModel(HttpRequest<?> request, AuthenticatedUser caller, UUID id) {
        PayerAccount a = access.managed(caller, id);
        Map<String, Object> model = pages.model(request);
        model.put("summary", payers.summary(caller.actingTenant(), a));
        model.put("members", payers.members(caller.actingTenant(), id));
        model.put("deposit", "prepaid".equals(a.settlement()) ? payers.deposit(caller.actingTenant(), a) : null);
        boolean singly = "single".equals(a.settlement());
        model.put("singleCharges", singly ? single.charges(caller.actingTenant(), a, 0, 50).items() : null);
        model.put("invoiceRequests", singly ? single.requests(caller.actingTenant(), a.id(), null, 0, 50).items() : null);
        model.put("account", a);
        return model;
    }

    private Map<String, Object> mineModel(HttpRequest<?> request, AuthenticatedUser caller) {
        Map<String, Object> model = pages.model(request);
        List<Led> led = new ArrayList<>();
        List<Payers.Mine> memberOf = new ArrayList<>();
        for (Payers.Mine m : payers.mine(caller.actingTenant(), caller.userId())) {
            if ("pi".equals(m.role())) {
                led.add(new Led(m, payers.members(caller.actingTenant(), m.summary().account().id())));
            } else {
                memberOf.add(m);
            }
        }
        model.put("led", led);
        model.put("memberOf", memberOf);
        model.put("categories", List.of("staff", "student", "young_teacher", "external"));
        model.putIfAbsent("form", Map.of());
        return model;
    }

    // ------------------------------------------------------------------ forms

    /** The form as an account's terms; a value that is not a number, day or id is a field problem. */
    static PayerInput input(Map<String, String> f) {
        List<FieldProblem> problems = new ArrayList<>();
        Long budget = number(f.get("budgetFen"), "budgetFen", problems);
        LocalDate from = day(f.get("validFrom"), "validFrom", problems);
        LocalDate to = day(f.get("validTo"), "validTo", problems);
        UUID pi = uuid(f.get("piUserId"), "piUserId", problems);
        UUID unit = uuid(f.get("orgUnitId"), "orgUnitId", problems);
        invalid(problems);
        return new PayerInput(f.get("kind"), f.get("code"), f.get("nameZh"), f.get("nameEn"), f.get("grantCode"),
                f.get("financeCode"), pi, unit, budget, from, to, PayerChecks.clean(f.get("status")), f.get("settlement"),
                f.get("organisation"), f.get("contactName"), f.get("contactPhone"), f.get("contactEmail"), f.get("taxId"));
    }

    static Map<String, String> formOf(PayerAccount a) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("kind", a.kind());
        f.put("code", a.code());
        f.put("nameZh", a.nameZh());
        f.put("nameEn", a.nameEn());
        f.put("grantCode", a.grantCode());
        f.put("financeCode", a.financeCode());
        f.put("piUserId", a.piUserId() == null ? null : a.piUserId().toString());
        f.put("orgUnitId", a.orgUnitId() == null ? null : a.orgUnitId().toString());
        f.put("budgetFen", a.budgetFen() == null ? null : a.budgetFen().toString());
        f.put("validFrom", a.validFrom() == null ? null : a.validFrom().toString());
        f.put("validTo", a.validTo() == null ? null : a.validTo().toString());
        f.put("status", a.status());
        f.put("settlement", a.settlement());
        f.put("organisation", a.organisation());
        f.put("contactName", a.contactName());
        f.put("contactPhone", a.contactPhone());
        f.put("contactEmail", a.contactEmail());
        f.put("taxId", a.taxId());
        return f;
    }

    private static void invalid(List<FieldProblem> problems) {
        if (!problems.isEmpty()) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", problems);
        }
    }

    private static Long number(@Nullable String s, String field, List<FieldProblem> problems) {
        if (PayerChecks.blank(s)) {
            return null;
        }
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            problems.add(new FieldProblem(field, "format", "validation.invalid_format", Map.of()));
            return null;
        }
    }

    private static LocalDate day(@Nullable String s, String field, List<FieldProblem> problems) {
        if (PayerChecks.blank(s)) {
            return null;
        }
        try {
            return LocalDate.parse(s.strip());
        } catch (DateTimeParseException e) {
            problems.add(new FieldProblem(field, "format", "validation.invalid_format", Map.of()));
            return null;
        }
    }

    private static UUID uuid(@Nullable String s, String field, List<FieldProblem> problems) {
        if (PayerChecks.blank(s)) {
            return null;
        }
        try {
            return UUID.fromString(s.strip());
        } catch (IllegalArgumentException e) {
            problems.add(new FieldProblem(field, "format", "validation.invalid_format", Map.of()));
            return null;
        }
    }

    private static String lang(HttpRequest<?> request, String prefix) {
        String lang = request.getParameters().get("lang");
        return lang == null || !lang.matches("[a-zA-Z-]{2,10}") ? "" : prefix + "lang=" + lang;
    }
}

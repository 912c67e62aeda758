package org.labcommons.core.billing.subsidies;

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
import org.labcommons.core.catalog.CatalogueAccess;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.Action;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.web.ClientAddresses;
import org.labcommons.core.web.NavContributor;
import org.labcommons.core.web.NavLink;
import org.labcommons.core.web.Pages;

import java.net.URI;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The pages of subsidies and vouchers (zh-CN/en), over the same services and rules as the API:
 * <ul>
 *   <li>{@code /admin/subsidies}: the open-testing fund's periods with budget, paid and left, and a form for a new
 *       period (finance staff, institution admins);</li>
 *   <li>{@code /bureau/vouchers}: the bureau's enterprises, batches, vouchers and latest claims, with forms to
 *       register an enterprise, create a batch and issue a voucher ({@code ISSUE_VOUCHERS} in a consortium);</li>
 *   <li>{@code /vouchers/balance}: an enterprise's voucher, balance and claims, for anyone who gives its number and
 *       the enterprise's tax id (no sign-in; the answer is {@code no-store}, and a wrong number or tax id answers the
 *       same "not found"; rate limited as the API, {@link VoucherLookupLimiter}: 429 with Retry-After and a notice).</li>
 * </ul>
 * A form post answers 303 back to its page, or the page again with the problem under its field (422).
 */
@Controller
@RequiresRole(PlatformRole.CORE)
@ExecuteOn(TaskExecutors.BLOCKING)
public class SubsidyPages {
    private final SubsidyAccess access;
    private final Funds funds;
    private final Vouchers vouchers;
    private final VoucherRows rows;
    private final Pages pages;
    private final VoucherLookupLimiter limiter;
    private final ClientAddresses addresses;

    public SubsidyPages(SubsidyAccess access, Funds funds, Vouchers vouchers, VoucherRows rows, Pages pages,
                        VoucherLookupLimiter limiter, ClientAddresses addresses) {
        this.limiter = limiter;
        this.addresses = addresses;
        this.access = access;
        this.funds = funds;
        this.vouchers = vouchers;
        this.rows = rows;
        this.pages = pages;
    }

    /** The fund's and the bureau's pages in the navigation, for those who may use them. */
    @Singleton
    public static class Nav implements NavContributor {
        @Override
        public List<NavLink> navLinks() {
            return List.of(NavLink.forAction("nav.subsidies", "/admin/subsidies", Action.SETTLE_ACCOUNTS, 160),
                    NavLink.forAction("nav.vouchers", "/bureau/vouchers", Action.ISSUE_VOUCHERS, 161));
        }
    }

    @Get(value = "/admin/subsidies", produces = MediaType.TEXT_HTML)
    public HttpResponse<String> funds(HttpRequest<?> request, AuthenticatedUser caller) {
        TenantId tenant = access.funds(caller);
        return pages.respond(request, HttpStatus.OK, "billing/subsidy-funds", fundsModel(request, tenant, Map.of()));
    }

    @Post(value = "/admin/subsidies", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<String> createFund(HttpRequest<?> request, AuthenticatedUser caller, @Body Map<String, String> form) {
        TenantId tenant = access.funds(caller);
        try {
            List<FieldProblem> problems = new ArrayList<>();
            Fund.Input in = new Fund.Input(form.get("nameZh"), form.get("nameEn"), date(form, "startsOn", problems),
                    date(form, "endsOn", problems), number(form, "budgetFen", problems),
                    intOf(number(form, "defaultShareBp", problems)), shares(form.get("sharesBp"), problems), null, null, true,
                    "on".equals(form.get("coversOutside")));
            if (!problems.isEmpty()) {
                Funds.check(in).stream().filter(p -> problems.stream().noneMatch(q -> q.field().equals(p.field())))
                        .forEach(problems::add);
                Funds.throwIfAny(problems);
            }
            funds.create(tenant, CatalogueAccess.actor(caller), caller.userId(), in);
            return HttpResponse.seeOther(URI.create("/admin/subsidies" + lang(request)));
        } catch (ProblemException e) {
            if (e.status() != HttpStatus.BAD_REQUEST) {
                throw e;
            }
            return pages.respond(request, HttpStatus.UNPROCESSABLE_ENTITY, "billing/subsidy-funds",
                    pages.withProblem(request, fundsModel(request, tenant, form), e));
        }
    }

    @Get(value = "/bureau/vouchers", produces = MediaType.TEXT_HTML)
    public HttpResponse<String> bureau(HttpRequest<?> request, AuthenticatedUser caller) {
        TenantId bureau = access.bureau(caller);
        return pages.respond(request, HttpStatus.OK, "billing/vouchers-bureau", bureauModel(request, bureau, "", Map.of()));
    }

    @Post(value = "/bureau/vouchers/{form}", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<String> bureauForm(HttpRequest<?> request, AuthenticatedUser caller, @PathVariable String form,
                                           @Body Map<String, String> values) {
        TenantId bureau = access.bureau(caller);
        var actor = CatalogueAccess.actor(caller);
        try {
            List<FieldProblem> problems = new ArrayList<>();
            switch (form) {
                case "enterprises" -> vouchers.register(bureau, actor, caller.userId(),
                        new Voucher.EnterpriseInput(values.get("name"), values.get("taxId"), values.get("contact")));
                case "batches" -> {
                    Voucher.BatchInput in = new Voucher.BatchInput(values.get("name"),
                            number(values, "perClaimCapFen", problems), number(values, "perYearCapFen", problems));
                    Funds.throwIfAny(problems);
                    vouchers.createBatch(bureau, actor, caller.userId(), in);
                }
                case "issue" -> {
                    Voucher.IssueInput in = new Voucher.IssueInput(uuid(values.get("batchId")), uuid(values.get("enterpriseId")),
                            number(values, "faceValueFen", problems), date(values, "validFrom", problems),
                            date(values, "validTo", problems));
                    Funds.throwIfAny(problems);
                    vouchers.issue(bureau, actor, caller.userId(), in);
                }
                default -> throw ProblemException.notFound();
            }
            return HttpResponse.seeOther(URI.create("/bureau/vouchers" + lang(request)));
        } catch (ProblemException e) {
            if (e.status() != HttpStatus.BAD_REQUEST && e.status() != HttpStatus.CONFLICT) {
                throw e;
            }
            return pages.respond(request, HttpStatus.UNPROCESSABLE_ENTITY, "billing/vouchers-bureau",
                    pages.withProblem(request, bureauModel(request, bureau, form, values), e));
        }
    }

    @Get(value = "/vouchers/balance", produces = MediaType.TEXT_HTML)
    public HttpResponse<String> balance(HttpRequest<?> request, @Nullable AuthenticatedUser caller,
                                        @Nullable @QueryValue String number, @Nullable @QueryValue String taxId) {
        Map<String, Object> model = pages.model(request);
        boolean asked = number != null || taxId != null;
        long wait = asked ? limiter.tryAcquire(addresses.of(request).text(), number) : 0;
        if (wait > 0) {   // the API's rate limit (VoucherLookupLimiter): the page again with the problem, 429
            model.put("asked", false);
            model.put("found", null);
            model.put("limited", true);
            model.put("number", number == null ? "" : number);
            return pages.respond(request, HttpStatus.TOO_MANY_REQUESTS, "billing/vouchers-balance", model)
                    .header("Retry-After", Long.toString(wait)).header("Cache-Control", "no-store")
                    .header("Referrer-Policy", "no-referrer");
        }
        Optional<Voucher.Balance> found = asked
                ? vouchers.balance(rows.consortia().stream().map(TenantId::new).toList(), number, taxId) : Optional.empty();
        model.put("asked", asked);
        model.put("found", found.orElse(null));
        model.put("number", number == null ? "" : number);
        return pages.respond(request, HttpStatus.OK, "billing/vouchers-balance", model)
                .header("Cache-Control", "no-store").header("Referrer-Policy", "no-referrer");
    }

    private Map<String, Object> fundsModel(HttpRequest<?> request, TenantId tenant, Map<String, String> form) {
        Map<String, Object> model = pages.model(request);
        model.put("funds", funds.list(tenant, 0, Paging.MAX_SIZE).items());
        Map<String, String> values = new LinkedHashMap<>(Map.of("defaultShareBp", "0", "sharesBp", "staff=3000, student=5000, young_teacher=5000"));
        values.putAll(form);
        model.put("form", values);
        return model;
    }

    private Map<String, Object> bureauModel(HttpRequest<?> request, TenantId bureau, String failed, Map<String, String> form) {
        Map<String, Object> model = pages.model(request);
        model.put("enterprises", vouchers.enterprises(bureau, 0, Paging.MAX_SIZE).items());
        model.put("batches", vouchers.batches(bureau, 0, Paging.MAX_SIZE).items());
        model.put("vouchers", vouchers.vouchers(bureau, null, 0, Paging.MAX_SIZE).items());
        model.put("claims", vouchers.claims(bureau, null, null, 0, 50).items());
        model.put("failed", failed);
        model.put("form", form);
        return model;
    }

    /** "staff=3000, student=5000" as a map; a malformed pair is a problem of {@code sharesBp}. */
    static @Nullable Map<String, Integer> shares(@Nullable String text, List<FieldProblem> problems) {
        if (text == null || text.isBlank()) {
            return null;
        }
        Map<String, Integer> out = new LinkedHashMap<>();
        for (String pair : text.split("[,，;\\s]+")) {
            if (pair.isBlank()) {
                continue;
            }
            String[] kv = pair.split("[=:]", 2);
            try {
                out.put(kv[0].strip(), Integer.parseInt(kv[1].strip()));
            } catch (RuntimeException e) {
                problems.add(new FieldProblem("sharesBp", "format", "subsidy.validation.shares_format", Map.of()));
                return null;
            }
        }
        return out;
    }

    private static @Nullable Long number(Map<String, String> form, String field, List<FieldProblem> problems) {
        String v = form.getOrDefault(field, "").strip();
        if (v.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            problems.add(new FieldProblem(field, "number", "subsidy.validation.number", Map.of()));
            return null;
        }
    }

    private static @Nullable Integer intOf(@Nullable Long v) {
        return v == null ? null : (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
    }

    private static @Nullable LocalDate date(Map<String, String> form, String field, List<FieldProblem> problems) {
        String v = form.getOrDefault(field, "").strip();
        if (v.isEmpty()) {
            return null;
        }
        try {
            return LocalDate.parse(v);
        } catch (DateTimeParseException e) {
            problems.add(new FieldProblem(field, "date", "subsidy.validation.date", Map.of()));
            return null;
        }
    }

    private static @Nullable UUID uuid(@Nullable String v) {
        try {
            return v == null || v.isBlank() ? null : UUID.fromString(v.strip());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String lang(HttpRequest<?> request) {
        String lang = request.getParameters().get("lang");
        return lang == null || !lang.matches("[a-zA-Z-]{2,10}") ? "" : "?lang=" + lang;
    }
}

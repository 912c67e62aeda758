package org.labcommons.core.billing.closing;

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
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.AccessPolicy;
import org.labcommons.core.security.Action;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.security.Scope;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.web.NavContributor;
import org.labcommons.core.web.NavLink;
import org.labcommons.core.web.Pages;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The month close page, {@code /admin/month-close} (zh-CN/en, phone first), for finance staff and institution admins
 * ({@link Action#SETTLE_ACCOUNTS}): pick a month (default the last one that is over), its pre-check (what blocks, by
 * payer account), the close button when nothing blocks; a closed month's files with their SHA-256 checksums and its
 * statements (PDF, xlsx), and the closed months. The close is a form post answering 303 back to the month, or the page
 * again with the problem (422). Downloads are served here too (the same bytes as the API's).
 */
@Controller("/admin/month-close")
@RequiresRole(PlatformRole.CORE)
@ExecuteOn(TaskExecutors.BLOCKING)
public class MonthClosePages {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    private final MonthCloses closes;
    private final AccessPolicy access;
    private final Pages pages;

    public MonthClosePages(MonthCloses closes, AccessPolicy access, Pages pages) {
        this.closes = closes;
        this.access = access;
        this.pages = pages;
    }

    /** The page in the navigation, for finance staff. */
    @Singleton
    public static class Nav implements NavContributor {
        @Override
        public List<NavLink> navLinks() {
            return List.of(NavLink.forAction("nav.month_close", "/admin/month-close", Action.SETTLE_ACCOUNTS, 160));
        }
    }

    @Get(produces = MediaType.TEXT_HTML)
    public HttpResponse<String> page(HttpRequest<?> request, AuthenticatedUser caller, @Nullable @QueryValue String period) {
        TenantId tenant = finance(caller);
        YearMonth month = period == null || period.isBlank() ? closes.lastEnded(tenant) : parse(period);
        return pages.respond(request, HttpStatus.OK, "billing/month-close", model(request, tenant, month));
    }

    @Post(consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<String> close(HttpRequest<?> request, AuthenticatedUser caller, @Body Map<String, String> form) {
        TenantId tenant = finance(caller);
        YearMonth month = null;
        try {
            month = MonthCloseController.month(form.get("period"), true);
            closes.close(tenant, month, CatalogueAccess.actor(caller), caller.userId().toString());
        } catch (ProblemException e) {
            if (e.status() != HttpStatus.BAD_REQUEST && e.status() != HttpStatus.CONFLICT) {
                throw e;
            }
            return pages.respond(request, HttpStatus.UNPROCESSABLE_ENTITY, "billing/month-close",
                    pages.withProblem(request, model(request, tenant, month == null ? closes.lastEnded(tenant) : month), e));
        }
        String lang = request.getParameters().get("lang");
        return HttpResponse.seeOther(URI.create("/admin/month-close?period=" + month
                + (lang == null || !lang.matches("[a-zA-Z-]{2,10}") ? "" : "&lang=" + lang)));
    }

    @Get(value = "/{period}/{file}", produces = {"text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"})
    public HttpResponse<byte[]> financeFile(AuthenticatedUser caller, @PathVariable String period, @PathVariable String file) {
        YearMonth p = MonthCloseController.month(period, false);
        return MonthCloseController.download(closes.file(finance(caller), p, file).orElseThrow(ProblemException::notFound),
                p + "-" + file);
    }

    @Get(value = "/{period}/statements/{file}", produces = {"application/pdf",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"})
    public HttpResponse<byte[]> statement(AuthenticatedUser caller, @PathVariable String period, @PathVariable String file) {
        YearMonth p = MonthCloseController.month(period, false);
        int dot = file.lastIndexOf('.');
        String format = dot < 0 ? "" : file.substring(dot + 1);
        if (!format.equals("pdf") && !format.equals("xlsx")) {
            throw ProblemException.notFound();
        }
        MonthCloses.Document d = closes.statement(finance(caller), p, file.substring(0, dot), format)
                .orElseThrow(ProblemException::notFound);
        return MonthCloseController.download(d, d.name());
    }

    private Map<String, Object> model(HttpRequest<?> request, TenantId tenant, YearMonth month) {
        Map<String, Object> model = pages.model(request);
        boolean zh = Boolean.TRUE.equals(model.get("zh"));
        ZoneId zone = closes.zone(tenant);
        model.put("period", month.toString());
        var closed = closes.one(tenant, month);
        model.put("closed", closed.isPresent());
        if (closed.isPresent()) {
            MonthCloses.MonthClose c = closed.get();
            model.put("closedAt", WHEN.format(c.closedAt().atZone(zone)));
            model.put("deductionYuan", FinanceFiles.yuan(c.deductionFen()));
            model.put("deductionRows", c.deductionRows());
            model.put("files", c.files());
            List<Map<String, Object>> statements = new ArrayList<>();
            for (CloseRows.Statement s : c.statements()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("code", s.payerCode());
                row.put("name", zh ? s.nameZh() : s.nameEn());
                row.put("financeCode", s.financeCode());
                row.put("opening", FinanceFiles.yuan(s.openingFen()));
                row.put("debits", FinanceFiles.yuan(s.debitsFen()));
                row.put("credits", FinanceFiles.yuan(s.creditsFen()));
                row.put("closing", FinanceFiles.yuan(s.closingFen()));
                row.put("href", "/admin/month-close/" + month + "/statements/" + URLEncoder.encode(s.payerCode(), StandardCharsets.UTF_8));
                statements.add(row);
            }
            model.put("statements", statements);
        } else {
            model.put("check", closes.preCheck(tenant, month));
        }
        model.put("history", closes.list(tenant, 0, 24).items());
        return model;
    }

    private TenantId finance(AuthenticatedUser user) {
        if (!access.allows(user.roles(), Action.SETTLE_ACCOUNTS, Scope.tenant(user.actingTenant()))) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "forbidden");
        }
        return user.actingTenant();
    }

    private static YearMonth parse(String period) {
        try {
            return MonthCloseController.month(period, true);
        } catch (ProblemException e) {
            throw ProblemException.notFound();
        }
    }
}

package org.labcommons.core.reports.outputs;

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
import io.micronaut.http.multipart.CompletedFileUpload;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.labcommons.core.booking.BookingClock;
import org.labcommons.core.booking.BookingService;
import org.labcommons.core.catalog.CatalogueAccess;
import org.labcommons.core.catalog.Instrument;
import org.labcommons.core.catalog.InstrumentService;
import org.labcommons.core.catalog.io.ImportLimits;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.web.Pages;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The outputs' pages: {@code /my/outputs}, the caller's outputs and a form to record one for an instrument they
 * booked in the last three years; {@code /staff/instruments/{id}/outputs}, an instrument's outputs for the staff who
 * manage it, with confirm buttons, a form to record one (confirmed at once) and a spreadsheet import with a dry run.
 * A form posts and answers 303 back, or the page again with the problem (422) beside the form.
 */
@Controller
@RequiresRole(PlatformRole.CORE)
@ExecuteOn(TaskExecutors.BLOCKING)
public class OutputPages {
    static final int PAGE = 20;
    private final Pages pages;
    private final Outputs outputs;
    private final OutputAccess access;
    private final OutputImports imports;
    private final ImportLimits limits;
    private final BookingService bookings;
    private final InstrumentService instruments;
    private final BookingClock clock;

    public OutputPages(Pages pages, Outputs outputs, OutputAccess access, OutputImports imports, ImportLimits limits,
                       BookingService bookings, InstrumentService instruments, BookingClock clock) {
        this.pages = pages;
        this.outputs = outputs;
        this.access = access;
        this.imports = imports;
        this.limits = limits;
        this.bookings = bookings;
        this.instruments = instruments;
        this.clock = clock;
    }

    /** An instrument to choose. */
    public record Choice(String id, String name) {
    }

    @Get(value = "/my/outputs", produces = MediaType.TEXT_HTML)
    public HttpResponse<String> mine(HttpRequest<?> request, AuthenticatedUser caller, @Nullable @QueryValue Integer page) {
        return pages.respond(request, HttpStatus.OK, "reports/outputs-mine", mineModel(request, caller, page));
    }

    @Post(value = "/my/outputs", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<String> record(HttpRequest<?> request, AuthenticatedUser caller, @Body Map<String, String> form) {
        try {
            OutputInput n = outputs.checked(input(form));
            boolean staff = access.linking(caller, n.instrumentIds());
            outputs.create(caller.actingTenant(), CatalogueAccess.actor(caller), caller.userId(), n, staff, "form");
        } catch (ProblemException e) {
            if (e.status() == HttpStatus.NOT_FOUND) {
                throw e;
            }
            Map<String, Object> model = mineModel(request, caller, null);
            model.put("form", form);
            return pages.respond(request, HttpStatus.UNPROCESSABLE_ENTITY, "reports/outputs-mine",
                    pages.withProblem(request, model, e));
        }
        return HttpResponse.seeOther(URI.create("/my/outputs" + lang(request, "?")));
    }

    @Get(value = "/staff/instruments/{id}/outputs", produces = MediaType.TEXT_HTML)
    public HttpResponse<String> staff(HttpRequest<?> request, AuthenticatedUser caller, @PathVariable UUID id,
                                      @Nullable @QueryValue Integer page) {
        return pages.respond(request, HttpStatus.OK, "reports/outputs-staff", staffModel(request, caller, id, page));
    }

    @Post(value = "/staff/instruments/{id}/outputs", consumes = MediaType.APPLICATION_FORM_URLENCODED,
            produces = MediaType.TEXT_HTML)
    public HttpResponse<String> recordStaff(HttpRequest<?> request, AuthenticatedUser caller, @PathVariable UUID id,
                                            @Body Map<String, String> form) {
        access.managed(caller, id);
        Map<String, String> f = new LinkedHashMap<>(form);
        f.put("instrumentId", id.toString());
        try {
            OutputInput n = outputs.checked(input(f));
            outputs.create(caller.actingTenant(), CatalogueAccess.actor(caller), caller.userId(), n, true, "form");
        } catch (ProblemException e) {
            Map<String, Object> model = staffModel(request, caller, id, null);
            model.put("form", form);
            return pages.respond(request, HttpStatus.UNPROCESSABLE_ENTITY, "reports/outputs-staff",
                    pages.withProblem(request, model, e));
        }
        return HttpResponse.seeOther(URI.create("/staff/instruments/" + id + "/outputs" + lang(request, "?")));
    }

    @Post(value = "/staff/instruments/{id}/outputs/{outputId}/confirm", consumes = MediaType.APPLICATION_FORM_URLENCODED,
            produces = MediaType.TEXT_HTML)
    public HttpResponse<String> confirm(HttpRequest<?> request, AuthenticatedUser caller, @PathVariable UUID id,
                                        @PathVariable UUID outputId) {
        access.managed(caller, id);
        Output o = access.confirming(caller, outputId);
        if (!o.instrumentIds().contains(id)) {
            throw ProblemException.notFound();
        }
        outputs.confirm(caller.actingTenant(), CatalogueAccess.actor(caller), caller.userId(), outputId);
        return HttpResponse.seeOther(URI.create("/staff/instruments/" + id + "/outputs" + lang(request, "?")));
    }

    /** The import (htmx multipart): {@code dryRun=true} lists the row errors; else writes all rows or none. */
    @Post(value = "/staff/instruments/{id}/outputs/import", consumes = MediaType.MULTIPART_FORM_DATA,
            produces = MediaType.TEXT_HTML)
    public HttpResponse<String> importFile(HttpRequest<?> request, AuthenticatedUser caller, @PathVariable UUID id,
                                           @Nullable @QueryValue Boolean dryRun, CompletedFileUpload file)
            throws IOException {
        access.managed(caller, id);
        Map<String, Object> model;
        try {
            OutputImports.Report report = imports.run(caller.actingTenant(), CatalogueAccess.actor(caller),
                    caller.userId(), id, OutputController.read(file, limits), Boolean.TRUE.equals(dryRun));
            model = staffModel(request, caller, id, null);
            model.put("report", report);
        } catch (ProblemException e) {
            model = pages.withProblem(request, staffModel(request, caller, id, null), e);
        }
        return pages.respond(request, HttpStatus.OK, "reports/outputs-staff", model);
    }

    private Map<String, Object> mineModel(HttpRequest<?> request, AuthenticatedUser caller, @Nullable Integer page) {
        Map<String, Object> model = pages.model(request);
        boolean zh = Boolean.TRUE.equals(model.get("zh"));
        int p = page == null || page < 0 ? 0 : page;
        Output.Page found = outputs.list(caller.actingTenant(), null, caller.userId(), null, null, null, p, PAGE);
        Instant now = clock.now();
        Map<String, Choice> used = new LinkedHashMap<>();
        bookings.mine(caller.actingTenant(), caller.userId(), now.minus(Duration.ofDays(3 * 366)), now).stream()
                .map(b -> b.instrumentId()).distinct()
                .forEach(i -> instruments.find(caller.actingTenant(), i).ifPresent(x -> used.put(i.toString(),
                        new Choice(i.toString(), name(x, zh)))));
        model.put("rows", found.items());
        model.put("names", names(caller, found.items(), zh));
        model.put("total", found.total());
        model.put("page", p);
        model.put("size", PAGE);
        model.put("choices", new ArrayList<>(used.values()));
        model.put("kinds", OutputChecks.KINDS);
        model.put("categories", OutputChecks.CATEGORIES);
        model.put("form", Map.of());
        return model;
    }

    private Map<String, Object> staffModel(HttpRequest<?> request, AuthenticatedUser caller, UUID id,
                                           @Nullable Integer page) {
        Instrument instrument = access.managed(caller, id);
        Map<String, Object> model = pages.model(request);
        boolean zh = Boolean.TRUE.equals(model.get("zh"));
        int p = page == null || page < 0 ? 0 : page;
        Output.Page found = outputs.list(caller.actingTenant(), id, null, null, null, null, p, PAGE);
        model.put("instrument", name(instrument, zh));
        model.put("instrumentId", id);
        model.put("rows", found.items());
        model.put("total", found.total());
        model.put("page", p);
        model.put("size", PAGE);
        model.put("kinds", OutputChecks.KINDS);
        model.put("categories", OutputChecks.CATEGORIES);
        model.put("form", Map.of());
        model.put("maxRows", imports.settings().getImportMaxRows());
        return model;
    }

    private Map<String, String> names(AuthenticatedUser caller, List<Output> rows, boolean zh) {
        Map<String, String> out = new LinkedHashMap<>();
        rows.stream().flatMap(o -> o.instrumentIds().stream()).distinct().forEach(i -> out.put(i.toString(),
                instruments.find(caller.actingTenant(), i).map(x -> name(x, zh)).orElse(i.toString())));
        return out;
    }

    static OutputInput input(Map<String, String> form) {
        List<FieldProblem> problems = new ArrayList<>();
        Integer year = null;
        String y = OutputChecks.blank(form.get("year"));
        if (y != null) {
            try {
                year = Integer.valueOf(y);
            } catch (NumberFormatException e) {
                problems.add(new FieldProblem("year", "invalid_format", "validation.invalid_format", Map.of()));
            }
        }
        UUID instrument = null;
        try {
            String i = OutputChecks.blank(form.get("instrumentId"));
            instrument = i == null ? null : UUID.fromString(i);
        } catch (IllegalArgumentException e) {
            problems.add(new FieldProblem("instrumentIds", "invalid_format", "validation.invalid_format", Map.of()));
        }
        if (!problems.isEmpty()) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", problems);
        }
        return new OutputInput(form.get("kind"), form.get("category"), form.get("title"), year, form.get("people"),
                form.get("doi"), form.get("patentNumber"), form.get("grantCode"),
                instrument == null ? List.of() : List.of(instrument), null, null);
    }

    static String name(Instrument i, boolean zh) {
        return zh || i.nameEn() == null ? i.nameZh() : i.nameEn();
    }

    static String lang(HttpRequest<?> request, String prefix) {
        String lang = request.getParameters().get("lang");
        return lang == null || !lang.matches("[a-zA-Z-]{2,10}") ? "" : prefix + "lang=" + lang;
    }
}

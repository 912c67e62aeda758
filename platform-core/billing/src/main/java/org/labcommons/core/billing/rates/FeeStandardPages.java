package org.labcommons.core.billing.rates;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
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
import io.micronaut.json.JsonMapper;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import jakarta.inject.Singleton;
import org.labcommons.core.catalog.CatalogueAccess;
import org.labcommons.core.catalog.Instrument;
import org.labcommons.core.catalog.RateGroups;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.Action;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.web.NavContributor;
import org.labcommons.core.web.NavLink;
import org.labcommons.core.web.Pages;

import java.io.IOException;
import java.net.URI;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The fee standards' pages (zh-CN/en, phone first), over the same services and rules as the API
 * ({@link FeeStandards}, {@link FeeStandardAccess}):
 * <ul>
 *   <li>{@code /admin/fee-standards/instruments/{id}}: the rate-card editor of one instrument, for those who manage
 *       it: every version of its cards with status, a form for a new draft (or, {@code ?edit=}, a draft's terms),
 *       submit and withdraw;</li>
 *   <li>{@code /admin/fee-standards/department}: the cards waiting for the department, those the caller may approve
 *       ({@link Action#SET_RATES} on the instrument);</li>
 *   <li>{@code /admin/fee-standards/committee}: the cards waiting for the fee committee (approve) and for filing
 *       (reference and effective day), for {@link Action#APPROVE_FEE_STANDARDS}.</li>
 * </ul>
 * A step is a plain form post ({@code /admin/fee-standards/{id}/{step}}); it answers 303 back to its page, or the
 * page again with the problem (422).
 */
@Controller("/admin/fee-standards")
@RequiresRole(PlatformRole.CORE)
@ExecuteOn(TaskExecutors.BLOCKING)
public class FeeStandardPages {
    static final List<String> STEPS = List.of("submit", "approve-department", "approve-committee", "file", "withdraw");
    private static final Argument<List<TimeBand>> BANDS = Argument.listOf(TimeBand.class);
    private final FeeStandardAccess access;
    private final FeeStandards standards;
    private final CatalogueAccess catalogue;
    private final RateGroups rateGroups;
    private final JsonMapper json;
    private final Pages pages;

    public FeeStandardPages(FeeStandardAccess access, FeeStandards standards, CatalogueAccess catalogue,
                            RateGroups rateGroups, JsonMapper json, Pages pages) {
        this.access = access;
        this.standards = standards;
        this.catalogue = catalogue;
        this.rateGroups = rateGroups;
        this.json = json;
        this.pages = pages;
    }

    /** The two approval queues in the navigation, for those who may approve. */
    @Singleton
    public static class Nav implements NavContributor {
        @Override
        public List<NavLink> navLinks() {
            return List.of(
                    NavLink.forAction("nav.fee_standards.department", "/admin/fee-standards/department", Action.SET_RATES, 150),
                    NavLink.forAction("nav.fee_standards.committee", "/admin/fee-standards/committee",
                            Action.APPROVE_FEE_STANDARDS, 151));
        }
    }

    /** A card in a list, with its instrument's name and what the caller may do with it. */
    public record Row(FeeStandard card, String instrument, @Nullable String service, boolean inEffect,
                      List<String> steps) {
    }

    @Get(value = "/instruments/{instrumentId}", produces = MediaType.TEXT_HTML)
    public HttpResponse<String> editor(HttpRequest<?> request, AuthenticatedUser caller, @PathVariable UUID instrumentId,
                                       @Nullable @QueryValue UUID edit) {
        Instrument instrument = access.drafting(caller, instrumentId);
        Map<String, String> form = new HashMap<>();
        if (edit != null) {
            FeeStandard card = access.readable(caller, edit);
            if (!card.instrumentId().equals(instrumentId) || !card.draft()) {
                throw ProblemException.notFound();
            }
            form.putAll(formOf(card));
        }
        return pages.respond(request, HttpStatus.OK, "billing/fee-editor", editorModel(request, caller, instrument, edit, form));
    }

    @Post(value = "/instruments/{instrumentId}", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<String> save(HttpRequest<?> request, AuthenticatedUser caller, @PathVariable UUID instrumentId,
                                     @Body Map<String, String> form) {
        Instrument instrument = access.drafting(caller, instrumentId);
        UUID edit = uuid(form.get("edit"));
        try {
            FeeStandardInput input = input(caller, instrumentId, form);
            if (edit == null) {
                standards.create(caller.actingTenant(), CatalogueAccess.actor(caller), caller.userId(), instrument, input);
            } else {
                FeeStandard card = access.readable(caller, edit);
                if (!card.instrumentId().equals(instrumentId)) {
                    throw ProblemException.notFound();
                }
                standards.edit(caller.actingTenant(), CatalogueAccess.actor(caller), caller.userId(), edit, input);
            }
            return HttpResponse.seeOther(URI.create(editorPath(instrumentId) + lang(request, "?")));
        } catch (ProblemException e) {
            if (e.status() != HttpStatus.BAD_REQUEST && e.status() != HttpStatus.CONFLICT) {
                throw e;
            }
            return pages.respond(request, HttpStatus.UNPROCESSABLE_ENTITY, "billing/fee-editor",
                    pages.withProblem(request, editorModel(request, caller, instrument, edit, form), e));
        }
    }

    @Get(value = "/department", produces = MediaType.TEXT_HTML)
    public HttpResponse<String> department(HttpRequest<?> request, AuthenticatedUser caller) {
        access.requireReader(caller);
        return pages.respond(request, HttpStatus.OK, "billing/fee-queue", queueModel(request, caller, "department"));
    }

    @Get(value = "/committee", produces = MediaType.TEXT_HTML)
    public HttpResponse<String> committee(HttpRequest<?> request, AuthenticatedUser caller) {
        access.requireReader(caller);
        if (!access.mayApproveCommittee(caller)) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "forbidden");
        }
        return pages.respond(request, HttpStatus.OK, "billing/fee-queue", queueModel(request, caller, "committee"));
    }

    @Post(value = "/{id}/{step}", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<String> step(HttpRequest<?> request, AuthenticatedUser caller, @PathVariable UUID id,
                                     @PathVariable String step, @Body Map<String, String> form) {
        if (!STEPS.contains(step)) {
            throw ProblemException.notFound();
        }
        FeeStandard card = access.forStep(caller, id, step);
        String back = form.getOrDefault("back", "editor");
        String note = form.get("note");
        try {
            switch (step) {
                case "submit" -> standards.submit(caller.actingTenant(), CatalogueAccess.actor(caller), caller.userId(), id, note);
                case "approve-department" -> standards.approveDepartment(caller.actingTenant(), CatalogueAccess.actor(caller),
                        caller.userId(), id, note);
                case "approve-committee" -> standards.approveCommittee(caller.actingTenant(), CatalogueAccess.actor(caller),
                        caller.userId(), id, note);
                case "file" -> standards.file(caller.actingTenant(), CatalogueAccess.actor(caller), caller.userId(), id,
                        form.get("filingRef"), date(form.get("effectiveFrom")), note);
                default -> standards.withdraw(caller.actingTenant(), CatalogueAccess.actor(caller), caller.userId(), id, note);
            }
        } catch (ProblemException e) {
            if (e.status() == HttpStatus.NOT_FOUND || e.status() == HttpStatus.INTERNAL_SERVER_ERROR) {
                throw e;
            }
            Map<String, Object> model = switch (back) {
                case "department", "committee" -> queueModel(request, caller, back);
                default -> editorModel(request, caller, catalogue.readable(caller, card.instrumentId()), null, new HashMap<>());
            };
            model.put("failedCard", id.toString());
            return pages.respond(request, HttpStatus.UNPROCESSABLE_ENTITY,
                    back.equals("editor") ? "billing/fee-editor" : "billing/fee-queue", pages.withProblem(request, model, e));
        }
        String path = switch (back) {
            case "department", "committee" -> "/admin/fee-standards/" + back;
            default -> editorPath(card.instrumentId());
        };
        return HttpResponse.seeOther(URI.create(path + lang(request, "?")));
    }

    private Map<String, Object> editorModel(HttpRequest<?> request, AuthenticatedUser caller, Instrument instrument,
                                            @Nullable UUID edit, Map<String, String> form) {
        Map<String, Object> model = pages.model(request);
        boolean zh = Boolean.TRUE.equals(model.get("zh"));
        FeeStandard.Page cards = standards.list(caller.actingTenant(), instrument.id(), null, null, null, 0, 200);
        List<Row> rows = new ArrayList<>();
        for (FeeStandard c : cards.items()) {
            List<String> steps = new ArrayList<>();
            if (c.draft()) {
                steps.add("submit");
            }
            if (List.of("draft", "submitted").contains(c.status())
                    || (access.mayApproveCommittee(caller) && FeeStandards.WITHDRAWABLE.contains(c.status()) && c.activatedAt() == null)) {
                steps.add("withdraw");
            }
            rows.add(new Row(c, name(instrument, zh), serviceName(instrument, c.serviceId(), zh),
                    "filed".equals(c.status()) && c.activatedAt() != null, steps));
        }
        rows.sort((a, b) -> {
            int key = (a.service() == null ? "" : a.service()).compareTo(b.service() == null ? "" : b.service());
            key = key != 0 ? key : a.card().rateGroup().compareTo(b.card().rateGroup());
            return key != 0 ? key : Integer.compare(b.card().version(), a.card().version());
        });
        model.put("instrument", instrument);
        model.put("instrumentName", name(instrument, zh));
        model.put("services", instrument.services());
        model.put("rateGroups", rateGroups.list(caller.actingTenant()));
        model.put("units", FeeStandardChecks.UNITS);
        model.put("rows", rows);
        model.put("edit", edit == null ? null : edit.toString());
        Map<String, String> values = new HashMap<>(Map.of("unit", "hour", "rounding", "15", "minimumFen", "0",
                "assistedSurchargeFen", "0", "effectiveFrom", standards.today(caller.actingTenant()).toString()));
        values.putAll(form);
        model.put("form", values);
        model.put("back", "editor");
        return model;
    }

    private Map<String, Object> queueModel(HttpRequest<?> request, AuthenticatedUser caller, String queue) {
        Map<String, Object> model = pages.model(request);
        boolean zh = Boolean.TRUE.equals(model.get("zh"));
        List<String> statuses = queue.equals("department") ? List.of("submitted")
                : List.of("department_approved", "committee_approved");
        Map<UUID, Instrument> seen = new LinkedHashMap<>();
        List<Row> rows = new ArrayList<>();
        for (String status : statuses) {
            for (FeeStandard c : standards.list(caller.actingTenant(), null, null, null, status, 0, 200).items()) {
                Instrument i = seen.computeIfAbsent(c.instrumentId(), id -> catalogue.service()
                        .find(caller.actingTenant(), id).orElse(null));
                if (i == null) {
                    continue;
                }
                List<String> steps = new ArrayList<>();
                if (queue.equals("department") && access.mayApproveDepartment(caller, i.id(), i.orgUnitId())) {
                    steps.add("approve-department");
                } else if (queue.equals("committee")) {
                    steps.add(status.equals("department_approved") ? "approve-committee" : "file");
                }
                if (steps.isEmpty()) {
                    continue;
                }
                rows.add(new Row(c, name(i, zh), serviceName(i, c.serviceId(), zh), false, steps));
            }
        }
        model.put("queue", queue);
        model.put("rows", rows);
        model.put("back", queue);
        return model;
    }

    /**
     * The form as a draft's terms; a value that is not a number, date or JSON is a field problem, reported together
     * with the problems {@link FeeStandardChecks} finds in the other fields.
     */
    private FeeStandardInput input(AuthenticatedUser caller, UUID instrumentId, Map<String, String> form) {
        List<FieldProblem> problems = new ArrayList<>();
        Long price = number(form, "priceFen", problems);
        Long minimum = number(form, "minimumFen", problems);
        Long surcharge = number(form, "assistedSurchargeFen", problems);
        Long rounding = number(form, "rounding", problems);
        LocalDate from = null;
        try {
            from = date(form.get("effectiveFrom"));
        } catch (ProblemException e) {
            problems.addAll(e.fieldProblems());
        }
        List<TimeBand> bands = null;
        String bandsText = form.getOrDefault("timeBands", "").strip();
        if (!bandsText.isEmpty()) {
            try {
                bands = json.readValue(bandsText, BANDS);
            } catch (IOException | RuntimeException e) {
                problems.add(new FieldProblem("timeBands", "json", "fee.validation.bands_json", Map.of()));
            }
        }
        String service = form.getOrDefault("serviceId", "");
        FeeStandardInput input = new FeeStandardInput(instrumentId, service.isBlank() ? null : uuid(service),
                form.get("rateGroup"), form.get("unit"), price, minimum, rounding == null ? null : rounding.intValue(),
                surcharge, bands, from, form.get("note"));
        if (!problems.isEmpty()) {
            Set<String> unreadable = problems.stream().map(FieldProblem::field).collect(Collectors.toSet());
            FeeStandardChecks.terms(input, input.unit(), standards.today(caller.actingTenant())).stream()
                    .filter(p -> !unreadable.contains(p.field())).forEach(problems::add);
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", problems);
        }
        return input;
    }

    private Map<String, String> formOf(FeeStandard c) {
        Map<String, String> f = new HashMap<>();
        f.put("serviceId", c.serviceId() == null ? "" : c.serviceId().toString());
        f.put("rateGroup", c.rateGroup());
        f.put("unit", c.unit());
        f.put("priceFen", Long.toString(c.priceFen()));
        f.put("minimumFen", Long.toString(c.minimumFen()));
        f.put("rounding", Integer.toString(c.rounding()));
        f.put("assistedSurchargeFen", Long.toString(c.assistedSurchargeFen()));
        f.put("effectiveFrom", c.effectiveFrom().toString());
        f.put("note", c.note() == null ? "" : c.note());
        try {
            f.put("timeBands", c.timeBands().isEmpty() ? "" : json.writeValueAsString(c.timeBands()));
        } catch (IOException e) {
            f.put("timeBands", "");
        }
        return f;
    }

    private static @Nullable Long number(Map<String, String> form, String field, List<FieldProblem> problems) {
        String v = form.getOrDefault(field, "").strip();
        if (v.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            problems.add(new FieldProblem(field, "number", "fee.validation.number", Map.of()));
            return null;
        }
    }

    private static @Nullable LocalDate date(@Nullable String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed",
                    List.of(new FieldProblem("effectiveFrom", "date", "fee.validation.date", Map.of())));
        }
    }

    private static @Nullable UUID uuid(@Nullable String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(value.strip());
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound();
        }
    }

    static String editorPath(UUID instrumentId) {
        return "/admin/fee-standards/instruments/" + instrumentId;
    }

    private static String lang(HttpRequest<?> request, String prefix) {
        String lang = request.getParameters().get("lang");
        return lang == null || !lang.matches("[a-zA-Z-]{2,10}") ? "" : prefix + "lang=" + lang;
    }

    private static String name(Instrument i, boolean zh) {
        return zh || i.nameEn() == null ? i.nameZh() : i.nameEn();
    }

    private static @Nullable String serviceName(Instrument i, @Nullable UUID serviceId, boolean zh) {
        if (serviceId == null) {
            return null;
        }
        return i.services().stream().filter(s -> s.id().equals(serviceId)).findFirst()
                .map(s -> zh || s.nameEn() == null ? s.nameZh() : s.nameEn()).orElse(serviceId.toString());
    }
}

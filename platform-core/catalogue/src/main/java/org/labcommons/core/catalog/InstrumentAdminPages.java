package org.labcommons.core.catalog;

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
import jakarta.validation.Validator;
import org.labcommons.core.directory.TenantDirectory.TenantProfile;
import org.labcommons.core.directory.TenantDirectory;
import org.labcommons.core.org.OrgUnit;
import org.labcommons.core.problem.Problem;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.ProblemHandlers;
import org.labcommons.core.problem.Problems;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.web.PageForbiddenException;
import org.labcommons.core.web.Pages;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The institution admin's pages for the catalogue of their acting tenant: the editor (create,
 * edit with an optimistic version, archive) and document uploads (the list is
 * {@link InstrumentListPages}). Every rule comes from {@link CatalogueAccess} and every change goes through
 * {@link InstrumentService} / {@link InstrumentDocuments}, exactly as the REST API does; the
 * pages only translate forms and problems. Signed-out visitors are sent to sign in; an instrument
 * of another tenant (or a private one the caller may not manage) is a 404 page.
 */
@Controller("/admin/instruments")
@RequiresRole(PlatformRole.CORE)
@ExecuteOn(TaskExecutors.BLOCKING)
public class InstrumentAdminPages {
    static final int PAGE_SIZE = 20;
    static final List<String> SORTS = List.of("assetNumber", "-updatedAt", "name", "-originalValue", "originalValue",
            "-purchaseDate", "classification");
    static final List<String> PURPOSES = List.of("general", "special");
    static final List<String> EXEMPTIONS = List.of("classified", "special_function", "special_purpose");
    static final List<String> DOCUMENT_KINDS = List.of("manual", "sop", "other");
    static final int MAX_CLASS_MATCHES = 10;

    private final InstrumentService service;
    private final InstrumentDocuments documents;
    private final CatalogueAccess rules;
    private final Classifications classifications;
    private final TenantDirectory directory;
    private final CataloguePages catalogue;
    private final Problems problems;
    private final Validator validator;
    private final Pages pages;
    private final RateGroups rateGroups;

    public InstrumentAdminPages(InstrumentService service, InstrumentDocuments documents, CatalogueAccess rules,
                                Classifications classifications, TenantDirectory directory,
                                CataloguePages catalogue, Problems problems, Validator validator, Pages pages, RateGroups rateGroups) {
        this.service = service;
        this.documents = documents;
        this.rules = rules;
        this.classifications = classifications;
        this.directory = directory;
        this.catalogue = catalogue;
        this.problems = problems;
        this.validator = validator;
        this.pages = pages;
        this.rateGroups = rateGroups;
    }

    /** One row of the error summary above the form. */
    public record ErrorItem(String field, String label, String message) {
    }

    // ---------------------------------------------------------------- create

    @Get(value = "/new", produces = MediaType.TEXT_HTML)
    public HttpResponse<?> newForm(HttpRequest<?> request, AuthenticatedUser user) {
        requireCreator(user);
        return editor(request, user, null, InstrumentForm.blank(), List.of(), null, null, HttpStatus.OK);
    }

    @Post(value = "/new", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<?> create(HttpRequest<?> request, AuthenticatedUser user, @Body String body) {
        requireCreator(user);
        Map<String, List<String>> data = InstrumentForm.decode(body);
        InstrumentForm form = InstrumentForm.parse(data);
        if (addRow(data, form)) {
            return editor(request, user, null, form, List.of(), null, null, HttpStatus.OK);
        }
        InstrumentForm.Parsed parsed = form.toInput(classifications);
        List<FieldProblem> found = check(user, parsed);
        if (!found.isEmpty()) {
            return editor(request, user, null, form, found, null, null, HttpStatus.BAD_REQUEST);
        }
        if (!rules.mayManageIn(user, parsed.input().orgUnitId())) {
            return editor(request, user, null, form, List.of(unitForbidden()), null, null, HttpStatus.FORBIDDEN);
        }
        try {
            Instrument created = service.create(user.actingTenant(), CatalogueAccess.actor(user), parsed.input());
            return HttpResponse.seeOther(URI.create("/admin/instruments/" + created.id() + "/edit?done=created"));
        } catch (ProblemException e) {
            if (e.fieldProblems().isEmpty()) {
                throw e;
            }
            return editor(request, user, null, form, e.fieldProblems(), null, null, e.status());
        }
    }

    // ---------------------------------------------------------------- edit

    @Get(value = "/{id}/edit", produces = MediaType.TEXT_HTML)
    public HttpResponse<?> editForm(HttpRequest<?> request, AuthenticatedUser user, @PathVariable String id, @Nullable @QueryValue String done) {
        Instrument current = managedOrNull(user, id);
        if (current == null) {
            return catalogue.notFound(request);
        }
        String notice = done != null && List.of("created", "saved", "document_removed").contains(done) ? done : null;
        return editor(request, user, current, InstrumentForm.of(current, classifications), List.of(), null, notice,
                HttpStatus.OK);
    }

    @Post(value = "/{id}/edit", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<?> save(HttpRequest<?> request, AuthenticatedUser user, @PathVariable String id, @Body String body) {
        Instrument current = managedOrNull(user, id);
        if (current == null) {
            return catalogue.notFound(request);
        }
        Map<String, List<String>> data = InstrumentForm.decode(body);
        InstrumentForm form = InstrumentForm.parse(data);
        if (addRow(data, form)) {
            return editor(request, user, current, form, List.of(), null, null, HttpStatus.OK);
        }
        InstrumentForm.Parsed parsed = form.toInput(classifications);
        List<FieldProblem> found = check(user, parsed);
        if (!found.isEmpty()) {
            return editor(request, user, current, form, found, null, null, HttpStatus.BAD_REQUEST);
        }
        try {
            rules.requireMayMove(user, current, parsed.input().orgUnitId());
        } catch (ProblemException e) {
            return editor(request, user, current, form, List.of(unitForbidden()), null, null, HttpStatus.FORBIDDEN);
        }
        try {
            service.replace(user.actingTenant(), CatalogueAccess.actor(user), current.id(), form.version(),
                    parsed.input());
            return HttpResponse.seeOther(URI.create("/admin/instruments/" + current.id() + "/edit?done=saved"));
        } catch (ProblemException e) {
            if ("version_conflict".equals(e.code())) {
                Problem p = problems.problem((Locale) pages.model(request).get("locale"), e.status(), e.code(),
                        e.args(), null, List.of());
                return editor(request, user, current, form, List.of(), p.title() + " " + p.detail(), null,
                        HttpStatus.CONFLICT);
            }
            if (e.fieldProblems().isEmpty()) {
                throw e;
            }
            return editor(request, user, current, form, e.fieldProblems(), null, null, e.status());
        }
    }

    /** Archives the instrument (the form asks for confirmation first); it leaves lists and the consortium. */
    @Post(value = "/{id}/archive", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<?> archive(HttpRequest<?> request, AuthenticatedUser user, @PathVariable String id) {
        Instrument current = managedOrNull(user, id);
        if (current == null) {
            return catalogue.notFound(request);
        }
        service.archive(user.actingTenant(), CatalogueAccess.actor(user), current.id());
        return HttpResponse.seeOther(URI.create("/admin/instruments?done=archived"));
    }

    // ---------------------------------------------------------------- documents

    /**
     * Uploads a document. Sent by htmx (multipart, with the CSRF token in its header); answers
     * with the documents section, showing the problem when the file is refused.
     */
    @Post(value = "/{id}/documents", consumes = MediaType.MULTIPART_FORM_DATA, produces = MediaType.TEXT_HTML)
    public HttpResponse<?> upload(HttpRequest<?> request, AuthenticatedUser user, @PathVariable String id,
                                  @Nullable CompletedFileUpload file, @Nullable String kind) throws IOException {
        Instrument current = managedOrNull(user, id);
        if (current == null) {
            return catalogue.notFound(request);
        }
        Map<String, Object> model = pages.model(request);
        Locale locale = (Locale) model.get("locale");
        String error = null;
        if (file == null || file.getFilename() == null || file.getFilename().isBlank()) {
            error = problems.fieldError(locale, "file", "not_null", "validation.file_missing", Map.of()).message();
        } else {
            try {
                documents.upload(user.actingTenant(), CatalogueAccess.actor(user), current.id(),
                        CataloguePages.oneOf(DOCUMENT_KINDS, kind) ? kind : "other", file);
            } catch (ProblemException e) {
                FieldProblem p = e.fieldProblems().isEmpty()
                        ? new FieldProblem("file", e.code(), "problem." + e.code() + ".title", Map.of())
                        : e.fieldProblems().get(0);
                error = problems.fieldError(locale, p.field(), p.code(), p.messageKey(), p.args()).message();
            }
        }
        Instrument fresh = service.find(user.actingTenant(), current.id()).orElse(current);
        documentsModel(model, user, fresh);
        model.put("docError", error);
        model.put("done", error == null ? "uploaded" : null);
        return CataloguePages.html(HttpStatus.OK, "admin/instruments/documents", model);
    }

    @Post(value = "/{id}/documents/{documentId}/delete", consumes = MediaType.APPLICATION_FORM_URLENCODED,
            produces = MediaType.TEXT_HTML)
    public HttpResponse<?> deleteDocument(HttpRequest<?> request, AuthenticatedUser user, @PathVariable String id, @PathVariable String documentId) {
        Instrument current = managedOrNull(user, id);
        UUID doc = CataloguePages.uuid(documentId);
        if (current == null || doc == null) {
            return catalogue.notFound(request);
        }
        try {
            documents.delete(user.actingTenant(), CatalogueAccess.actor(user), current.id(), doc);
        } catch (ProblemException e) {
            return catalogue.notFound(request);
        }
        return HttpResponse.seeOther(URI.create("/admin/instruments/" + current.id() + "/edit?done=document_removed#documents"));
    }

    /** A document of an instrument the caller may read in their own tenant (private ones included for managers). */
    @Get("/{id}/documents/{documentId}")
    public HttpResponse<?> download(HttpRequest<?> request, AuthenticatedUser user, @PathVariable String id, @PathVariable String documentId) {
        UUID instrument = CataloguePages.uuid(id);
        UUID doc = CataloguePages.uuid(documentId);
        if (instrument == null || doc == null) {
            return catalogue.notFound(request);
        }
        try {
            rules.readable(user, instrument);
        } catch (ProblemException e) {
            return catalogue.notFound(request);
        }
        return documents.content(user.actingTenant(), instrument, doc)
                .<HttpResponse<?>>map(InstrumentDocuments::response)
                .orElseGet(() -> catalogue.notFound(request));
    }

    // ---------------------------------------------------------------- the classification chooser (htmx)

    /**
     * The three classification selects for a choice so far (the editor replaces its chooser with this);
     * for signed-in callers ({@code signedIn} is bound only then).
     */
    @Get(value = "/classes", produces = MediaType.TEXT_HTML)
    public HttpResponse<?> classes(HttpRequest<?> request, AuthenticatedUser signedIn, @Nullable @QueryValue String cls1,
                                   @Nullable @QueryValue String cls2, @Nullable @QueryValue String cls3,
                                   @Nullable @QueryValue String find) {
        Map<String, Object> model = pages.model(request);
        boolean zh = (boolean) model.get("zh");
        Map<String, List<String>> data = new HashMap<>();
        data.put("cls1", cls1 == null ? List.of() : List.of(cls1));
        data.put("cls2", cls2 == null ? List.of() : List.of(cls2));
        data.put("cls3", cls3 == null ? List.of() : List.of(cls3));
        chooserModel(model, InstrumentForm.parse(data), zh);
        model.put("errors", Map.of());
        model.put("find", find == null ? "" : find.strip());
        if (find != null && !find.isBlank()) {
            List<CataloguePages.Option> matches = new ArrayList<>();
            for (Classifications.Entry e : classifications.search(find, MAX_CLASS_MATCHES)) {
                List<Classifications.Entry> path = classifications.path(e.code());
                Map<String, String> levels = new LinkedHashMap<>();
                for (int i = 0; i < path.size(); i++) {
                    levels.put("cls" + (i + 1), path.get(i).code());
                }
                matches.add(new CataloguePages.Option(CataloguePages.href("/admin/instruments/classes", levels, 0),
                        String.join(" › ", path.stream().map(x -> x.code() + " " + x.name(zh)).toList()), e.level()));
            }
            model.put("classMatches", matches);
        }
        return CataloguePages.html(HttpStatus.OK, "admin/instruments/classes", model);
    }

    // ---------------------------------------------------------------- helpers

    private HttpResponse<?> editor(HttpRequest<?> request, AuthenticatedUser user, @Nullable Instrument current,
                                   InstrumentForm form, List<FieldProblem> found, @Nullable String conflict,
                                   @Nullable String done, HttpStatus status) {
        Map<String, Object> model = pages.model(request);
        boolean zh = (boolean) model.get("zh");
        Locale locale = (Locale) model.get("locale");
        @SuppressWarnings("unchecked")
        Map<String, String> t = (Map<String, String>) model.get("t");
        TenantProfile tenant = tenantOf(user);
        Map<UUID, OrgUnit> units = catalogue.unitsOf(user.actingTenant());

        Map<String, String> errors = new LinkedHashMap<>();
        List<ErrorItem> summary = new ArrayList<>();
        List<RateGroups.RateGroup> groups = rateGroups.list(user.actingTenant());
        Map<String, String> groupNames = new LinkedHashMap<>();
        groups.forEach(g -> groupNames.put(g.code(), g.name(zh)));
        for (FieldProblem p : found) {
            String field = form.formField(formField(p.field()));
            Map<String, Object> args = p.args();
            if ("validation.price_duplicate".equals(p.messageKey()) && args.get("row") instanceof Integer row) {
                args = Map.of("row", form.formRow(row - 1) + 1);   // the grid row the form shows
            }
            String message = problems.fieldError(locale, p.field(), p.code(), p.messageKey(), args).message();
            String before = errors.get(field);
            // the first problem of a field stands next to it, except that a price cell can have two
            // (out of range and a repeat of another cell): both stand next to the cell
            if (before != null && (!field.startsWith("grid[") || before.contains(message))) {
                continue;
            }
            errors.put(field, before == null ? message : before + "; " + message);
            summary.add(new ErrorItem(field, label(t, field, groupNames), message));
        }
        model.put("form", form);
        model.put("errors", errors);
        model.put("errorSummary", summary);
        model.put("conflict", conflict);
        model.put("done", done);
        model.put("instrument", current);
        model.put("editing", current != null);
        model.put("duplicates", current == null ? List.of()
                : rules.likelyDuplicates(user, List.of(current.id())).getOrDefault(current.id(), List.of()));
        model.put("action", current == null ? "/admin/instruments/new" : "/admin/instruments/" + current.id() + "/edit");
        model.put("tenant", tenant);
        model.put("fmt", new PageFormat(locale, zh, tenant.timeZone(), classifications, units));
        List<CataloguePages.Option> unitOptions = new ArrayList<>();
        for (OrgUnit u : units.values()) {
            if (rules.mayManageIn(user, u.id()) || u.id().toString().equals(form.get("orgUnitId"))) {
                unitOptions.add(new CataloguePages.Option(u.id().toString(),
                        (zh ? u.nameZh() : u.nameEn()) + " (" + u.code() + ")", 1));
            }
        }
        model.put("unitOptions", unitOptions);
        model.put("tenantWide", rules.mayManageIn(user, null));
        model.put("statuses", InstrumentQuery.STATUSES);
        model.put("purposes", PURPOSES);
        model.put("scopes", InstrumentQuery.SCOPES);
        model.put("exemptions", EXEMPTIONS);
        model.put("flags", InstrumentForm.FLAGS);
        model.put("countries", countries(locale));
        model.put("iotThresholdFen", Instrument.IOT_THRESHOLD_FEN);
        model.put("rateGroups", groups.stream()
                .map(g -> new CataloguePages.Option(g.code(), g.name(zh) + " (" + g.code() + ")", 1)).toList());
        model.put("priceUnits", InstrumentInput.PriceInput.UNITS);
        model.put("serviceChoices", form.serviceChoices(zh));
        model.put("nationalScopeFen", Instrument.NATIONAL_SCOPE_FEN);
        chooserModel(model, form, zh);
        if (current != null) {
            documentsModel(model, user, current);
            model.put("publicHref", current.published() || "public".equals(current.sharingScope())
                    ? "/t/" + tenant.slug() + "/instruments/" + current.id() : null);
            String rulesPage = "/staff/instruments/" + current.id() + "/qualifications";
            model.put("bookingRulesHref", pages.hasPage(rulesPage) ? rulesPage + "#rules" : null);
        }
        return CataloguePages.html(status, "admin/instruments/edit", model);
    }

    private void documentsModel(Map<String, Object> model, AuthenticatedUser user, Instrument current) {
        model.put("instrument", current);
        model.put("documents", current.documents());
        model.put("documentKinds", DOCUMENT_KINDS);
        model.put("maxDocumentBytes", InstrumentDocuments.MAX_BYTES);
        model.put("maxDocumentMb", InstrumentDocuments.MAX_BYTES / (1024 * 1024));
        model.put("maxDocuments", InstrumentDocuments.MAX_PER_INSTRUMENT);
        if (!model.containsKey("fmt")) {
            TenantProfile tenant = tenantOf(user);
            model.put("fmt", new PageFormat((Locale) model.get("locale"), (boolean) model.get("zh"), tenant.timeZone(),
                    classifications, Map.of()));
        }
    }

    private void chooserModel(Map<String, Object> model, InstrumentForm form, boolean zh) {
        String code = form.classificationCode(classifications);
        List<Classifications.Entry> path = classifications.path(code);
        String c1 = path.size() >= 1 ? path.get(0).code() : "";
        String c2 = path.size() >= 2 ? path.get(1).code() : "";
        String c3 = path.size() >= 3 ? path.get(2).code() : "";
        model.put("cls1", c1);
        model.put("cls2", c2);
        model.put("cls3", c3);
        model.put("cls1Options", options(classifications.children(null), zh));
        model.put("cls2Options", c1.isEmpty() ? List.of() : options(classifications.children(c1), zh));
        model.put("cls3Options", c2.isEmpty() ? List.of() : options(classifications.children(c2), zh));
        model.put("classPath", path.stream().map(e -> e.code() + " " + e.name(zh)).toList());
        model.put("unknownClass", code != null && path.isEmpty() ? code : null);
    }

    private static List<CataloguePages.Option> options(List<Classifications.Entry> entries, boolean zh) {
        return entries.stream().map(e -> new CataloguePages.Option(e.code(), e.code() + " " + e.name(zh), e.level()))
                .toList();
    }

    /** "Add a service / contact row" buttons re-render the form with one more row, saving nothing. */
    private static boolean addRow(Map<String, List<String>> data, InstrumentForm form) {
        List<String> add = data.get("_add");
        if (add == null || add.isEmpty()) {
            return false;
        }
        if ("service".equals(add.get(0)) && form.getServices().size() < 50) {
            form.addService();
        } else if ("contact".equals(add.get(0)) && form.getContacts().size() < 20) {
            form.addContact();
        } else if ("price".equals(add.get(0)) && form.getPrices().size() < InstrumentForm.MAX_PRICES) {
            form.addPrice();
        }
        return true;
    }

    /**
     * Every problem the API would report, at once: reading the typed text, the bean constraints on
     * {@link InstrumentInput}, and the service's own checks (classification, unit, the 500k rule,
     * prices).
     */
    private List<FieldProblem> check(AuthenticatedUser user, InstrumentForm.Parsed parsed) {
        List<FieldProblem> out = new ArrayList<>(parsed.problems());
        out.addAll(ProblemHandlers.fieldProblems(validator.validate(parsed.input())));
        out.addAll(service.validate(user.actingTenant(), parsed.input()));
        return out;
    }

    private static FieldProblem unitForbidden() {
        return new FieldProblem("orgUnitId", "forbidden", "catalogue.editor.unit_forbidden", Map.of());
    }

    /** The form's name for a field the service reports ({@code originalValueFen} is typed in yuan). */
    static String formField(String field) {
        return switch (field) {
            case "originalValueFen" -> "originalValue";
            case "flags" -> "flags";
            default -> field;
        };
    }

    private static String label(Map<String, String> t, String field, Map<String, String> groupNames) {
        java.util.regex.Matcher cell = java.util.regex.Pattern.compile("^grid\\[(\\d+)]\\.(?:amount\\.(.*)|(\\w+))$").matcher(field);
        if (cell.matches()) {   // a cell of the price grid: its row and its rate group
            int row = Integer.parseInt(cell.group(1)) + 1;
            return cell.group(2) != null
                    ? t.getOrDefault("catalogue.field.prices.amount", "amount") + " #" + row + " · "
                            + groupNames.getOrDefault(cell.group(2), cell.group(2))
                    : t.getOrDefault("catalogue.field.prices." + cell.group(3), cell.group(3)) + " #" + row;
        }
        String key = field.replaceAll("\\[\\d+]", "");
        String label = t.get("catalogue.field." + key);
        if (label == null) {
            return field;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\[(\\d+)]").matcher(field);
        return m.find() ? label + " #" + (Integer.parseInt(m.group(1)) + 1) : label;
    }

    /** Countries by their names in the page's language. */
    static List<CataloguePages.Option> countries(Locale locale) {
        return Arrays.stream(Locale.getISOCountries())
                .map(c -> new CataloguePages.Option(c, new Locale("", c).getDisplayCountry(locale) + " (" + c + ")", 1))
                .sorted(Comparator.comparing(CataloguePages.Option::label, java.text.Collator.getInstance(locale)))
                .toList();
    }

    private void requireCreator(AuthenticatedUser user) {
        if (!rules.mayManageSomething(user)) {
            throw new PageForbiddenException(PageForbiddenException.FORBIDDEN);
        }
    }

    /** The instrument the caller may manage; null (a 404 page) when it is not theirs to see; 403 page otherwise. */
    @Nullable
    private Instrument managedOrNull(AuthenticatedUser user, String id) {
        UUID uuid = CataloguePages.uuid(id);
        if (uuid == null) {
            return null;
        }
        try {
            return rules.managed(user, uuid);
        } catch (ProblemException e) {
            if (e.status() == HttpStatus.FORBIDDEN) {
                throw new PageForbiddenException(PageForbiddenException.FORBIDDEN);
            }
            return null;
        }
    }

    private TenantProfile tenantOf(AuthenticatedUser user) {
        return directory.activeProfile(user.actingTenant().toString())
                .orElseThrow(() -> new PageForbiddenException(PageForbiddenException.SUSPENDED));
    }
}

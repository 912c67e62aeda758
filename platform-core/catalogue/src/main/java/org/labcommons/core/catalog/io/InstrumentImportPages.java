package org.labcommons.core.catalog.io;

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
import io.micronaut.http.multipart.CompletedFileUpload;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import jakarta.inject.Singleton;
import org.labcommons.core.catalog.Classifications;
import org.labcommons.core.catalog.InstrumentController;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.Problems;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.Action;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.web.NavContributor;
import org.labcommons.core.web.NavLink;
import org.labcommons.core.web.Pages;
import org.labcommons.core.web.UiLocale;
import org.labcommons.core.web.WebCaller;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The import wizard (zh-CN/en, usable on a phone): upload → column mapping with suggestions →
 * preview → dry-run report → commit (all rows, or on request the valid rows only), with the rows and
 * their problems as a spreadsheet to download ({@link ImportProblemsFile}). The same {@link InstrumentImports} service as the REST API,
 * {@link Action#MANAGE_INSTRUMENT} on the tenant. The upload is posted by htmx (a multipart body
 * carries the CSRF token in the {@code X-CSRF-Token} header); the other steps are plain forms.
 */
@Controller("/admin/instruments/import")
@RequiresRole(PlatformRole.CORE)
@ExecuteOn(TaskExecutors.BLOCKING)
public class InstrumentImportPages {
    private final InstrumentImports imports;
    private final Pages pages;
    private final WebCaller web;
    private final ImportLimits limits;
    private final Problems problems;
    private final Classifications classifications;
    private final ImportEncodings encodings;
    private final ImportProblemsFile problemsFile;
    private final ImportDuplicateWarnings duplicateWarnings;

    public InstrumentImportPages(InstrumentImports imports, Pages pages, WebCaller web, ImportLimits limits,
                                 Problems problems, Classifications classifications, ImportEncodings encodings,
                                 ImportProblemsFile problemsFile, ImportDuplicateWarnings duplicateWarnings) {
        this.problemsFile = problemsFile;
        this.duplicateWarnings = duplicateWarnings;
        this.encodings = encodings;
        this.imports = imports;
        this.pages = pages;
        this.web = web;
        this.limits = limits;
        this.problems = problems;
        this.classifications = classifications;
    }

    /** The wizard's place in the navigation, for those who manage instruments. */
    @Singleton
    public static class Nav implements NavContributor {
        @Override
        public List<NavLink> navLinks() {
            return List.of(NavLink.forAction("nav.admin.import", "/admin/instruments/import", Action.MANAGE_INSTRUMENT, 110));
        }
    }

    @Get(produces = MediaType.TEXT_HTML)
    public HttpResponse<String> start(HttpRequest<?> request, AuthenticatedUser caller) {
        web.require(caller, Action.MANAGE_INSTRUMENT);
        return pages.respond(request, HttpStatus.OK, "admin/import-upload", uploadModel(request));
    }

    /** The layout's model and {@code nf} ({@link ImportFigures}) for numbers in the page's language. */
    private Map<String, Object> model(HttpRequest<?> request) {
        Map<String, Object> model = pages.model(request);
        model.put("nf", new ImportFigures((Locale) model.get("locale")));
        return model;
    }

    private Map<String, Object> uploadModel(HttpRequest<?> request) {
        Map<String, Object> model = model(request);
        model.put("maxMb", limits.getMaxFileBytes() / (1024 * 1024));
        model.put("maxRows", limits.getMaxRows());
        model.put("step", 1);
        return model;
    }

    /** Step 1: the file (htmx multipart); on success the browser goes to the mapping. */
    @Post(consumes = MediaType.MULTIPART_FORM_DATA, produces = MediaType.TEXT_HTML)
    public HttpResponse<String> upload(HttpRequest<?> request, AuthenticatedUser user, CompletedFileUpload file) throws IOException {
        web.require(user, Action.MANAGE_INSTRUMENT);
        try {
            if (file.getSize() > limits.getMaxFileBytes()) {
                throw InstrumentImports.fileProblem("too_large", Map.of("max", limits.getMaxFileBytes() / (1024 * 1024)));
            }
            byte[] bytes;
            try (InputStream in = file.getInputStream()) {
                bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limits.getMaxFileBytes() + 1));
            }
            InstrumentImports.Upload saved = imports.upload(user.actingTenant(), InstrumentController.actor(user),
                    file.getFilename(), bytes);
            String next = "/admin/instruments/import/" + saved.id() + lang(request);
            if ("true".equals(request.getHeaders().get("HX-Request"))) {
                // htmx navigates on HX-Redirect (a 303 would be followed inside the XHR instead)
                return HttpResponse.<String>ok("").header("HX-Redirect", next);
            }
            return HttpResponse.<String>seeOther(URI.create(next));
        } catch (ProblemException e) {
            // 200 so that htmx swaps the form with its problem in; the problem is in the page
            return pages.respond(request, HttpStatus.OK, "admin/import-upload",
                    pages.withProblem(request, uploadModel(request), e));
        }
    }

    /** Step 2: the columns, each with samples and the field it feeds (suggested from its header). */
    @Get(value = "/{id}", produces = MediaType.TEXT_HTML)
    public HttpResponse<String> mapping(HttpRequest<?> request, AuthenticatedUser user, @PathVariable UUID id) {
        web.require(user, Action.MANAGE_INSTRUMENT);
        return pages.respond(request, HttpStatus.OK, "admin/import-mapping", mappingModel(request, user, id));
    }

    private Map<String, Object> mappingModel(HttpRequest<?> request, AuthenticatedUser user, UUID id) {
        InstrumentImports.Upload upload = imports.find(user.actingTenant(), id).orElseThrow(ProblemException::notFound);
        List<List<String>> samples = imports.samples(user.actingTenant(), id, 3);
        Map<String, Object> model = model(request);
        @SuppressWarnings("unchecked")
        Map<String, String> t = (Map<String, String>) model.get("t");
        List<Map<String, Object>> columns = new ArrayList<>();
        for (int i = 0; i < upload.header().size(); i++) {
            int index = i;
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("index", i);
            c.put("header", upload.header().get(i).isBlank() ? "#" + (i + 1) : upload.header().get(i));
            c.put("field", upload.mapping().columns().entrySet().stream().filter(e -> e.getValue() == index)
                    .map(Map.Entry::getKey).findFirst().orElse(""));
            c.put("suggested", upload.suggested().containsValue(index));
            c.put("samples", samples.stream().map(r -> index < r.size() ? r.get(index) : "")
                    .filter(s -> !s.isBlank()).toList());
            columns.add(c);
        }
        List<Map<String, String>> fields = new ArrayList<>();
        for (ImportField f : ImportField.values()) {
            fields.add(Map.of("key", f.key(), "label", t.getOrDefault("import.field." + f.key(), f.key())));
        }
        model.put("upload", upload);
        model.put("columns", columns);
        model.put("fields", fields);
        model.put("defaults", upload.mapping().defaults());
        model.put("encodings", "csv".equals(upload.format()) ? ImportEncodings.supported() : List.of());
        ImportOptionsForm.model(model, upload.mapping(), imports.units().all(user.actingTenant()),
                Boolean.TRUE.equals(model.get("zh")), imports.units().mayCreate(user));
        model.put("step", 2);
        return model;
    }

    /** Step 2, for a CSV: read the file again in the text encoding the user chose, then back to the columns. */
    @Post(value = "/{id}/encoding", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<String> encoding(HttpRequest<?> request, AuthenticatedUser user, @PathVariable UUID id,
                                         @Body Map<String, String> form) {
        web.require(user, Action.MANAGE_INSTRUMENT);
        try {
            encodings.choose(user.actingTenant(), InstrumentController.actor(user), id, form.get("encoding"));
            return HttpResponse.seeOther(URI.create("/admin/instruments/import/" + id + lang(request)));
        } catch (ProblemException e) {
            if (e.status() == HttpStatus.NOT_FOUND) {
                throw e;
            }
            return pages.respond(request, HttpStatus.UNPROCESSABLE_ENTITY, "admin/import-mapping",
                    pages.withProblem(request, mappingModel(request, user, id), e));
        }
    }

    @Post(value = "/{id}/mapping", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<String> map(HttpRequest<?> request, AuthenticatedUser user, @PathVariable UUID id, @Body Map<String, String> form) {
        web.require(user, Action.MANAGE_INSTRUMENT);
        Map<String, Integer> columns = new LinkedHashMap<>();
        Map<String, String> defaults = new LinkedHashMap<>();
        form.forEach((k, v) -> {
            if (k.startsWith("col.") && v != null && !v.isBlank()) {
                try {
                    columns.putIfAbsent(v, Integer.parseInt(k.substring(4)));
                } catch (NumberFormatException ignored) {
                    // not one of ours
                }
            } else if (k.startsWith("default.") && v != null && !v.isBlank()) {
                defaults.put(k.substring(8), v.strip());
            }
        });
        try {
            ColumnMapping mapping = ImportOptionsForm.mapping(columns, defaults, form);
            imports.units().requireMayCreate(user, mapping);
            imports.map(user.actingTenant(), InstrumentController.actor(user), id, mapping);
            return HttpResponse.seeOther(URI.create("/admin/instruments/import/" + id + "/preview" + lang(request)));
        } catch (ProblemException e) {
            if (e.status() == HttpStatus.NOT_FOUND) {
                throw e;
            }
            return pages.respond(request, HttpStatus.UNPROCESSABLE_ENTITY, "admin/import-mapping",
                    pages.withProblem(request, mappingModel(request, user, id), e));
        }
    }

    /** Step 3: the first rows as they would be stored. */
    @Get(value = "/{id}/preview", produces = MediaType.TEXT_HTML)
    public HttpResponse<String> preview(HttpRequest<?> request, AuthenticatedUser user, @PathVariable UUID id) {
        web.require(user, Action.MANAGE_INSTRUMENT);
        InstrumentImports.Upload upload = imports.find(user.actingTenant(), id).orElseThrow(ProblemException::notFound);
        Map<String, Object> model = model(request);
        ImportFigures nf = (ImportFigures) model.get("nf");
        Locale locale = (Locale) model.get("locale");
        boolean zh = Boolean.TRUE.equals(model.get("zh"));
        List<Map<String, Object>> rows = new ArrayList<>();
        List<InstrumentImports.PreviewRow> previewed = imports.preview(user.actingTenant(),
                InstrumentController.actor(user), id, limits.getPreviewRows());
        Map<Integer, List<ImportDuplicateWarnings.Warning>> likely = duplicateWarnings.of(user.actingTenant(), locale,
                previewed);
        for (InstrumentImports.PreviewRow r : previewed) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("row", r.row());
            m.put("asset", r.record().assetNumber());
            m.put("name", zh ? r.record().nameZh() : r.record().nameEn());
            m.put("model", r.record().model());
            m.put("value", nf.money(r.record().originalValueFen()));
            m.put("date", r.record().purchaseDate());
            m.put("classification", r.record().classificationCode() == null ? null : r.record().classificationCode() + " "
                    + classifications.find(r.record().classificationCode()).map(e -> e.name(zh)).orElse(""));
            m.put("status", r.record().status());
            m.put("scope", r.record().sharingScope());
            m.put("outcome", r.outcome());
            m.put("problems", localise(locale, r.problems()));
            m.put("duplicates", likely.getOrDefault(r.row(), List.of()));
            rows.add(m);
        }
        model.put("upload", upload);
        model.put("rows", rows);
        model.put("anyDuplicate", !likely.isEmpty());
        model.put("newUnits", imports.newUnits(user.actingTenant(), InstrumentController.actor(user), id));
        model.put("step", 3);
        return pages.respond(request, HttpStatus.OK, "admin/import-preview", model);
    }

    /** Step 4: every row checked; the report, and the commit button when nothing is wrong. */
    @Post(value = "/{id}/dry-run", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<String> dryRun(HttpRequest<?> request, AuthenticatedUser user, @PathVariable UUID id) {
        web.require(user, Action.MANAGE_INSTRUMENT);
        InstrumentImports.Report report = imports.dryRun(user.actingTenant(), InstrumentController.actor(user), id);
        return pages.respond(request, HttpStatus.OK, "admin/import-report", reportModel(request, user, id, report, false));
    }

    /** Step 5: all or nothing; the valid rows only when the form's {@code validOnly} box is ticked. */
    @Post(value = "/{id}/commit", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<String> commit(HttpRequest<?> request, AuthenticatedUser user, @PathVariable UUID id,
                                       @Nullable @Body Map<String, String> form) {
        web.require(user, Action.MANAGE_INSTRUMENT);
        imports.find(user.actingTenant(), id).ifPresent(u -> imports.units().requireMayCreate(user, u.mapping()));
        boolean validOnly = form != null && "true".equals(form.get("validOnly"));
        try {
            InstrumentImports.Report report = imports.commit(user.actingTenant(), InstrumentController.actor(user), id,
                    validOnly);
            return pages.respond(request, HttpStatus.OK, "admin/import-report", reportModel(request, user, id, report, true));
        } catch (InstrumentImports.ImportRefused refused) {
            return pages.respond(request, HttpStatus.UNPROCESSABLE_ENTITY, "admin/import-report",
                    reportModel(request, user, id, refused.report(), true));
        }
    }

    /** The rows with their problems, as a spreadsheet in the upload's format ({@link ImportProblemsFile}). */
    @Get(value = "/{id}/problems", produces = {"text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"})
    public HttpResponse<byte[]> problemsFile(HttpRequest<?> request, AuthenticatedUser user, @PathVariable UUID id) {
        web.require(user, Action.MANAGE_INSTRUMENT);
        Locale locale = UiLocale.resolve(request, request.getParameters().get("lang"));
        return problemsFile.write(user.actingTenant(), InstrumentController.actor(user), id, locale).response();
    }

    private Map<String, Object> reportModel(HttpRequest<?> request, AuthenticatedUser user, UUID id,
                                            InstrumentImports.Report report, boolean afterCommit) {
        Map<String, Object> model = model(request);
        model.put("upload", imports.find(user.actingTenant(), id).orElseThrow(ProblemException::notFound));
        model.put("report", report);
        model.put("problems", localise((Locale) model.get("locale"), report.problems()));
        model.put("afterCommit", afterCommit);
        model.put("step", afterCommit && report.written() ? 5 : 4);
        return model;
    }

    private List<Map<String, Object>> localise(Locale locale, List<InstrumentImports.RowProblem> list) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (InstrumentImports.RowProblem p : list) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("row", p.row());
            RowProblemText.Line line = RowProblemText.of(problems, locale, p);
            m.put("column", line.column());
            m.put("value", line.value());
            m.put("message", line.reason());
            m.put("text", line.text());
            out.add(m);
        }
        return out;
    }

    private static String lang(HttpRequest<?> request) {
        String lang = request.getParameters().get("lang");
        return lang == null || !lang.matches("[A-Za-z-]{2,8}") ? "" : "?lang=" + lang;
    }
}

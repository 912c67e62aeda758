package org.labcommons.core.catalog.io;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestBean;
import io.micronaut.http.server.types.files.StreamedFile;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.validation.Validated;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import org.labcommons.core.catalog.CatalogueAccess;
import org.labcommons.core.catalog.InstrumentController;
import org.labcommons.core.catalog.InstrumentFilter;
import org.labcommons.core.catalog.InstrumentQuery;
import org.labcommons.core.problem.Problems;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.web.UiLocale;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Locale;

/**
 * {@code GET /api/v1/instruments/export?format=xlsx|csv|uniquip&<the list's parameters>}: the
 * list's filters and visibility rule (private records only for those who manage instruments),
 * every page of it, as a download. The file is written to a temporary file first (so a failure is
 * a proper error, not half a download) and removed once sent.
 */
@Controller("/api/v1/instruments/export")
@RequiresRole(PlatformRole.CORE)
@ExecuteOn(TaskExecutors.BLOCKING)
@Validated
public class InstrumentExportController {
    private final CatalogueAccess rules;
    private final InstrumentExports exports;

    public InstrumentExportController(CatalogueAccess rules, InstrumentExports exports) {
        this.rules = rules;
        this.exports = exports;
    }

    @Operation(summary = "Export the filtered instrument list (xlsx, csv or UNIQUIP)")
    @Get
    public StreamedFile export(HttpRequest<?> request, AuthenticatedUser user,
                               @QueryValue(defaultValue = "xlsx") @Pattern(regexp = "xlsx|csv|uniquip") String format,
                               @Nullable @QueryValue String lang,
                               @Valid @RequestBean InstrumentFilter filter) throws IOException {
        InstrumentQuery query = rules.query(user, filter, 0, 500);
        InstrumentExports.Format f = InstrumentExports.Format.valueOf(format.toUpperCase(Locale.ROOT));
        Locale locale = lang == null ? Problems.locale(request) : UiLocale.resolve(request, lang);
        Path tmp = Files.createTempFile("labcommons-export-", "." + (f == InstrumentExports.Format.XLSX ? "xlsx" : "csv"));
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                exports.write(user.actingTenant(), InstrumentController.actor(user), query, f, locale, out);
            }
            MediaType type = f == InstrumentExports.Format.XLSX
                    ? MediaType.of("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
                    : MediaType.of("text/csv; charset=utf-8");
            String name = (f == InstrumentExports.Format.UNIQUIP ? "uniquip-" : "instruments-") + LocalDate.now()
                    + (f == InstrumentExports.Format.XLSX ? ".xlsx" : ".csv");
            return new StreamedFile(new DeletingInputStream(tmp), type).attach(name);
        } catch (RuntimeException | IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    /** Removes the temporary file when the response has been sent. */
    private static final class DeletingInputStream extends FileInputStream {
        private final Path path;

        DeletingInputStream(Path path) throws IOException {
            super(path.toFile());
            this.path = path;
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } finally {
                Files.deleteIfExists(path);
            }
        }
    }
}

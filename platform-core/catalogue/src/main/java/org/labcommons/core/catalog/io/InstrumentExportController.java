package org.labcommons.core.catalog.io;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.server.types.files.StreamedFile;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.validation.Validated;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import org.labcommons.core.catalog.InstrumentController;
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
import java.util.UUID;

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
    private final InstrumentController list;
    private final InstrumentExports exports;

    public InstrumentExportController(InstrumentController list, InstrumentExports exports) {
        this.list = list;
        this.exports = exports;
    }

    @Get
    public StreamedFile export(HttpRequest<?> request,
                               @QueryValue(defaultValue = "xlsx") @Pattern(regexp = "xlsx|csv|uniquip") String format,
                               @Nullable @QueryValue String lang,
                               @Nullable @QueryValue String q,
                               @Nullable @QueryValue @Pattern(regexp = "in_service|under_repair|idle|retired") String status,
                               @Nullable @QueryValue @Pattern(regexp = "private|tenant|network|consortium|public") String scope,
                               @Nullable @QueryValue @Pattern(regexp = "[0-9]{6}") String classification,
                               @Nullable @QueryValue UUID orgUnitId,
                               @Nullable @QueryValue @Min(0) Long minValueFen,
                               @Nullable @QueryValue @Min(0) Long maxValueFen,
                               @Nullable @QueryValue Boolean requiresIot,
                               @Nullable @QueryValue Boolean stale,
                               @Nullable @QueryValue @Pattern(regexp = "fundSubsidised|benefitEvaluation|sharedPlatform|listedInCers|customsSupervised") String flag,
                               @QueryValue(defaultValue = "assetNumber") @Pattern(regexp = "-?(assetNumber|nameZh|nameEn|originalValue|purchaseDate|updatedAt|classification)") String sort,
                               @QueryValue(defaultValue = "false") boolean includeArchived) throws IOException {
        AuthenticatedUser user = InstrumentController.caller(request);
        InstrumentQuery query = list.query(user, q, status, scope, classification, orgUnitId, minValueFen, maxValueFen,
                requiresIot, stale, flag, sort, includeArchived, 0, 500);
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

package org.labcommons.core.catalog.io;

import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The user's choice of a CSV upload's text encoding, over the one detected from its bytes
 * ({@link TextEncodings}): the stored file is read again in the chosen encoding, and its header, row
 * count and encoding are replaced; the column mapping stays when the header reads the same, else it
 * is suggested again from the new header (defaults and options kept). Every later step reads the file
 * in that encoding. Audited.
 */
@Singleton
public record ImportEncodings(TenantTransactions tenants, AuditLog audit, ImportUploads uploads, ImportLimits limits) {

    /** The encodings a user may choose (Java names, as shown and stored). */
    public static List<String> supported() {
        return TextEncodings.SUPPORTED;
    }

    /** Reads upload {@code id} again as {@code encoding}; 400 for an unknown encoding or a workbook. */
    public InstrumentImports.Upload choose(TenantId tenant, AuditEntry.Actor actor, UUID id, String encoding) {
        return tenants.inTenant(tenant, c -> {
            InstrumentImports.Upload upload = uploads.find(id).orElseThrow(ProblemException::notFound);
            if (!"csv".equals(upload.format())) {
                throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", List.of(new FieldProblem(
                        "encoding", "not_applicable", "import.encoding_not_csv", Map.of())));
            }
            Charset charset = TextEncodings.supported(encoding).orElseThrow(() -> new ProblemException(
                    HttpStatus.BAD_REQUEST, "validation_failed", List.of(new FieldProblem("encoding", "unknown",
                    "import.unknown_encoding", Map.of("value", RowMapper.shorten(String.valueOf(encoding)),
                    "allowed", String.join(", ", TextEncodings.SUPPORTED))))));
            List<String> header = new ArrayList<>();
            int[] headerRow = {0};
            int[] rows = {0};
            Spreadsheets.Detected detected;
            try {
                detected = Spreadsheets.read(uploads.content(id), limits, charset.name(), (number, cells) -> {
                    if (headerRow[0] == 0) {
                        headerRow[0] = number;
                        cells.forEach(v -> header.add(v == null ? "" : v));
                    } else {
                        rows[0]++;
                    }
                    return true;
                });
            } catch (SpreadsheetException e) {
                throw InstrumentImports.fileProblem(e.code(), e.args());
            }
            if (headerRow[0] == 0 || rows[0] == 0) {
                throw InstrumentImports.fileProblem(headerRow[0] == 0 ? "no_header" : "no_rows");
            }
            ColumnMapping mapping = header.equals(upload.header()) ? upload.mapping()
                    : new ColumnMapping(ImportField.suggestAll(header), upload.mapping().defaults(),
                            upload.mapping().assetNumbers(), upload.mapping().newUnits());
            uploads.reread(id, detected.encoding(), header, headerRow[0], rows[0], mapping);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("from", upload.encoding());
            details.put("to", detected.encoding());
            audit.append(c, actor.entry("instrument_import.encoding_chosen", "import_upload", id.toString(), details));
            return uploads.find(id).orElseThrow();
        });
    }
}

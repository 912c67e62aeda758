package org.labcommons.core.catalog.io;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import jakarta.inject.Singleton;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.FillPatternType;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.IndexedColors;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.xssf.streaming.SXSSFSheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.problem.Problems;
import org.labcommons.core.tenancy.TenantId;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The uploaded register with its problems, for the admin to fix in their spreadsheet program: every
 * row of the file under its header row (rows above the header are left out), in the file's order,
 * with one more column, {@value #PROBLEMS_HEADER}, which says what is wrong with that row in the
 * caller's language (column, the value as read, the reason; several joined by "; ") and is empty
 * for a good row. Every row, not only the bad ones, so that the corrected file can be uploaded again
 * as it is (rows are matched by asset number, so the good rows change nothing the second time).
 *
 * <p>The file has the upload's format: a CSV comes back as CSV in UTF-8 with a byte-order mark (so
 * that Excel reads Chinese correctly) and the upload's separator; an .xlsx comes back as .xlsx
 * (first sheet only, cells as text, the header row bold, the problem cells highlighted). Cells
 * that a spreadsheet program would run as a formula are written neutralised ({@link CellValues#neutralise}).
 */
@Singleton
public record ImportProblemsFile(InstrumentImports imports, ImportLimits limits, Problems problems) {
    /** The added column's header (both languages: the file may travel to someone reading the other one). */
    public static final String PROBLEMS_HEADER = "问题 / Problems";

    /** A file to send: its name, media type and content. */
    public record Download(String fileName, String mediaType, byte[] content) {
        /** The response: the content as an attachment named {@code fileName} (RFC 6266, UTF-8 name for Chinese file names). */
        public MutableHttpResponse<byte[]> response() {
            String ascii = fileName.replaceAll("[^A-Za-z0-9._-]", "_");
            String utf8 = URLEncoder.encode(fileName, StandardCharsets.UTF_8).replace("+", "%20");
            return HttpResponse.ok(content).contentType(mediaType)
                    .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + utf8)
                    .header(HttpHeaders.CACHE_CONTROL, "no-store");
        }
    }

    /** The problems file of upload {@code id}; nothing is written to the catalogue. */
    public Download write(TenantId tenant, AuditEntry.Actor actor, UUID id, Locale locale) {
        InstrumentImports.Checked checked = imports.check(tenant, actor, id);
        InstrumentImports.Upload upload = checked.upload();
        List<List<String>> rows = new ArrayList<>();
        Spreadsheets.read(checked.content(), limits, upload.encoding(), (number, cells) -> {
            if (number < upload.headerRow()) {
                return true;
            }
            List<String> out = new ArrayList<>(upload.header().size() + 1);
            for (int k = 0; k < Math.max(cells.size(), upload.header().size()); k++) {
                out.add(k < cells.size() && cells.get(k) != null ? CellValues.unneutralise(cells.get(k)) : "");
            }
            out.add(number == upload.headerRow() ? PROBLEMS_HEADER : text(locale, checked.problems().get(number)));
            rows.add(out);
            return true;
        });
        boolean xlsx = "xlsx".equals(upload.format());
        String base = upload.fileName().replaceAll("\\.[A-Za-z0-9]{1,5}$", "");
        String name = base + "-problems" + (xlsx ? ".xlsx" : ".csv");
        return xlsx
                ? new Download(name, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx(rows))
                : new Download(name, "text/csv; charset=utf-8", csv(rows, separator(upload.separator())));
    }

    /** A row's problems as one cell: "column: reason" for each, joined by "; "; empty for a good row. */
    String text(Locale locale, List<InstrumentImports.RowProblem> list) {
        if (list == null || list.isEmpty()) {
            return "";
        }
        List<String> parts = new ArrayList<>(list.size());
        for (InstrumentImports.RowProblem p : list) {
            RowProblemText.Line line = RowProblemText.of(problems, locale, p);
            boolean showValue = line.value() != null && !line.value().isEmpty() && !line.reason().contains(line.value());
            parts.add(line.column() + ": " + (showValue ? "“" + line.value() + "” " : "") + line.reason());
        }
        return String.join("; ", parts);
    }

    private static char separator(String detected) {
        return detected == null || detected.length() != 1 ? ',' : detected.charAt(0);
    }

    static byte[] csv(List<List<String>> rows, char separator) {
        StringBuilder b = new StringBuilder().append('\uFEFF');
        for (List<String> row : rows) {
            for (int k = 0; k < row.size(); k++) {
                if (k > 0) {
                    b.append(separator);
                }
                String v = CellValues.neutralise(row.get(k));
                if (v.indexOf(separator) >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0
                        || (!v.isEmpty() && (v.charAt(0) == ' ' || v.charAt(v.length() - 1) == ' '))) {
                    b.append('"').append(v.replace("\"", "\"\"")).append('"');
                } else {
                    b.append(v);
                }
            }
            b.append("\r\n");
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] xlsx(List<List<String>> rows) {
        SXSSFWorkbook wb = new SXSSFWorkbook(200);
        wb.setCompressTempFiles(true);
        try {
            SXSSFSheet sheet = wb.createSheet("Problems");
            CellStyle bold = wb.createCellStyle();
            Font font = wb.createFont();
            font.setBold(true);
            bold.setFont(font);
            CellStyle flagged = wb.createCellStyle();
            flagged.setFillForegroundColor(IndexedColors.ROSE.getIndex());
            flagged.setFillPattern(FillPatternType.SOLID_FOREGROUND);
            flagged.setWrapText(true);
            for (int r = 0; r < rows.size(); r++) {
                Row row = sheet.createRow(r);
                List<String> cells = rows.get(r);
                for (int k = 0; k < cells.size(); k++) {
                    if (cells.get(k).isEmpty()) {
                        continue;
                    }
                    Cell cell = row.createCell(k);
                    cell.setCellValue(CellValues.neutralise(cells.get(k)));
                    if (r == 0) {
                        cell.setCellStyle(bold);
                    } else if (k == cells.size() - 1) {
                        cell.setCellStyle(flagged);
                    }
                }
            }
            if (!rows.isEmpty()) {
                sheet.setColumnWidth(rows.get(0).size() - 1, 60 * 256);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            wb.write(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                wb.close();   // also removes SXSSF's temporary files
            } catch (IOException ignored) {
                // nothing left to clean
            }
        }
    }
}

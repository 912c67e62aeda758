package org.labcommons.core.billing.closing;

import org.labcommons.core.web.Xlsx;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * The finance deduction file of a closed month, as CSV and as xlsx, deterministic: the same rows give the same bytes.
 * <ul>
 *   <li>Columns, in this order: {@code finance_code}, {@code grant_code}, {@code name}, {@code amount_fen},
 *       {@code amount_yuan} (a header row of these names first).</li>
 *   <li>Rows sorted by finance code, then grant code, then the payer's ledger code (so two payers with one finance code
 *       keep an order).</li>
 *   <li>{@code amount_yuan} is the fen written with exactly two decimals, {@code BigDecimal.valueOf(fen, 2)}: exact, no
 *       rounding; in the xlsx it is a text cell, {@code amount_fen} a number.</li>
 *   <li>CSV: UTF-8 with a byte order mark (Excel on a Chinese Windows reads a CSV without one as GBK and garbles the
 *       names), lines ending CRLF (RFC 4180), a field quoted when it holds a comma, a quote, CR or LF (quotes
 *       doubled); a text field that begins with {@code = + - @} gets a leading {@code '} so a spreadsheet does not run
 *       it as a formula.</li>
 * </ul>
 */
final class FinanceFiles {
    static final String CSV = "finance-file.csv";
    static final String XLSX = "finance-file.xlsx";
    static final String CSV_TYPE = "text/csv; charset=utf-8";
    static final String XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    static final List<String> COLUMNS = List.of("finance_code", "grant_code", "name", "amount_fen", "amount_yuan");
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    /** One payer's deduction. */
    record Row(String financeCode, String grantCode, String name, long amountFen, String ledgerCode) {
    }

    static final Comparator<Row> ORDER = Comparator.comparing(Row::financeCode).thenComparing(Row::grantCode)
            .thenComparing(Row::ledgerCode);

    private FinanceFiles() {
    }

    static List<Row> sorted(List<Row> rows) {
        List<Row> out = new ArrayList<>(rows);
        out.sort(ORDER);
        return out;
    }

    static byte[] csv(List<Row> rows) {
        StringBuilder s = new StringBuilder(64 + rows.size() * 80);
        s.append(String.join(",", COLUMNS)).append("\r\n");
        for (Row r : sorted(rows)) {
            s.append(field(r.financeCode())).append(',').append(field(r.grantCode())).append(',').append(field(r.name()))
                    .append(',').append(r.amountFen()).append(',').append(yuan(r.amountFen())).append("\r\n");
        }
        byte[] text = s.toString().getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[BOM.length + text.length];
        System.arraycopy(BOM, 0, out, 0, BOM.length);
        System.arraycopy(text, 0, out, BOM.length, text.length);
        return out;
    }

    static byte[] xlsx(List<Row> rows) {
        List<List<Object>> cells = new ArrayList<>(rows.size() + 1);
        cells.add(new ArrayList<>(COLUMNS));
        for (Row r : sorted(rows)) {
            cells.add(List.of(r.financeCode(), r.grantCode(), r.name(), r.amountFen(), yuan(r.amountFen())));
        }
        return Xlsx.write("deductions", cells);
    }

    /** Fen as yuan with exactly two decimals ({@code 12345} → {@code 123.45}, {@code -5} → {@code -0.05}); exact. */
    static String yuan(long fen) {
        return BigDecimal.valueOf(fen, 2).toPlainString();
    }

    static String field(String text) {
        String t = text == null ? "" : text;
        if (!t.isEmpty() && "=+-@".indexOf(t.charAt(0)) >= 0) {
            t = "'" + t;
        }
        if (t.indexOf(',') >= 0 || t.indexOf('"') >= 0 || t.indexOf('\r') >= 0 || t.indexOf('\n') >= 0) {
            return '"' + t.replace("\"", "\"\"") + '"';
        }
        return t;
    }

    /** The SHA-256 of {@code bytes}, lower-case hex. */
    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package org.labcommons.core.catalog.io;

import org.labcommons.core.problem.Problems;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A row problem in the caller's language, as the user can act on it: the reason, the cell's text as
 * read (so it can be found in the spreadsheet), and one line that says it all, such as
 * {@code row 17, “Purchase date”: “31/02/2019” is not a date we can read}. The API, the wizard's
 * pages and the refused commit's problem list all word it this way.
 */
final class RowProblemText {
    /** {@code value}: the cell as read, "" when blank, null when the field has no column in the file. */
    record Line(String column, String value, String reason, String text) {
    }

    private RowProblemText() {
    }

    static Line of(Problems problems, Locale locale, InstrumentImports.RowProblem p) {
        String reason = problems.fieldError(locale, p.field(), p.problem().code(), p.problem().messageKey(),
                p.problem().args()).message();
        Object cell = p.problem().args().get("cell");
        String value = cell == null ? null : cell.toString();
        String column = p.column() == null ? p.field() : p.column();
        String key;
        if (value == null) {
            key = "import.row_problem";
        } else if (value.isEmpty()) {
            key = "import.row_problem_blank";
        } else if (reason.contains(value)) {
            key = "import.row_problem";        // the reason names the value already
        } else {
            key = "import.row_problem_value";
        }
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("row", p.row());
        args.put("column", column);
        args.put("value", value == null ? "" : value);
        args.put("reason", reason);            // last: its text is not searched for placeholders again
        String text = problems.fieldError(locale, p.field(), p.problem().code(), key, args).message();
        return new Line(column, value, reason, text);
    }
}

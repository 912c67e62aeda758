package org.labcommons.core.billing.ledger;

import io.micronaut.http.HttpStatus;
import org.labcommons.core.problem.ProblemException;

/**
 * A posting, reversal, close or account the ledger refuses, with a stable code (the problem+json code of the API;
 * titles {@code problem.<code>.title} in {@code i18n/billing*.properties}):
 * <ul>
 *   <li>{@link #UNBALANCED}: the lines do not sum to zero (400);</li>
 *   <li>{@link #TOO_FEW_LINES}: fewer than two lines (400);</li>
 *   <li>{@link #INVALID}: a field is missing or malformed, a zero amount, a line naming an account twice (400);</li>
 *   <li>{@link #UNKNOWN_ACCOUNT}: a line names an account code the tenant does not have (422);</li>
 *   <li>{@link #ACCOUNT_CONFLICT}: an account code exists with another kind or holder (409);</li>
 *   <li>{@link #NOT_FOUND}: no such transaction or account (404);</li>
 *   <li>{@link #ALREADY_REVERSED}: the transaction has its reversal already (409);</li>
 *   <li>{@link #REVERSAL_OF_REVERSAL}: a reversal is corrected by a new posting, not reversed (409);</li>
 *   <li>{@link #PERIOD_CLOSED}: the period is closed already (409);</li>
 *   <li>{@link #EARLIER_PERIOD_OPEN}: an earlier period is still open (409);</li>
 *   <li>{@link #PERIOD_NOT_STARTED}: the period lies after the current month (409).</li>
 * </ul>
 */
public class LedgerException extends ProblemException {
    public static final String UNBALANCED = "ledger_unbalanced";
    public static final String TOO_FEW_LINES = "ledger_too_few_lines";
    public static final String INVALID = "ledger_invalid";
    public static final String UNKNOWN_ACCOUNT = "ledger_unknown_account";
    public static final String ACCOUNT_CONFLICT = "ledger_account_conflict";
    public static final String NOT_FOUND = "not_found";
    public static final String ALREADY_REVERSED = "ledger_already_reversed";
    public static final String REVERSAL_OF_REVERSAL = "ledger_reversal_of_reversal";
    public static final String PERIOD_CLOSED = "ledger_period_closed";
    public static final String EARLIER_PERIOD_OPEN = "ledger_earlier_period_open";
    public static final String PERIOD_NOT_STARTED = "ledger_period_not_started";

    public LedgerException(HttpStatus status, String code, Object... args) {
        super(status, code, args);
    }

    static LedgerException invalid(String what) {
        return new LedgerException(HttpStatus.BAD_REQUEST, INVALID, what);
    }
}

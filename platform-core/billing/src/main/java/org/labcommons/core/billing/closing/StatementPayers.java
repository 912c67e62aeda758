package org.labcommons.core.billing.closing;

import java.sql.Connection;
import java.util.Optional;

/**
 * The payers' facts a month close needs (issue 17 contract, part E; the payers' module implements it). Optional beans:
 * the close asks each in turn (in {@code @Order}) and takes the first answer; with none, or none answering, a
 * statement shows the ledger account's names and the pre-check flags a {@code 1122.payer.} account
 * {@code no_finance_code}.
 */
public interface StatementPayers {
    /** Called inside the close's tenant transaction. */
    Optional<PayerInfo> info(Connection c, String ledgerCode);
}

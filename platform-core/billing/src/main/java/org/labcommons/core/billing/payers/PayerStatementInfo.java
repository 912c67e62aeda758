package org.labcommons.core.billing.payers;

import jakarta.inject.Singleton;
import org.labcommons.core.billing.closing.PayerInfo;
import org.labcommons.core.billing.closing.StatementPayers;

import java.sql.Connection;
import java.util.Optional;

/**
 * The month close's view of a payer account ({@link StatementPayers}): for {@code 1122.payer.<id>} and
 * {@code 2203.deposit.<id>} the account's code (its grant code when it has one: the number the finance system
 * knows), names, finance code, last valid day, status and PI, read in the close's transaction.
 */
@Singleton
public record PayerStatementInfo(Payers payers) implements StatementPayers {
    @Override
    public Optional<PayerInfo> info(Connection c, String ledgerCode) {
        return payers.byLedgerCode(c, ledgerCode).map(a -> new PayerInfo(
                a.grantCode() != null && !a.grantCode().isBlank() ? a.grantCode() : a.code(),
                a.nameZh(), a.nameEn(), a.financeCode(), a.validTo(), a.status(), a.piUserId()));
    }
}

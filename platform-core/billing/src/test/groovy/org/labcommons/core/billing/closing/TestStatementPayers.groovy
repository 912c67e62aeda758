package org.labcommons.core.billing.closing

import jakarta.inject.Singleton

import java.sql.Connection
import java.util.concurrent.ConcurrentHashMap

/**
 * The payers' facts for the closing specifications (the payers' module supplies the real bean at the merge): what a
 * specification put in {@link #INFO}, by ledger code; nothing else answers.
 */
@Singleton
class TestStatementPayers implements StatementPayers {
    static final Map<String, PayerInfo> INFO = new ConcurrentHashMap<>()

    @Override
    Optional<PayerInfo> info(Connection c, String ledgerCode) {
        Optional.ofNullable(INFO[ledgerCode])
    }
}

package org.labcommons.core.billing.subsidies;

import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The ledger's deferred balance checks (V38's constraint triggers {@code ledger_transaction_balanced},
 * {@code ledger_entry_balanced}) run now, in the tenant bound now, then deferred again. A database transaction that
 * posts in two tenants (a provider's charge and the bureau's voucher claim) runs each tenant's pending checks while
 * that tenant is bound: at commit only the last bound tenant's rows are visible to the checks (RLS), and another
 * tenant's transaction would look empty.
 */
@Singleton
public class LedgerCheckRows {
    private static final String TRIGGERS = "ledger_transaction_balanced, ledger_entry_balanced";

    /** Runs the pending balance checks of the transaction now, under the tenant bound now. */
    public void checkNow(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("set constraints " + TRIGGERS + " immediate");
            s.execute("set constraints " + TRIGGERS + " deferred");
        }
    }
}

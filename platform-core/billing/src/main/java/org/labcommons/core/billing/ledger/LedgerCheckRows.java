package org.labcommons.core.billing.ledger;

import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The ledger's deferred balance check (V44's constraint trigger {@code ledger_balance_check} over
 * {@code ledger_balance_queue}) run now, in the tenant bound now, then deferred again. A database transaction that
 * posts in two tenants (a provider's charge and the bureau's voucher claim) runs each tenant's pending checks while
 * that tenant is bound: the check reads the entries under RLS, so at commit only the last bound tenant's entries are
 * visible, and another tenant's transaction would look empty (LG002).
 */
@Singleton
public class LedgerCheckRows {
    private static final String TRIGGERS = "ledger_balance_check";

    /** Runs the pending balance checks of the transaction now, under the tenant bound now. */
    public void checkNow(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("set constraints " + TRIGGERS + " immediate");
            s.execute("set constraints " + TRIGGERS + " deferred");
        }
    }
}

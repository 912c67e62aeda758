package org.labcommons.core.tenancy;

import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import org.slf4j.MDC;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The one place where a transaction is bound to a tenant. Every query on tenant-owned tables runs
 * inside {@link #inTenant}, which sets {@code app.tenant_id} LOCAL to the transaction (never at
 * session level: that would leak through pooled connections). Row Level Security policies read
 * it; with no tenant bound they match nothing.
 */
@Singleton
public class TenantTransactions {
    /** Logging-context key carrying the tenant a thread is working for. */
    public static final String MDC_KEY = "tenantId";
    private final TransactionOperations<Connection> transactions;
    private final java.util.concurrent.atomic.AtomicLong reruns = new java.util.concurrent.atomic.AtomicLong();

    public TenantTransactions(TransactionOperations<Connection> transactions) {
        this.transactions = transactions;
    }

    /** Work done with the tenant-bound connection of the current transaction. */
    @FunctionalInterface
    public interface TenantWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Runs {@code work} in a new read-write transaction bound to {@code tenant}. */
    public <T> T inTenant(TenantId tenant, TenantWork<T> work) {
        String previous = MDC.get(MDC_KEY);
        MDC.put(MDC_KEY, tenant.toString());
        try {
            return bound(tenant, work);
        } finally {
            if (previous == null) {
                MDC.remove(MDC_KEY);
            } else {
                MDC.put(MDC_KEY, previous);
            }
        }
    }

    /**
     * Like {@link #inTenant}, but a transaction that PostgreSQL aborted as a deadlock victim
     * (40P01) or a serialization failure (40001) is run again, up to {@value #ATTEMPTS} times.
     * Such aborts are expected where concurrent inserts meet an exclusion constraint: each waits
     * for the other's row, PostgreSQL aborts one, and on the rerun it sees the committed winner
     * (and so a clean conflict). {@code work} must be repeatable: database work only, no effect
     * outside the transaction. Inside an outer transaction nothing is retried here (the outer
     * transaction is already lost; its owner decides).
     */
    public <T> T inTenantRetrying(TenantId tenant, TenantWork<T> work) {
        boolean nested = transactions.findTransactionStatus().isPresent();
        for (int attempt = 1; ; attempt++) {
            try {
                return inTenant(tenant, work);
            } catch (Exception e) {
                // Exception, not RuntimeException: the transaction manager rethrows the work's own
                // SQLException (a checked exception, thrown on unchecked), and a deadlock victim's
                // PSQLException arrives as it is. Catching only RuntimeException, as this method
                // first did, never ran anything again (a CI run answered 500 for a deadlock).
                if (nested || attempt >= ATTEMPTS || !retryable(e)) {
                    throw e;
                }
                reruns.incrementAndGet();
                try {
                    Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(1, 5L * attempt));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /**
     * How many transactions {@link #inTenantRetrying} has run again since this application started
     * (each rerun after a deadlock or serialization abort counts once). Code that orders its locks
     * well keeps it at zero; a rising count is the sign of contention worth a look.
     */
    public long reruns() {
        return reruns.get();
    }

    /**
     * Runs {@code work} inside the transaction in progress with {@code tenant} bound for its duration, then binds
     * again the tenant that was bound before (also when {@code work} fails): one atomic database transaction that
     * writes in two tenants, each write checked by its own tenant's RLS policies (billing's innovation vouchers: a
     * provider's charge posting claims the voucher in the consortium tenant's tables). Refused
     * ({@link IllegalStateException}) when no transaction is in progress: use {@link #inTenant} then.
     */
    public <T> T withinTransactionAs(TenantId tenant, TenantWork<T> work) {
        if (transactions.findTransactionStatus().isEmpty()) {
            throw new IllegalStateException("withinTransactionAs needs a transaction in progress");
        }
        return transactions.executeWrite(status -> {
            Connection connection = status.getConnection();
            String previous;
            try (PreparedStatement read = connection.prepareStatement("select current_setting('app.tenant_id', true)");
                 java.sql.ResultSet rs = read.executeQuery()) {
                rs.next();
                previous = rs.getString(1);
            }
            String mdc = MDC.get(MDC_KEY);
            MDC.put(MDC_KEY, tenant.toString());
            bind(connection, tenant.toString());
            try {
                return work.run(connection);
            } finally {
                bind(connection, previous == null ? "" : previous);
                if (mdc == null) {
                    MDC.remove(MDC_KEY);
                } else {
                    MDC.put(MDC_KEY, mdc);
                }
            }
        });
    }

    private static void bind(Connection connection, String tenant) throws SQLException {
        try (PreparedStatement bind = connection.prepareStatement("select set_config('app.tenant_id', ?, true)")) {
            bind.setString(1, tenant);
            bind.execute();
        }
    }

    /** Attempts of {@link #inTenantRetrying}. */
    public static final int ATTEMPTS = 5;

    /** Whether a failure is PostgreSQL aborting a transaction that may succeed when run again. */
    public static boolean retryable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && ("40P01".equals(sql.getSQLState()) || "40001".equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    private <T> T bound(TenantId tenant, TenantWork<T> work) {
        return transactions.executeWrite(status -> {
            Connection connection = status.getConnection();
            // Plain JDBC: this is the binding itself, on the connection the transaction has just
            // opened, before any store runs; the stores (Micronaut Data repositories) then join
            // this transaction and so this connection (README, "Stores").
            try (PreparedStatement bind = connection.prepareStatement("select set_config('app.tenant_id', ?, true)")) {
                bind.setString(1, tenant.toString());
                bind.execute();
            }
            return work.run(connection);
        });
    }
}

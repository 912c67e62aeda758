package org.labcommons.core.booking;

import org.labcommons.core.tenancy.TenantId;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Port: told of every usage record staff write, in the record's own transaction (bound to
 * {@code tenant}), so what it derives commits or rolls back with the record. The usage module
 * implements it (a grade C usage session from the record, docs/usage.md); booking may not depend
 * on usage ({@code ModuleBoundariesSpec}). Without an implementation nothing more happens.
 */
public interface UsageRecordListener {
    void recorded(Connection c, TenantId tenant, UsageRecords.UsageRecord record) throws SQLException;
}

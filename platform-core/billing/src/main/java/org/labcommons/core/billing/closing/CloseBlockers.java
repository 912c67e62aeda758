package org.labcommons.core.billing.closing;

import org.labcommons.core.tenancy.TenantId;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.YearMonth;
import java.util.List;

/**
 * Anything else that must hold a month close back (optional beans, any number; the charges' module adds "charges of
 * the month still pending review"). Called inside the pre-check's and the close's tenant transaction; every blocker
 * returned is listed by the pre-check and refuses the close.
 */
public interface CloseBlockers {
    List<Blocker> blockers(Connection c, TenantId tenant, YearMonth period) throws SQLException;
}

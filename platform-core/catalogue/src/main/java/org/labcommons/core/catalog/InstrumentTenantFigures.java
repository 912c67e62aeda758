package org.labcommons.core.catalog;

import jakarta.inject.Singleton;
import org.labcommons.core.directory.TenantFigures;

import java.sql.Connection;
import java.sql.SQLException;

/** The catalogue's figures for the consortium overview: instruments not archived and their total original value. */
@Singleton
public class InstrumentTenantFigures implements TenantFigures {
    @Override
    public Figures read(Connection connection) throws SQLException {
        return InstrumentRows.figures(connection);
    }
}

package org.labcommons.core.catalog;

import jakarta.inject.Singleton;
import org.labcommons.core.directory.TenantFigures;

import java.sql.Connection;

/** The catalogue's figures for the consortium overview: instruments not archived and their total original value. */
@Singleton
public record InstrumentTenantFigures(InstrumentRows rows) implements TenantFigures {
    /** Read through the store, which joins the transaction {@code connection} belongs to. */
    @Override
    public Figures read(Connection connection) {
        InstrumentRows.Totals t = rows.totals();
        return new Figures(t.items(), t.totalValueFen());
    }
}

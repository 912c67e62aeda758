package org.labcommons.core.catalog;

import jakarta.inject.Singleton;
import org.labcommons.core.directory.TenantFigures;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The catalogue's figures for the consortium overview: instruments not archived and their total original value. */
@Singleton
public class InstrumentTenantFigures implements TenantFigures {
    @Override
    public Figures read(Connection connection) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "select count(*), coalesce(sum(original_value_fen), 0) from instrument where archived_at is null");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new Figures(rs.getLong(1), rs.getLong(2));
        }
    }
}

package org.labcommons.iot.interlock;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import org.labcommons.iot.devices.DeviceRow;

import java.util.List;
import java.util.UUID;

/**
 * The devices attached to instruments, for the interlock's commands and caches: inside
 * {@code TenantTransactions.inTenant}, so the RLS policy of {@code devices} limits it to the bound tenant.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface InterlockDeviceRows extends GenericRepository<DeviceRow, UUID> {

    /** An unrevoked device of an instrument. */
    @Introspected
    record Attached(UUID instrumentId, UUID id, String kind) {
    }

    /** The bound tenant's unrevoked devices attached to an instrument. */
    @Query("select instrument_id, id, kind from devices where instrument_id is not null and revoked_at is null "
            + "order by instrument_id, id")
    List<Attached> attached();
}

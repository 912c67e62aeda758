package org.labcommons.core.booking;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * What the "my bookings" list shows of a person's own bookings besides the booking itself: whether
 * it is assisted, the instrument's names, its owning unit and location, and the instrument's
 * published machine-time price per hour for the booking's rate group. Runs inside
 * {@code TenantTransactions.inTenant} of the tenant that holds the bookings (the home's or an owner's),
 * and reads only rows whose requester is {@code userId}.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface MyBookingsRows extends GenericRepository<BookingRow, UUID> {

    /** One booking's facts for the list. */
    @Introspected
    record Facts(UUID bookingId, boolean assisted, String instrumentNameZh, String instrumentNameEn,
                 @Nullable String unitNameZh, @Nullable String unitNameEn, @Nullable String building,
                 @Nullable String room, @Nullable Long hourlyPriceFen) {
    }

    @Query("select b.id as booking_id, b.assisted, i.name_zh as instrument_name_zh, i.name_en as instrument_name_en, "
            + "u.name_zh as unit_name_zh, u.name_en as unit_name_en, i.building, i.room, "
            + "(select p.amount_fen from instrument_price p where p.instrument_id = b.instrument_id "
            + "and p.service_id is null and p.rate_group_code = b.rate_group and p.unit = 'hour' "
            + "order by p.position limit 1) as hourly_price_fen "
            + "from booking b join instrument i on i.id = b.instrument_id "
            + "left join org_unit u on u.id = i.org_unit_id "
            + "where b.id in (:bookingIds) and b.requester_user_id = :userId")
    List<Facts> facts(Collection<UUID> bookingIds, UUID userId);
}

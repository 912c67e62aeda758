package org.labcommons.core.usage.sessions;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The store of what controllers reported ({@code device_reading}, V33). Call it inside
 * {@code TenantTransactions.inTenant}: RLS limits every statement to the bound tenant.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ReadingRows extends GenericRepository<ReadingRows.Row, UUID> {

    /** The key columns of a {@code device_reading} row. */
    @MappedEntity("device_reading")
    record Row(UUID deviceId, @Id UUID eventId) {
    }

    /** A reading to store, as the consumer parsed it from a record. */
    record NewReading(UUID deviceId, UUID eventId, UUID instrumentId, UUID bootId, long seq, String channel, String type,
                      Instant deviceTime, Instant at, Instant receivedAt, boolean historical, Double watts, String body,
                      String sig) {
    }

    /** A reading the insert took (not a repeat): its instrument (null for a door or room device) and time. */
    record Stored(UUID instrumentId, Instant at) {
    }

    /**
     * Inserts {@code readings} for the tenant bound to {@code c} (a repeat of a (device, eventId) already stored
     * is skipped: {@code on conflict do nothing}) and answers the ones taken.
     *
     * <p>Plain JDBC, one statement for the whole batch: the columns go as arrays through {@code unnest}, and the
     * insert answers with {@code returning}; a repository method can bind neither arrays of a batch (it expands a
     * collection into a list of values) nor the result of an insert.
     */
    static List<Stored> insert(Connection c, List<NewReading> readings) throws SQLException {
        int n = readings.size();
        String[][] cols = new String[14][n];
        for (int i = 0; i < n; i++) {
            NewReading r = readings.get(i);
            cols[0][i] = r.deviceId().toString();
            cols[1][i] = r.eventId().toString();
            cols[2][i] = r.instrumentId() == null ? null : r.instrumentId().toString();
            cols[3][i] = r.bootId().toString();
            cols[4][i] = Long.toString(r.seq());
            cols[5][i] = r.channel();
            cols[6][i] = r.type();
            cols[7][i] = r.deviceTime().toString();
            cols[8][i] = r.at().toString();
            cols[9][i] = r.receivedAt().toString();
            cols[10][i] = Boolean.toString(r.historical());
            cols[11][i] = r.watts() == null ? null : r.watts().toString();
            cols[12][i] = r.body();
            cols[13][i] = r.sig();
        }
        List<Stored> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("insert into device_reading (tenant_id, device_id, event_id, "
                + "instrument_id, boot_id, seq, channel, type, device_time, at, received_at, historical, watts, body, sig) "
                + "select app_tenant(), d::uuid, e::uuid, i::uuid, b::uuid, s::bigint, ch, t, dt::timestamptz, a::timestamptz, "
                + "ra::timestamptz, h::boolean, w::numeric, bd::jsonb, sg "
                + "from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], "
                + "?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) "
                + "as u(d, e, i, b, s, ch, t, dt, a, ra, h, w, bd, sg) "
                + "on conflict do nothing returning instrument_id, at")) {
            List<Array> arrays = new ArrayList<>();
            for (int k = 0; k < cols.length; k++) {
                Array a = c.createArrayOf("text", cols[k]);
                arrays.add(a);
                ps.setArray(k + 1, a);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Stored(rs.getObject(1, UUID.class), rs.getTimestamp(2).toInstant()));
                }
            }
            for (Array a : arrays) {
                a.free();
            }
        }
        return out;
    }

    /** The readings of an instrument with {@code from <= at < to} (the builder orders them). */
    @Query("select device_id, event_id, boot_id, seq, type, at, cast(watts as float8) as watts, body->>'user' as user_name, "
            + "body->>'cardId' as card_id, sig from device_reading where instrument_id = :instrumentId "
            + "and at >= :from and at < :to")
    List<Reading> readings(UUID instrumentId, Instant from, Instant to);

    /** How many readings the bound tenant has stored (specifications, benchmark). */
    @Query("select count(*) from device_reading")
    long count();
}

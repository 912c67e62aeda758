package org.labcommons.core.booking;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Training and authorisation per user per instrument. An authorisation is valid while it is not
 * revoked and its last use (or, before any use, its grant) lies within the instrument's
 * {@code authorisationExpiryDays} (0: never expires). Check-ins and usage records count as use.
 */
@Singleton
public class Qualifications {
    private final TenantTransactions tenants;
    private final AuditLog audit;
    private final BookingRulesService rules;
    private final BookingClock clock;

    public Qualifications(TenantTransactions tenants, AuditLog audit, BookingRulesService rules, BookingClock clock) {
        this.tenants = tenants;
        this.audit = audit;
        this.rules = rules;
        this.clock = clock;
    }

    /** A recorded training. */
    @Serdeable
    public record Training(UUID id, UUID instrumentId, UUID userId, LocalDate trainedOn, @Nullable UUID trainerUserId,
                           @Nullable String notes, Instant createdAt) {
    }

    /** An authorisation with its state now: {@code valid}, {@code expired} or {@code revoked}. */
    @Serdeable
    public record Authorisation(UUID instrumentId, UUID userId, String state, Instant grantedAt,
                                @Nullable UUID grantedBy, @Nullable Instant revokedAt, @Nullable Instant lastUsedAt,
                                @Nullable Instant expiresAt, @Nullable String note, long version) {
    }

    public Training recordTraining(TenantId tenant, AuditEntry.Actor actor, UUID trainer, UUID instrumentId,
                                   UUID userId, LocalDate trainedOn, @Nullable String notes, boolean authorise,
                                   @Nullable String authorisationNote) {
        return tenants.inTenant(tenant, c -> {
            UUID id = UUID.randomUUID();
            try (PreparedStatement ps = c.prepareStatement("insert into training_record (tenant_id, id, instrument_id, "
                    + "user_id, trained_on, trainer_user_id, notes, created_at) values "
                    + "(app_tenant(), ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setObject(1, id);
                ps.setObject(2, instrumentId);
                ps.setObject(3, userId);
                ps.setObject(4, trainedOn);
                ps.setObject(5, trainer);
                ps.setString(6, notes);
                ps.setTimestamp(7, Timestamp.from(clock.now()));
                ps.executeUpdate();
            } catch (SQLException e) {
                if ("23503".equals(e.getSQLState())) {
                    throw unknownUser();
                }
                throw e;
            }
            Map<String, Object> details = new HashMap<>();
            details.put("instrumentId", instrumentId.toString());
            details.put("userId", userId.toString());
            details.put("trainedOn", trainedOn.toString());
            audit.append(c, actor.entry("training.recorded", "instrument", instrumentId.toString(), details));
            if (authorise) {
                grant(c, actor, trainer, instrumentId, userId, authorisationNote);
            }
            return trainings(c, instrumentId, id).get(0);
        });
    }

    public List<Training> trainings(TenantId tenant, UUID instrumentId) {
        return tenants.inTenant(tenant, c -> trainings(c, instrumentId, null));
    }

    private static List<Training> trainings(Connection c, UUID instrumentId, @Nullable UUID only) throws SQLException {
        List<Training> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select id, user_id, trained_on, trainer_user_id, notes, created_at "
                + "from training_record where instrument_id = ? and (?::uuid is null or id = ?) "
                + "order by trained_on desc, created_at desc limit 500")) {
            ps.setObject(1, instrumentId);
            ps.setObject(2, only);
            ps.setObject(3, only);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Training(rs.getObject(1, UUID.class), instrumentId, rs.getObject(2, UUID.class),
                            rs.getObject(3, LocalDate.class), rs.getObject(4, UUID.class), rs.getString(5),
                            rs.getTimestamp(6).toInstant()));
                }
            }
        }
        return out;
    }

    public Authorisation grant(TenantId tenant, AuditEntry.Actor actor, UUID grantedBy, UUID instrumentId, UUID userId,
                               @Nullable String note) {
        return tenants.inTenant(tenant, c -> grant(c, actor, grantedBy, instrumentId, userId, note));
    }

    private Authorisation grant(Connection c, AuditEntry.Actor actor, UUID grantedBy, UUID instrumentId, UUID userId,
                                @Nullable String note) throws SQLException {
        Instant now = clock.now();
        try (PreparedStatement ps = c.prepareStatement("insert into instrument_authorisation (tenant_id, instrument_id, "
                + "user_id, granted_at, granted_by, note) values "
                + "(app_tenant(), ?, ?, ?, ?, ?) "
                + "on conflict (tenant_id, instrument_id, user_id) do update set granted_at = excluded.granted_at, "
                + "granted_by = excluded.granted_by, note = excluded.note, revoked_at = null, revoked_by = null, "
                + "last_used_at = null, version = instrument_authorisation.version + 1")) {
            ps.setObject(1, instrumentId);
            ps.setObject(2, userId);
            ps.setTimestamp(3, Timestamp.from(now));
            ps.setObject(4, grantedBy);
            ps.setString(5, note);
            ps.executeUpdate();
        } catch (SQLException e) {
            if ("23503".equals(e.getSQLState())) {
                throw unknownUser();
            }
            throw e;
        }
        Map<String, Object> details = new HashMap<>();
        details.put("instrumentId", instrumentId.toString());
        details.put("userId", userId.toString());
        audit.append(c, actor.entry("authorisation.granted", "instrument", instrumentId.toString(), details));
        return find(c, instrumentId, userId).orElseThrow();
    }

    public Authorisation revoke(TenantId tenant, AuditEntry.Actor actor, UUID revokedBy, UUID instrumentId, UUID userId) {
        return tenants.inTenant(tenant, c -> {
            try (PreparedStatement ps = c.prepareStatement("update instrument_authorisation set revoked_at = ?, "
                    + "revoked_by = ?, version = version + 1 where instrument_id = ? and user_id = ? and revoked_at is null")) {
                ps.setTimestamp(1, Timestamp.from(clock.now()));
                ps.setObject(2, revokedBy);
                ps.setObject(3, instrumentId);
                ps.setObject(4, userId);
                if (ps.executeUpdate() == 0) {
                    throw ProblemException.notFound();
                }
            }
            Map<String, Object> details = new HashMap<>();
            details.put("instrumentId", instrumentId.toString());
            details.put("userId", userId.toString());
            audit.append(c, actor.entry("authorisation.revoked", "instrument", instrumentId.toString(), details));
            return find(c, instrumentId, userId).orElseThrow();
        });
    }

    public List<Authorisation> list(TenantId tenant, UUID instrumentId) {
        return tenants.inTenant(tenant, c -> read(c, instrumentId, null));
    }

    public Optional<Authorisation> find(TenantId tenant, UUID instrumentId, UUID userId) {
        return tenants.inTenant(tenant, c -> find(c, instrumentId, userId));
    }

    /** The user's authorisation for the instrument, with its state now. */
    public Optional<Authorisation> find(Connection c, UUID instrumentId, UUID userId) throws SQLException {
        return read(c, instrumentId, userId).stream().findFirst();
    }

    /** Records use (check-in, usage record): the expiry period starts again. */
    public void touch(Connection c, UUID instrumentId, UUID userId, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update instrument_authorisation set last_used_at = ? "
                + "where instrument_id = ? and user_id = ? and revoked_at is null "
                + "and (last_used_at is null or last_used_at < ?)")) {
            ps.setTimestamp(1, Timestamp.from(at));
            ps.setObject(2, instrumentId);
            ps.setObject(3, userId);
            ps.setTimestamp(4, Timestamp.from(at));
            ps.executeUpdate();
        }
    }

    private List<Authorisation> read(Connection c, UUID instrumentId, @Nullable UUID userId) throws SQLException {
        BookingRules r = rules.rules(c, instrumentId);
        Instant now = clock.now();
        List<Authorisation> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select user_id, granted_at, granted_by, revoked_at, last_used_at, "
                + "note, version from instrument_authorisation where instrument_id = ? "
                + "and (?::uuid is null or user_id = ?) order by granted_at desc limit 1000")) {
            ps.setObject(1, instrumentId);
            ps.setObject(2, userId);
            ps.setObject(3, userId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Instant granted = rs.getTimestamp(2).toInstant();
                    Instant revoked = ts(rs, 4);
                    Instant used = ts(rs, 5);
                    Instant expires = r.authorisationExpiryDays() == 0 ? null
                            : (used == null ? granted : used).plus(Duration.ofDays(r.authorisationExpiryDays()));
                    String state = revoked != null ? "revoked" : expires != null && !now.isBefore(expires) ? "expired" : "valid";
                    out.add(new Authorisation(instrumentId, rs.getObject(1, UUID.class), state, granted,
                            rs.getObject(3, UUID.class), revoked, used, expires, rs.getString(6), rs.getLong(7)));
                }
            }
        }
        return out;
    }

    private static Instant ts(ResultSet rs, int i) throws SQLException {
        Timestamp t = rs.getTimestamp(i);
        return t == null ? null : t.toInstant();
    }

    private static ProblemException unknownUser() {
        return new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", List.of(
                new ProblemException.FieldProblem("userId", "unknown", "validation.unknown_reference", Map.of())));
    }
}

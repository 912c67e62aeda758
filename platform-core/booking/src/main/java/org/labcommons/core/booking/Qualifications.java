package org.labcommons.core.booking;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.http.HttpStatus;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.db.SqlStates;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.sql.Connection;
import java.sql.SQLException;
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
 * {@code authorisationExpiryDays} (0: never expires). Check-ins and usage records count as use. A grant or
 * revocation writes {@code qualification.granted} / {@code qualification.revoked} to {@code booking.v1}
 * ({@link BookingEvents#qualification}) in the same transaction.
 */
@Singleton
public record Qualifications(TenantTransactions tenants,
                             AuditLog audit,
                             BookingRulesService rules,
                             BookingClock clock,
                             QualificationRows rows,
                             BookingEvents events) {
    /** The SQLState of a missing referenced row (foreign_key_violation): here, an unknown user. */
    private static final String FOREIGN_KEY_VIOLATION = "23503";

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
            try {
                rows.insertTraining(id, instrumentId, userId, trainedOn, trainer, notes, clock.now());
            } catch (DataAccessException e) {
                throw unknownUserOr(e);
            }
            Map<String, Object> details = new HashMap<>();
            details.put("instrumentId", instrumentId.toString());
            details.put("userId", userId.toString());
            details.put("trainedOn", trainedOn.toString());
            audit.append(c, actor.entry("training.recorded", "instrument", instrumentId.toString(), details));
            if (authorise) {
                grant(c, actor, trainer, instrumentId, userId, authorisationNote);
            }
            return rows.trainings(instrumentId, id).get(0).toTraining();
        });
    }

    public List<Training> trainings(TenantId tenant, UUID instrumentId) {
        return tenants.inTenant(tenant, c -> rows.trainings(instrumentId, null).stream()
                .map(QualificationRows.TrainingRow::toTraining).toList());
    }

    public Authorisation grant(TenantId tenant, AuditEntry.Actor actor, UUID grantedBy, UUID instrumentId, UUID userId,
                               @Nullable String note) {
        return tenants.inTenant(tenant, c -> grant(c, actor, grantedBy, instrumentId, userId, note));
    }

    private Authorisation grant(Connection c, AuditEntry.Actor actor, UUID grantedBy, UUID instrumentId, UUID userId,
                                @Nullable String note) throws SQLException {
        Instant now = clock.now();
        try {
            rows.grant(instrumentId, userId, now, grantedBy, note);
        } catch (DataAccessException e) {
            throw unknownUserOr(e);
        }
        Map<String, Object> details = new HashMap<>();
        details.put("instrumentId", instrumentId.toString());
        details.put("userId", userId.toString());
        audit.append(c, actor.entry("authorisation.granted", "instrument", instrumentId.toString(), details));
        Authorisation granted = find(c, instrumentId, userId).orElseThrow();
        events.qualification(c, "granted", granted);
        return granted;
    }

    public Authorisation revoke(TenantId tenant, AuditEntry.Actor actor, UUID revokedBy, UUID instrumentId, UUID userId) {
        return tenants.inTenant(tenant, c -> {
            if (rows.revoke(instrumentId, userId, revokedBy, clock.now()) == 0) {
                throw ProblemException.notFound();
            }
            Map<String, Object> details = new HashMap<>();
            details.put("instrumentId", instrumentId.toString());
            details.put("userId", userId.toString());
            audit.append(c, actor.entry("authorisation.revoked", "instrument", instrumentId.toString(), details));
            Authorisation revoked = find(c, instrumentId, userId).orElseThrow();
            events.qualification(c, "revoked", revoked);
            return revoked;
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
    public void touch(Connection c, UUID instrumentId, UUID userId, Instant at) {
        rows.touch(instrumentId, userId, at);
    }

    private List<Authorisation> read(Connection c, UUID instrumentId, @Nullable UUID userId) throws SQLException {
        BookingRules r = rules.rules(c, instrumentId);
        Instant now = clock.now();
        List<Authorisation> out = new ArrayList<>();
        for (QualificationRows.AuthorisationRow a : rows.authorisations(instrumentId, userId)) {
            Instant used = a.lastUsedAt();
            Instant expires = r.authorisationExpiryDays() == 0 ? null
                    : (used == null ? a.grantedAt() : used).plus(Duration.ofDays(r.authorisationExpiryDays()));
            String state = a.revokedAt() != null ? "revoked"
                    : expires != null && !now.isBefore(expires) ? "expired" : "valid";
            out.add(new Authorisation(instrumentId, a.userId(), state, a.grantedAt(), a.grantedBy(), a.revokedAt(), used,
                    expires, a.note(), a.version()));
        }
        return out;
    }

    /** An unknown user (the foreign keys' 23503) as a field problem; any other failure as it is. */
    private static RuntimeException unknownUserOr(DataAccessException e) {
        return SqlStates.causedBy(e, FOREIGN_KEY_VIOLATION) ? unknownUser() : e;
    }

    private static ProblemException unknownUser() {
        return new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", List.of(
                new ProblemException.FieldProblem("userId", "unknown", "validation.unknown_reference", Map.of())));
    }
}

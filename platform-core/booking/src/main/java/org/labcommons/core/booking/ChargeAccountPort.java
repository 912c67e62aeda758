package org.labcommons.core.booking;

import io.micronaut.core.annotation.Nullable;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.tenancy.TenantId;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Billing's say on a booking or sample request being charged to an account (optional bean; none: no check). */
public interface ChargeAccountPort {
    /** Inside the booking's / request's transaction; add refusals to problems (field "accountCode"). */
    void admit(Connection c, TenantId tenant, UUID userId, TenantId userHome, UUID instrumentId, @Nullable UUID serviceId,
               @Nullable String accountCode, String rateGroup, Instant start, @Nullable Instant end,
               UUID bookingOrRequestId, List<ProblemException.FieldProblem> problems) throws SQLException;
    /** The booking was cancelled, rejected or ended: release what admit held. */
    void release(Connection c, TenantId tenant, UUID bookingOrRequestId) throws SQLException;
}

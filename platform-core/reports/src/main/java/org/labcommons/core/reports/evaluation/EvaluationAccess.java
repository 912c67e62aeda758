package org.labcommons.core.reports.evaluation;

import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import org.labcommons.core.catalog.CatalogueAccess;
import org.labcommons.core.catalog.Instrument;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.security.AccessPolicy;
import org.labcommons.core.security.Action;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.security.Scope;

import java.util.UUID;

/**
 * Who may do what with evaluations (kernel roles):
 * <ul>
 *   <li>schemes and runs (read, new scheme versions, start, publish, diff): {@link Action#RUN_EVALUATIONS} on the
 *       acting tenant (its institution admins); others 403; another tenant's ids are 404 like missing ones;</li>
 *   <li>entered figures of an instrument (read, enter): its managers ({@link Action#MANAGE_INSTRUMENT} on it,
 *       catalogue's rule: 404 unseen, 403 not managed) or evaluation runners (they fill the form too);</li>
 *   <li>explanation tasks: runners see all; instrument managers see and submit those of the instruments they manage.</li>
 * </ul>
 */
@Singleton
public record EvaluationAccess(CatalogueAccess catalogue, AccessPolicy access) {

    public boolean mayRun(AuthenticatedUser user) {
        return access.allows(user.roles(), Action.RUN_EVALUATIONS, Scope.tenant(user.actingTenant()));
    }

    /** 404 for a caller of another tenant without a role here, 403 for a member who may not run evaluations. */
    public void requireRunner(AuthenticatedUser user) {
        catalogue.requireMember(user);
        if (!mayRun(user)) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "forbidden");
        }
    }

    /** An instrument whose evaluation figures the caller may read and enter. */
    public Instrument figuresOf(AuthenticatedUser user, UUID instrumentId) {
        if (mayRun(user)) {
            return catalogue.readable(user, instrumentId);
        }
        return catalogue.managed(user, instrumentId);
    }

    /** Whether the caller may see and answer the explanation task of this instrument. */
    public boolean mayExplain(AuthenticatedUser user, Instrument instrument) {
        return catalogue.mayManage(user, instrument);
    }

    /** Reading explanation tasks needs running evaluations or managing some instrument. */
    public void requireTaskReader(AuthenticatedUser user) {
        catalogue.requireMember(user);
        if (!mayRun(user) && !catalogue.mayManageSomething(user)) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "forbidden");
        }
    }
}

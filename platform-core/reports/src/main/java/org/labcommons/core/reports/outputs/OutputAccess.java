package org.labcommons.core.reports.outputs;

import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import org.labcommons.core.catalog.CatalogueAccess;
import org.labcommons.core.catalog.Instrument;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.security.AuthenticatedUser;

import java.util.List;
import java.util.UUID;

/**
 * Who may do what with outputs (the same rules for the API and the pages), with catalogue's rules on instruments:
 * <ul>
 *   <li>record: any member, linking instruments they may read ({@link CatalogueAccess#readable}: 404 otherwise);
 *       confirmed at once when they manage every linked instrument;</li>
 *   <li>read one: the person who recorded it, or staff who manage one of its instruments; others 404;</li>
 *   <li>edit: the recorder while it is recorded, staff of one of its instruments always;</li>
 *   <li>confirm, list and import by instrument: staff who manage the instrument ({@link CatalogueAccess#managed}).</li>
 * </ul>
 */
@Singleton
public record OutputAccess(CatalogueAccess catalogue, Outputs outputs) {

    /** Checks the caller may link these instruments; whether they manage all of them. */
    public boolean linking(AuthenticatedUser user, List<UUID> instrumentIds) {
        boolean all = true;
        for (UUID id : instrumentIds) {
            Instrument i = catalogue.readable(user, id);
            all &= catalogue.mayManage(user, i);
        }
        return all;
    }

    /** Whether the caller manages one of the output's instruments. */
    public boolean staffOf(AuthenticatedUser user, Output o) {
        for (UUID id : o.instrumentIds()) {
            try {
                if (catalogue.mayManage(user, catalogue.readable(user, id))) {
                    return true;
                }
            } catch (ProblemException e) {
                // not readable: not theirs
            }
        }
        return false;
    }

    /** An output the caller may read (404 otherwise). */
    public Output readable(AuthenticatedUser user, UUID id) {
        catalogue.requireMember(user);
        Output o = outputs.find(user.actingTenant(), id).orElseThrow(ProblemException::notFound);
        if (!o.recordedBy().equals(user.userId()) && !staffOf(user, o)) {
            throw ProblemException.notFound();
        }
        return o;
    }

    /** An output the caller may confirm: staff of one of its instruments (403 for its recorder, 404 for others). */
    public Output confirming(AuthenticatedUser user, UUID id) {
        Output o = readable(user, id);
        if (!staffOf(user, o)) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "forbidden");
        }
        return o;
    }

    /** An instrument whose outputs the caller manages. */
    public Instrument managed(AuthenticatedUser user, UUID instrumentId) {
        return catalogue.managed(user, instrumentId);
    }
}

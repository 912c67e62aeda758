package org.labcommons.core.billing.charges;

import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import org.labcommons.core.catalog.CatalogueAccess;
import org.labcommons.core.catalog.Instrument;
import org.labcommons.core.catalog.ManagedInstruments;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.security.AuthenticatedUser;

import java.util.UUID;

/**
 * Who may do what with charges: staff who manage the instrument ({@code MANAGE_INSTRUMENT} on it: lab and instrument
 * managers, and above) list, read, approve, adjust, waive and resolve disputes of its charges and set its charge
 * policy; a user reads and disputes the charges made out to them. Another institution's caller, and a member who
 * neither manages the instrument nor is the charge's user, gets 404 for every id.
 */
@Singleton
public record ChargeAccess(CatalogueAccess catalogue, Charges charges) {

    /** Who the caller is, for items, audit and the ledger. */
    public static Who who(AuthenticatedUser user) {
        return new Who(CatalogueAccess.actor(user), user.userId());
    }

    /** The instruments the caller reviews charges of; 403 when none (404 for another tenant's caller). */
    public ManagedInstruments reviewer(AuthenticatedUser user) {
        catalogue.requireMember(user);
        ManagedInstruments managed = ManagedInstruments.of(user);
        if (managed.none()) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "forbidden");
        }
        return managed;
    }

    /** A charge the caller may review: 404 when absent or not of an instrument the caller manages. */
    public ChargeView reviewable(AuthenticatedUser user, UUID id) {
        catalogue.requireMember(user);
        ChargeView charge = charges.find(user.actingTenant(), id).orElseThrow(ProblemException::notFound);
        if (!mayReview(user, charge)) {
            throw ProblemException.notFound();
        }
        return charge;
    }

    /** A charge the caller may read: its user, or staff who manage its instrument; else 404. */
    public ChargeView readable(AuthenticatedUser user, UUID id) {
        catalogue.requireMember(user);
        ChargeView charge = charges.find(user.actingTenant(), id).orElseThrow(ProblemException::notFound);
        if (!charge.userId().equals(user.userId()) && !mayReview(user, charge)) {
            throw ProblemException.notFound();
        }
        return charge;
    }

    /** A charge the caller may dispute: their own; else 404. */
    public ChargeView own(AuthenticatedUser user, UUID id) {
        catalogue.requireMember(user);
        ChargeView charge = charges.find(user.actingTenant(), id).orElseThrow(ProblemException::notFound);
        if (!charge.userId().equals(user.userId())) {
            throw ProblemException.notFound();
        }
        return charge;
    }

    /** An instrument whose charge policy the caller may set (404 unseen, 403 not managed). */
    public Instrument managing(AuthenticatedUser user, UUID instrumentId) {
        return catalogue.managed(user, instrumentId);
    }

    /** An instrument whose charge policy the caller may read: staff who manage it. */
    public Instrument policyReader(AuthenticatedUser user, UUID instrumentId) {
        return catalogue.managed(user, instrumentId);
    }

    /** Whether the caller manages the charge's instrument. */
    public boolean mayReview(AuthenticatedUser user, ChargeView charge) {
        return catalogue.service().find(user.actingTenant(), charge.instrumentId())
                .map(i -> catalogue.mayManage(user, i)).orElse(false);
    }
}

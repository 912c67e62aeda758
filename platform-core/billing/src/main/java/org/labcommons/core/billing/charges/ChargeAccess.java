package org.labcommons.core.billing.charges;

import io.micronaut.http.HttpStatus;
import io.micronaut.core.annotation.Nullable;
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
 * policy; a user reads and disputes the charges made out to them, and the principal investigator of the account a
 * charge is charged to ({@link AccountHolders}) those charged to it. Another institution's caller, and a member who
 * is none of these, gets 404 for every id.
 */
@Singleton
public record ChargeAccess(CatalogueAccess catalogue, Charges charges, @Nullable AccountHolders holders) {

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

    /** A charge the caller may read: its user, its account's PI, or staff who manage its instrument; else 404. */
    public ChargeView readable(AuthenticatedUser user, UUID id) {
        catalogue.requireMember(user);
        ChargeView charge = charges.find(user.actingTenant(), id).orElseThrow(ProblemException::notFound);
        if (!mine(user, charge) && !mayReview(user, charge)) {
            throw ProblemException.notFound();
        }
        return charge;
    }

    /** A charge the caller may dispute: their own, or one to an account they lead; else 404. */
    public ChargeView own(AuthenticatedUser user, UUID id) {
        catalogue.requireMember(user);
        ChargeView charge = charges.find(user.actingTenant(), id).orElseThrow(ProblemException::notFound);
        if (!mine(user, charge)) {
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

    /** The charges of {@code accountCode} for its PI: 403 for anyone else. */
    public void accountHolder(AuthenticatedUser user, String accountCode) {
        catalogue.requireMember(user);
        if (!leads(user, accountCode)) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "forbidden");
        }
    }

    /** Whether the charge is the caller's: made out to them, or charged to an account they lead. */
    private boolean mine(AuthenticatedUser user, ChargeView charge) {
        return charge.userId().equals(user.userId()) || leads(user, charge.accountCode());
    }

    private boolean leads(AuthenticatedUser user, @Nullable String accountCode) {
        return holders != null && accountCode != null && holders.leads(user.actingTenant(), user.userId(), accountCode);
    }

    /** Whether the caller manages the charge's instrument. */
    public boolean mayReview(AuthenticatedUser user, ChargeView charge) {
        return catalogue.service().find(user.actingTenant(), charge.instrumentId())
                .map(i -> catalogue.mayManage(user, i)).orElse(false);
    }
}

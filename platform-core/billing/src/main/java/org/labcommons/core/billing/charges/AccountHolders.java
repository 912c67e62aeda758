package org.labcommons.core.billing.charges;

import org.labcommons.core.tenancy.TenantId;

import java.util.UUID;

/**
 * Who holds the account a charge is made out to (the payers' part implements it; an optional bean): the principal
 * investigator of a research-project account sees and may dispute every charge to that account, as its user does.
 */
public interface AccountHolders {
    /** Whether {@code userId} is the principal investigator of {@code tenant}'s account {@code accountCode}. */
    boolean leads(TenantId tenant, UUID userId, String accountCode);
}

package org.labcommons.core.billing.payers;

import jakarta.inject.Singleton;
import org.labcommons.core.billing.charges.AccountHolders;
import org.labcommons.core.tenancy.TenantId;

import java.util.UUID;

/** The PI of a payer account, for the charges' access rules ({@link AccountHolders}). */
@Singleton
public record PayerAccountHolders(Payers payers) implements AccountHolders {
    @Override
    public boolean leads(TenantId tenant, UUID userId, String accountCode) {
        return accountCode != null && payers.find(tenant, accountCode)
                .map(a -> userId.equals(a.piUserId())).orElse(false);
    }
}

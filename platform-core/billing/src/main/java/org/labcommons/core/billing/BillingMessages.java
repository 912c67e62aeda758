package org.labcommons.core.billing;

import jakarta.inject.Singleton;
import org.labcommons.core.i18n.MessageBundle;

/** The billing module's texts (fee standards, charges, accounts, statements, settlement): {@code i18n/billing*.properties}. */
@Singleton
public class BillingMessages implements MessageBundle {
    @Override
    public String baseName() {
        return "i18n/billing";
    }
}

package org.labcommons.federation;

import jakarta.inject.Singleton;
import org.labcommons.core.i18n.MessageBundle;

/** Cross-institution bookings' texts (outside bookings): {@code i18n/federation*.properties}. */
@Singleton
public class FederationMessages implements MessageBundle {
    @Override
    public String baseName() {
        return "i18n/federation";
    }
}

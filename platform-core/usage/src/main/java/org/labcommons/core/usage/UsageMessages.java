package org.labcommons.core.usage;

import jakarta.inject.Singleton;
import org.labcommons.core.i18n.MessageBundle;

/**
 * The usage module's texts (credentials, interlock policy, live status, lab dashboard, timeline, unattributed queue,
 * own history): {@code i18n/usage*.properties}.
 */
@Singleton
public class UsageMessages implements MessageBundle {
    @Override
    public String baseName() {
        return "i18n/usage";
    }
}

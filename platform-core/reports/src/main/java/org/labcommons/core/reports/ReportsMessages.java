package org.labcommons.core.reports;

import jakarta.inject.Singleton;
import org.labcommons.core.i18n.MessageBundle;

/** The reports module's texts (rollups, ratings, outputs, evaluations, dashboards): {@code i18n/reports*.properties}. */
@Singleton
public class ReportsMessages implements MessageBundle {
    @Override
    public String baseName() {
        return "i18n/reports";
    }
}

package org.labcommons.core.i18n;

import jakarta.inject.Singleton;

/** The kernel's texts (layout, navigation, home, problems, field validation, roles): {@code i18n/messages*.properties}. */
@Singleton
public class KernelMessages implements MessageBundle {
    @Override
    public String baseName() {
        return "i18n/messages";
    }
}

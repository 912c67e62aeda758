package org.labcommons.core.catalog;

import jakarta.inject.Singleton;
import org.labcommons.core.i18n.MessageBundle;

/** The catalogue's texts (instruments, classification, import/export, verification campaigns): {@code i18n/catalogue*.properties}. */
@Singleton
public class CatalogueMessages implements MessageBundle {
    @Override
    public String baseName() {
        return "i18n/catalogue";
    }
}

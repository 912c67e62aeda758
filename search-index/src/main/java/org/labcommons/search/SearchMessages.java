package org.labcommons.search;

import jakarta.inject.Singleton;
import org.labcommons.core.i18n.MessageBundle;

/** The search page's texts: {@code i18n/search*.properties}. */
@Singleton
public class SearchMessages implements MessageBundle {
    @Override
    public String baseName() {
        return "i18n/search";
    }
}

package org.labcommons.server;

import jakarta.inject.Singleton;
import org.labcommons.core.i18n.MessageBundle;

/** The server's own pages' texts (the dev-mode mailbox): {@code i18n/server*.properties}. */
@Singleton
public class ServerMessages implements MessageBundle {
    @Override
    public String baseName() {
        return "i18n/server";
    }
}

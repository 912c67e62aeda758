package org.labcommons.core.web;

import io.micronaut.core.annotation.Nullable;
import org.labcommons.core.security.Action;

/**
 * A link in the layout's main navigation. It is shown only when its page exists in this process
 * (a GET route for {@code path}: a process that does not play the page's role shows no dead link)
 * and, when {@code action} is set, only to a caller who may do that action somewhere in their
 * acting tenant. Modules add links with a {@link NavContributor} bean.
 *
 * @param messageKey the label's message key ({@code nav.*} in the contributing module's message bundle)
 * @param path       the local path the link opens
 * @param action     what the page is for, or null for a public page
 * @param order      position (lower first); the catalogue uses 10 (its public pages) and administration pages 100 and above
 */
public record NavLink(String messageKey, String path, @Nullable Action action, int order) {
    public static NavLink everyone(String messageKey, String path, int order) {
        return new NavLink(messageKey, path, null, order);
    }

    public static NavLink forAction(String messageKey, String path, Action action, int order) {
        return new NavLink(messageKey, path, action, order);
    }
}

package org.labcommons.core.security;

import jakarta.inject.Singleton;

import java.util.Collection;

/**
 * The one place that decides whether a user may do an action on a scope, from the user's role
 * assignments alone (no HTTP, no database): allowed when some assignment covers the scope (see
 * {@link RoleAssignment#covers}) and its role, with the roles it inherits, includes one of the
 * action's roles. Everything else is denied.
 */
@Singleton
public class AccessPolicy {

    public boolean allows(Collection<RoleAssignment> assignments, Action action, Scope scope) {
        for (RoleAssignment a : assignments) {
            if (a.covers(scope) && a.role().withInherited().stream().anyMatch(action.roles()::contains)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether some assignment's role (with what it inherits) may do {@code action} on at least one
     * scope: for showing a way in (a navigation link), never for allowing the action itself, which
     * is {@link #allows} on the concrete scope.
     */
    public boolean allowsSomewhere(Collection<RoleAssignment> assignments, Action action) {
        for (RoleAssignment a : assignments) {
            if (a.role().withInherited().stream().anyMatch(action.roles()::contains)) {
                return true;
            }
        }
        return false;
    }
}

package org.labcommons.core.catalog;

import org.labcommons.core.security.Action;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.security.RoleAssignment;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * The instruments a caller manages in its acting tenant, as a set a query can apply: the caller's
 * {@link Action#MANAGE_INSTRUMENT} role assignments there, read the way
 * {@link RoleAssignment#covers} reads them. A tenant-wide role manages {@link #all()} of them; a
 * role on an org unit manages the instruments of that unit and of every unit below it
 * ({@link #units()}); a role on an instrument manages that one ({@link #instruments()}).
 *
 * <p>It is the set form of {@link CatalogueAccess#mayManage} (one instrument, through the access
 * policy): an instrument is in the set exactly when {@code mayManage} allows it. Lists, counts and
 * exports ({@link InstrumentQuery#privateOf()}, applied in SQL by {@link InstrumentPageRows}) and the
 * items of verification campaigns use it, so they show a private record to exactly those who can
 * read it by id.
 */
public record ManagedInstruments(boolean all, Set<UUID> units, Set<UUID> instruments) {
    /** Every instrument of the tenant (a tenant-wide role, or a system read). */
    public static final ManagedInstruments ALL = new ManagedInstruments(true, Set.of(), Set.of());
    /** None (a caller without an instrument role). */
    public static final ManagedInstruments NONE = new ManagedInstruments(false, Set.of(), Set.of());

    public ManagedInstruments {
        units = all ? Set.of() : Set.copyOf(units);
        instruments = all ? Set.of() : Set.copyOf(instruments);
    }

    /** What {@code user} manages in its acting tenant. */
    public static ManagedInstruments of(AuthenticatedUser user) {
        Set<UUID> units = new HashSet<>();
        Set<UUID> instruments = new HashSet<>();
        for (RoleAssignment a : user.roles()) {
            if (!a.tenant().equals(user.actingTenant())
                    || a.role().withInherited().stream().noneMatch(Action.MANAGE_INSTRUMENT.roles()::contains)) {
                continue;
            }
            switch (a.scopeType()) {
                case TENANT -> {
                    return ALL;
                }
                case ORG_UNIT -> units.add(a.scopeId());
                case INSTRUMENT -> instruments.add(a.scopeId());
            }
        }
        return units.isEmpty() && instruments.isEmpty() ? NONE : new ManagedInstruments(false, units, instruments);
    }

    /** Whether the caller manages no instrument at all. */
    public boolean none() {
        return !all && units.isEmpty() && instruments.isEmpty();
    }
}

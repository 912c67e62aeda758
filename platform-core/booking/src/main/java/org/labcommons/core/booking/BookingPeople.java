package org.labcommons.core.booking;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.labcommons.core.security.TrustedIssuers;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The people staff deal with in a tenant: those who may book there, i.e. users whose identity
 * provider the tenant trusts (its members) and users holding a role in it (outside users). Staff
 * find them by account id, e-mail or sign-in name (subject) to book on their behalf or record a
 * training; nobody outside the tenant is ever found, so a lookup cannot probe other tenants' users.
 */
@Singleton
public record BookingPeople(TenantTransactions tenants, TrustedIssuers issuers, BookingPeopleRows rows) {
    /** A person as staff see them; {@code homeTenant} is the tenant that trusts their issuer (null: none does). */
    public record Person(UUID userId, @Nullable String displayName, @Nullable String email, String subject,
                         String issuer, @Nullable TenantId homeTenant) {
        /** A name to show: display name, else e-mail, else sign-in name. */
        public String label() {
            return displayName != null && !displayName.isBlank() ? displayName : email != null ? email : subject;
        }
    }

    /** The person with this account id, if they may book in {@code tenant}. */
    public Optional<Person> find(TenantId tenant, UUID userId) {
        List<Person> found = query(tenant, () -> rows.mayBookById(userId));
        return found.stream().findFirst().map(this::withHome);
    }

    /**
     * The person meant by what staff typed: an account id, an e-mail address (case ignored) or a
     * sign-in name. Empty when nobody or more than one person of the tenant matches.
     */
    public Optional<Person> lookup(TenantId tenant, String typed) {
        String s = typed == null ? "" : typed.strip();
        if (s.isEmpty() || s.length() > 320) {
            return Optional.empty();
        }
        try {
            return find(tenant, UUID.fromString(s));
        } catch (IllegalArgumentException notAnId) {
            List<Person> found = s.contains("@") ? query(tenant, () -> rows.mayBookByEmail(s))
                    : query(tenant, () -> rows.mayBookBySubject(s));
            return found.size() == 1 ? Optional.of(withHome(found.get(0))) : Optional.empty();
        }
    }

    /** Names of accounts for lists (any account id the tenant's records hold; home tenants not resolved). */
    public Map<UUID, Person> names(TenantId tenant, Collection<UUID> ids) {
        Map<UUID, Person> out = new HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        for (Person p : query(tenant, () -> rows.named(ids))) {
            out.put(p.userId(), p);
        }
        return out;
    }

    private List<Person> query(TenantId tenant, Supplier<List<BookingPeopleRows.Account>> read) {
        return tenants.inTenant(tenant, c -> read.get().stream().map(BookingPeopleRows.Account::toPerson).toList());
    }

    private Person withHome(Person p) {
        return new Person(p.userId(), p.displayName(), p.email(), p.subject(), p.issuer(),
                issuers.find(p.issuer()).map(org.labcommons.core.security.TrustedIssuer::tenant).orElse(null));
    }
}

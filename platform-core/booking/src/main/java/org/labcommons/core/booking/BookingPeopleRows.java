package org.labcommons.core.booking;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * The accounts staff may book for ({@link BookingPeople}): {@code user_account} rows whose issuer a
 * tenant trusts, or who hold a role in the bound tenant (the RLS policy on
 * {@code role_assignment} limits that to the transaction's tenant). Runs inside the caller's
 * tenant-bound transaction.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface BookingPeopleRows extends GenericRepository<BookingPeopleRows.Account, UUID> {
    /** Who may book in the bound tenant: a trusted issuer's user, or the holder of a role there. */
    String MAY_BOOK = "(exists (select 1 from trusted_issuer t where t.issuer = u.issuer and t.enabled) "
            + "or exists (select 1 from role_assignment r where r.user_id = u.id))";

    /** The columns of {@code user_account} a person is shown with. */
    @MappedEntity("user_account")
    record Account(@Id UUID id, @Nullable String displayName, @Nullable String email, String subject, String issuer) {
        BookingPeople.Person toPerson() {
            return new BookingPeople.Person(id, displayName, email, subject, issuer, null);
        }
    }

    @Query("select u.id, u.display_name, u.email, u.subject, u.issuer from user_account u where " + MAY_BOOK
            + " and u.id = :id")
    List<Account> mayBookById(UUID id);

    /** At most two people with this e-mail address (case ignored). */
    @Query("select u.id, u.display_name, u.email, u.subject, u.issuer from user_account u where " + MAY_BOOK
            + " and lower(u.email) = lower(:email) limit 2")
    List<Account> mayBookByEmail(String email);

    /** At most two people with this sign-in name. */
    @Query("select u.id, u.display_name, u.email, u.subject, u.issuer from user_account u where " + MAY_BOOK
            + " and u.subject = :subject limit 2")
    List<Account> mayBookBySubject(String subject);

    /** The accounts with these ids, whoever they are. */
    @Query("select id, display_name, email, subject, issuer from user_account where id in (:ids)")
    List<Account> named(Collection<UUID> ids);
}

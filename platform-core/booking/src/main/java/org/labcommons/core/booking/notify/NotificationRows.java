package org.labcommons.core.booking.notify;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The store of notifications ({@code notification}: the in-app notice and its mail), and what a
 * notice reads of its recipient, instrument and booking. Runs inside the tenant-bound transaction
 * of the change ({@code TenantTransactions.inTenant}), so the RLS policy keeps every statement to
 * that tenant; the two sweeps' look-ups across tenants go through the reviewed functions
 * {@code notification_mail_due} and {@code booking_reminders_due} (ids only), with no tenant bound.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface NotificationRows extends GenericRepository<NotificationRows.Row, UUID> {

    /** The key columns of a {@code notification} row. */
    @MappedEntity("notification")
    record Row(UUID tenantId, @Id UUID id, UUID userId, String kind) {
    }

    /** Where a person's notices are mailed, and in which language (both may be null). */
    @Introspected
    record Recipient(@Nullable String email, @Nullable String language, @Nullable String displayName) {
    }

    /** An instrument's names and its tenant's time zone, the facts every notice about it keeps. */
    @Introspected
    record InstrumentFacts(String nameZh, String nameEn, String timeZone) {
    }

    /** An approved booking a reminder is about. */
    @Introspected
    record Approved(UUID instrumentId, UUID requesterUserId, Instant startsAt, Instant endsAt) {
    }

    /** A notice as stored ({@code params}: the JSON text of its facts). */
    @Introspected
    record Listed(UUID id, String kind, @Nullable UUID bookingId, @Nullable UUID offerId, String params,
                  Instant createdAt, @Nullable Instant readAt) {
    }

    /** A pending mail, its row locked for the send. */
    @Introspected
    record PendingMail(String emailTo, String kind, String emailLanguage, int emailAttempts, String params) {
    }

    /** A mail that is due, found across tenants by {@code notification_mail_due}. */
    @Introspected
    record DueMail(UUID tenantId, UUID notificationId) {
    }

    /** An approved booking that is due a reminder, found across tenants by {@code booking_reminders_due}. */
    @Introspected
    record DueReminder(UUID tenantId, UUID bookingId, long bookingVersion) {
    }

    String INSERT = "insert into notification (tenant_id, id, user_id, kind, booking_id, offer_id, booking_version, "
            + "params, created_at, email_to, email_language, email_status, email_next_at, sample_request_id) "
            + "values (app_tenant(), :id, :userId, :kind, cast(:bookingId as uuid), cast(:offerId as uuid), "
            + "cast(:bookingVersion as bigint), cast(:params as jsonb), :createdAt, :emailTo, :emailLanguage, "
            + ":emailStatus, cast(:emailNextAt as timestamptz), cast(:sampleRequestId as uuid))";

    /** Writes a notice for the tenant bound to the transaction; {@code params} is JSON text. */
    @Query(INSERT)
    long insert(UUID id, UUID userId, String kind, @Nullable UUID bookingId, @Nullable UUID offerId,
                @Nullable Long bookingVersion, String params, Instant createdAt, @Nullable String emailTo,
                String emailLanguage, String emailStatus, @Nullable Instant emailNextAt, @Nullable UUID sampleRequestId);

    /** As {@link #insert}, but a reminder already written for this booking version makes it write nothing (0). */
    @Query(INSERT + " on conflict (tenant_id, booking_id, user_id, booking_version) where kind = 'booking.reminder' "
            + "do nothing")
    long insertOnce(UUID id, UUID userId, String kind, @Nullable UUID bookingId, @Nullable UUID offerId,
                    @Nullable Long bookingVersion, String params, Instant createdAt, @Nullable String emailTo,
                    String emailLanguage, String emailStatus, @Nullable Instant emailNextAt,
                    @Nullable UUID sampleRequestId);

    // ------------------------------------------------------------------ what a notice reads

    @Query("select email, language, display_name from user_account where id = :userId")
    Optional<Recipient> recipient(UUID userId);

    @Query("select i.name_zh, i.name_en, t.time_zone from instrument i join tenant t on t.id = i.tenant_id "
            + "where i.id = :instrumentId")
    Optional<InstrumentFacts> instrumentFacts(UUID instrumentId);

    /** The booking when it is still approved at this version, its row share-locked for the transaction. */
    @Query("select instrument_id, requester_user_id, starts_at, ends_at from booking "
            + "where id = :bookingId and version = :version and status = 'approved' for share")
    Optional<Approved> approved(UUID bookingId, long version);

    /**
     * The instrument's admins and the admins of its unit or an ancestor unit (instrument,
     * institution and platform admins), by id.
     */
    @Query("with recursive up (id, parent_id) as ("
            + "select u.id, u.parent_id from org_unit u join instrument i on i.org_unit_id = u.id where i.id = :instrumentId "
            + "union select p.id, p.parent_id from org_unit p join up on p.id = up.parent_id) "
            + "select distinct r.user_id from role_assignment r where r.role in ('instrument_admin', 'institution_admin', "
            + "'platform_admin') and ((r.scope_type = 'instrument' and r.scope_id = :instrumentId) "
            + "or (r.scope_type = 'org_unit' and r.scope_id in (select id from up))) order by 1")
    List<UUID> instrumentStaff(UUID instrumentId);

    /** The institution admins of the bound tenant, by id. */
    @Query("select distinct user_id from role_assignment where role = 'institution_admin' and scope_type = 'tenant' "
            + "order by 1")
    List<UUID> institutionAdmins();

    // ------------------------------------------------------------------ read and mark

    /** The user's latest notices, newest first; only the unread ones when asked. */
    @Query("select id, kind, booking_id, offer_id, params::text as params, created_at, read_at from notification "
            + "where user_id = :userId and (not :unreadOnly or read_at is null) order by created_at desc, id limit :limit")
    List<Listed> latest(UUID userId, boolean unreadOnly, int limit);

    @Query("select count(*) from notification where user_id = :userId and read_at is null")
    long unread(UUID userId);

    /** Marks one of the user's notices read (its first reading kept); 0 when it is not theirs. */
    @Query("update notification set read_at = coalesce(read_at, :at) where id = :id and user_id = :userId")
    long markRead(UUID id, UUID userId, Instant at);

    /** The language the person's mail and feeds are written in ({@code user_account} is global). */
    @Query("update user_account set language = :language where id = :userId")
    long setLanguage(UUID userId, String language);

    // ------------------------------------------------------------------ mail relay and reminder sweep

    /** Mails due at {@code at}, across tenants (ids only), at most {@code max}. */
    @Query("select tenant_id, notification_id from notification_mail_due(:at, :max)")
    List<DueMail> mailDue(Instant at, int max);

    /** The mail while still pending, its row locked ({@code skip locked}: empty when another instance holds it). */
    @Query("select email_to, kind, email_language, email_attempts, params::text as params from notification "
            + "where id = :id and email_status = 'pending' for update skip locked")
    Optional<PendingMail> lockPending(UUID id);

    /** A refused send: {@code pending} again at {@code nextAt}, or {@code failed} (no next time). */
    @Query("update notification set email_attempts = :attempts, email_status = :status, "
            + "email_next_at = cast(:nextAt as timestamptz), email_error = left(:error, 1000) where id = :id")
    long mailRefused(UUID id, int attempts, String status, @Nullable Instant nextAt, String error);

    @Query("update notification set email_attempts = :attempts, email_status = 'sent', email_next_at = null, "
            + "email_sent_at = :at, email_error = null where id = :id")
    long mailSent(UUID id, int attempts, Instant at);

    /** Approved bookings starting in ({@code at}, {@code at} + lead] with no reminder yet, across tenants. */
    @Query("select tenant_id, booking_id, booking_version from booking_reminders_due(:at, "
            + "make_interval(secs => :leadSeconds), :max)")
    List<DueReminder> remindersDue(Instant at, long leadSeconds, int max);
}

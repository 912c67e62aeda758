package org.labcommons.core.booking.notify;

import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import org.labcommons.core.booking.BookingClock;
import org.labcommons.core.mail.Mailer;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Sends the e-mail of notifications after their booking change committed. Pending mails are found
 * across tenants through the reviewed function {@code notification_mail_due} (ids only); each is
 * sent from a transaction bound to its tenant that holds the row ({@code for update skip locked}),
 * so two instances never send the same mail at once. A refused or unreachable SMTP server leaves
 * the mail pending with a growing delay (1, 2, 4 … minutes, at most an hour) until
 * {@code maxAttempts}, then {@code failed}. Delivery is at least once: a crash between the SMTP
 * hand-over and the commit sends it again.
 */
@Singleton
@RequiresRole(PlatformRole.CORE)
public class NotificationMailRelay {
    private static final Logger LOG = LoggerFactory.getLogger(NotificationMailRelay.class);

    private final TransactionOperations<Connection> transactions;
    private final TenantTransactions tenants;
    private final Notifications notifications;
    private final Mailer mailer;
    private final NotificationSettings settings;
    private final BookingClock clock;

    public NotificationMailRelay(TransactionOperations<Connection> transactions, TenantTransactions tenants,
                                 Notifications notifications, Mailer mailer, NotificationSettings settings,
                                 BookingClock clock) {
        this.transactions = transactions;
        this.tenants = tenants;
        this.notifications = notifications;
        this.mailer = mailer;
        this.settings = settings;
        this.clock = clock;
    }

    @Scheduled(fixedDelay = "${labcommons.booking.notifications.relay-interval:15s}", initialDelay = "20s")
    public void scheduled() {
        if (!settings.isRelayEnabled()) {
            return;
        }
        try {
            int sent = sendDue();
            if (sent > 0) {
                LOG.info("notification relay sent {} mail(s)", sent);
            }
        } catch (Exception e) { // also a checked SQLException, which transactions rethrow as it is
            LOG.warn("notification relay failed; it runs again in {}", settings.getRelayInterval(), e);
        }
    }

    /** One round: every mail that is due and not held elsewhere; returns how many were handed to SMTP. */
    public int sendDue() {
        int batch = settings.getBatchSize();
        int total = 0;
        while (true) {
            List<Object[]> due = due(batch);
            int handled = 0;
            int sent = 0;
            for (Object[] d : due) {
                try {
                    Boolean ok = sendOne((TenantId) d[0], (UUID) d[1]);
                    if (ok != null) {
                        handled++;
                        if (ok) {
                            sent++;
                        }
                    }
                } catch (Exception e) { // also a checked SQLException, which transactions rethrow as it is
                    LOG.warn("notification {} of tenant {} could not be processed; retried next round", d[1], d[0], e);
                }
            }
            total += sent;
            if (due.size() < batch || handled == 0) {
                return total;
            }
        }
    }

    /** Null: held elsewhere or no longer pending; true: sent; false: refused (retried later or failed). */
    private Boolean sendOne(TenantId tenant, UUID id) {
        return tenants.inTenant(tenant, c -> {
            String to;
            String kind;
            String language;
            int attempts;
            Map<String, Object> params;
            try (PreparedStatement ps = c.prepareStatement("select email_to, kind, email_language, email_attempts, "
                    + "params::text from notification where id = ? and email_status = 'pending' for update skip locked")) {
                ps.setObject(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    to = rs.getString(1);
                    kind = rs.getString(2);
                    language = rs.getString(3);
                    attempts = rs.getInt(4) + 1;
                    params = notifications.fromJson(rs.getString(5));
                }
            }
            Locale locale = Locale.forLanguageTag(language);
            Instant now = clock.now();
            try {
                mailer.send(to, notifications.subject(kind, params, locale), notifications.text(kind, params, locale));
            } catch (Mailer.MailException e) {
                boolean give_up = attempts >= settings.getMaxAttempts();
                long minutes = Math.min(60, 1L << Math.min(attempts - 1, 6));
                try (PreparedStatement ps = c.prepareStatement("update notification set email_attempts = ?, "
                        + "email_status = ?, email_next_at = ?, email_error = left(?, 1000) where id = ?")) {
                    ps.setInt(1, attempts);
                    ps.setString(2, give_up ? "failed" : "pending");
                    ps.setTimestamp(3, give_up ? null : Timestamp.from(now.plus(Duration.ofMinutes(minutes))));
                    ps.setString(4, String.valueOf(e.getMessage()));
                    ps.setObject(5, id);
                    ps.executeUpdate();
                }
                LOG.warn("notification mail {} refused (attempt {}{}): {}", id, attempts, give_up ? ", given up" : "",
                        e.getMessage());
                return false;
            }
            try (PreparedStatement ps = c.prepareStatement("update notification set email_attempts = ?, "
                    + "email_status = 'sent', email_next_at = null, email_sent_at = ?, email_error = null where id = ?")) {
                ps.setInt(1, attempts);
                ps.setTimestamp(2, Timestamp.from(now));
                ps.setObject(3, id);
                ps.executeUpdate();
            }
            return true;
        });
    }

    private List<Object[]> due(int batch) {
        Instant at = clock.now();
        return transactions.executeRead(status -> {
            List<Object[]> out = new ArrayList<>();
            try (PreparedStatement ps = status.getConnection().prepareStatement(
                    "select tenant_id, notification_id from notification_mail_due(?, ?)")) {
                ps.setTimestamp(1, Timestamp.from(at));
                ps.setInt(2, batch);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Object[]{new TenantId(rs.getObject(1, UUID.class)), rs.getObject(2, UUID.class)});
                    }
                }
            }
            return out;
        });
    }
}

package org.labcommons.core.booking.notify;

import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.labcommons.core.booking.BookingClock;
import org.labcommons.core.mail.Mailer;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
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
public class NotificationMailRelay extends NotificationSweep<NotificationRows.DueMail> {
    private static final Logger LOG = LoggerFactory.getLogger(NotificationMailRelay.class);

    private final TenantTransactions tenants;
    private final Mailer mailer;

    public NotificationMailRelay(NotificationRows rows, TenantTransactions tenants, Notifications notifications,
                                 Mailer mailer, NotificationSettings settings, BookingClock clock) {
        super(rows, notifications, settings, clock, LOG, "notification mail");
        this.tenants = tenants;
        this.mailer = mailer;
    }

    @Scheduled(fixedDelay = "${labcommons.booking.notifications.relay-interval:15s}", initialDelay = "20s")
    public void scheduled() {
        scheduled(settings.isRelayEnabled(), settings.getRelayInterval());
    }

    /** One round: every mail that is due and not held elsewhere; returns how many were handed to SMTP. */
    public int sendDue() {
        return drain();
    }

    @Override
    List<NotificationRows.DueMail> due(int batch) {
        return rows.mailDue(clock.now(), batch);
    }

    @Override
    Boolean handle(NotificationRows.DueMail d) {
        return sendOne(new TenantId(d.tenantId()), d.notificationId());
    }

    /** Null: held elsewhere or no longer pending; true: sent; false: refused (retried later or failed). */
    private Boolean sendOne(TenantId tenant, UUID id) {
        return tenants.inTenant(tenant, c -> {
            NotificationRows.PendingMail mail = rows.lockPending(id).orElse(null);
            if (mail == null) {
                return null;
            }
            int attempts = mail.emailAttempts() + 1;
            Map<String, Object> params = notifications.fromJson(mail.params());
            Locale locale = Locale.forLanguageTag(mail.emailLanguage());
            Instant now = clock.now();
            try {
                mailer.send(mail.emailTo(), notifications.subject(mail.kind(), params, locale),
                        notifications.text(mail.kind(), params, locale));
            } catch (Mailer.MailException e) {
                boolean giveUp = attempts >= settings.getMaxAttempts();
                long minutes = Math.min(60, 1L << Math.min(attempts - 1, 6));
                rows.mailRefused(id, attempts, giveUp ? "failed" : "pending",
                        giveUp ? null : now.plus(Duration.ofMinutes(minutes)), String.valueOf(e.getMessage()));
                LOG.warn("notification mail {} refused (attempt {}{}): {}", id, attempts, giveUp ? ", given up" : "",
                        e.getMessage());
                return false;
            }
            rows.mailSent(id, attempts, now);
            return true;
        });
    }
}

package org.labcommons.core.booking.notify;

import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.labcommons.core.booking.BookingClock;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.tenancy.TenantId;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Reminds requesters of approved bookings that start within the lead time (default 24 h). Safe in
 * several instances and when run again: due bookings come from the reviewed function
 * {@code booking_reminders_due} (ids and version only, {@link NotificationRows#remindersDue}), and
 * each reminder is inserted in the booking's tenant under a unique index on (tenant, booking, user,
 * version), so it is written once; a rescheduled booking (new version) is reminded again.
 */
@Singleton
@RequiresRole(PlatformRole.CORE)
public class ReminderSweep extends NotificationSweep<NotificationRows.DueReminder> {

    public ReminderSweep(NotificationRows rows, Notifications notifications, NotificationSettings settings,
                         BookingClock clock) {
        super(rows, notifications, settings, clock, LoggerFactory.getLogger(ReminderSweep.class), "reminder");
    }

    @Scheduled(fixedDelay = "${labcommons.booking.notifications.reminder-interval:5m}", initialDelay = "40s")
    public void scheduled() {
        scheduled(settings.isReminderEnabled(), settings.getReminderInterval());
    }

    /** One sweep; returns how many reminders it wrote. */
    public int remindDue() {
        return drain();
    }

    @Override
    List<NotificationRows.DueReminder> due(int batch) {
        return rows.remindersDue(clock.now(), settings.getReminderLead().toSeconds(), batch);
    }

    /** Null when nothing was written (reminded already, or no longer approved at that version). */
    @Override
    Boolean handle(NotificationRows.DueReminder d) {
        return notifications.remind(new TenantId(d.tenantId()), d.bookingId(), d.bookingVersion()) ? true : null;
    }
}

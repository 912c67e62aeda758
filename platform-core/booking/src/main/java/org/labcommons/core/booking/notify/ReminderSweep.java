package org.labcommons.core.booking.notify;

import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import org.labcommons.core.booking.BookingClock;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.tenancy.TenantId;
import org.postgresql.util.PGInterval;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Reminds requesters of approved bookings that start within the lead time (default 24 h). Safe in
 * several instances and when run again: due bookings come from the reviewed function
 * {@code booking_reminders_due} (ids and version only), and each reminder is inserted in the
 * booking's tenant under a unique index on (tenant, booking, user, version), so it is written
 * once; a rescheduled booking (new version) is reminded again.
 */
@Singleton
@RequiresRole(PlatformRole.CORE)
public class ReminderSweep {
    private static final Logger LOG = LoggerFactory.getLogger(ReminderSweep.class);

    private final TransactionOperations<Connection> transactions;
    private final Notifications notifications;
    private final NotificationSettings settings;
    private final BookingClock clock;

    public ReminderSweep(TransactionOperations<Connection> transactions, Notifications notifications,
                         NotificationSettings settings, BookingClock clock) {
        this.transactions = transactions;
        this.notifications = notifications;
        this.settings = settings;
        this.clock = clock;
    }

    @Scheduled(fixedDelay = "${labcommons.booking.notifications.reminder-interval:5m}", initialDelay = "40s")
    public void scheduled() {
        if (!settings.isReminderEnabled()) {
            return;
        }
        try {
            int written = remindDue();
            if (written > 0) {
                LOG.info("reminder sweep wrote {} reminder(s)", written);
            }
        } catch (Exception e) { // also a checked SQLException, which transactions rethrow as it is
            LOG.warn("reminder sweep failed; it runs again in {}", settings.getReminderInterval(), e);
        }
    }

    /** One sweep; returns how many reminders it wrote. */
    public int remindDue() {
        int batch = settings.getBatchSize();
        int total = 0;
        while (true) {
            List<Object[]> due = due(batch);
            int written = 0;
            for (Object[] d : due) {
                try {
                    if (notifications.remind((TenantId) d[0], (UUID) d[1], (Long) d[2])) {
                        written++;
                    }
                } catch (Exception e) { // also a checked SQLException, which transactions rethrow as it is
                    LOG.warn("reminder of booking {} (tenant {}) failed; retried next sweep", d[1], d[0], e);
                }
            }
            total += written;
            if (due.size() < batch || written == 0) {
                return total;
            }
        }
    }

    private List<Object[]> due(int batch) {
        Instant at = clock.now();
        long seconds = settings.getReminderLead().toSeconds();
        return transactions.executeRead(status -> {
            List<Object[]> out = new ArrayList<>();
            try (PreparedStatement ps = status.getConnection().prepareStatement(
                    "select tenant_id, booking_id, booking_version from booking_reminders_due(?, ?, ?)")) {
                ps.setTimestamp(1, Timestamp.from(at));
                ps.setObject(2, new PGInterval(0, 0, 0, 0, 0, seconds));
                ps.setInt(3, batch);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Object[]{new TenantId(rs.getObject(1, UUID.class)), rs.getObject(2, UUID.class),
                                rs.getLong(3)});
                    }
                }
            }
            return out;
        });
    }
}

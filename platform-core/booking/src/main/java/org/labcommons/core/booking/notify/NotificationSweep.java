package org.labcommons.core.booking.notify;

import org.labcommons.core.booking.BookingClock;
import org.slf4j.Logger;

import java.time.Duration;
import java.util.List;

/**
 * What the two notification sweeps share ({@link NotificationMailRelay}, {@link ReminderSweep}):
 * rounds of at most {@code batch-size} due items, found across tenants by a reviewed function,
 * each handled in its own tenant transaction, until a round comes back short or changes nothing
 * (what is left is held elsewhere or keeps failing, and waits for the next run). One item that
 * fails is logged and left for the next run; a failed run is logged and runs again later.
 *
 * @param <T> a due item (ids only)
 */
abstract class NotificationSweep<T> {
    final NotificationRows rows;
    final Notifications notifications;
    final NotificationSettings settings;
    final BookingClock clock;
    private final Logger log;
    private final String what;

    NotificationSweep(NotificationRows rows, Notifications notifications, NotificationSettings settings,
                      BookingClock clock, Logger log, String what) {
        this.rows = rows;
        this.notifications = notifications;
        this.settings = settings;
        this.clock = clock;
        this.log = log;
        this.what = what;
    }

    /** At most {@code batch} items due now. */
    abstract List<T> due(int batch);

    /** What handling one item did: counted (true), done but not counted (false), or nothing (null). */
    abstract Boolean handle(T item);

    /** One run; returns how many items were counted. */
    int drain() {
        int batch = settings.getBatchSize();
        int total = 0;
        while (true) {
            List<T> round = due(batch);
            int handled = 0;
            for (T item : round) {
                try {
                    Boolean done = handle(item);
                    if (done != null) {
                        handled++;
                        if (done) {
                            total++;
                        }
                    }
                } catch (Exception e) { // also a checked SQLException, which transactions rethrow as it is
                    log.warn("{} {} could not be processed; retried next run", what, item, e);
                }
            }
            if (round.size() < batch || handled == 0) {
                return total;
            }
        }
    }

    /** The scheduled run: nothing when disabled; a failed run is logged and tried again after {@code interval}. */
    void scheduled(boolean enabled, Duration interval) {
        if (!enabled) {
            return;
        }
        try {
            int done = drain();
            if (done > 0) {
                log.info("{} sweep: {} done", what, done);
            }
        } catch (Exception e) { // also a checked SQLException, which transactions rethrow as it is
            log.warn("{} sweep failed; it runs again in {}", what, interval, e);
        }
    }
}

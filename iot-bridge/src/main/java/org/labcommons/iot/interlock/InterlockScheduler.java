package org.labcommons.iot.interlock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The end of bookings on the instruments' relays, from the {@link InterlockView}: at a booking's end its instrument's
 * controllers get {@code down/cmd} {@code warn} (bilingual message, {@code minutesLeft} = the end grace) and at end +
 * end grace {@code lock}; not when the same person's next booking starts by then, and later while a staff override
 * {@code extend} runs (the lock then falls at its {@code until}, the warn end-grace minutes before). Staff overrides
 * {@code unlock} / {@code lock} are sent once when they appear. Each command goes once per booking (or override) and
 * device: what the broker acknowledged is remembered, the rest is tried again on the next {@link #tick()}. A lock
 * whose time is more than {@code lock-lookback} ago (a bridge that was down) is let go. The clock is injectable.
 */
public final class InterlockScheduler {
    private static final Logger LOG = LoggerFactory.getLogger(InterlockScheduler.class);
    static final String WARN_TEXT = "预约已结束，仪器将在 %d 分钟后断电 / Your booking has ended: the instrument switches off in %d minutes";
    static final String LOCK_TEXT = "预约已结束 / Booking ended";

    private final InterlockView view;
    private final InstrumentControllers controllers;
    private final DownlinkSender sender;
    private final InterlockOfflineSettings settings;
    private final Clock clock;
    /** "{bookingId or overrideId}/{type}/{deviceId}" of every command the broker acknowledged, with its booking's end. */
    private final Map<String, Instant> sent = new ConcurrentHashMap<>();

    public InterlockScheduler(InterlockView view, InstrumentControllers controllers, DownlinkSender sender,
                              InterlockOfflineSettings settings, Clock clock) {
        this.view = view;
        this.controllers = controllers;
        this.sender = sender;
        this.settings = settings;
        this.clock = clock;
    }

    /** A command due now for one instrument (what {@link #due} answers; sent by {@link #tick()}). */
    public record Due(String key, String type, Map<String, Object> body, Instant forgetAfter) {
    }

    /** Looks at every instrument once and sends what is due; answers the commands the broker acknowledged. */
    public int tick() {
        Instant now = clock.instant();
        int acknowledged = 0;
        for (InstrumentGrants g : view.instruments()) {
            List<Due> due = due(g, now);
            if (due.isEmpty()) {
                continue;
            }
            List<InstrumentControllers.Controller> relays = controllers.of(g.tenantId(), g.instrumentId()).stream()
                    .filter(InstrumentControllers.Controller::hasRelay).toList();
            for (Due d : due) {
                for (InstrumentControllers.Controller c : relays) {
                    String key = d.key() + "/" + c.deviceId();
                    if (sent.containsKey(key)) {
                        continue;
                    }
                    DownCommand cmd = DownCommand.of(d.type(), d.body(), now, now.plus(settings.getCommandTtl()));
                    if (await(sender.send(g.tenantId(), c.deviceId(), cmd))) {
                        sent.put(key, d.forgetAfter());
                        acknowledged++;
                        LOG.info("interlock: {} sent to device {} of instrument {} ({})", d.type(), c.deviceId(),
                                g.instrumentId(), d.key());
                    }
                }
            }
        }
        sent.values().removeIf(forget -> forget.isBefore(now.minus(Duration.ofDays(1))));
        return acknowledged;
    }

    private static boolean await(CompletableFuture<Boolean> ack) {
        try {
            return ack.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            return false;
        }
    }

    /** What is due for an instrument at {@code now} (pure; does not look at what was sent). */
    public List<Due> due(InstrumentGrants g, Instant now) {
        List<Due> out = new ArrayList<>();
        for (InstrumentGrants.Override o : g.overrides()) {
            if (("unlock".equals(o.action()) || "lock".equals(o.action())) && (o.until() == null || o.until().isAfter(now))) {
                Map<String, Object> body = new LinkedHashMap<>();
                if ("lock".equals(o.action())) {
                    body.put("reason", shorten(o.reason()));
                    body.put("graceS", 0);
                } else if (o.until() != null) {
                    body.put("until", o.until().toString());
                }
                out.add(new Due(o.id() + "/" + o.action(), o.action(), body, o.until() == null ? Instant.MAX : o.until()));
            }
        }
        Duration grace = Duration.ofMinutes(g.policy().endGraceMin());
        for (InstrumentGrants.BookingGrant b : g.bookings()) {
            if (!"approved".equals(b.status()) && !"checked_in".equals(b.status()) || b.end().isAfter(now)) {
                continue;
            }
            Instant lockAt = b.end().plus(grace);
            if (nextIsSamePerson(g, b, lockAt)) {
                continue;
            }
            Optional<Instant> extended = g.overrides().stream().filter(o -> "extend".equals(o.action()) && o.until() != null)
                    .map(InstrumentGrants.Override::until).filter(u -> u.isAfter(b.end())).max(Instant::compareTo);
            if (extended.isPresent() && extended.get().isAfter(lockAt)) {
                lockAt = extended.get();
            }
            Instant warnAt = lockAt.minus(grace);
            if (!now.isBefore(warnAt) && now.isBefore(lockAt)) {
                int minutes = (int) Math.min(1440, Duration.between(now, lockAt).plusSeconds(59).toMinutes());
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("message", WARN_TEXT.formatted(minutes, minutes));
                body.put("minutesLeft", minutes);
                out.add(new Due(b.bookingId() + "/warn", "warn", body, lockAt));
            } else if (!now.isBefore(lockAt) && now.isBefore(lockAt.plus(settings.getLockLookback()))) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("reason", LOCK_TEXT);
                body.put("graceS", 0);
                out.add(new Due(b.bookingId() + "/lock", "lock", body, lockAt));
            }
        }
        return out;
    }

    /** Whether the booker's own next booking on the instrument starts by {@code by} (their use goes on). */
    private static boolean nextIsSamePerson(InstrumentGrants g, InstrumentGrants.BookingGrant b, Instant by) {
        return g.bookings().stream().anyMatch(n -> !n.bookingId().equals(b.bookingId()) && n.userId().equals(b.userId())
                && ("approved".equals(n.status()) || "checked_in".equals(n.status()))
                && !n.start().isAfter(by) && n.end().isAfter(b.end()));
    }

    private static String shorten(String reason) {
        String r = reason == null ? "" : reason;
        return r.length() <= 256 ? r : r.substring(0, 256);
    }

    /** The keys of the commands acknowledged so far (for specs and diagnostics). */
    public Set<String> sentKeys() {
        return Set.copyOf(sent.keySet());
    }
}

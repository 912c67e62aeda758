package org.labcommons.iot.interlock;

import org.labcommons.iot.protocol.CanonicalJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Sends each controller of an instrument its offline grant cache ({@code down/cmd} type {@code grants}, LC-IC/1 §8),
 * signed with the {@link InterlockKey}: when what it would hold changes (entries or fail mode), and otherwise every
 * {@code labcommons.iot.interlock.cache-refresh}, so that its {@code validUntil} keeps moving. A cache the broker did
 * not acknowledge is sent again on the next {@link #tick()}. The clock is injectable.
 */
public final class GrantCachePublisher {
    private static final Logger LOG = LoggerFactory.getLogger(GrantCachePublisher.class);

    private final InterlockView view;
    private final InstrumentControllers controllers;
    private final DownlinkSender sender;
    private final InterlockKey key;
    private final InterlockOfflineSettings settings;
    private final Clock clock;
    private final Map<UUID, Sent> sent = new ConcurrentHashMap<>();

    private record Sent(String fingerprint, Instant at) {
    }

    public GrantCachePublisher(InterlockView view, InstrumentControllers controllers, DownlinkSender sender,
                               InterlockKey key, InterlockOfflineSettings settings, Clock clock) {
        this.view = view;
        this.controllers = controllers;
        this.sender = sender;
        this.key = key;
        this.settings = settings;
        this.clock = clock;
    }

    /** Sends the caches that changed or are due for a refresh; answers how many the broker acknowledged. */
    public int tick() {
        Instant now = clock.instant();
        int acknowledged = 0;
        for (InstrumentGrants g : view.instruments()) {
            for (InstrumentControllers.Controller c : controllers.of(g.tenantId(), g.instrumentId())) {
                if (!c.asksForAccess()) {
                    continue;
                }
                List<GrantCache.Entry> entries = GrantCache.entries(g, c.deviceId(), view, now);
                String fingerprint = g.policy().failMode() + CanonicalJson.text(
                        GrantCache.unsignedBody(Instant.EPOCH, g.policy().failMode(), entries));
                Sent last = sent.get(c.deviceId());
                if (last != null && last.fingerprint().equals(fingerprint)
                        && last.at().plus(settings.getCacheRefresh()).isAfter(now)) {
                    continue;
                }
                Instant validUntil = g.validUntil().isAfter(now) ? g.validUntil() : now;
                Map<String, Object> body = GrantCache.signedBody(validUntil, g.policy().failMode(), entries, key);
                DownCommand cmd = DownCommand.of("grants", body, now, validUntil);
                boolean ok;
                try {
                    ok = sender.send(g.tenantId(), c.deviceId(), cmd).get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    ok = false;
                }
                if (ok) {
                    sent.put(c.deviceId(), new Sent(fingerprint, now));
                    acknowledged++;
                    LOG.debug("interlock: grant cache of {} entries sent to device {}", entries.size(), c.deviceId());
                }
            }
        }
        return acknowledged;
    }
}

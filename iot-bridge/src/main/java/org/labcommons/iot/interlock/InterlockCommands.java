package org.labcommons.iot.interlock;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.iot.MqttSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs the {@link InterlockScheduler} and the {@link GrantCachePublisher} of an {@code iot} process every
 * {@code labcommons.iot.interlock.tick} over one {@link DownlinkSender} connection (the bridge's service account),
 * when {@code commands-enabled} and an {@link InterlockView} bean exists.
 */
@Singleton
@RequiresRole(PlatformRole.IOT)
@Requires(beans = InterlockView.class)
public class InterlockCommands {
    private static final Logger LOG = LoggerFactory.getLogger(InterlockCommands.class);

    private final InterlockView view;
    private final InstrumentControllers controllers;
    private final InterlockKey key;
    private final InterlockOfflineSettings settings;
    private final MqttSettings mqtt;
    private volatile ScheduledExecutorService timer;
    private volatile DownlinkSender sender;

    public InterlockCommands(InterlockView view, InstrumentControllers controllers, InterlockKey key,
                             InterlockOfflineSettings settings, MqttSettings mqtt) {
        this.view = view;
        this.controllers = controllers;
        this.key = key;
        this.settings = settings;
        this.mqtt = mqtt;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        if (!settings.isCommandsEnabled()) {
            return;
        }
        sender = new DownlinkSender(mqtt.uri(), mqtt.getUser(), mqtt.getPassword(), clientId());
        sender.open();
        InterlockScheduler scheduler = new InterlockScheduler(view, controllers, sender, settings, Clock.systemUTC());
        GrantCachePublisher caches = new GrantCachePublisher(view, controllers, sender, key, settings, Clock.systemUTC());
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lc-interlock-commands");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(1000, settings.getTick().toMillis());
        timer.scheduleWithFixedDelay(() -> {
            try {
                scheduler.tick();
                caches.tick();
            } catch (RuntimeException e) {
                LOG.warn("interlock commands: {}", e.toString());
            }
        }, period, period, TimeUnit.MILLISECONDS);
    }

    private static String clientId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "host";
        }
        return "labcommons-interlock-" + host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @PreDestroy
    void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
        if (sender != null) {
            sender.close();
        }
    }
}

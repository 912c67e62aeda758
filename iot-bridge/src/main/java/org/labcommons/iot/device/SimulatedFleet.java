package org.labcommons.iot.device;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Reference devices run together at a total message rate, mixing telemetry (power samples) and
 * events (PC logins and logouts, card swipes, relay changes): what {@link Simulator} and dev mode
 * run. Messages are spread over the devices round-robin, paced by {@code threads} senders.
 */
public final class SimulatedFleet implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SimulatedFleet.class);
    private static final String[] USERS = {"zhang.wei", "li.na", "wang.fang", "chen.jie", "liu.yang"};

    private final List<ReferenceDevice> devices;
    private final double eventShare;
    private final List<Thread> senders = new ArrayList<>();
    private volatile boolean running;

    private SimulatedFleet(List<ReferenceDevice> devices, double eventShare) {
        this.devices = List.copyOf(devices);
        this.eventShare = eventShare;
    }

    /** Opens a reference device per config file (keys made beside them when absent). */
    public static SimulatedFleet open(Collection<Path> configs, ReferenceDevice.Options options, double eventShare) {
        List<ReferenceDevice> devices = new ArrayList<>();
        for (Path config : configs) {
            devices.add(ReferenceDevice.open(config, options));
        }
        return new SimulatedFleet(devices, eventShare);
    }

    public List<ReferenceDevice> devices() {
        return devices;
    }

    /** Connects every device (in parallel); answers how many went live within {@code timeout}. */
    public int connect(Duration timeout) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(32, Math.max(1, devices.size())));
        try {
            List<CompletableFuture<Boolean>> live = devices.stream()
                    .map(d -> CompletableFuture.supplyAsync(() -> d.connect(timeout), pool)).toList();
            return (int) live.stream().filter(CompletableFuture::join).count();
        } finally {
            pool.shutdown();
        }
    }

    /**
     * Starts sending {@code rate} messages per second in all (until {@link #stop()}); {@code threads}
     * senders each pace an equal share.
     */
    public void start(double rate, int threads) {
        if (devices.isEmpty() || rate <= 0) {
            return;
        }
        running = true;
        int n = Math.max(1, Math.min(threads, devices.size()));
        for (int t = 0; t < n; t++) {
            List<ReferenceDevice> mine = new ArrayList<>();
            for (int i = t; i < devices.size(); i += n) {
                mine.add(devices.get(i));
            }
            double share = rate / n;
            Thread sender = new Thread(() -> send(mine, share), "lc-simulator-" + t);
            sender.setDaemon(true);
            senders.add(sender);
            sender.start();
        }
    }

    private void send(List<ReferenceDevice> mine, double rate) {
        SplittableRandom random = new SplittableRandom();
        long intervalNanos = (long) (1e9 / rate);
        long next = System.nanoTime();
        long i = 0;
        double[] energy = new double[mine.size()];
        while (running) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
                continue;
            }
            int k = (int) (i++ % mine.size());
            ReferenceDevice device = mine.get(k);
            try {
                if (random.nextDouble() < eventShare) {
                    event(device, random);
                } else {
                    double watts = device.relayOn() ? 800 + random.nextDouble() * 900 : random.nextDouble() * 20;
                    energy[k] += watts / 360.0;
                    device.telemetry(Math.round(watts * 10) / 10.0, Math.round(energy[k] * 100) / 100.0);
                }
            } catch (RuntimeException e) {
                LOG.warn("simulated device {}: {}", device.deviceId(), e.toString());
            }
            next += intervalNanos;
            if (System.nanoTime() - next > 1_000_000_000L) {
                next = System.nanoTime(); // fell behind by more than a second: do not burst to catch up
            }
        }
    }

    private static void event(ReferenceDevice device, SplittableRandom random) {
        String user = USERS[random.nextInt(USERS.length)];
        switch (random.nextInt(5)) {
            case 0 -> device.event("pc.login", Map.of("user", user, "host", "INSTR-PC"));
            case 1 -> device.event("pc.logout", Map.of("user", user, "host", "INSTR-PC"));
            case 2 -> device.event("card.swipe", Map.of("cardId", String.format("04%08X", random.nextInt() & 0x7fffffff)));
            case 3 -> device.event("relay.state", Map.of("on", random.nextBoolean(), "cause", "local"));
            default -> device.event("session.start", Map.of("sessionId", UUID.randomUUID().toString(), "user", user));
        }
    }

    /** Stops sending (devices stay connected). */
    public void stop() {
        running = false;
        for (Thread sender : senders) {
            try {
                sender.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        senders.clear();
    }

    public long published() {
        return devices.stream().mapToLong(d -> d.counters().published.get()).sum();
    }

    public long acknowledged() {
        return devices.stream().mapToLong(d -> d.counters().acknowledged.get()).sum();
    }

    public long failed() {
        return devices.stream().mapToLong(d -> d.counters().failed.get()).sum();
    }

    public long buffered() {
        return devices.stream().mapToLong(d -> d.counters().buffered.get()).sum();
    }

    /** Waits until every published message is acknowledged or failed, at most {@code timeout}. */
    public void drain(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (acknowledged() + failed() < published() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    @Override
    public void close() {
        stop();
        devices.parallelStream().forEach(ReferenceDevice::close);
    }
}

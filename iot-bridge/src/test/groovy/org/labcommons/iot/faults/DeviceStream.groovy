package org.labcommons.iot.faults

import groovy.transform.CompileStatic

import java.time.Instant
import java.util.concurrent.atomic.AtomicBoolean

/**
 * Devices publishing valid messages at a steady total rate on a thread of its own, round robin: a
 * power sample on up/telemetry, and every {@code eventEvery}-th message a signed usage event on
 * up/event, each with the device's next seq. {@link #finish} stops it and waits until the broker
 * acknowledged every message (resending what failed), so the expected seqs of each device are
 * 1..{@link LeanDevice#lastSeq()}.
 */
@CompileStatic
class DeviceStream {
    final List<LeanDevice> devices
    final int ratePerSecond
    final int eventEvery
    private final AtomicBoolean running = new AtomicBoolean()
    private Thread thread
    volatile long published

    DeviceStream(List<LeanDevice> devices, int ratePerSecond, int eventEvery = 5) {
        this.devices = devices
        this.ratePerSecond = ratePerSecond
        this.eventEvery = eventEvery
    }

    DeviceStream start() {
        running.set(true)
        thread = Thread.start('device-stream') {
            long t0 = System.nanoTime()
            long n = 0
            while (running.get()) {
                for (LeanDevice d : devices) {
                    long seq = d.nextSeq()
                    d.send(seq % eventEvery == 0 ? d.event(seq, Instant.now()) : d.telemetry(seq, Instant.now()))
                    n++
                }
                published = n
                long due = t0 + (long) (n * 1_000_000_000d / ratePerSecond)
                long wait = due - System.nanoTime()
                if (wait > 0) {
                    Thread.sleep((long) (wait / 1_000_000), (int) (wait % 1_000_000))
                }
            }
        }
        this
    }

    /** Stops publishing (without waiting for acknowledgements). */
    void stop() {
        running.set(false)
        thread?.join()
    }

    /** Stops publishing and waits (at most {@code maxWaitMs}) until every message was acknowledged. */
    DeviceStream finish(long maxWaitMs = 120_000) {
        stop()
        long deadline = System.currentTimeMillis() + maxWaitMs
        for (LeanDevice d : devices) {
            if (!d.awaitSettled(deadline)) {
                throw new IllegalStateException("device ${d.deviceId}: ${d.sent.get()} sent, ${d.acked.get()} acknowledged, ${d.pendingRetries()} to resend after ${maxWaitMs} ms")
            }
        }
        this
    }

    /** Every device's expected seqs: all it published. */
    Map<UUID, Collection<Long>> expected() {
        Map<UUID, Collection<Long>> m = [:]
        for (LeanDevice d : devices) {
            m[d.deviceId] = (d.lastSeq() > 0 ? (1L..d.lastSeq()).toList() : []) as Collection<Long>
        }
        m
    }
}

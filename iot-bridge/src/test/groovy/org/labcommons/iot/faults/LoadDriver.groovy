package org.labcommons.iot.faults

import groovy.transform.CompileStatic

import java.time.Instant
import java.util.concurrent.Semaphore
import java.util.concurrent.TimeUnit

/**
 * Drives a fleet at a total rate, round robin over the devices, at most {@code window} messages
 * unacknowledged by the broker at a time (so a saturated broker slows the driver instead of
 * filling its memory): every {@code eventEvery}-th message of a device a signed usage event,
 * otherwise an unsigned power sample. Each envelope is stamped (deviceTime) when it is sent, so the
 * end-to-end latency starts at the device's publish.
 */
@CompileStatic
class LoadDriver {
    final List<LeanDevice> devices
    final int window
    final int eventEvery

    /** One phase's figures. */
    static class Phase {
        long published
        long startNanos
        long endNanos
        long startMs

        double seconds() {
            (endNanos - startNanos) / 1e9d
        }
    }

    LoadDriver(List<LeanDevice> devices, int window = 20_000, int eventEvery = 10) {
        this.devices = devices
        this.window = window
        this.eventEvery = eventEvery
    }

    /** Publishes at {@code ratePerSecond} until {@code seconds} passed or {@code maxMessages} were sent; waits for the PUBACKs. */
    Phase run(int ratePerSecond, double seconds, long maxMessages = Long.MAX_VALUE) {
        Semaphore permits = new Semaphore(window)
        Phase phase = new Phase(startNanos: System.nanoTime(), startMs: System.currentTimeMillis())
        long limitNanos = (long) (seconds * 1e9d)
        long n = 0
        int i = 0
        while (n < maxMessages && System.nanoTime() - phase.startNanos < limitNanos) {
            LeanDevice d = devices[i]
            i = i + 1 == devices.size() ? 0 : i + 1
            permits.acquire()
            long seq = d.nextSeq()
            Instant now = Instant.now()
            def m = seq % eventEvery == 0 ? d.event(seq, now) : d.telemetry(seq, now)
            d.send(m).whenComplete { Boolean ok, Throwable e -> permits.release() }
            n++
            long due = phase.startNanos + (long) (n * 1e9d / ratePerSecond)
            long wait = due - System.nanoTime()
            if (wait > 1_000_000L) {
                Thread.sleep((long) (wait / 1_000_000L))
            }
        }
        phase.published = n
        phase.endNanos = System.nanoTime()
        if (!permits.tryAcquire(window, 120, TimeUnit.SECONDS)) {
            throw new IllegalStateException("${window - permits.availablePermits()} publishes unacknowledged after 120 s")
        }
        long deadline = System.currentTimeMillis() + 120_000
        for (LeanDevice d : devices) {
            if (!d.awaitSettled(deadline)) {
                throw new IllegalStateException("device ${d.deviceId} has unacknowledged messages")
            }
        }
        phase
    }
}

package org.labcommons.search;

import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import org.labcommons.core.problem.ProblemException;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Admission control for searches and suggestions: at most {@code labcommons.search.max-concurrent}
 * run at once (default twice the processor count, which is also about what Elasticsearch's search
 * pool runs in parallel); one more waits up to {@code queue-wait} for a slot, first come first
 * served, and is then refused with {@link Busy} (503 {@code search_busy} with {@code Retry-After}).
 * Without it an overloaded server kept accepting: the blocking pool grew to thousands of threads,
 * every request queued behind all earlier ones and latency grew without bound for everybody.
 */
@Singleton
public class SearchAdmission {
    /** The search is full: 503 problem+json {@code search_busy}; the handler adds {@code Retry-After}. */
    public static final class Busy extends ProblemException {
        private final long retryAfterSeconds;

        public Busy(long retryAfterSeconds) {
            super(HttpStatus.SERVICE_UNAVAILABLE, "search_busy");
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    private final Semaphore slots;
    private final int limit;
    private final long waitNanos;
    private final long retryAfterSeconds;
    private final AtomicLong refused = new AtomicLong();

    public SearchAdmission(SearchSettings settings) {
        this.limit = settings.getMaxConcurrent() > 0 ? settings.getMaxConcurrent()
                : 2 * Runtime.getRuntime().availableProcessors();
        this.slots = new Semaphore(limit, true);
        this.waitNanos = settings.getQueueWait().toNanos();
        this.retryAfterSeconds = Math.max(1, (settings.getRetryAfter().toMillis() + 999) / 1000);
    }

    /** Runs {@code work} in a slot, or throws {@link Busy} when none frees up within the queue wait. */
    public <T> T run(Supplier<T> work) {
        boolean admitted;
        try {
            admitted = slots.tryAcquire(waitNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            admitted = false;
        }
        if (!admitted) {
            refused.incrementAndGet();
            throw new Busy(retryAfterSeconds);
        }
        try {
            return work.get();
        } finally {
            slots.release();
        }
    }

    /** How many may run at once. */
    public int limit() {
        return limit;
    }

    /** Searches running now. */
    public int running() {
        return limit - slots.availablePermits();
    }

    /** Requests refused since start. */
    public long refused() {
        return refused.get();
    }
}

package org.labcommons.search.benchmark

import groovy.transform.CompileStatic

import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.util.concurrent.CompletableFuture
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.locks.LockSupport

/**
 * An open-loop load generator: request i is due at start + i / rate whatever happened to the
 * earlier ones, is sent asynchronously as soon as it is due (or at once if the sender is late),
 * and its latency is measured from the time it was <em>due</em>, not from when it left. A server
 * that stalls therefore shows the wait of every request queued behind the stall (no coordinated
 * omission, in Gil Tene's sense), as a real population of users would experience it.
 */
@CompileStatic
class OpenLoop {
    @CompileStatic
    static class Result {
        final double rate
        final int sent
        final int errors
        final int timeouts
        final long[] latenciesMicros  // of the successful requests, sorted
        final double seconds
        final double lateSendMillisMax  // how far behind schedule the sender itself fell at worst
        final Map<String, Integer> errorKinds  // HTTP status or exception → count

        Result(double rate, int sent, int errors, int timeouts, long[] latenciesMicros, double seconds, double lateSendMillisMax,
               Map<String, Integer> errorKinds) {
            this.rate = rate
            this.sent = sent
            this.errors = errors
            this.timeouts = timeouts
            this.latenciesMicros = latenciesMicros
            this.seconds = seconds
            this.lateSendMillisMax = lateSendMillisMax
            this.errorKinds = errorKinds
        }

        /** Nearest-rank percentile, in milliseconds. */
        double percentile(double p) {
            if (latenciesMicros.length == 0) {
                return Double.NaN
            }
            int rank = (int) Math.ceil(p / 100d * latenciesMicros.length)
            latenciesMicros[Math.max(0, Math.min(latenciesMicros.length - 1, rank - 1))] / 1000d
        }

        String line() {
            String.format('%5.0f q/s for %4.0f s: %6d sent, achieved %6.1f q/s   p50 %7.1f ms   p90 %7.1f ms   p99 %7.1f ms   max %8.1f ms   errors %d%s   sender late at most %.1f ms',
                    rate, seconds, sent, sent / seconds, percentile(50), percentile(90), percentile(99),
                    latenciesMicros.length == 0 ? Double.NaN : latenciesMicros[latenciesMicros.length - 1] / 1000d,
                    errors + timeouts, errorKinds || timeouts ? ' ' + (errorKinds + (timeouts ? [unanswered: timeouts] : [:])) : '',
                    lateSendMillisMax)
        }
    }

    /**
     * Sends {@code rate} requests per second for {@code seconds} seconds; request i is
     * {@code requests.call(i)}. A response other than 200, or none within {@code timeoutSeconds}
     * after the run, is an error.
     */
    static Result run(HttpClient http, double rate, double seconds, double timeoutSeconds, Closure<HttpRequest> requests) {
        int n = (int) Math.round(rate * seconds)
        long[] latencies = new long[n]
        boolean[] ok = new boolean[n]
        AtomicInteger errors = new AtomicInteger()
        Map<String, Integer> kinds = new java.util.concurrent.ConcurrentHashMap<>()
        List<CompletableFuture<Void>> pending = new ArrayList<>(n)
        long intervalNanos = (long) (1_000_000_000L / rate)
        long start = System.nanoTime() + 20_000_000L
        long worstLate = 0
        for (int i = 0; i < n; i++) {
            long due = start + i * intervalNanos
            long wait
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait)
            }
            worstLate = Math.max(worstLate, System.nanoTime() - due)
            HttpRequest request = requests.call(i)
            int index = i
            pending << http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).handle { HttpResponse<Void> r, Throwable t ->
                long took = System.nanoTime() - due
                if (t == null && r.statusCode() == 200) {
                    latencies[index] = took.intdiv(1000L) as long
                    ok[index] = true
                } else {
                    errors.incrementAndGet()
                    kinds.merge(t == null ? 'HTTP ' + r.statusCode() : (t instanceof java.util.concurrent.CompletionException && t.cause ? t.cause : t).class.simpleName, 1) { Integer a, Integer b -> a + b }
                }
                (Void) null
            }
        }
        int timeouts = 0
        long deadline = System.nanoTime() + (long) (timeoutSeconds * 1e9)
        for (CompletableFuture<Void> f : pending) {
            try {
                f.get(Math.max(1L, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
            } catch (java.util.concurrent.TimeoutException ignored) {
                timeouts++
            }
        }
        List<Long> good = []
        for (int i = 0; i < n; i++) {
            if (ok[i]) {
                good << latencies[i]
            }
        }
        long[] sorted = good as long[]
        Arrays.sort(sorted)
        new Result(rate, n, errors.get(), timeouts, sorted, seconds, worstLate / 1e6d, new TreeMap<>(kinds))
    }
}

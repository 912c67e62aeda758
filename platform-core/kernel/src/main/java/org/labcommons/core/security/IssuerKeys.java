package org.labcommons.core.security;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import io.micronaut.core.annotation.Nullable;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The signing keys of trusted issuers, fetched off the request path and kept per issuer, so a
 * provider that is down or slow costs its own tenant's requests little and nobody else's anything.
 *
 * <p>Each issuer has its own holder (found in a {@link ConcurrentHashMap} without any I/O). Fetches
 * (discovery document, then its JWKS; {@link IssuerKeySettings#getTimeout()} each) run on this
 * cache's own threads, one at a time per issuer: callers that need one while it runs share it
 * through a {@link CompletableFuture}. A holder's lock guards only its fields, never a fetch.
 * <ul>
 *   <li>No keys yet: the request waits for the fetch, at most {@code timeout}; a failure or a
 *       timeout is {@link IssuerKeysUnavailableException} (503).</li>
 *   <li>Keys on hand: they are used at once; older than {@code refresh-after}, a background fetch
 *       replaces them when it succeeds. A failed refresh keeps the last keys.</li>
 *   <li>A failure is remembered for {@code failure-memory}: meanwhile no request of that issuer
 *       fetches or waits (with no keys on hand it is refused at once with 503). After that, one
 *       request retries (waiting at most {@code timeout}) while the others are still refused at
 *       once.</li>
 *   <li>A {@code kid} the keys on hand lack: one fetch per {@code kid-refresh-interval} (the request
 *       waits for it; rotation); within the interval the token is refused (401) without a fetch.</li>
 * </ul>
 */
@Singleton
public class IssuerKeys {
    /** A JWKS is at most this large. */
    public static final int MAX_JWKS_BYTES = 256 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(IssuerKeys.class);

    /** Fetches an issuer's current key set (blocking; runs on the cache's threads). */
    @FunctionalInterface
    interface Fetcher {
        JWKSet fetch(String issuer) throws Exception;
    }

    private final Fetcher fetcher;
    private final LongSupplier nanoClock;
    private final long timeoutNanos;
    private final long refreshAfterNanos;
    private final long failureMemoryNanos;
    private final long kidRefreshNanos;
    private final ExecutorService fetches;
    private final Map<String, Holder> holders = new ConcurrentHashMap<>();

    @Inject
    public IssuerKeys(IssuerKeySettings settings) {
        this(settings, discoveryThenJwks((int) settings.getTimeout().toMillis()), System::nanoTime);
    }

    IssuerKeys(IssuerKeySettings settings, Fetcher fetcher, LongSupplier nanoClock) {
        this.fetcher = fetcher;
        this.nanoClock = nanoClock;
        this.timeoutNanos = settings.getTimeout().toNanos();
        this.refreshAfterNanos = settings.getRefreshAfter().toNanos();
        this.failureMemoryNanos = settings.getFailureMemory().toNanos();
        this.kidRefreshNanos = settings.getKidRefreshInterval().toNanos();
        AtomicInteger count = new AtomicInteger();
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, "issuer-keys-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.fetches = Executors.newCachedThreadPool(threads);
    }

    /** The real fetch: the discovery document (which must name exactly this issuer), then the JWKS it names. */
    static Fetcher discoveryThenJwks(int timeoutMillis) {
        return issuer -> {
            OIDCProviderMetadata metadata = OIDCProviderMetadata.resolve(new Issuer(issuer), timeoutMillis, timeoutMillis);
            if (metadata.getJWKSetURI() == null) {
                throw new IllegalStateException("the discovery document of " + issuer + " names no jwks_uri");
            }
            return JWKSet.load(metadata.getJWKSetURI().toURL(), timeoutMillis, timeoutMillis, MAX_JWKS_BYTES)
                    .toPublicJWKSet();
        };
    }

    /** The issuer's keys for Nimbus' key selector (may throw {@link IssuerKeysUnavailableException}). */
    public JWKSource<SecurityContext> source(String issuer) {
        Holder holder = holder(issuer);
        return (selector, context) -> holder.select(selector);
    }

    /** The issuer's keys as last obtained, without fetching anything; null when none were. */
    @Nullable
    public JWKSet onHand(String issuer) {
        Holder holder = holders.get(issuer);
        return holder == null ? null : holder.keys();
    }

    private Holder holder(String issuer) {
        return holders.computeIfAbsent(issuer, Holder::new); // no I/O inside
    }

    @PreDestroy
    void close() {
        fetches.shutdownNow();
    }

    /** One issuer's keys and fetch state; its monitor guards the fields only. */
    private final class Holder {
        private final String issuer;
        private JWKSet keys;
        private long fetchedAt;
        private boolean failing;
        private long failedAt;
        private Throwable failure;
        private CompletableFuture<JWKSet> inFlight;
        private boolean kidRefreshed;
        private long kidRefreshAt;

        Holder(String issuer) {
            this.issuer = issuer;
        }

        synchronized JWKSet keys() {
            return keys;
        }

        List<JWK> select(JWKSelector selector) {
            long now = nanoClock.getAsLong();
            JWKSet set;
            CompletableFuture<JWKSet> wait = null;
            synchronized (this) {
                set = keys;
                if (set == null) {
                    if (failing && (remembered(now) || inFlight != null)) {
                        throw unavailable(now, failure);
                    }
                    wait = fetch(now);
                } else if (now - fetchedAt >= refreshAfterNanos && !(failing && remembered(now))) {
                    fetch(now); // in the background: this request goes on with the keys on hand
                }
            }
            if (wait != null) {
                return selector.select(await(wait));
            }
            List<JWK> found = selector.select(set);
            if (!found.isEmpty()) {
                return found;
            }
            synchronized (this) { // a kid the keys on hand lack: perhaps a rotation
                if (failing && remembered(now)) {
                    throw unavailable(now, failure);
                }
                if (kidRefreshed && now - kidRefreshAt < kidRefreshNanos) {
                    return List.of();
                }
                kidRefreshed = true;
                kidRefreshAt = now;
                wait = fetch(now);
            }
            return selector.select(await(wait));
        }

        /** The running fetch, or a new one (called holding the monitor; the fetch runs elsewhere). */
        private CompletableFuture<JWKSet> fetch(long now) {
            if (inFlight != null) {
                return inFlight;
            }
            CompletableFuture<JWKSet> future = new CompletableFuture<>();
            inFlight = future;
            try {
                fetches.execute(() -> run(future));
            } catch (RejectedExecutionException e) {
                failed(future, e);
            }
            return future;
        }

        private void run(CompletableFuture<JWKSet> future) {
            JWKSet fetched;
            try {
                fetched = fetcher.fetch(issuer);
            } catch (Throwable e) {
                failed(future, e);
                return;
            }
            synchronized (this) {
                keys = fetched;
                fetchedAt = nanoClock.getAsLong();
                if (failing) {
                    LOG.info("keys of issuer {} obtained again", issuer);
                }
                failing = false;
                failure = null;
                inFlight = null;
            }
            future.complete(fetched);
        }

        private void failed(CompletableFuture<JWKSet> future, Throwable e) {
            synchronized (this) {
                if (!failing) {
                    LOG.warn("keys of issuer {} could not be fetched ({}); {}", issuer, e.toString(),
                            keys == null ? "its tokens are answered 503 for now" : "the last keys obtained stay in use");
                }
                failing = true;
                failedAt = nanoClock.getAsLong();
                failure = e;
                inFlight = null;
            }
            future.completeExceptionally(e);
        }

        /** The fetched set, waiting at most the timeout; a failure or timeout is 503. */
        private JWKSet await(CompletableFuture<JWKSet> future) {
            try {
                return future.get(timeoutNanos, TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                throw unavailable(nanoClock.getAsLong(), e.getCause());
            } catch (TimeoutException e) {
                synchronized (this) { // counts as a failure until the fetch still running succeeds
                    if (!failing || !remembered(nanoClock.getAsLong())) {
                        LOG.warn("keys of issuer {} not obtained within the timeout", issuer);
                    }
                    failing = true;
                    failedAt = nanoClock.getAsLong();
                    failure = e;
                }
                throw unavailable(nanoClock.getAsLong(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw unavailable(nanoClock.getAsLong(), e);
            }
        }

        private boolean remembered(long now) {
            return now - failedAt < failureMemoryNanos;
        }

        private IssuerKeysUnavailableException unavailable(long now, Throwable cause) {
            long left;
            synchronized (this) {
                left = failing ? failedAt + failureMemoryNanos - now : failureMemoryNanos;
            }
            return new IssuerKeysUnavailableException(issuer, TimeUnit.NANOSECONDS.toSeconds(Math.max(0, left) + 999_999_999L), cause);
        }
    }
}

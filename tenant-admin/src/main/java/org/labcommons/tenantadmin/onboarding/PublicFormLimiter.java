package org.labcommons.tenantadmin.onboarding;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.inject.Singleton;

import java.time.Duration;

/**
 * Limits the public application form (no sign-in): at most
 * {@code labcommons.onboarding.form-limit-per-address} submissions per client address per hour,
 * and {@code form-limit-total} from all addresses together (token buckets, refilled gradually).
 * Every attempt counts, valid or not. The address is the caller's as {@code ClientAddresses}
 * resolves it, counted per block ({@code ClientAddress.block()}: an IPv6 client's /64).
 *
 * <p>The per-address buckets live in a Caffeine cache that forgets a bucket idle for an hour (by
 * then it would be full again anyway). At most {@value #MAX_TRACKED_ADDRESSES} addresses hold a
 * bucket of their own; while that many do, any further address shares one overflow bucket (the
 * per-address allowance for all of them together). So a flood of addresses neither grows the
 * memory nor pushes out, and thereby refills, the bucket of a client seen before. (The total limit
 * is spent long before the overflow matters to anyone.) In one process; several replicas each
 * apply the limits.
 */
@Singleton
public class PublicFormLimiter {
    static final int MAX_TRACKED_ADDRESSES = 10_000;
    private static final Duration WINDOW = Duration.ofHours(1);

    private final OnboardingSettings settings;
    private final Bucket total;
    private final Bucket overflow;
    private final Cache<String, Bucket> perAddress = Caffeine.newBuilder()
            .maximumSize(MAX_TRACKED_ADDRESSES)   // never reached: addresses are admitted below it (admit)
            .expireAfterAccess(WINDOW)
            .executor(Runnable::run)   // expired buckets are dropped on the calling thread
            .build();

    public PublicFormLimiter(OnboardingSettings settings) {
        this.settings = settings;
        this.total = bucket(settings.getFormLimitTotal());
        this.overflow = bucket(settings.getFormLimitPerAddress());
    }

    /** Zero when the attempt from {@code address} may go ahead; otherwise the seconds to wait before trying again. */
    public long tryAcquire(String address) {
        Bucket own = perAddress.getIfPresent(address);
        if (own == null) {
            own = admit(address);
        }
        ConsumptionProbe probe = own.tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            return seconds(probe.getNanosToWaitForRefill());
        }
        ConsumptionProbe all = total.tryConsumeAndReturnRemaining(1);
        return all.isConsumed() ? 0 : seconds(all.getNanosToWaitForRefill());
    }

    /** A new bucket for {@code address} while fewer than the maximum have one; otherwise the shared overflow bucket. */
    private synchronized Bucket admit(String address) {
        Bucket own = perAddress.getIfPresent(address);
        if (own != null) {
            return own;
        }
        if (perAddress.estimatedSize() >= MAX_TRACKED_ADDRESSES) {
            perAddress.cleanUp();   // buckets idle for the whole window go first
            if (perAddress.estimatedSize() >= MAX_TRACKED_ADDRESSES) {
                return overflow;
            }
        }
        Bucket created = bucket(settings.getFormLimitPerAddress());
        perAddress.put(address, created);
        return created;
    }

    /** How many addresses have a bucket now (after pending evictions). */
    long trackedAddresses() {
        perAddress.cleanUp();
        return perAddress.estimatedSize();
    }

    private static long seconds(long nanos) {
        return Math.max(1, Duration.ofNanos(nanos).toSeconds() + 1);
    }

    private static Bucket bucket(int perHour) {
        int n = Math.max(1, perHour);
        return Bucket.builder().addLimit(Bandwidth.builder().capacity(n).refillGreedy(n, WINDOW).build()).build();
    }
}

package org.labcommons.tenantadmin.devices;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.inject.Singleton;
import org.labcommons.iot.devices.DeviceSettings;

import java.time.Duration;

/**
 * The rate limit of device claims: {@code labcommons.iot.devices.claims-per-minute} attempts per
 * client address (a token bucket refilled gradually), so a claim code (50 random bits) cannot be
 * guessed. Buckets live in a Caffeine cache that forgets one idle for ten minutes; while
 * {@value #MAX_TRACKED_ADDRESSES} addresses have one, further addresses share one overflow bucket
 * (a flood of new addresses neither grows memory nor refills a known client's bucket).
 */
@Singleton
public class ClaimLimiter {
    static final int MAX_TRACKED_ADDRESSES = 10_000;
    private static final Duration WINDOW = Duration.ofMinutes(1);

    private final int perMinute;
    private final Bucket overflow;
    private final Cache<String, Bucket> perAddress = Caffeine.newBuilder()
            .maximumSize(MAX_TRACKED_ADDRESSES)
            .expireAfterAccess(Duration.ofMinutes(10))
            .executor(Runnable::run)
            .build();

    public ClaimLimiter(DeviceSettings settings) {
        this.perMinute = Math.max(1, settings.getClaimsPerMinute());
        this.overflow = bucket();
    }

    /** Zero when a claim from {@code address} may go ahead; otherwise the seconds to wait. */
    public long tryAcquire(String address) {
        Bucket own = perAddress.getIfPresent(address);
        if (own == null) {
            own = admit(address);
        }
        ConsumptionProbe probe = own.tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? 0 : Math.max(1, Duration.ofNanos(probe.getNanosToWaitForRefill()).toSeconds() + 1);
    }

    private synchronized Bucket admit(String address) {
        Bucket own = perAddress.getIfPresent(address);
        if (own != null) {
            return own;
        }
        if (perAddress.estimatedSize() >= MAX_TRACKED_ADDRESSES) {
            perAddress.cleanUp();
            if (perAddress.estimatedSize() >= MAX_TRACKED_ADDRESSES) {
                return overflow;
            }
        }
        Bucket created = bucket();
        perAddress.put(address, created);
        return created;
    }

    private Bucket bucket() {
        return Bucket.builder().addLimit(Bandwidth.builder().capacity(perMinute).refillGreedy(perMinute, WINDOW).build())
                .build();
    }
}

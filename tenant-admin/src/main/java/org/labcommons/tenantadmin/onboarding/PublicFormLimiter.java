package org.labcommons.tenantadmin.onboarding;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Limits the public application form (no sign-in): at most
 * {@code labcommons.onboarding.form-limit-per-address} submissions per client address per hour,
 * and {@code form-limit-total} from all addresses together (token buckets, refilled gradually).
 * Every attempt counts, valid or not. In one process; several replicas each apply the limits.
 */
@Singleton
public class PublicFormLimiter {
    private static final int MAX_TRACKED_ADDRESSES = 10_000;

    private final OnboardingSettings settings;
    private final Bucket total;
    private final Map<String, Bucket> perAddress = new ConcurrentHashMap<>();

    public PublicFormLimiter(OnboardingSettings settings) {
        this.settings = settings;
        this.total = bucket(settings.getFormLimitTotal());
    }

    /** Zero when the attempt may go ahead; otherwise the seconds to wait before trying again. */
    public long tryAcquire(String address) {
        if (perAddress.size() > MAX_TRACKED_ADDRESSES) {
            perAddress.clear();   // a flood of addresses: start over rather than grow without bound
        }
        Bucket own = perAddress.computeIfAbsent(address, a -> bucket(settings.getFormLimitPerAddress()));
        ConsumptionProbe probe = own.tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            return seconds(probe.getNanosToWaitForRefill());
        }
        ConsumptionProbe all = total.tryConsumeAndReturnRemaining(1);
        return all.isConsumed() ? 0 : seconds(all.getNanosToWaitForRefill());
    }

    private static long seconds(long nanos) {
        return Math.max(1, Duration.ofNanos(nanos).toSeconds() + 1);
    }

    private static Bucket bucket(int perHour) {
        int n = Math.max(1, perHour);
        return Bucket.builder().addLimit(Bandwidth.builder().capacity(n).refillGreedy(n, Duration.ofHours(1)).build())
                .build();
    }
}

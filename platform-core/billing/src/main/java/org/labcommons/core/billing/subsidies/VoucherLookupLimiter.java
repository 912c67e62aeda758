package org.labcommons.core.billing.subsidies;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Locale;

/**
 * The rate limit of the public voucher balance lookup ({@link LookupSettings}): one token bucket per client address
 * and one per voucher number (normalised: trimmed, upper case), both refilled gradually over the window. A lookup
 * takes a token from both; refused by either, it takes none from the other (the address's token is returned when
 * the number's bucket refuses, so a client hammering one number does not also lose its own allowance elsewhere).
 * Buckets live in Caffeine caches that forget one idle for ten minutes; while {@value #MAX_TRACKED} keys of a kind
 * have one, further keys of that kind share one overflow bucket (a flood of new addresses or numbers neither grows
 * memory nor refills a known bucket). Per instance: behind several replicas the limit is per replica.
 */
@Singleton
public class VoucherLookupLimiter {
    static final int MAX_TRACKED = 10_000;

    private final Limits byAddress;
    private final Limits byVoucher;

    public VoucherLookupLimiter(LookupSettings settings) {
        Duration window = settings.getLookupWindow() == null || settings.getLookupWindow().isNegative()
                || settings.getLookupWindow().isZero() ? Duration.ofMinutes(1) : settings.getLookupWindow();
        this.byAddress = new Limits(Math.max(1, settings.getLookupPerAddress()), window);
        this.byVoucher = new Limits(Math.max(1, settings.getLookupPerVoucher()), window);
    }

    /** Zero when a lookup of {@code number} from {@code address} may go ahead; otherwise the whole seconds to wait (≥ 1). */
    public long tryAcquire(String address, String number) {
        Bucket own = byAddress.bucket(address);
        ConsumptionProbe first = own.tryConsumeAndReturnRemaining(1);
        if (!first.isConsumed()) {
            return seconds(first);
        }
        String key = number == null ? "" : number.strip().toUpperCase(Locale.ROOT);
        ConsumptionProbe second = byVoucher.bucket(key).tryConsumeAndReturnRemaining(1);
        if (!second.isConsumed()) {
            own.addTokens(1);
            return seconds(second);
        }
        return 0;
    }

    /** Rounded up to a whole second, at least one. */
    private static long seconds(ConsumptionProbe probe) {
        long nanos = probe.getNanosToWaitForRefill();
        return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
    }

    private static final class Limits {
        private final int capacity;
        private final Duration window;
        private final Bucket overflow;
        private final Cache<String, Bucket> buckets = Caffeine.newBuilder().maximumSize(MAX_TRACKED)
                .expireAfterAccess(Duration.ofMinutes(10)).executor(Runnable::run).build();

        Limits(int capacity, Duration window) {
            this.capacity = capacity;
            this.window = window;
            this.overflow = create();
        }

        Bucket bucket(String key) {
            Bucket known = buckets.getIfPresent(key);
            return known != null ? known : admit(key);
        }

        private synchronized Bucket admit(String key) {
            Bucket known = buckets.getIfPresent(key);
            if (known != null) {
                return known;
            }
            if (buckets.estimatedSize() >= MAX_TRACKED) {
                buckets.cleanUp();
                if (buckets.estimatedSize() >= MAX_TRACKED) {
                    return overflow;
                }
            }
            Bucket created = create();
            buckets.put(key, created);
            return created;
        }

        private Bucket create() {
            return Bucket.builder().addLimit(Bandwidth.builder().capacity(capacity).refillGreedy(capacity, window).build())
                    .build();
        }
    }
}

package org.labcommons.core.billing.subsidies;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/**
 * {@code labcommons.billing.subsidies.lookup-*}: the rate limit of the public voucher balance lookup
 * ({@code POST /api/v1/public/vouchers/balance}, {@link VoucherLookupLimiter}).
 * <ul>
 *   <li>{@code lookup-per-address} (20): lookups one client address may make per {@code lookup-window};</li>
 *   <li>{@code lookup-per-voucher} (10): lookups of one voucher number (from any address) per {@code lookup-window},
 *       so a tax id cannot be guessed against a known number from many addresses;</li>
 *   <li>{@code lookup-window} (1m): the window both refill over (gradually, a token bucket).</li>
 * </ul>
 */
@ConfigurationProperties("labcommons.billing.subsidies")
public class LookupSettings {
    private int lookupPerAddress = 20;
    private int lookupPerVoucher = 10;
    private Duration lookupWindow = Duration.ofMinutes(1);

    public int getLookupPerAddress() {
        return lookupPerAddress;
    }

    public void setLookupPerAddress(int lookupPerAddress) {
        this.lookupPerAddress = lookupPerAddress;
    }

    public int getLookupPerVoucher() {
        return lookupPerVoucher;
    }

    public void setLookupPerVoucher(int lookupPerVoucher) {
        this.lookupPerVoucher = lookupPerVoucher;
    }

    public Duration getLookupWindow() {
        return lookupWindow;
    }

    public void setLookupWindow(Duration lookupWindow) {
        this.lookupWindow = lookupWindow;
    }
}

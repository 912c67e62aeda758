package org.labcommons.iot.broker;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * How the extension reaches LabCommons, from the broker's environment:
 * <ul>
 *   <li>{@code LABCOMMONS_URL}: the platform's address, e.g. {@code http://labcommons-iot:8080} (required)</li>
 *   <li>{@code LABCOMMONS_BROKER_TOKEN}: the platform's {@code labcommons.iot.access.broker-token} (required)</li>
 *   <li>{@code LABCOMMONS_SWEEP_SECONDS}: how often revoked devices are looked up and disconnected (default 15)</li>
 *   <li>{@code LABCOMMONS_TIMEOUT_SECONDS}: how long one call may take (default 10)</li>
 *   <li>{@code LABCOMMONS_AUTH_THREADS}: calls under way at once (default 32); further CONNECTs wait</li>
 * </ul>
 *
 * @param baseUrl       the platform's address
 * @param token         the broker token
 * @param sweepInterval how often revocations are swept
 * @param timeout       the longest a call may take
 * @param threads       calls under way at once
 */
public record BrokerAccessConfig(URI baseUrl, String token, Duration sweepInterval, Duration timeout, int threads) {
    public BrokerAccessConfig {
        if (baseUrl == null || token == null || token.isBlank()) {
            throw new IllegalArgumentException("LABCOMMONS_URL and LABCOMMONS_BROKER_TOKEN are required");
        }
        String s = baseUrl.toString();
        baseUrl = URI.create(s.endsWith("/") ? s : s + "/");
        if (sweepInterval.isNegative() || sweepInterval.isZero() || timeout.isNegative() || timeout.isZero() || threads < 1) {
            throw new IllegalArgumentException("sweep interval, timeout and threads must be positive");
        }
    }

    /** From environment variables (see the class comment). */
    public static BrokerAccessConfig fromEnvironment(Map<String, String> env) {
        String url = env.get("LABCOMMONS_URL");
        return new BrokerAccessConfig(url == null || url.isBlank() ? null : URI.create(url.strip()),
                env.get("LABCOMMONS_BROKER_TOKEN"),
                Duration.ofSeconds(number(env, "LABCOMMONS_SWEEP_SECONDS", 15)),
                Duration.ofSeconds(number(env, "LABCOMMONS_TIMEOUT_SECONDS", 10)),
                (int) number(env, "LABCOMMONS_AUTH_THREADS", 32));
    }

    private static long number(Map<String, String> env, String name, long fallback) {
        String v = env.get(name);
        try {
            return v == null || v.isBlank() ? fallback : Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, was " + v, e);
        }
    }
}

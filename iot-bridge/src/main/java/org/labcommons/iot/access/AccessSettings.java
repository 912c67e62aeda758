package org.labcommons.iot.access;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/**
 * {@code labcommons.iot.access.*}: how brokers reach the access decision ({@link BrokerAccessController}).
 * <ul>
 *   <li>{@code broker-token} (LABCOMMONS_IOT_ACCESS_BROKER_TOKEN): the bearer secret a broker sends; empty
 *       refuses every broker call (the endpoints are never open). Dev mode and tests get a random one from
 *       the dev stack.</li>
 *   <li>{@code verified-ttl}: how long a device secret once verified against its slow hash is accepted again
 *       without hashing (reconnect storms); rotation and revocation end it at once.</li>
 *   <li>{@code verified-max}: at most this many remembered verifications.</li>
 * </ul>
 */
@ConfigurationProperties("labcommons.iot.access")
public class AccessSettings {
    private String brokerToken = "";
    private Duration verifiedTtl = Duration.ofMinutes(5);
    private int verifiedMax = 100_000;

    public String getBrokerToken() { return brokerToken; }
    public void setBrokerToken(String brokerToken) { this.brokerToken = brokerToken == null ? "" : brokerToken; }
    public Duration getVerifiedTtl() { return verifiedTtl; }
    public void setVerifiedTtl(Duration verifiedTtl) { this.verifiedTtl = verifiedTtl; }
    public int getVerifiedMax() { return verifiedMax; }
    public void setVerifiedMax(int verifiedMax) { this.verifiedMax = verifiedMax; }
}

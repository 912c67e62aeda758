package org.labcommons.devstack.mqtt;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A policy holding a fixed set of accounts: used by the dev stack until the platform installs
 * its own (device credentials provisioned by tenant-admin, checked by iot-bridge).
 */
public final class StaticMqttAccessPolicy implements MqttAccessPolicy {
    private record Account(byte[] password, MqttGrant grant) {
    }

    private final Map<String, Account> accounts = new ConcurrentHashMap<>();

    /** Adds or replaces an account. */
    public StaticMqttAccessPolicy account(String username, String password, MqttGrant grant) {
        accounts.put(username, new Account(password.getBytes(StandardCharsets.UTF_8), grant));
        return this;
    }

    @Override
    public Optional<MqttGrant> authenticate(String clientId, String username, byte[] password) {
        Account account = username == null ? null : accounts.get(username);
        if (account == null || password == null || !MessageDigest.isEqual(account.password(), password)) {
            return Optional.empty();
        }
        return Optional.of(account.grant());
    }
}

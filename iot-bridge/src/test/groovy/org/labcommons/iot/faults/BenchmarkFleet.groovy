package org.labcommons.iot.faults

import groovy.transform.CompileStatic

import javax.crypto.SecretKeyFactory
import javax.crypto.spec.PBEKeySpec
import java.security.KeyPair
import java.security.SecureRandom
import java.sql.Connection
import java.util.concurrent.CompletableFuture
import java.util.concurrent.TimeUnit

/**
 * The benchmark's thousands of devices, inserted in batches (one tenant-bound transaction per
 * 500, as the runtime role, so row-level security checks every row) instead of one
 * {@code DeviceRegistry.create} each: they share one secret whose stored hash has 1,000 PBKDF2
 * iterations instead of 100,000 (the format records the count), so that 2,000 CONNECTs cost the
 * access decision seconds, not minutes. Every device has its own Ed25519 key.
 */
@CompileStatic
class BenchmarkFleet {
    static final int HASH_ITERATIONS = 1_000

    static List<LeanDevice> provision(Connection app, UUID tenant, int count) {
        String secret = UUID.randomUUID().toString()
        String hash = hash(secret)
        List<LeanDevice> devices = []
        app.autoCommit = false
        try {
            for (int from = 0; from < count; from += 500) {
                def bind = app.prepareStatement("select set_config('app.tenant_id', ?, true)")
                bind.setString(1, tenant.toString())
                bind.execute()
                def insert = app.prepareStatement('''insert into devices (tenant_id, id, kind, name, room, secret_hash, public_key)
                        values (?, ?, 'power_meter', ?, 'benchmark hall', ?, ?)''')
                for (int i = from; i < Math.min(count, from + 500); i++) {
                    KeyPair keys = LeanDevice.newKeys()
                    UUID id = LeanDevice.uuidV7()
                    insert.setObject(1, tenant)
                    insert.setObject(2, id)
                    insert.setString(3, "bench-meter-${i}-${id.toString().takeRight(6)}".toString())
                    insert.setString(4, hash)
                    insert.setBytes(5, LeanDevice.rawPublicKey(keys))
                    insert.addBatch()
                    devices << new LeanDevice(tenant, id, secret, keys)
                }
                insert.executeBatch()
                app.commit()
            }
        } finally {
            app.autoCommit = true
        }
        devices
    }

    /** {@code pbkdf2-sha256$<iterations>$<salt>$<hash>} as DeviceSecrets writes it, with fewer iterations. */
    static String hash(String secret) {
        byte[] salt = new byte[16]
        new SecureRandom().nextBytes(salt)
        byte[] derived = SecretKeyFactory.getInstance('PBKDF2WithHmacSHA256')
                .generateSecret(new PBEKeySpec(secret.toCharArray(), salt, HASH_ITERATIONS, 256)).encoded
        def b64 = Base64.urlEncoder.withoutPadding()
        'pbkdf2-sha256$' + HASH_ITERATIONS + '$' + b64.encodeToString(salt) + '$' + b64.encodeToString(derived)
    }

    /** Connects every device, {@code parallel} CONNECTs at a time. */
    static void connectAll(List<LeanDevice> devices, String host, int port, int parallel = 50) {
        for (int from = 0; from < devices.size(); from += parallel) {
            List<CompletableFuture<?>> batch = []
            for (LeanDevice d : devices.subList(from, Math.min(devices.size(), from + parallel))) {
                batch << d.connectAsync(host, port)
            }
            CompletableFuture.allOf(batch as CompletableFuture[]).get(120, TimeUnit.SECONDS)
        }
    }
}

package org.labcommons.iot.faults

import com.hivemq.client.mqtt.datatypes.MqttQos
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client
import groovy.transform.CompileStatic

import java.nio.charset.StandardCharsets
import java.security.KeyPair
import java.security.KeyPairGenerator
import java.time.Instant
import java.time.ZoneOffset
import java.time.format.DateTimeFormatter
import java.util.concurrent.CompletableFuture
import java.util.concurrent.ConcurrentLinkedQueue
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicLong

/**
 * A lean LC-IC/1 publisher for the fault specifications and the benchmark: one MQTT 5 session per
 * device (client id and user name = device id, persistent session), envelopes written directly in
 * RFC 8785 canonical form (every value it writes is a plain string, integer or boolean, so sorted
 * keys without whitespace are the canonical form), Ed25519-signed where the protocol asks for it.
 * Like a real controller it keeps every message until the broker acknowledged it (PUBACK) and
 * sends it again (same eventId and seq) when a publish fails, so a broker restart loses nothing on
 * the device's side.
 */
@CompileStatic
class LeanDevice implements AutoCloseable {
    static final DateTimeFormatter DEVICE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC)

    final UUID tenantId
    final UUID deviceId
    final String secret
    final KeyPair keys
    final UUID bootId = UUID.randomUUID()
    /** What each envelope's time is shifted by (a device whose clock is off). */
    long clockOffsetMs = 0
    private final AtomicLong seq = new AtomicLong()
    private Mqtt5AsyncClient client
    /** Publishes that failed and wait to be sent again. */
    private final ConcurrentLinkedQueue<Outgoing> retry = new ConcurrentLinkedQueue<>()
    /** Messages handed to {@link #send} (not counting resends), and those the broker acknowledged. */
    final AtomicLong sent = new AtomicLong()
    final AtomicLong acked = new AtomicLong()
    final AtomicLong resent = new AtomicLong()
    /**
     * Publishes the broker refused (PUBACK with an error reason, e.g. NOT_AUTHORIZED); not sent again. HiveMQ CE
     * then disconnects an MQTT 5 client ({@link #disconnects}); the publishes it had in flight behind the refused
     * one have no PUBACK yet and are sent again by the MQTT client when it reconnects (at least once), so the
     * broker may forward them twice.
     */
    final AtomicLong refused = new AtomicLong()
    /** Times the connection was lost (e.g. the broker's DISCONNECT after a publish it refused). */
    final AtomicLong disconnects = new AtomicLong()
    /** The seqs of the messages the broker acknowledged. */
    final Set<Long> ackedSeqs = java.util.concurrent.ConcurrentHashMap.<Long> newKeySet()

    static class Outgoing {
        final String topic
        final byte[] payload
        final long seq
        Outgoing(String topic, byte[] payload, long seq) { this.topic = topic; this.payload = payload; this.seq = seq }
    }

    LeanDevice(UUID tenantId, UUID deviceId, String secret, KeyPair keys) {
        this.tenantId = tenantId
        this.deviceId = deviceId
        this.secret = secret
        this.keys = keys
    }

    static KeyPair newKeys() {
        KeyPairGenerator.getInstance('Ed25519').generateKeyPair()
    }

    /** The 32-byte raw Ed25519 public key (the last 32 bytes of its X.509 encoding). */
    static byte[] rawPublicKey(KeyPair keys) {
        byte[] x509 = keys.public.encoded
        Arrays.copyOfRange(x509, x509.length - 32, x509.length)
    }

    /** Connects (persistent session, automatic reconnect) and waits for the CONNACK (connectAsync: does not wait). */
    LeanDevice connect(String host, int port) {
        connectAsync(host, port).get(30, TimeUnit.SECONDS)
        this
    }

    CompletableFuture<?> connectAsync(String host, int port) {
        client = Mqtt5Client.builder()
                .identifier(deviceId.toString())
                .serverHost(host).serverPort(port)
                .automaticReconnect().initialDelay(100, TimeUnit.MILLISECONDS).maxDelay(2, TimeUnit.SECONDS).applyAutomaticReconnect()
                .addDisconnectedListener { disconnects.incrementAndGet() }
                .simpleAuth().username(deviceId.toString()).password(secret.getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                .buildAsync()
        client.connectWith().cleanStart(false).sessionExpiryInterval(3600).send()
    }

    String topic(String channel) {
        "lc/v1/${tenantId}/${deviceId}/up/${channel}".toString()
    }

    long nextSeq() {
        seq.incrementAndGet()
    }

    long lastSeq() {
        seq.get()
    }

    /**
     * One envelope. {@code bodyJson} must itself be canonical (sorted keys, no whitespace).
     * Signed when {@code signed}.
     */
    byte[] envelope(long seq, String type, String bodyJson, boolean historical, Instant deviceTime, boolean signed) {
        String unsigned = '{"body":' + bodyJson +
                ',"bootId":"' + bootId + '"' +
                ',"deviceTime":"' + DEVICE_TIME.format(deviceTime.plusMillis(clockOffsetMs)) + '"' +
                ',"eventId":"' + uuidV7() + '"' +
                ',"historical":' + historical +
                ',"seq":' + seq +
                ',"type":"' + type + '"' +
                ',"v":"LC-IC/1"}'
        if (!signed) {
            return unsigned.getBytes(StandardCharsets.UTF_8)
        }
        String sig = sign(unsigned.getBytes(StandardCharsets.UTF_8))
        (unsigned.substring(0, unsigned.length() - 1) + ',"sig":"' + sig + '"}').getBytes(StandardCharsets.UTF_8)
    }

    /** Signed with BouncyCastle's RFC 8032 code (the bridge's {@code Signatures}): several times cheaper than the JDK 17 provider. */
    String sign(byte[] message) {
        Base64.urlEncoder.withoutPadding().encodeToString(org.labcommons.iot.protocol.Signatures.sign(keys.private, message))
    }

    /** A power sample on up/telemetry (unsigned: the protocol makes the signature optional there). */
    Outgoing telemetry(long seq, Instant at = Instant.now(), boolean historical = false) {
        new Outgoing(topic('telemetry'), envelope(seq, 'power.sample', '{"watts":' + (1000 + seq % 500) + '}', historical, at, false), seq)
    }

    /** A signed usage event on up/event. */
    Outgoing event(long seq, Instant at = Instant.now(), boolean historical = false) {
        new Outgoing(topic('event'), envelope(seq, 'pc.login', '{"user":"u' + (seq % 7) + '"}', historical, at, true), seq)
    }

    /** Any bytes on any topic (bad input, foreign topics). */
    Outgoing raw(String topic, byte[] payload, long seq = 0) {
        new Outgoing(topic, payload, seq)
    }

    /** Sends a new message (counted in {@link #sent}); see {@link #publish}. */
    CompletableFuture<Boolean> send(Outgoing m) {
        sent.incrementAndGet()
        publish(m)
    }

    /**
     * Publishes at QoS 1. A publish that failed (no connection, the broker went away) is queued to be
     * sent again by {@link #flushRetries}; one the broker answered with an error reason code is
     * counted in {@link #refused} and not sent again (the broker will not take it).
     */
    CompletableFuture<Boolean> publish(Outgoing m) {
        client.publishWith().topic(m.topic).qos(MqttQos.AT_LEAST_ONCE).payload(m.payload).send()
                .handle { com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult result, Throwable thrown ->
                    Throwable error = thrown ?: result.error.orElse(null)
                    if (error == null) {
                        acked.incrementAndGet()
                        ackedSeqs.add(m.seq)
                        return true
                    }
                    if (error instanceof com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException) {
                        refused.incrementAndGet()
                    } else {
                        retry.add(m)
                    }
                    false
                } as CompletableFuture<Boolean>
    }

    /** Sends what failed again until every message sent was acknowledged or refused, or the deadline passed. */
    boolean awaitSettled(long deadlineMs) {
        while (System.currentTimeMillis() < deadlineMs) {
            flushRetries(deadlineMs)
            if (acked.get() + refused.get() >= sent.get()) {
                return true
            }
            Thread.sleep(50)
        }
        false
    }

    /** Sends the failed publishes again until every one was acknowledged or the deadline passed. */
    boolean flushRetries(long deadlineMs) {
        while (!retry.isEmpty() && System.currentTimeMillis() < deadlineMs) {
            if (!client.state.connected) {
                Thread.sleep(100)
                continue
            }
            List<CompletableFuture<Boolean>> pending = []
            Outgoing m
            while ((m = retry.poll()) != null) {
                resent.incrementAndGet()
                pending << publish(m)
            }
            for (CompletableFuture<Boolean> f : pending) {
                try {
                    f.get(30, TimeUnit.SECONDS)
                } catch (Exception ignored) {
                    // queued again by publish()
                }
            }
            if (!retry.isEmpty()) {
                Thread.sleep(200)
            }
        }
        retry.isEmpty()
    }

    int pendingRetries() {
        retry.size()
    }

    boolean connected() {
        client != null && client.state.connected
    }

    Mqtt5AsyncClient client() {
        client
    }

    @Override
    void close() {
        if (client != null) {
            try {
                client.disconnect().get(5, TimeUnit.SECONDS)
            } catch (Exception ignored) {
                // already gone
            }
        }
    }

    /** A UUID version 7: 48 bits of Unix milliseconds, then random bits (unique, not secret: ThreadLocalRandom). */
    static UUID uuidV7() {
        long ms = System.currentTimeMillis()
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current()
        long rand = random.nextLong()
        long msb = (ms << 16) | 0x7000L | (random.nextInt(0x1000) & 0x0FFFL)
        long lsb = (rand & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L
        new UUID(msb, lsb)
    }
}

package org.labcommons.iot.ingest;

import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.labcommons.iot.devices.DeviceCredential;
import org.labcommons.iot.devices.DeviceDirectory;
import org.labcommons.iot.protocol.Envelope;
import org.labcommons.iot.protocol.EnvelopeReader;
import org.labcommons.iot.protocol.Signatures;
import org.labcommons.iot.protocol.Topic;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Decides where one MQTT message goes: its Kafka record, valid or dead letter. The checks, in order (the
 * first that fails names the dead-letter reason):
 * <ol>
 *   <li>the topic is an uplink of LC-IC/1, {@code lc/v1/{tenant}/{device}/up/{channel}} ({@code foreign_topic});</li>
 *   <li>the payload is at most {@code max-payload-bytes} ({@code oversize});</li>
 *   <li>the topic's device is known ({@code unknown_device}) and not revoked ({@code revoked_device}), and the
 *       topic's tenant is its credential's tenant ({@code tenant_mismatch}); the broker's ACL already keeps a
 *       device to its own topics, this is the bridge's own check;</li>
 *   <li>the envelope ({@link EnvelopeReader}: JSON, schema, size: {@code malformed_json}, {@code schema},
 *       {@code oversize});</li>
 *   <li>the signature: required on {@code up/event} and {@code up/state} ({@code missing_signature}), verified
 *       whenever present with the device's Ed25519 key over the canonical envelope ({@code bad_signature}).</li>
 * </ol>
 * A valid message goes to {@link IotTopics#TELEMETRY} or {@link IotTopics#EVENTS}, keyed by device id, with the
 * payload unchanged and the headers of {@link IngestHeaders} (among them {@code lc-instrument}, the device's
 * instrument from the {@link DeviceDirectory}); its anomalies come from the lane's
 * {@link DeviceTracker} and its activity goes to the {@link ActivityRecorder}.
 * A device lookup that fails (database down) throws: the lane tries the message again later.
 */
final class MessageInspector {
    private static final Argument<Map<String, Object>> MAP = Argument.mapOf(String.class, Object.class);

    /** Where a message goes. {@code reason} is null for a valid one. */
    record Verdict(ProducerRecord<String, byte[]> record, String channel, String reason) {
    }

    private final IngestSettings settings;
    private final DeviceDirectory directory;
    private final EnvelopeReader reader;
    private final ActivityRecorder activity;
    private final IngestMetrics metrics;
    private final JsonMapper json;

    MessageInspector(IngestSettings settings, DeviceDirectory directory, EnvelopeReader reader, ActivityRecorder activity,
                     IngestMetrics metrics, JsonMapper json) {
        this.settings = settings;
        this.directory = directory;
        this.reader = reader;
        this.activity = activity;
        this.metrics = metrics;
        this.json = json;
    }

    Verdict inspect(String mqttTopic, byte[] payload, Instant receivedAt, DeviceTracker tracker) {
        Optional<Topic> parsed = Topic.parse(mqttTopic);
        if (parsed.isEmpty() || !"up".equals(parsed.get().direction())
                || IotTopics.forChannel(parsed.get().channel()).isEmpty()) {
            return deadLetter(mqttTopic, payload, receivedAt, parsed.orElse(null), null, DeadLetterReason.FOREIGN_TOPIC,
                    "not an uplink topic of LC-IC/1 (lc/v1/{tenant}/{device}/up/{state|telemetry|event|auth/req|cmd/res})");
        }
        Topic topic = parsed.get();
        if (payload.length > settings.getMaxPayloadBytes()) {
            return deadLetter(mqttTopic, payload, receivedAt, topic, null, DeadLetterReason.OVERSIZE,
                    payload.length + " bytes, the limit is " + settings.getMaxPayloadBytes());
        }
        Optional<DeviceCredential> found = directory.credential(topic.deviceId());
        if (found.isEmpty()) {
            return deadLetter(mqttTopic, payload, receivedAt, topic, null, DeadLetterReason.UNKNOWN_DEVICE,
                    "no device " + topic.deviceId());
        }
        DeviceCredential credential = found.get();
        if (credential.revoked()) {
            return deadLetter(mqttTopic, payload, receivedAt, topic, credential, DeadLetterReason.REVOKED_DEVICE,
                    "device " + topic.deviceId() + " is revoked");
        }
        if (!credential.tenantId().equals(topic.tenantId())) {
            return deadLetter(mqttTopic, payload, receivedAt, topic, credential, DeadLetterReason.TENANT_MISMATCH,
                    "the topic names tenant " + topic.tenantId() + ", the device belongs to another");
        }
        EnvelopeReader.Result result = reader.read(topic.channel(), payload);
        if (result instanceof EnvelopeReader.Bad bad) {
            DeadLetterReason reason = DeadLetterReason.fromId(bad.reason()).orElse(DeadLetterReason.SCHEMA);
            return deadLetter(mqttTopic, payload, receivedAt, topic, credential, reason, bad.detail());
        }
        EnvelopeReader.Ok ok = (EnvelopeReader.Ok) result;
        Envelope envelope = ok.envelope();
        String signatureProblem = checkSignature(topic.channel(), envelope, ok.signedBytes(), credential);
        if (signatureProblem != null) {
            DeadLetterReason reason = envelope.sig() == null ? DeadLetterReason.MISSING_SIGNATURE : DeadLetterReason.BAD_SIGNATURE;
            return deadLetter(mqttTopic, payload, receivedAt, topic, credential, reason, signatureProblem);
        }
        return valid(topic, credential, envelope, payload, receivedAt, tracker);
    }

    /** Null when the signature is acceptable, else what is wrong. */
    private static String checkSignature(String channel, Envelope envelope, byte[] signedBytes, DeviceCredential credential) {
        if (envelope.sig() == null || envelope.sig().isEmpty()) {
            return IotTopics.signatureRequired(channel) ? "up/" + channel + " must be signed" : null;
        }
        if (credential.publicKey() == null) {
            return "the device has no public key registered";
        }
        byte[] signature;
        try {
            signature = Base64.getUrlDecoder().decode(envelope.sig());
        } catch (IllegalArgumentException e) {
            return "sig is not base64url";
        }
        return Signatures.verify(credential.publicKey(), signedBytes, signature) ? null
                : "the signature does not verify with the device's public key";
    }

    private Verdict valid(Topic topic, DeviceCredential credential, Envelope envelope, byte[] payload, Instant receivedAt,
                          DeviceTracker tracker) {
        DeviceTracker.Observation seen = tracker.observe(topic.deviceId(), envelope.eventId(), envelope.seq(),
                envelope.deviceTime(), envelope.historical(), receivedAt);
        RecordHeaders headers = common(credential.tenantId(), topic.deviceId().toString(), topic.channel(), receivedAt);
        put(headers, IngestHeaders.EVENT_ID, envelope.eventId().toString());
        put(headers, IngestHeaders.SEQ, Long.toString(envelope.seq()));
        directory.instrumentOf(credential.tenantId(), topic.deviceId())
                .ifPresent(instrument -> put(headers, IngestHeaders.INSTRUMENT, instrument.toString()));
        if (seen.skewMs() != null) {
            put(headers, IngestHeaders.SKEW_MS, Long.toString(seen.skewMs()));
        }
        if (seen.correctedTime() != null) {
            put(headers, IngestHeaders.CORRECTED_TIME, seen.correctedTime().toString());
        }
        if (!seen.anomalies().isEmpty()) {
            put(headers, IngestHeaders.ANOMALY, String.join(",", seen.anomalies()));
            for (String kind : seen.anomalies()) {
                if ("gap".equals(kind)) {
                    metrics.gap(seen.gapMissing());
                } else {
                    metrics.anomaly(kind);
                }
            }
        }
        noteActivity(topic, credential, envelope, receivedAt);
        String kafkaTopic = IotTopics.forChannel(topic.channel()).orElseThrow();
        return new Verdict(new ProducerRecord<>(kafkaTopic, null, topic.deviceId().toString(), payload, headers),
                topic.channel(), null);
    }

    private void noteActivity(Topic topic, DeviceCredential credential, Envelope envelope, Instant receivedAt) {
        String firmware = null;
        Boolean online = null;
        String eventType = null;
        if ("state".equals(topic.channel())) {
            Map<String, Object> body = body(envelope.bodyJson());
            firmware = body.get("firmware") instanceof String s ? s : null;
            online = body.get("online") instanceof Boolean b ? b : null;
        } else if ("event".equals(topic.channel())) {
            eventType = envelope.type();
        }
        activity.note(credential.tenantId(), topic.deviceId(), receivedAt, String.valueOf(envelope.bootId()),
                envelope.seq(), firmware, online, eventType);
    }

    private Map<String, Object> body(String bodyJson) {
        if (bodyJson == null || bodyJson.isBlank()) {
            return Map.of();
        }
        try {
            Map<String, Object> body = json.readValue(bodyJson, MAP);
            return body == null ? Map.of() : body;
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
    }

    private Verdict deadLetter(String mqttTopic, byte[] payload, Instant receivedAt, Topic topic, DeviceCredential credential,
                               DeadLetterReason reason, String detail) {
        UUID tenant = credential != null ? credential.tenantId() : null;
        String device = topic != null ? topic.deviceId().toString() : null;
        String channel = topic != null ? topic.channel() : null;
        RecordHeaders headers = common(tenant, device, channel, receivedAt);
        put(headers, IngestHeaders.REASON, reason.id());
        put(headers, IngestHeaders.DETAIL, detail == null ? "" : detail);
        put(headers, IngestHeaders.MQTT_TOPIC, mqttTopic);
        byte[] value = payload;
        if (payload.length > settings.getDeadLetterMaxBytes()) {
            value = Arrays.copyOf(payload, settings.getDeadLetterMaxBytes());
            put(headers, IngestHeaders.TRUNCATED, "true");
            put(headers, IngestHeaders.PAYLOAD_BYTES, Integer.toString(payload.length));
        }
        String key = device != null ? device : mqttTopic;
        String label = channel != null && IotTopics.CHANNELS.contains(channel) ? channel : "unknown";
        return new Verdict(new ProducerRecord<>(IotTopics.DEADLETTER, null, key, value, headers), label, reason.id());
    }

    private static RecordHeaders common(UUID tenant, String device, String channel, Instant receivedAt) {
        RecordHeaders headers = new RecordHeaders();
        if (tenant != null) {
            put(headers, IngestHeaders.TENANT, tenant.toString());
        }
        if (device != null) {
            put(headers, IngestHeaders.DEVICE, device);
        }
        if (channel != null) {
            put(headers, IngestHeaders.CHANNEL, channel);
        }
        put(headers, IngestHeaders.RECEIVED_AT, receivedAt.toString());
        return headers;
    }

    private static void put(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}

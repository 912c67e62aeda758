package org.labcommons.iot.protocol;
import java.time.Instant;
import java.util.UUID;
public record Envelope(String v, UUID eventId, UUID bootId, long seq, Instant deviceTime, boolean historical,
                       String type, String bodyJson, String sig) {}

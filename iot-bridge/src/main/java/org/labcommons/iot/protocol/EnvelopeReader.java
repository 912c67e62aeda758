package org.labcommons.iot.protocol;
/** PLACEHOLDER (untracked). */
public final class EnvelopeReader {
    public sealed interface Result permits Ok, Bad {}
    public record Ok(Envelope envelope, byte[] signedBytes) implements Result {}
    public record Bad(String reason, String detail) implements Result {}
    public Result read(String channel, byte[] payload) { return new Bad("schema", "placeholder"); }
}

package org.labcommons.iot.protocol;
public final class CanonicalJson { public static byte[] canonicalize(String json) { return json.getBytes(); } }

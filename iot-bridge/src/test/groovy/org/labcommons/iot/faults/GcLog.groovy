package org.labcommons.iot.faults

import java.nio.file.Files
import java.nio.file.Path

/** Reads a JVM's unified GC log ({@code -Xlog:gc:file=…}): the heap in use before each collection. */
class GcLog {
    /** The largest heap occupancy before a collection (MB) logged after byte {@code from}, or null if none. */
    static Long heapUsedMaxMb(Path log, long from) {
        if (!Files.exists(log)) {
            return null
        }
        byte[] all = Files.readAllBytes(log)
        String text = new String(all, (int) Math.min(from, all.length), (int) (all.length - Math.min(from, all.length)))
        def sizes = (text =~ /(\d+)M->(\d+)M\((\d+)M\)/).collect { m -> Long.parseLong((m as List)[1] as String) }
        sizes ? sizes.max() : null
    }
}

package org.labcommons.iot.device;

import org.labcommons.iot.protocol.JsonTree;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The offline buffer (docs/iot-protocol.md, section 12): an append-only file, one message per line
 * ({@code <channel> TAB <payload>}; canonical JSON has no raw line breaks). Messages that could not
 * be published are appended; on reconnect they are read back in seq order and the file is emptied
 * once every one of them is acknowledged.
 */
final class OfflineBuffer {
    /** A buffered message. */
    record Entry(String channel, long seq, byte[] payload) {
    }

    private final Path file;
    private final boolean force;
    private long count;

    OfflineBuffer(Path file, boolean force) {
        this.file = file;
        this.force = force;
        this.count = Files.exists(file) ? readAll().size() : 0;
    }

    synchronized void append(String channel, byte[] payload) {
        byte[] line = new byte[channel.length() + 1 + payload.length + 1];
        byte[] c = channel.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(c, 0, line, 0, c.length);
        line[c.length] = '\t';
        System.arraycopy(payload, 0, line, c.length + 1, payload.length);
        line[line.length - 1] = '\n';
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap(line));
            if (force) {
                ch.force(false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the offline buffer " + file, e);
        }
        count++;
    }

    synchronized long size() {
        return count;
    }

    /** Every buffered message, in seq order. */
    synchronized List<Entry> readAll() {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<Entry> entries = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int tab = line.indexOf('\t');
                if (tab <= 0) {
                    continue; // a torn last line from a crash mid-append: never acknowledged, never sent
                }
                byte[] payload = line.substring(tab + 1).getBytes(StandardCharsets.UTF_8);
                try {
                    Map<?, ?> json = (Map<?, ?>) JsonTree.parse(payload);
                    entries.add(new Entry(line.substring(0, tab), ((Number) json.get("seq")).longValue(), payload));
                } catch (RuntimeException e) {
                    // torn line: skip it
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the offline buffer " + file, e);
        }
        entries.sort(Comparator.comparingLong(Entry::seq));
        return entries;
    }

    /** Empties the buffer (after every entry read by {@link #readAll()} was acknowledged). */
    synchronized void clear(int acknowledged) {
        List<Entry> all = readAll();
        try {
            if (acknowledged >= all.size()) {
                Files.deleteIfExists(file);
                count = 0;
            } else {
                // keep what was appended after the replay started (rare: replay holds the device's lock)
                Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
                StringBuilder rest = new StringBuilder();
                for (Entry e : all.subList(acknowledged, all.size())) {
                    rest.append(e.channel()).append('\t').append(new String(e.payload(), StandardCharsets.UTF_8)).append('\n');
                }
                Files.writeString(tmp, rest.toString());
                Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                count = all.size() - acknowledged;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot empty the offline buffer " + file, e);
        }
    }
}

package org.labcommons.iot.device;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;
import java.util.UUID;

/**
 * The device's sequence, persisted before use (docs/iot-protocol.md, section 6): a small state file
 * holding the highest number reserved so far. Each start takes a new boot id and continues after
 * the reserved number; numbers are reserved {@code block} at a time (1: the file is written before
 * every message), written to a temporary file, forced to disk and moved into place. A clean stop
 * ({@link #release()}) writes back the last number used, so only a crash leaves unused numbers of a
 * block behind (the next boot starts after them: allowed across boots, never within one).
 */
final class SequenceStore {
    private final Path file;
    private final int block;
    private final UUID bootId;
    private long next;
    private long reserved;

    SequenceStore(Path file, int block) {
        this.file = file;
        this.block = Math.max(1, block);
        this.bootId = UUID.randomUUID();
        long last = 0;
        if (Files.exists(file)) {
            Properties p = new Properties();
            try (var in = Files.newInputStream(file)) {
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the sequence state " + file, e);
            }
            last = Long.parseLong(p.getProperty("reserved", "0").trim());
        }
        this.next = last + 1;
        this.reserved = last;
    }

    UUID bootId() {
        return bootId;
    }

    /** The next number, persisted (as part of a reserved block) before it is handed out. */
    synchronized long next() {
        if (next > reserved) {
            reserve(next + block - 1);
        }
        return next++;
    }

    /** The last number handed out (0 before any). */
    synchronized long last() {
        return next - 1;
    }

    /** Gives back the unused rest of the reserved block (on a clean stop). */
    synchronized void release() {
        if (reserved > next - 1) {
            reserve(next - 1);
        }
    }

    private void reserve(long upTo) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        String text = "# LC-IC/1 reference device: sequence numbers up to 'reserved' may have been used\n"
                + "bootId=" + bootId + "\nreserved=" + upTo + "\n";
        try (var channel = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(java.nio.ByteBuffer.wrap(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            channel.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the sequence state " + tmp, e);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the sequence state " + file, e);
        }
        reserved = upTo;
    }
}

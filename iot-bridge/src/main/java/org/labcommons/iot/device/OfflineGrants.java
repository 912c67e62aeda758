package org.labcommons.iot.device;

import org.labcommons.iot.interlock.GrantCache;
import org.labcommons.iot.protocol.CanonicalJson;
import org.labcommons.iot.protocol.JsonTree;
import org.labcommons.iot.protocol.Signatures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A reference device's offline grant cache (LC-IC/1 §8 {@code grants}, §9 fallback): a {@code grants} body is kept
 * only when its signature verifies with the platform's key ({@code keys.platformKey} of the config file); it is
 * written to {@code <name>.grants} beside the config file (so it survives a restart) and read back, verified again,
 * at start. {@link #decide} is what the device does when an access request gets no answer in time.
 */
public final class OfflineGrants {
    private static final Logger LOG = LoggerFactory.getLogger(OfflineGrants.class);

    private final UUID deviceId;
    private final byte[] platformKey;
    private final Path file;
    private volatile Map<?, ?> body;

    /** An offline decision: {@code allow} or {@code deny}, a reason code, and until when an allow holds. */
    public record Decision(String decision, String reason, Instant until) {
        public boolean allowed() {
            return "allow".equals(decision);
        }
    }

    OfflineGrants(UUID deviceId, String platformKeyText, Path file) {
        this.deviceId = deviceId;
        this.platformKey = platformKeyText == null || platformKeyText.isBlank() ? null : Signatures.fromBase64url(platformKeyText);
        this.file = file;
        if (Files.exists(file)) {
            try {
                Object stored = JsonTree.parse(Files.readAllBytes(file));
                if (stored instanceof Map<?, ?> m && verified(m)) {
                    body = m;
                } else {
                    LOG.warn("device {}: the stored grant cache {} does not verify; ignored", deviceId, file);
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("device {}: the stored grant cache {} is unreadable: {}", deviceId, file, e.toString());
            }
        }
    }

    private boolean verified(Map<?, ?> candidate) {
        return platformKey != null && GrantCache.verify(candidate, platformKey);
    }

    /**
     * Keeps a received cache when its signature verifies; answers the {@code cmd.result} status and detail
     * ({@code ok}, or {@code rejected} for a bad signature or no platform key).
     */
    String[] accept(Map<?, ?> received) {
        if (platformKey == null) {
            return new String[]{"rejected", "no platform key in the config file"};
        }
        if (!verified(received)) {
            return new String[]{"rejected", "bad signature"};
        }
        body = received;
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, CanonicalJson.canonicalize(new LinkedHashMap<>(received)));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("device {}: grant cache not written to {}: {}", deviceId, file, e.toString());
        }
        int n = received.get("entries") instanceof java.util.List<?> l ? l.size() : 0;
        return new String[]{"ok", n + " entries"};
    }

    /** Whether a verified cache is held. */
    public boolean present() {
        return body != null;
    }

    /** The held cache's {@code failMode} ({@code closed} without a cache). */
    public String failMode() {
        Map<?, ?> b = body;
        return b != null && "open".equals(b.get("failMode")) ? "open" : "closed";
    }

    /**
     * The decision without the platform: allow when an entry of this credential covers {@code now} (and the cache is
     * still valid); otherwise the cache's fail mode: open allows ({@code offline_fail_open}), closed denies
     * ({@code offline_no_grant}).
     */
    public Decision decide(String credential, Instant now) {
        Map<?, ?> b = body;
        if (b != null && b.get("validUntil") instanceof String vu && now.isBefore(Instant.parse(vu))
                && b.get("entries") instanceof java.util.List<?> entries) {
            String cred = GrantCache.credentialHash(deviceId, credential);
            for (Object o : entries) {
                if (o instanceof Map<?, ?> e && cred.equals(e.get("cred"))) {
                    Instant from = Instant.parse(String.valueOf(e.get("from")));
                    Instant to = Instant.parse(String.valueOf(e.get("to")));
                    if (!now.isBefore(from) && now.isBefore(to)) {
                        return new Decision("allow", "offline_grant", to);
                    }
                }
            }
        }
        return "open".equals(failMode()) ? new Decision("allow", "offline_fail_open", null)
                : new Decision("deny", "offline_no_grant", null);
    }
}

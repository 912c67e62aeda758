package org.labcommons.iot.devices;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.db.SqlStates;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Provisioning of instrument controllers, in the tenant's own transactions (RLS): create (the
 * secret or a claim code handed out once), rotate the secret, revoke, register the Ed25519 public
 * key, and the claim of a device by its controller. Every change is audited in the same
 * transaction; secrets and claim codes are stored only as hashes ({@link DeviceSecrets}). Who may
 * call it is the caller's business (tenant-admin's pages and API let institution admins); it is not
 * tied to a process role.
 */
@Singleton
public record DeviceRegistry(TenantTransactions tenants, DeviceRows rows, DeviceDirectory directory, AuditLog audit,
                             DeviceConfig config, DeviceSettings settings) {
    /** Characters of a claim code: Crockford's base 32 (no I, L, O, U: nothing to misread). */
    static final String CLAIM_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_NAME = 200;
    private static final int MAX_FIRMWARE = 100;

    /** A page of devices and the total count. */
    @io.micronaut.serde.annotation.Serdeable
    public record Page(List<Device> items, int page, int size, long total) {
    }

    /** What a claim came to. */
    public sealed interface ClaimOutcome permits Claimed, UnknownCode, ExpiredCode {
    }

    /** The code was open: the device's credentials and config, once. */
    public record Claimed(Provisioned provisioned) implements ClaimOutcome {
    }

    /** No open code of an unrevoked device is this one (or it was claimed already). */
    public record UnknownCode() implements ClaimOutcome {
    }

    /** The code was right but has expired. */
    public record ExpiredCode() implements ClaimOutcome {
    }

    public Optional<Device> find(TenantId tenant, UUID id) {
        return tenants.inTenant(tenant, c -> rows.findById(id).map(DeviceRow::toDevice));
    }

    /** The tenant's devices by name; {@code instrumentId} filters when given. */
    public Page list(TenantId tenant, @Nullable UUID instrumentId, int page, int size) {
        return tenants.inTenant(tenant, c -> new Page(rows.page(instrumentId, page * size, size).stream()
                .map(DeviceRow::toDevice).toList(), page, size, rows.count(instrumentId)));
    }

    /**
     * Creates a device. Without a claim code the answer holds its secret and config file; with one,
     * the code (valid for {@code labcommons.iot.devices.claim-code-ttl}). Bad fields are 400
     * {@code validation_failed}, a name in use 409 {@code conflict} (field {@code name}), an instrument
     * the tenant does not have (where the catalogue's schema is present, V32) a field error on {@code instrumentId}.
     */
    public Provisioned create(TenantId tenant, AuditEntry.Actor actor, @Nullable UUID userId, NewDevice input) {
        List<FieldProblem> problems = new ArrayList<>();
        DeviceKind kind = null;
        if (input.kind() == null || input.kind().isBlank()) {
            problems.add(required("kind"));
        } else {
            kind = DeviceKind.of(input.kind()).orElse(null);
            if (kind == null) {
                problems.add(new FieldProblem("kind", "invalid", "validation.invalid_format", Map.of()));
            }
        }
        String name = text(input.name());
        if (name == null) {
            problems.add(required("name"));
        } else if (name.length() > MAX_NAME) {
            problems.add(size("name", MAX_NAME));
        }
        String room = text(input.room());
        if (room != null && room.length() > MAX_NAME) {
            problems.add(size("room", MAX_NAME));
        }
        if (input.instrumentId() == null && room == null) {
            problems.add(required("instrumentId"));
            problems.add(required("room"));
        }
        byte[] key = input.publicKey() == null || input.publicKey().isBlank() ? null : publicKey(input.publicKey(), problems);
        if (!problems.isEmpty()) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", problems);
        }
        boolean claim = Boolean.TRUE.equals(input.claimCode());
        String secret = DeviceSecrets.newSecret();
        String code = claim ? newClaimCode() : null;
        Instant now = Instant.now();
        DeviceRow row = new DeviceRow(tenant.value(), DeviceIds.newId(), kind.code(), name, input.instrumentId(), room,
                null, DeviceSecrets.hash(secret), null, key, claim ? DeviceSecrets.claimCodeHash(code) : null,
                claim ? now.plus(settings.getClaimCodeTtl()) : null, null, userId, null, null, null, null, null,
                false, null, null, 0L);
        try {
            Device device = tenants.inTenant(tenant, c -> {
                if (rows.existsByName(name)) {
                    throw nameTaken();
                }
                Device saved = rows.save(row).toDevice();
                Device created = rows.findById(saved.id()).map(DeviceRow::toDevice).orElse(saved);
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("kind", created.kind().code());
                details.put("name", name);
                if (created.instrumentId() != null) {
                    details.put("instrumentId", created.instrumentId().toString());
                }
                if (room != null) {
                    details.put("room", room);
                }
                details.put("publicKey", key != null);
                details.put("claimCode", claim);
                audit.append(c, actor.entry("device.created", "device", created.id().toString(), details));
                return created;
            });
            return claim ? new Provisioned(device, null, null, code)
                    : new Provisioned(device, secret, config.file(device, secret), null);
        } catch (DataAccessException e) {
            if (SqlStates.causedBy(e, SqlStates.UNIQUE_VIOLATION)) {
                throw nameTaken();
            }
            if (SqlStates.causedBy(e, "23503")) {
                throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", List.of(
                        new FieldProblem("instrumentId", "unknown", "validation.unknown_reference", Map.of())));
            }
            throw e;
        }
    }

    /** A new secret for an unrevoked device (the old one stops working), with its config, once. */
    public Provisioned rotate(TenantId tenant, AuditEntry.Actor actor, UUID id) {
        String secret = DeviceSecrets.newSecret();
        String hash = DeviceSecrets.hash(secret);
        Device device = tenants.inTenant(tenant, c -> {
            DeviceRow row = rows.findById(id).orElseThrow(ProblemException::notFound);
            if (row.revokedAt() != null) {
                throw revoked();
            }
            rows.rotate(id, hash, Instant.now());
            audit.append(c, actor.entry("device.secret_rotated", "device", id.toString(), Map.of()));
            return rows.findById(id).orElseThrow().toDevice();
        });
        directory.forget(id);
        return new Provisioned(device, secret, config.file(device, secret), null);
    }

    /** Revokes a device: the broker refuses it from now on and disconnects it within a minute. */
    public Device revoke(TenantId tenant, AuditEntry.Actor actor, @Nullable UUID userId, UUID id) {
        Device device = tenants.inTenant(tenant, c -> {
            DeviceRow row = rows.findById(id).orElseThrow(ProblemException::notFound);
            if (row.revokedAt() != null) {
                throw revoked();
            }
            rows.revoke(id, Instant.now(), userId);
            audit.append(c, actor.entry("device.revoked", "device", id.toString(), Map.of("name", row.name())));
            return rows.findById(id).orElseThrow().toDevice();
        });
        directory.forget(id);
        return device;
    }

    /** Registers or replaces the Ed25519 public key (base64url, 32 bytes) of an unrevoked device. */
    public Device registerKey(TenantId tenant, AuditEntry.Actor actor, UUID id, @Nullable String publicKey) {
        List<FieldProblem> problems = new ArrayList<>();
        byte[] key = publicKey == null || publicKey.isBlank() ? null : publicKey(publicKey, problems);
        if (key == null && problems.isEmpty()) {
            problems.add(required("publicKey"));
        }
        if (!problems.isEmpty()) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", problems);
        }
        Device device = tenants.inTenant(tenant, c -> {
            DeviceRow row = rows.findById(id).orElseThrow(ProblemException::notFound);
            if (row.revokedAt() != null) {
                throw revoked();
            }
            rows.registerKey(id, key);
            audit.append(c, actor.entry("device.key_registered", "device", id.toString(),
                    Map.of("replaced", row.publicKey() != null)));
            return rows.findById(id).orElseThrow().toDevice();
        });
        directory.forget(id);
        return device;
    }

    /**
     * A controller claims its device with the code an admin was given: it sends its public key (and
     * firmware) and receives its secret and config, once; the code is used up. Bad fields are 400
     * {@code validation_failed}; a wrong, used or revoked device's code is {@link UnknownCode}, an
     * expired one {@link ExpiredCode}.
     */
    public ClaimOutcome claim(@Nullable String code, @Nullable String publicKey, @Nullable String firmware) {
        List<FieldProblem> problems = new ArrayList<>();
        String normal = code == null ? "" : code.toUpperCase(java.util.Locale.ROOT).replaceAll("[\\s-]", "");
        if (normal.isEmpty()) {
            problems.add(required("code"));
        } else if (normal.length() != 10 || !normal.chars().allMatch(ch -> CLAIM_ALPHABET.indexOf(ch) >= 0)) {
            problems.add(new FieldProblem("code", "invalid", "validation.invalid_format", Map.of()));
        }
        byte[] key = publicKey == null || publicKey.isBlank() ? null : publicKey(publicKey, problems);
        if (key == null && problems.stream().noneMatch(p -> p.field().equals("publicKey"))) {
            problems.add(required("publicKey"));
        }
        String fw = text(firmware);
        if (fw != null && fw.length() > MAX_FIRMWARE) {
            problems.add(size("firmware", MAX_FIRMWARE));
        }
        if (!problems.isEmpty()) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", problems);
        }
        String codeHash = DeviceSecrets.claimCodeHash(normal);
        List<DeviceRows.Claimable> found = rows.claimable(codeHash);
        if (found.isEmpty()) {
            return new UnknownCode();
        }
        DeviceRows.Claimable target = found.get(0);
        Instant now = Instant.now();
        if (!target.claimExpiresAt().isAfter(now)) {
            return new ExpiredCode();
        }
        String secret = DeviceSecrets.newSecret();
        String hash = DeviceSecrets.hash(secret);
        Optional<Device> claimed = tenants.inTenant(new TenantId(target.tenantId()), c -> {
            if (rows.claim(target.deviceId(), codeHash, now, hash, key, fw) != 1) {
                return Optional.<Device>empty();   // claimed (or revoked) a moment ago
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("firmware", fw == null ? "" : fw);
            audit.append(c, new AuditEntry(null, "device:" + target.deviceId(), target.tenantId().toString(),
                    "device.claimed", "device", target.deviceId().toString(), details));
            return rows.findById(target.deviceId()).map(DeviceRow::toDevice);
        });
        if (claimed.isEmpty()) {
            return new UnknownCode();
        }
        directory.forget(target.deviceId());
        Device device = claimed.get();
        return new Claimed(new Provisioned(device, secret, config.file(device, secret), null));
    }

    /** A new claim code: 10 characters of {@link #CLAIM_ALPHABET} (50 random bits), written {@code XXXXX-XXXXX}. */
    static String newClaimCode() {
        StringBuilder out = new StringBuilder(11);
        for (int i = 0; i < 10; i++) {
            if (i == 5) {
                out.append('-');
            }
            out.append(CLAIM_ALPHABET.charAt(RANDOM.nextInt(CLAIM_ALPHABET.length())));
        }
        return out.toString();
    }

    /** A 32-byte Ed25519 public key from base64url (padding tolerated), or null with a field problem. */
    static byte[] publicKey(String text, List<FieldProblem> problems) {
        try {
            byte[] key = Base64.getUrlDecoder().decode(text.strip().replace("=", ""));
            if (key.length == 32) {
                return key;
            }
        } catch (IllegalArgumentException e) {
            // not base64url: the same answer as a wrong length
        }
        problems.add(new FieldProblem("publicKey", "invalid", "validation.invalid_format", Map.of()));
        return null;
    }

    private static String text(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static FieldProblem required(String field) {
        return new FieldProblem(field, "required", "validation.not_null", Map.of());
    }

    private static FieldProblem size(String field, int max) {
        return new FieldProblem(field, "size", "validation.size", Map.of("min", 1, "max", max));
    }

    private static ProblemException nameTaken() {
        return new ProblemException(HttpStatus.CONFLICT, "conflict", List.of(
                new FieldProblem("name", "taken", "validation.taken", Map.of())));
    }

    private static ProblemException revoked() {
        return new ProblemException(HttpStatus.CONFLICT, "wrong_state", "revoked");
    }
}

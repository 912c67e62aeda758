package org.labcommons.iot.devices;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The store of devices. Inside {@code TenantTransactions.inTenant} every statement on
 * {@code devices} is limited to the bound tenant by its RLS policy; the three lookups before any
 * tenant is known go through the reviewed functions of V31 ({@code device_credential},
 * {@code devices_revoked_since}, {@code device_claim_lookup}).
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface DeviceRows extends GenericRepository<DeviceRow, UUID> {

    /** Inserts a device (its {@code tenantId} must be the bound tenant: the policy refuses any other). */
    DeviceRow save(DeviceRow row);

    Optional<DeviceRow> findById(UUID id);

    boolean existsByName(String name);

    /** A page of the bound tenant's devices, by name; {@code instrumentId} filters when given. */
    @Query("select * from devices where (cast(:instrumentId as uuid) is null or instrument_id = :instrumentId) "
            + "order by name, id limit :limit offset :offset")
    List<DeviceRow> page(@Nullable UUID instrumentId, int offset, int limit);

    @Query("select count(*) from devices where (cast(:instrumentId as uuid) is null or instrument_id = :instrumentId)")
    long count(@Nullable UUID instrumentId);

    /** A new secret's hash for an unrevoked device; the rows changed (0: none such). */
    @Query("update devices set secret_hash = :secretHash, secret_rotated_at = :at where id = :id and revoked_at is null")
    long rotate(UUID id, String secretHash, Instant at);

    /** Revokes an unrevoked device and closes its claim code; the rows changed. */
    @Query("update devices set revoked_at = :at, revoked_by = :by, claim_code_hash = null, claim_expires_at = null, "
            + "online = false where id = :id and revoked_at is null")
    long revoke(UUID id, Instant at, @Nullable UUID by);

    /** Registers or replaces the public key of an unrevoked device; the rows changed. */
    @Query("update devices set public_key = :publicKey where id = :id and revoked_at is null")
    long registerKey(UUID id, byte[] publicKey);

    /**
     * Claims a device: its secret hash, public key and firmware, and its code closed, if the code is
     * still open, unexpired at {@code at} and the device unrevoked; the rows changed.
     */
    @Query("update devices set secret_hash = :secretHash, public_key = :publicKey, "
            + "firmware = coalesce(cast(:firmware as text), firmware), claim_code_hash = null, claim_expires_at = null "
            + "where id = :id and claim_code_hash = :codeHash and claim_expires_at > :at and revoked_at is null")
    long claim(UUID id, String codeHash, Instant at, String secretHash, byte[] publicKey, @Nullable String firmware);

    /**
     * The bridge's coalesced status writes for the bound tenant's devices, one JSON array of
     * {@code {device_id, last_seen_at, boot_id, last_seq, firmware, online, last_event_type,
     * received_delta}} (one element per device). Sequence, last seen and the boot id only move
     * forward; null firmware, online or event type leave the stored value.
     */
    @Query("update devices d set "
            + "last_seen_at = greatest(d.last_seen_at, a.last_seen_at), "
            + "last_boot_id = case when d.last_seq is null or a.last_seq >= d.last_seq then a.boot_id else d.last_boot_id end, "
            + "last_seq = greatest(d.last_seq, a.last_seq), "
            + "firmware = coalesce(a.firmware, d.firmware), "
            + "online = coalesce(a.online, d.online), "
            + "last_event_type = coalesce(a.last_event_type, d.last_event_type), "
            + "last_event_at = case when a.last_event_type is null then d.last_event_at "
            + "else greatest(d.last_event_at, a.last_seen_at) end, "
            + "received_count = d.received_count + a.received_delta "
            + "from jsonb_to_recordset(cast(:batch as jsonb)) as a(device_id uuid, last_seen_at timestamptz, boot_id text, "
            + "last_seq bigint, firmware text, online boolean, last_event_type text, received_delta bigint) "
            + "where d.id = a.device_id")
    long recordActivity(String batch);

    /** What {@code device_credential} tells of one device. */
    @Introspected
    record Credential(UUID deviceId, UUID tenantId, String kind, String secretHash, @Nullable byte[] publicKey,
                      boolean revoked) {
    }

    /** The device with this id, whatever its tenant (reviewed {@code device_credential}, V31). */
    @Query("select device_id, tenant_id, kind, secret_hash, public_key, revoked from device_credential(:device)")
    Optional<Credential> credential(UUID device);

    /** Devices revoked or whose secret was rotated at or after {@code since}, of every tenant. */
    @Query("select device_id from devices_revoked_since(:since)")
    List<UUID> revokedSince(Instant since);

    /** Where an open claim code leads (reviewed {@code device_claim_lookup}, V31). */
    @Introspected
    record Claimable(UUID tenantId, UUID deviceId, Instant claimExpiresAt) {
    }

    @Query("select tenant_id, device_id, claim_expires_at from device_claim_lookup(:codeHash)")
    List<Claimable> claimable(String codeHash);
}

package org.labcommons.iot.interlock

import java.time.Clock
import java.time.Instant
import java.time.ZoneId
import java.time.ZoneOffset

/** An InterlockView held in memory by a specification (the real one is fed by access.grants.v1). */
class SpecView implements InterlockView {
    Map<List<UUID>, InstrumentGrants> grants = [:]
    Map<List<UUID>, List<String>> credentials = [:]

    void put(InstrumentGrants g) { grants[[g.tenantId(), g.instrumentId()]] = g }

    Optional<InstrumentGrants> instrument(UUID tenantId, UUID instrumentId) { Optional.ofNullable(grants[[tenantId, instrumentId]]) }

    Collection<InstrumentGrants> instruments() { grants.values() }

    Optional<UUID> userOf(UUID tenantId, String kind, String value) {
        Optional.ofNullable(credentials.find { k, v -> k[0] == tenantId && value in v }?.key?.get(1))
    }

    boolean tenantActive(UUID tenantId) { true }

    List<String> credentialsOf(UUID tenantId, UUID userId) { credentials[[tenantId, userId]] ?: [] }

    /** An instrument's grants with sensible defaults (walk-up off, fail closed, early 15, end 10, warn 10). */
    static InstrumentGrants grants(Map args) {
        Instant now = args.now ?: Instant.parse('2026-12-05T08:00:00Z')
        new InstrumentGrants(args.tenant as UUID, args.instrument as UUID, 1L, now, now.plusSeconds(48 * 3600),
                true, args.status ?: 'in_service', false,
                new InstrumentGrants.Policy(args.walkUp ?: false, args.failMode ?: 'closed', 15, 10, 10),
                (args.authorised ?: []) as Set, args.bookings ?: [], args.blocks ?: [], args.blockedUsers ?: [],
                args.overrides ?: [])
    }

    static InstrumentGrants.BookingGrant booking(UUID id, UUID user, UUID tenant, String start, String end) {
        new InstrumentGrants.BookingGrant(id, user, tenant, Instant.parse(start), Instant.parse(end), 'approved')
    }
}

/** A clock a specification moves. */
class SpecClock extends Clock {
    Instant now

    SpecClock(String at) { now = Instant.parse(at) }

    ZoneId getZone() { ZoneOffset.UTC }

    Clock withZone(ZoneId zone) { this }

    Instant instant() { now }
}

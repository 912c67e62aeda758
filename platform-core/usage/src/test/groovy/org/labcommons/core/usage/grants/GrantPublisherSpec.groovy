package org.labcommons.core.usage.grants

import jakarta.inject.Inject
import org.labcommons.core.tenancy.TenantId
import org.labcommons.testkit.PlatformSpec
import spock.lang.Shared

import java.time.Duration
import java.time.Instant
import java.time.LocalDate
import java.time.ZoneId

/**
 * The grant records usage writes to {@code access.grants.v1}: an instrument's record with bookings (an outside
 * user's too), authorisations, a maintenance window and a closure, a blocked user, an override and customs
 * supervision; a revoked authorisation reaching the topic through booking's {@code qualification.revoked} event
 * (the propagation time is measured and printed); a suspended tenant's records.
 */
class GrantPublisherSpec extends PlatformSpec {
    @Inject GrantPublisher publisher
    @Shared GrantsFixture f

    def setup() {
        if (f == null) {
            f = new GrantsFixture(ctx)
        }
    }

    def "an instrument's record lists its bookings, authorised users, blocks, blocked users, overrides and policy"() {
        given: 'a customs-supervised instrument, open around the clock, with a closure two days ahead'
        def nmr = f.instrument(customs: true)
        f.openRules(nmr)
        Instant start = GrantsFixture.hourFromNow(1)
        def alice = f.send('POST', "/api/v1/instruments/${nmr}/bookings", 'alice', [start: start.toString(), end: start.plus(Duration.ofHours(1)).toString()]).body
        def carol = f.send('POST', "/api/v1/instruments/${nmr}/bookings", 'carol', [start: start.plus(Duration.ofHours(2)).toString(), end: start.plus(Duration.ofHours(3)).toString()]).body
        assert alice.status == 'approved' && carol.status == 'requested'
        assert f.send('POST', "/api/v1/bookings/${carol.id}/approve", 'admin', [note: 'ok']).status == 200
        LocalDate closed = start.plus(Duration.ofHours(40)).atZone(ZoneId.of('Asia/Shanghai')).toLocalDate()
        f.openRules(nmr, [closures: [[from: closed.toString(), to: closed.toString(), reason: 'holiday']]])

        and: 'alice and bob authorised, a maintenance window, bob blocked for no-shows, an unlock override'
        assert f.send('PUT', "/api/v1/instruments/${nmr}/authorisations/${f.users.alice}", 'staff', [note: 'trained']).status == 200
        assert f.send('PUT', "/api/v1/instruments/${nmr}/authorisations/${f.users.bob}", 'staff', [note: 'trained']).status == 200
        Instant mStart = start.plus(Duration.ofHours(20))
        assert f.send('POST', "/api/v1/instruments/${nmr}/maintenance", 'staff', [start: mStart.toString(), end: mStart.plus(Duration.ofHours(2)).toString(), reason: 'service']).status == 201
        Instant blockedUntil = Instant.now().plus(Duration.ofDays(20)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
        f.sql(f.tenantA, 'insert into booking_block (tenant_id, id, instrument_id, user_id, no_shows, blocked_from, blocked_until) values (app_tenant(), ?, ?, ?, 2, ?, ?)',
                UUID.randomUUID(), nmr, f.users.bob, Instant.now().minus(Duration.ofDays(1)), blockedUntil)
        UUID override = UUID.randomUUID()
        Instant overrideUntil = Instant.now().plus(Duration.ofHours(3)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
        f.sql(f.tenantA, "insert into interlock_override (tenant_id, id, instrument_id, action, until, reason, created_by) values (app_tenant(), ?, ?, 'unlock', ?, 'calibration', ?)",
                override, nmr, overrideUntil, f.users.staff)
        f.sql(f.tenantA, "insert into interlock_override (tenant_id, id, instrument_id, action, until, reason, created_by, revoked_at) values (app_tenant(), ?, ?, 'lock', null, 'revoked one', ?, now())",
                UUID.randomUUID(), nmr, f.users.staff)

        when: 'the record is built and sent'
        Map record = f.json.readValue(publisher.republish(f.tenantA, nmr), Map)
        def topic = f.topic()
        Map read = topic.await(GrantPublisher.instrumentKey(f.tenantA, nmr)) { it?.version >= record.version }

        then: 'it is the contract shape'
        record.kind == 'instrument'
        record.tenantId == f.tenantA.toString()
        record.instrumentId == nmr.toString()
        Duration.between(Instant.parse(record.generatedAt), Instant.parse(record.validUntil)) == Duration.ofHours(48)
        record.tenantActive == true
        record.instrumentStatus == 'in_service'
        record.customsSupervised == true
        record.policy == [walkUp: false, failMode: 'closed', earlyGraceMin: 15, endGraceMin: 10, warnBeforeMin: 10]
        record.authorised as Set == [f.users.alice.toString(), f.users.bob.toString()] as Set
        record.bookings == [
                [bookingId: alice.id, userId: f.users.alice.toString(), userTenantId: f.tenantA.toString(), start: start.toString(),
                 end: start.plus(Duration.ofHours(1)).toString(), status: 'approved'],
                [bookingId: carol.id, userId: f.users.carol.toString(), userTenantId: f.tenantB.toString(),
                 start: start.plus(Duration.ofHours(2)).toString(), end: start.plus(Duration.ofHours(3)).toString(), status: 'approved']]
        record.blocks == [
                [start: mStart.toString(), end: mStart.plus(Duration.ofHours(2)).toString(), reason: 'maintenance'],
                [start: closed.atStartOfDay(ZoneId.of('Asia/Shanghai')).toInstant().toString(),
                 end: closed.plusDays(1).atStartOfDay(ZoneId.of('Asia/Shanghai')).toInstant().toString(), reason: 'closure']]
                .sort { Instant.parse(it.start as String) }   // by start, as the record lists them
        record.blockedUsers == [[userId: f.users.bob.toString(), until: blockedUntil.toString()]]
        record.overrides == [[id: override.toString(), action: 'unlock', until: overrideUntil.toString(), reason: 'calibration']]

        and: 'the topic holds it under its key (or a newer one the consumer sent for the same events: same content)'
        read.subMap(read.keySet() - ['version', 'generatedAt', 'validUntil']) == record.subMap(record.keySet() - ['version', 'generatedAt', 'validUntil'])

        when: 'it is sent again'
        Map again = f.json.readValue(publisher.republish(f.tenantA, nmr), Map)

        then: 'its version is higher'
        (again.version as long) > (record.version as long)

        cleanup:
        topic?.close()
    }

    def "a revoked authorisation reaches the topic as a new record without that person (propagation time printed)"() {
        given: 'an instrument alice and bob are authorised on, its record in the topic'
        def nmr = f.instrument()
        f.openRules(nmr)
        assert f.send('PUT', "/api/v1/instruments/${nmr}/authorisations/${f.users.alice}", 'staff', [:]).status == 200
        assert f.send('PUT', "/api/v1/instruments/${nmr}/authorisations/${f.users.bob}", 'staff', [:]).status == 200
        def topic = f.topic()
        String key = GrantPublisher.instrumentKey(f.tenantA, nmr)
        Map before = topic.await(key) { it != null && f.users.alice.toString() in it.authorised && f.users.bob.toString() in it.authorised }

        when: "staff revoke alice's authorisation (the answer comes after the commit)"
        def revoked = f.send('DELETE', "/api/v1/instruments/${nmr}/authorisations/${f.users.alice}", 'staff')
        long committed = System.nanoTime()
        Map after = topic.await(key, Duration.ofSeconds(30)) { it != null && !(f.users.alice.toString() in it.authorised) }
        long propagationMs = (System.nanoTime() - committed).intdiv(1_000_000)
        println "grant propagation: revoke commit -> new access.grants.v1 record in ${propagationMs} ms"

        then: 'booking wrote qualification.revoked to booking.v1 through the outbox'
        revoked.status == 200
        revoked.body.state == 'revoked'
        outboxTypes(nmr.toString()).containsAll(['qualification.granted', 'qualification.revoked'])

        and: 'the new record has a higher version, without alice, still with bob'
        (after.version as long) > (before.version as long)
        after.authorised == [f.users.bob.toString()]
        propagationMs < 30_000

        cleanup:
        topic?.close()
    }

    def "a suspended tenant's records say it is not active"() {
        given: 'an institution with an instrument'
        def world = f.world.and { institution('gr-s', nameZh: '暂停', nameEn: 'Suspended') }
        TenantId suspended = new TenantId(world.tenant('gr-s').id)
        def microscope = f.instrument(tenant: suspended)
        assert f.json.readValue(publisher.tenant(suspended), Map).active == true

        when: 'its network suspends it'
        ownerConnection().withCloseable { it.createStatement().executeUpdate("update tenant set status = 'suspended' where id = '${suspended}'") }
        Map tenantRecord = f.json.readValue(publisher.tenant(suspended), Map)
        Map instrumentRecord = f.json.readValue(publisher.republish(suspended, microscope), Map)

        then:
        tenantRecord == [kind: 'tenant', tenantId: suspended.toString(), active: false, version: tenantRecord.version]
        instrumentRecord.tenantActive == false
        instrumentRecord.instrumentId == microscope.toString()

        cleanup:
        ownerConnection().withCloseable { it.createStatement().executeUpdate("update tenant set status = 'active' where id = '${suspended}'") }
    }

    def "an instrument that no longer exists gets a tombstone"() {
        given:
        def gone = UUID.randomUUID()
        def topic = f.topic()

        when:
        def value = publisher.republish(f.tenantA, gone)

        then:
        value == null
        topic.await(GrantPublisher.instrumentKey(f.tenantA, gone)) { it == null } == null

        cleanup:
        topic?.close()
    }

    private List<String> outboxTypes(String aggregateId) {
        ownerConnection().withCloseable { c ->
            def ps = c.prepareStatement("select type from outbox_event where aggregate_id = ? and topic = 'booking.v1' order by seq")
            ps.setString(1, aggregateId)
            def rs = ps.executeQuery()
            List<String> out = []
            while (rs.next()) { out << rs.getString(1) }
            out
        }
    }
}

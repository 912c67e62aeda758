package org.labcommons.federation

import io.micronaut.json.JsonMapper
import jakarta.inject.Inject
import org.apache.kafka.clients.consumer.ConsumerConfig
import org.apache.kafka.clients.consumer.KafkaConsumer
import org.apache.kafka.clients.producer.KafkaProducer
import org.apache.kafka.clients.producer.ProducerConfig
import org.apache.kafka.clients.producer.ProducerRecord
import org.apache.kafka.common.serialization.StringDeserializer
import org.apache.kafka.common.serialization.StringSerializer
import org.labcommons.core.booking.BookingClock
import org.labcommons.core.tenancy.TenantTransactions
import org.labcommons.devstack.SharedDevStack
import org.labcommons.federation.booking.BookingCommandHandler
import org.labcommons.federation.booking.OutsideBookingProjector
import org.labcommons.federation.booking.OutsideBookingRecords
import org.labcommons.testkit.PlatformSpec
import spock.lang.Shared

import java.nio.charset.StandardCharsets
import java.time.Clock
import java.time.Duration
import java.time.Instant
import java.time.ZoneOffset

/**
 * The cross-institution booking saga end to end, on the real stack (PostgreSQL with RLS, the
 * outbox relay, Kafka, both federation consumers): A's user books B's instrument through the API
 * at the rate group the consortium's policy gives, B's staff decide, and A's linked record follows;
 * redelivered and out-of-order events change nothing; a booking A refuses ends cancelled in B and
 * refused in A; a consumer stopped between steps loses nothing; a poison event goes to the
 * dead-letter topic while the rest flows on.
 */
class CrossInstitutionBookingSpec extends PlatformSpec {
    static final Instant NOW = Instant.parse('2030-03-04T00:00:00Z')

    @Inject TenantTransactions tenants
    @Inject JsonMapper json
    @Inject BookingClock clock
    @Inject OutsideBookingRecords outside
    @Inject OutsideBookingProjector projector
    @Inject BookingCommandHandler commands
    @Shared FederationFixture f
    @Shared List<Long> followDelays = []

    def setup() {
        if (f == null) {
            f = new FederationFixture(ctx)
        }
        clock.set(Clock.fixed(NOW, ZoneOffset.UTC))
    }

    def cleanup() {
        clock.set(null)
        projector.start()
        commands.start()
    }

    def cleanupSpec() {
        if (followDelays) {
            def sorted = followDelays.sort(false)
            println "follow delay (B's API answer → A's row shows the change), ${sorted.size()} changes: " +
                    "min ${sorted.first()} ms, median ${sorted[sorted.size().intdiv(2)]} ms, max ${sorted.last()} ms"
        }
    }

    /** Waits for A's row of {@code bookingId} to show {@code status}; records the delay. */
    private long follows(String bookingId, String status, String homeStatus = 'linked') {
        long ms = FederationFixture.eventually { def r = f.row(f.tenant.a, bookingId); r?.status == status && r.homeStatus == homeStatus }
        followDelays << ms
        ms
    }

    def "A's user books B's instrument at the consortium rate (external where B publishes none); B's staff approve; A's row follows to cancelled"() {
        given: "B's NMR publishes internal, consortium and external hourly prices; its XRD has no consortium price"
        def nmr = f.instrumentOfB([internal: 20_000L, consortium: 30_001L, external: 45_000L])
        def xrd = f.instrumentOfB([internal: 10_000L, external: 25_000L])

        when: "alice (A) books 90 minutes of the NMR and an hour of the XRD, acting in B"
        def booked = f.book('alice', nmr, '2030-03-05T09:00:00+08:00', '2030-03-05T10:30:00+08:00', [accountCode: 'NSFC-2030-1'])
        def other = f.book('alice', xrd, '2030-03-05T09:00:00+08:00', '2030-03-05T10:00:00+08:00')

        then: "stored in B, requested (outside users need approval), at the rate the consortium's policy gives"
        booked.status == 201
        booked.body.status == 'requested'
        booked.body.rateGroup == 'consortium'
        booked.body.requesterTenantId == f.tenant.a.toString()
        other.status == 201
        other.body.rateGroup == 'external'

        and: "A's linked record appears with B's names and the estimated cost: 30,001 fen × 1.5 h = 45,001.5 → 45,002 fen (half up)"
        follows(booked.body.id as String, 'requested') < 10_000
        String ownerB = f.tenant.b.toString()
        with(f.row(f.tenant.a, booked.body.id as String)) {
            ownerTenant == ownerB
            rateGroup == 'consortium'
            pricePerHourFen == 30_001L
            estimatedCostFen == 45_002L
            accountCode == 'NSFC-2030-1'
            instrumentNameEn == 'NMR spectrometer'
            version == 1L
        }
        follows(other.body.id as String, 'requested') >= 0
        f.row(f.tenant.a, other.body.id as String).estimatedCostFen == 25_000L

        when: "B's staff approve"
        assert f.send('POST', "/api/v1/bookings/${booked.body.id}/approve", 'staffB', [note: 'ok']).status == 200

        then:
        follows(booked.body.id as String, 'approved') < 10_000
        f.row(f.tenant.a, booked.body.id as String).version == 2L

        when: "alice cancels in B"
        assert f.send('POST', "/api/v1/bookings/${booked.body.id}/cancel", 'alice', null, f.tenant.b.toString()).status == 200

        then: "A's row follows; B's booking and A's row agree"
        follows(booked.body.id as String, 'cancelled') < 10_000
        f.bookingInB(booked.body.id as String).status == 'cancelled'
        f.row(f.tenant.a, booked.body.id as String).version == 3L

        and: "nobody in B, and nobody else, holds a copy: B's and C's transactions see no outside_booking rows"
        f.rowsIn(f.tenant.b) == 0
        f.rowsIn(f.tenant.c) == 0
    }

    def "A's user with no role at B books from home (/api/v1/federation/{B}/…): stored in B, A's row follows, and A's own calendar feed shows it"() {
        given:
        def nmr = f.instrumentOfB([internal: 20_000L, consortium: 30_000L, external: 45_000L])
        String b = f.tenant.b.toString()
        String a = f.tenant.a.toString()

        when: "adminA (no role at B) books from home, and ann races for an overlapping slot the same way"
        def booked = f.send('POST', "/api/v1/federation/${b}/instruments/${nmr}/bookings", 'adminA',
                [start: '2030-03-06T09:00:00+08:00', end: '2030-03-06T11:00:00+08:00', accountCode: 'NSFC-9'], a)
        def racer = f.send('POST', "/api/v1/federation/${b}/instruments/${nmr}/bookings", 'ann',
                [start: '2030-03-06T10:00:00+08:00', end: '2030-03-06T12:00:00+08:00'], a)

        then: "B's booking, at the consortium rate, awaiting B's approval; the racer gets the conflict with the slot"
        booked.status == 201
        booked.body.status == 'requested'
        booked.body.rateGroup == 'consortium'
        booked.body.requesterTenantId == a
        racer.status == 409
        racer.body.code == 'slot_conflict'
        racer.body.conflict.start == '2030-03-06T09:00:00+08:00'

        and: "A's linked record appears"
        follows(booked.body.id as String, 'requested') < 10_000

        when: "B's staff approve; adminA subscribes to their own calendar at home"
        assert f.send('POST', "/api/v1/bookings/${booked.body.id}/approve", 'staffB', [note: 'ok']).status == 200
        follows(booked.body.id as String, 'approved')
        def feed = f.send('POST', '/api/v1/calendar-feeds', 'adminA', [kind: 'mine'], a)
        def ics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(URI.create("${f.base}/ical/${feed.body.token}.ics".toString())).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString())

        then: "the feed (A's) lists the booking held at B, confirmed, under its B id"
        feed.status == 201
        ics.statusCode() == 200
        ics.body().contains("UID:booking-${booked.body.id}@labcommons")
        ics.body().contains('STATUS:CONFIRMED')
        ics.body().count('DTSTAMP:') == 1   // exactly one per event (RFC 5545)
        ics.body().contains('DTSTART:20300306T010000Z')
        f.send('GET', "/api/v1/federation/${b}/bookings/${booked.body.id}", 'adminA', null, a).body.status == 'approved'
    }

    def "the rate group: a non-staff requester may not pick another group than the policy's; B's staff may override"() {
        given:
        def nmr = f.instrumentOfB([internal: 20_000L, consortium: 30_000L, external: 45_000L])

        expect: "alice may not ask for the internal or external rate"
        with(f.book('alice', nmr, '2030-03-06T09:00:00+08:00', '2030-03-06T10:00:00+08:00', [rateGroup: 'internal'])) {
            status == 422
            body.errors*.code.contains('rate_group_not_yours')
        }
        f.book('alice', nmr, '2030-03-06T09:00:00+08:00', '2030-03-06T10:00:00+08:00', [rateGroup: 'external']).status == 422

        and: "naming her own group is fine"
        f.book('alice', nmr, '2030-03-06T09:00:00+08:00', '2030-03-06T10:00:00+08:00', [rateGroup: 'consortium']).body.rateGroup == 'consortium'

        and: "B's staff book at a group of their choice"
        f.send('POST', "/api/v1/instruments/${nmr}/bookings", 'staffB', [start: '2030-03-06T11:00:00+08:00',
                end: '2030-03-06T12:00:00+08:00', rateGroup: 'external']).body.rateGroup == 'external'
        f.send('POST', "/api/v1/instruments/${nmr}/bookings", 'staffB', [start: '2030-03-06T12:00:00+08:00',
                end: '2030-03-06T13:00:00+08:00']).body.rateGroup == 'internal'
    }

    def "redelivered and out-of-order events change nothing"() {
        given: "a booking of alice taken through requested → approved → cancelled, and A's row at version 3"
        def nmr = f.instrumentOfB([consortium: 12_000L])
        def b = f.book('alice', nmr, '2030-03-07T09:00:00+08:00', '2030-03-07T10:00:00+08:00').body
        f.send('POST', "/api/v1/bookings/${b.id}/approve", 'staffB')
        f.send('POST', "/api/v1/bookings/${b.id}/cancel", 'staffB')
        follows(b.id as String, 'cancelled')
        def events = f.envelopes(b.id as String)
        assert events*.aggregateVersion == [1L, 2L, 3L]
        def before = f.row(f.tenant.a, b.id as String)

        when: "every event is delivered again, in reverse order and twice"
        def outcomes = (events.reverse() + events).collect { outside.apply(it) }

        then: "each one is stale; the row is untouched"
        outcomes.every { it == OutsideBookingRecords.Applied.STALE }
        f.row(f.tenant.a, b.id as String) == before

        when: "a new booking's events arrive newest first at a fresh consumer state (row removed), then the older ones"
        def c = f.book('ann', nmr, '2030-03-07T11:00:00+08:00', '2030-03-07T12:00:00+08:00').body
        f.send('POST', "/api/v1/bookings/${c.id}/approve", 'staffB')
        follows(c.id as String, 'approved')
        tenants.inTenant(f.tenant.a) { conn ->
            def ps = conn.prepareStatement('delete from outside_booking where booking_id = ?'); ps.setObject(1, UUID.fromString(c.id as String)); ps.executeUpdate()
        }
        def cEvents = f.envelopes(c.id as String)
        def first = outside.apply(cEvents[1])
        def second = outside.apply(cEvents[0])

        then: "version 2 wins, version 1 arriving late is stale"
        first == OutsideBookingRecords.Applied.LINKED
        second == OutsideBookingRecords.Applied.STALE
        f.row(f.tenant.a, c.id as String).status == 'approved'
        f.row(f.tenant.a, c.id as String).version == 2L

        and: "an event of a booking inside one institution is not mirrored"
        def inside = f.send('POST', "/api/v1/instruments/${nmr}/bookings", 'staffB', [start: '2030-03-07T13:00:00+08:00', end: '2030-03-07T14:00:00+08:00']).body
        outside.apply(f.envelopes(inside.id as String)[0]) == OutsideBookingRecords.Applied.INSIDE
    }

    def "A's finance closed the account code: A refuses, B's booking ends cancelled and A's row refused_by_home; never half-booked"() {
        given: "A's finance closes account GRANT-CLOSED"
        def nmr = f.instrumentOfB([consortium: 30_000L])
        assert f.send('PUT', "/api/v1/federation/account-blocks/GRANT-CLOSED-${f.run}", 'financeA', [reason: 'grant ended']).status == 200

        when: "alice books B's NMR on that account"
        long t0 = System.nanoTime()
        def b = f.book('alice', nmr, '2030-03-08T09:00:00+08:00', '2030-03-08T10:00:00+08:00', [accountCode: "GRANT-CLOSED-${f.run}".toString()]).body

        then: "B's booking is cancelled by the compensation, with the reason; A's row is refused_by_home and mirrors the cancellation"
        long ms = FederationFixture.eventually { f.bookingInB(b.id as String).status == 'cancelled' }
        println "refused by home: B's booking cancelled ${ms} ms after its creation was answered " +
                "(${(System.nanoTime() - t0).intdiv(1_000_000)} ms from the request)"
        follows(b.id as String, 'cancelled', 'refused_by_home') >= 0
        with(f.row(f.tenant.a, b.id as String)) {
            refusalReason == 'account_closed'
            version == 2L
        }
        f.bookingInB(b.id as String).decisionNote == 'home_refused: account_closed'

        and: "the command was written by A (its outbox), B's cancellation says who and why"
        f.envelopes(b.id as String, 'booking.command.v1')*.type == ['booking.cancel_requested']
        f.envelopes(b.id as String, 'booking.command.v1')[0].tenantId() == f.tenant.a.value()
        with(f.envelopes(b.id as String)[-1]) {
            type() == 'booking.cancelled'
            payload().cancelledBy == 'home'
            payload().reason == 'home_refused'
        }

        and: "alice is told in B, and B's staff too"
        FederationFixture.eventually {
            f.send('GET', '/api/v1/notifications', 'alice', null, f.tenant.b.toString()).body.items.any { it.kind == 'booking.cancelled' && it.bookingId == b.id }
        } >= 0
        f.send('GET', '/api/v1/notifications', 'staffB').body.items.any { it.kind == 'booking.cancelled' && it.bookingId == b.id }

        and: "the slot is free again: another user books it"
        f.book('ann', nmr, '2030-03-08T09:00:00+08:00', '2030-03-08T10:00:00+08:00').status == 201

        and: "a command delivered again changes nothing"
        commands.apply(f.envelopes(b.id as String, 'booking.command.v1')[0]).name() == 'ALREADY_ENDED'
        f.envelopes(b.id as String)*.type == ['booking.requested', 'booking.cancelled']

        and: "a command naming a booking whose requester belongs to another home is refused (only the home may ask)"
        def dave = f.book('dave', nmr, '2030-03-08T11:00:00+08:00', '2030-03-08T12:00:00+08:00').body
        def forged = f.envelopes(b.id as String, 'booking.command.v1')[0]
        def forgedForDave = new org.labcommons.core.events.EventEnvelope(UUID.randomUUID(), forged.type(), 1, f.tenant.a.value(),
                'booking', dave.id as String, 1, Instant.now(), [bookingId: dave.id, ownerTenantId: f.tenant.b.toString(), reason: 'home_refused'])
        commands.apply(forgedForDave).name() == 'NOT_FOUND'
        f.bookingInB(dave.id as String).status == 'requested'

        cleanup:
        f.send('DELETE', "/api/v1/federation/account-blocks/GRANT-CLOSED-${f.run}", 'financeA')
    }

    def "A is suspended after the booking was linked: B's approval makes A refuse, and the booking is cancelled in B"() {
        given: "dave of institution D books B's NMR and D's row is linked"
        def nmr = f.instrumentOfB([consortium: 30_000L, external: 50_000L])
        def b = f.book('dave', nmr, '2030-03-09T09:00:00+08:00', '2030-03-09T10:00:00+08:00').body
        assert b.rateGroup == 'consortium'
        FederationFixture.eventually { f.row(f.tenant.d, b.id as String)?.homeStatus == 'linked' }

        when: "the bureau suspends D, then B's staff approve"
        f.tenantStatus(f.tenant.d, 'suspended')
        assert f.send('POST', "/api/v1/bookings/${b.id}/approve", 'staffB').status == 200

        then: "D refuses on the approval; B cancels; both sides agree"
        FederationFixture.eventually { f.bookingInB(b.id as String).status == 'cancelled' } >= 0
        FederationFixture.eventually { f.row(f.tenant.d, b.id as String)?.status == 'cancelled' } >= 0
        with(f.row(f.tenant.d, b.id as String)) {
            homeStatus == 'refused_by_home'
            refusalReason == 'tenant_inactive'
            version == 3L
        }

        cleanup:
        f.tenantStatus(f.tenant.d, 'active')
    }

    def "the user is no longer a member of their home (its issuer is no longer trusted): B's next change makes the home refuse"() {
        given: "eve of institution E books B's NMR and E's row is linked"
        def nmr = f.instrumentOfB([consortium: 30_000L])
        def b = f.book('eve', nmr, '2030-03-09T11:00:00+08:00', '2030-03-09T12:00:00+08:00').body
        FederationFixture.eventually { f.row(f.tenant.e, b.id as String)?.homeStatus == 'linked' }

        when: "E stops trusting the issuer eve signs in with, then B's staff approve"
        f.issuersEnabled(f.tenant.e, false)
        assert f.send('POST', "/api/v1/bookings/${b.id}/approve", 'staffB').status == 200

        then: "E refuses (member_inactive) and B cancels"
        FederationFixture.eventually { f.bookingInB(b.id as String).status == 'cancelled' } >= 0
        FederationFixture.eventually { f.row(f.tenant.e, b.id as String)?.status == 'cancelled' } >= 0
        f.row(f.tenant.e, b.id as String).refusalReason == 'member_inactive'
        f.row(f.tenant.e, b.id as String).homeStatus == 'refused_by_home'

        cleanup:
        f.issuersEnabled(f.tenant.e, true)
    }

    def "a consumer stopped between the saga's steps loses nothing"() {
        given:
        def nmr = f.instrumentOfB([consortium: 30_000L])

        when: "the home side's consumer is down while B creates, approves and cancels a booking"
        projector.stop()
        def b = f.book('alice', nmr, '2030-03-10T09:00:00+08:00', '2030-03-10T10:00:00+08:00').body
        f.send('POST', "/api/v1/bookings/${b.id}/approve", 'staffB')
        f.send('POST', "/api/v1/bookings/${b.id}/cancel", 'staffB')
        Thread.sleep(1500)

        then: "A has no row yet"
        f.row(f.tenant.a, b.id as String) == null

        when: "it comes back"
        projector.start()

        then: "the row catches up to B's last state"
        FederationFixture.eventually { f.row(f.tenant.a, b.id as String)?.status == 'cancelled' } >= 0
        f.row(f.tenant.a, b.id as String).version == 3L

        when: "the owner side's command handler is down when A refuses a booking"
        assert f.send('PUT', "/api/v1/federation/account-blocks/STOP-${f.run}", 'financeA').status == 200
        commands.stop()
        def r = f.book('alice', nmr, '2030-03-10T11:00:00+08:00', '2030-03-10T12:00:00+08:00', [accountCode: "STOP-${f.run}".toString()]).body
        FederationFixture.eventually { f.row(f.tenant.a, r.id as String)?.homeStatus == 'refused_by_home' }
        Thread.sleep(1500)

        then: "A has refused and the command waits in Kafka; B's booking is still requested"
        f.bookingInB(r.id as String).status == 'requested'

        when: "the handler comes back"
        commands.start()

        then: "the compensation is applied and A's row mirrors it"
        FederationFixture.eventually { f.bookingInB(r.id as String).status == 'cancelled' } >= 0
        FederationFixture.eventually { f.row(f.tenant.a, r.id as String)?.status == 'cancelled' } >= 0

        cleanup:
        f.send('DELETE', "/api/v1/federation/account-blocks/STOP-${f.run}", 'financeA')
    }

    def "a poison event goes to booking.v1.dlq with the error, and the events behind it still flow"() {
        given:
        def bootstrap = SharedDevStack.get().properties()['labcommons.kafka.bootstrap']
        String aggregate = UUID.randomUUID().toString()
        def envelope = [eventId: UUID.randomUUID().toString(), type: 'booking.requested', schemaVersion: 1,
                        tenantId: f.tenant.b.toString(), aggregateType: 'booking', aggregateId: aggregate, aggregateVersion: 1,
                        occurredAt: Instant.now().toString(),
                        payload: [id: aggregate, requesterTenantId: 'not-a-tenant', status: 'requested']]
        long deadBefore = projector.deadLettered()

        when: "a record whose payload lacks what the home needs is published to booking.v1"
        new KafkaProducer<String, String>([(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG): bootstrap,
                (ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG): StringSerializer.name,
                (ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG): StringSerializer.name] as Map<String, Object>).withCloseable { p ->
            def record = new ProducerRecord<String, String>('booking.v1', aggregate, json.writeValueAsString(envelope))
            record.headers().add('tenant-id', f.tenant.b.toString().getBytes(StandardCharsets.UTF_8))
            p.send(record).get()
        }
        def nmr = f.instrumentOfB([consortium: 30_000L])
        def after = f.book('alice', nmr, '2030-03-11T09:00:00+08:00', '2030-03-11T10:00:00+08:00').body

        then: "it is dead-lettered with the error and its source"
        FederationFixture.eventually { projector.deadLettered() > deadBefore } >= 0
        def dead = readDlq(bootstrap as String, aggregate)
        dead != null
        new String(dead.headers().lastHeader('dlq-error').value(), StandardCharsets.UTF_8).contains('requesterTenantId')
        new String(dead.headers().lastHeader('dlq-source').value(), StandardCharsets.UTF_8).startsWith('booking.v1-')
        new String(dead.headers().lastHeader('tenant-id').value(), StandardCharsets.UTF_8) == f.tenant.b.toString()

        and: "the next booking is mirrored as usual"
        follows(after.id as String, 'requested') >= 0
    }

    private def readDlq(String bootstrap, String key) {
        new KafkaConsumer<String, String>([(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG): bootstrap,
                (ConsumerConfig.GROUP_ID_CONFIG): "dlq-reader-${UUID.randomUUID()}".toString(),
                (ConsumerConfig.AUTO_OFFSET_RESET_CONFIG): 'earliest',
                (ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG): StringDeserializer.name,
                (ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG): StringDeserializer.name] as Map<String, Object>).withCloseable { c ->
            c.subscribe(['booking.v1.dlq'])
            long until = System.currentTimeMillis() + 20_000
            while (System.currentTimeMillis() < until) {
                for (def r : c.poll(Duration.ofMillis(500))) {
                    if (r.key() == key) {
                        return r
                    }
                }
            }
            null
        }
    }
}

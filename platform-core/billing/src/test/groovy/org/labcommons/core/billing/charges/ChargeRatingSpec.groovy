package org.labcommons.core.billing.charges

import io.micronaut.json.JsonMapper
import org.apache.kafka.clients.producer.KafkaProducer
import org.apache.kafka.clients.producer.ProducerRecord
import org.apache.kafka.common.serialization.StringSerializer
import org.labcommons.core.booking.BookingTopics
import org.labcommons.core.events.EventHeaders
import org.labcommons.core.tenancy.TenantId
import org.labcommons.core.usage.UsageTopics
import org.labcommons.devstack.SharedDevStack
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld
import spock.lang.Shared

import java.nio.charset.StandardCharsets
import java.time.Duration
import java.time.Instant
import java.time.temporal.ChronoUnit

import static org.labcommons.core.events.IdempotentConsumer.Outcome.DUPLICATE
import static org.labcommons.core.events.IdempotentConsumer.Outcome.HANDLED
import static org.labcommons.testkit.TenantWorld.*

/**
 * Rating (ChargeRating through the kernel's IdempotentConsumer, as the consumer billing.charges runs it): from a
 * measured session, a staff record, booked time (the sweep), a cancellation in the fee window, a no-show and its
 * overturn, a sample request's first results; one charge per source however often an event comes (also through real
 * Kafka); re-rating as delta items; no filed card: pending, 0, unrated.
 */
class ChargeRatingSpec extends PlatformSpec {
    @Shared TenantWorld world
    @Shared ChargeFixture fx
    @Shared String nmr
    @Shared String bare
    @Shared String service
    @Shared UUID user
    @Shared UUID timeCard

    def setup() {
        if (world != null) {
            return
        }
        world = TenantWorld.build(ctx) {
            institution('chr-donghu') {
                rateGroup('internal')
                rateGroup('external')
                unit('chr-lab')
                person('chr-manager', INSTRUMENT_ADMIN, unit: 'chr-lab')
                person('chr-user', USER)
                instrument('Rated NMR', unit: 'chr-lab', body: [services: [[nameZh: '氢谱', nameEn: '1H spectrum']]])
                instrument('Cardless XRD', unit: 'chr-lab')
            }
        }
        fx = new ChargeFixture(ctx, world.tenant('chr-donghu').id)
        nmr = world.instrument('Rated NMR').id
        bare = world.instrument('Cardless XRD').id
        service = world.instrument('Rated NMR').services[0].id
        user = world.person('chr-user').userId as UUID
        timeCard = fx.card(nmr)
        fx.card(nmr, serviceId: service, unit: 'item', priceFen: 5_000)
    }

    Instant hour(int h) {
        Instant.parse('2026-11-02T01:00:00Z').plus(Duration.ofHours(h))   // 09:00 Shanghai on a Monday, + h
    }

    def "a measured session of a booking is charged at the card's price, once however often and in whatever versions it comes"() {
        given:
        def b = fx.booking(nmr, user)
        UUID session = UUID.randomUUID()
        def closed = fx.envelope('usage.session.closed', 'usage_session', session.toString(), 2,
                fx.sessionPayload(session, nmr, hour(0), hour(0).plus(Duration.ofMinutes(90)), [bookingId: b.id.toString(), userId: user.toString(), link: 'booked']))

        when: 'the same event is delivered five times, and the same session comes again under five other event ids'
        def outcomes = (1..5).collect { fx.deliver(UsageTopics.USAGE_SESSION, closed) }
        (1..5).each {
            fx.deliver(UsageTopics.USAGE_SESSION, fx.envelope('usage.session.closed', 'usage_session', session.toString(), 2, closed.payload()))
        }
        def charges = fx.charges(session)
        UUID expectedCard = timeCard

        then:
        outcomes == [HANDLED, DUPLICATE, DUPLICATE, DUPLICATE, DUPLICATE]
        charges.size() == 1
        with(charges[0]) {
            sourceType == 'usage_session'
            kind == 'usage'
            status == 'pending'
            amountFen == 18_000       // 90 minutes at 120.00 an hour
            quantity == 1.50G
            feeStandardId == expectedCard
            items*.kind == ['rated']
            items*.deltaFen == [18_000L]
        }
        println "rating: 5 deliveries of one event + 5 redeliveries under new ids -> ${charges.size()} charge of ${charges[0].amountFen} fen"
    }

    def "a later version re-rates by a delta item, an older one changes nothing, superseded goes back to zero; no item is ever rewritten"() {
        given:
        UUID session = UUID.randomUUID()
        def p = fx.sessionPayload(session, nmr, hour(3), hour(4), [userId: user.toString()])
        fx.deliver(UsageTopics.USAGE_SESSION, fx.envelope('usage.session.closed', 'usage_session', session.toString(), 2, p))
        def first = fx.charges(session)[0].items[0]

        when: 'readings arrived late: the session runs 30 minutes longer (version 3); then version 2 comes again'
        fx.deliver(UsageTopics.USAGE_SESSION, fx.envelope('usage.session.changed', 'usage_session', session.toString(), 3,
                p + [end: hour(4).plus(Duration.ofMinutes(30)).toString(), minutes: 90]))
        fx.deliver(UsageTopics.USAGE_SESSION, fx.envelope('usage.session.closed', 'usage_session', session.toString(), 2, p))
        def grown = fx.charges(session)[0]

        then:
        grown.amountFen == 18_000
        grown.items*.kind == ['rated', 'rerated']
        grown.items*.deltaFen == [12_000L, 6_000L]
        grown.items[1].correctsSeq == 1
        grown.items[0] == first   // the rated item is as it was

        when: 'a recomputation no longer gives the session'
        fx.deliver(UsageTopics.USAGE_SESSION, fx.envelope('usage.session.superseded', 'usage_session', session.toString(), 4,
                p + [status: 'superseded']))
        def gone = fx.charges(session)[0]

        then:
        gone.amountFen == 0
        gone.items*.deltaFen == [12_000L, 6_000L, -18_000L]
        gone.items*.kind == ['rated', 'rerated', 'rerated']
    }

    def "a staff record is charged when no session came; a measured session of the booking then waives it and is charged instead"() {
        given:
        def b = fx.booking(nmr, user, accountCode: 'GRANT-17')
        UUID record = UUID.randomUUID()

        when:
        fx.deliver(BookingTopics.BOOKING, fx.envelope('usage.recorded', 'usage_record', record.toString(), 1,
                [id: record.toString(), instrumentId: nmr, bookingId: b.id.toString(), userId: null,
                 start: hour(6).toString(), end: hour(8).toString(), minutes: 120, source: 'staff']))
        def byRecord = fx.charges(record)

        then:
        byRecord.size() == 1
        byRecord[0].amountFen == 24_000
        byRecord[0].sourceType == 'usage_record'

        when:
        UUID session = UUID.randomUUID()
        fx.deliver(UsageTopics.USAGE_SESSION, fx.envelope('usage.session.closed', 'usage_session', session.toString(), 1,
                fx.sessionPayload(session, nmr, hour(6), hour(7), [bookingId: b.id.toString(), userId: user.toString()])))

        then:
        fx.charges(session)[0].amountFen == 12_000
        with(fx.charges(record)[0]) {
            status == 'waived'
            amountFen == 0
            items*.kind == ['rated', 'waiver']
            items[1].reason.contains(session.toString())
        }

        when: 'a second staff record of the booking comes after the session'
        UUID late = UUID.randomUUID()
        fx.deliver(BookingTopics.BOOKING, fx.envelope('usage.recorded', 'usage_record', late.toString(), 1,
                [id: late.toString(), instrumentId: nmr, bookingId: b.id.toString(), userId: user.toString(),
                 start: hour(6).toString(), end: hour(9).toString(), minutes: 180, source: 'staff']))

        then: 'the measured session wins'
        fx.charges(late) == []
    }

    def "the sweep charges the booked time of a booking that got neither a session nor a record a day after its end; a later session waives it"() {
        given:
        def due = fx.booking(nmr, user, status: 'checked_in', endedAgo: Duration.ofHours(30), length: Duration.ofHours(3))
        def recent = fx.booking(nmr, user, status: 'checked_in', endedAgo: Duration.ofHours(2))
        def t = new TenantId(fx.tenant)

        when:
        int first = ctx.getBean(BookedBasisSweep).sweep(t)
        int again = ctx.getBean(BookedBasisSweep).sweep(t)

        then:
        first >= 1
        again == 0
        with(fx.charges(due.id as UUID)) {
            size() == 1
            it[0].sourceType == 'booking'
            it[0].kind == 'usage'
            it[0].amountFen == 36_000
            it[0].quantity == 3.00G
        }
        fx.charges(recent.id as UUID) == []

        when: 'the session of that booking arrives late'
        UUID session = UUID.randomUUID()
        fx.deliver(UsageTopics.USAGE_SESSION, fx.envelope('usage.session.closed', 'usage_session', session.toString(), 1,
                fx.sessionPayload(session, nmr, due.start as Instant, (due.start as Instant).plus(Duration.ofMinutes(45)),
                        [bookingId: due.id.toString(), userId: user.toString()])))

        then:
        fx.charges(session)[0].amountFen == 9_000
        fx.charges(due.id as UUID)[0].status == 'waived'
        fx.charges(due.id as UUID)[0].items*.deltaFen == [36_000L, -36_000L]
    }

    def "a cancellation by the requester inside the fee window costs the policy's share; before the window, by staff or at 0 bp it is free"() {
        given:
        ctx.getBean(ChargePolicies).set(new TenantId(fx.tenant), org.labcommons.core.audit.AuditEntry.Actor.SYSTEM,
                world.person('chr-manager').userId as UUID, UUID.fromString(nmr), new ChargePolicy.Input(null, null, 24, 5_000, null))
        def late = fx.booking(nmr, user)
        def early = fx.booking(nmr, user)
        def byStaff = fx.booking(nmr, user)

        when:
        fx.deliver(BookingTopics.BOOKING, fx.envelope('booking.cancelled', 'booking', late.id.toString(), 2,
                fx.bookingPayload(late, [status: 'cancelled', cancelledBy: 'requester']), (late.start as Instant).minus(Duration.ofHours(3))))
        fx.deliver(BookingTopics.BOOKING, fx.envelope('booking.cancelled', 'booking', early.id.toString(), 2,
                fx.bookingPayload(early, [status: 'cancelled', cancelledBy: 'requester']), (early.start as Instant).minus(Duration.ofHours(25))))
        fx.deliver(BookingTopics.BOOKING, fx.envelope('booking.cancelled', 'booking', byStaff.id.toString(), 2,
                fx.bookingPayload(byStaff, [status: 'cancelled', cancelledBy: 'staff']), (byStaff.start as Instant).minus(Duration.ofHours(1))))

        then:
        with(fx.charges(late.id as UUID)) {
            size() == 1
            it[0].kind == 'cancellation'
            it[0].amountFen == 12_000   // 50 % of 2 hours at 120.00
        }
        fx.charges(early.id as UUID) == []
        fx.charges(byStaff.id as UUID) == []
    }

    def "a no-show costs the booked time's price by default; overturning it waives the fee by an item"() {
        given:
        def b = fx.booking(nmr, user, status: 'no_show', endedAgo: Duration.ofDays(40))

        when:
        fx.deliver(BookingTopics.BOOKING, fx.envelope('booking.no_show', 'booking', b.id.toString(), 2,
                fx.bookingPayload(b, [status: 'no_show', noShows: 1, blockedUntil: null])))

        then:
        with(fx.charges(b.id as UUID)) {
            size() == 1
            it[0].kind == 'no_show'
            it[0].amountFen == 24_000
        }

        when:
        fx.deliver(BookingTopics.BOOKING, fx.envelope('booking.no_show_overturned', 'booking', b.id.toString(), 3,
                fx.bookingPayload(b, [status: 'approved', reason: 'the card reader was broken', overturnedBy: UUID.randomUUID().toString()])))

        then:
        with(fx.charges(b.id as UUID)[0]) {
            status == 'waived'
            amountFen == 0
            items*.kind == ['rated', 'waiver']
            items[1].reason == 'no-show overturned: the card reader was broken'
        }
    }

    def "a sample request is charged per sample and item of the service's card when its first results are ready"() {
        given:
        UUID request = fx.sampleRequest(nmr, service, user, 3, ['1H', '13C'])
        def payload = [id: request.toString(), instrumentId: nmr, serviceId: service, from: 'in_progress', status: 'results_ready',
                       requesterUserId: user.toString(), requesterTenantId: fx.tenant.toString(), accountCode: null,
                       rateGroup: 'internal', sampleCount: 3, filesAdded: 1, fileCount: 1, version: 5]

        when:
        fx.deliver(BookingTopics.SAMPLE, fx.envelope('sample.results_ready', 'sample_request', request.toString(), 5, payload))
        fx.deliver(BookingTopics.SAMPLE, fx.envelope('sample.results_ready', 'sample_request', request.toString(), 6,
                payload + [from: 'results_ready', fileCount: 2, version: 6]))

        then:
        with(fx.charges(request)) {
            size() == 1
            it[0].kind == 'sample'
            it[0].amountFen == 30_000   // 3 samples x 2 items x 50.00
            it[0].quantity == 6.00G
        }
    }

    def "without a filed card a charge is pending at 0 and flagged unrated for staff"() {
        given:
        UUID session = UUID.randomUUID()

        when:
        fx.deliver(UsageTopics.USAGE_SESSION, fx.envelope('usage.session.closed', 'usage_session', session.toString(), 1,
                fx.sessionPayload(session, bare, hour(1), hour(2), [userId: user.toString()])))

        then:
        with(fx.charges(session)) {
            size() == 1
            it[0].status == 'pending'
            it[0].amountFen == 0
            it[0].unrated
            it[0].feeStandardId == null
        }
    }

    def "through Kafka: a cancellation event produced five times makes one charge"() {
        given:
        ctx.getBean(ChargePolicies).set(new TenantId(fx.tenant), org.labcommons.core.audit.AuditEntry.Actor.SYSTEM,
                world.person('chr-manager').userId as UUID, UUID.fromString(nmr), new ChargePolicy.Input(null, null, 24, 10_000, null))
        def b = fx.booking(nmr, user, start: Instant.now().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofHours(3)))
        def e = fx.envelope('booking.cancelled', 'booking', b.id.toString(), 2,
                fx.bookingPayload(b, [status: 'cancelled', cancelledBy: 'requester']), Instant.now())
        def producer = new KafkaProducer<String, String>(['bootstrap.servers': SharedDevStack.get().properties()['labcommons.kafka.bootstrap'],
                'acks': 'all', 'key.serializer': StringSerializer.name, 'value.serializer': StringSerializer.name])

        when: 'the event goes out five times, then a marker behind it in the same partition (same key)'
        UUID marker = UUID.randomUUID()
        def markerEvent = fx.envelope('usage.recorded', 'usage_record', marker.toString(), 1,
                [id: marker.toString(), instrumentId: nmr, bookingId: null, userId: user.toString(),
                 start: hour(20).toString(), end: hour(21).toString(), minutes: 60, source: 'staff'])
        ([e] * 5 + [markerEvent]).each { ev ->
            def r = new ProducerRecord<String, String>(BookingTopics.BOOKING, b.id.toString(), ctx.getBean(JsonMapper).writeValueAsString(ev))
            r.headers().add(EventHeaders.EVENT_ID, ev.eventId().toString().getBytes(StandardCharsets.UTF_8))
            r.headers().add(EventHeaders.TENANT_ID, fx.tenant.toString().getBytes(StandardCharsets.UTF_8))
            r.headers().add(EventHeaders.EVENT_TYPE, ev.type().getBytes(StandardCharsets.UTF_8))
            producer.send(r).get()
        }
        long deadline = System.currentTimeMillis() + 120_000
        while (fx.charges(marker).isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(200)
        }

        then:
        with(fx.charges(b.id as UUID)) {
            size() == 1
            it[0].kind == 'cancellation'
            it[0].amountFen == 24_000
        }
        TenantWorld.inTenant(fx.tenant) { c ->
            c.prepareStatement("select count(*) from processed_event where consumer = 'billing.charges' and event_id = '${e.eventId()}'")
                    .executeQuery().with { next(); getLong(1) }
        } == 1L

        cleanup:
        producer?.close()
    }
}

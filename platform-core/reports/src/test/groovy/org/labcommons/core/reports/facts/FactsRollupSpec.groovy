package org.labcommons.core.reports.facts

import org.labcommons.core.billing.BillingTopics
import org.labcommons.core.booking.BookingTopics
import org.labcommons.core.tenancy.TenantId
import org.labcommons.core.usage.UsageTopics
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld
import spock.lang.Shared

import java.time.Duration
import java.time.Instant
import java.time.LocalDate

import static org.labcommons.core.events.IdempotentConsumer.Outcome.DUPLICATE
import static org.labcommons.core.events.IdempotentConsumer.Outcome.HANDLED
import static org.labcommons.testkit.TenantWorld.*

/**
 * The rollups fed by events (FactsProjector through the kernel's IdempotentConsumer, as the consumer reports.facts
 * runs it, and through real Kafka): classes and service types, each source counted once however often its events
 * come, corrections and late events by deltas in their own day and month, the basis rule (measured sessions, else
 * staff records), exact distinct users; the rollup lag through Kafka is printed.
 */
class FactsRollupSpec extends PlatformSpec {
    @Shared TenantWorld world
    @Shared FactsFixture fx
    @Shared UUID tenant
    @Shared UUID other
    @Shared String kafkaNmr

    def setup() {
        if (world != null) {
            return
        }
        world = TenantWorld.build(ctx) {
            institution('fct-donghu') {
                unit('fct-lab')
                person('fct-admin', INSTITUTION_ADMIN)
                instrument('Facts Kafka NMR', unit: 'fct-lab')
            }
            institution('fct-xiling')
        }
        tenant = world.tenant('fct-donghu').id
        other = world.tenant('fct-xiling').id
        kafkaNmr = world.instrument('Facts Kafka NMR').id
        fx = new FactsFixture(ctx, tenant)
    }

    static Instant at(String text) {
        Instant.parse(text)
    }

    InstrumentYearFigures year(UUID instrument, int y = 2026) {
        ctx.getBean(Rollups).instrumentYear(new TenantId(tenant), instrument, y)
    }

    /** fact_day of an instrument: day -> effective minutes (rows at 0 left out). */
    Map<String, Long> days(UUID instrument) {
        TenantWorld.inTenant(tenant) { c ->
            def rs = c.prepareStatement("select day::text, sum(effective_min) from fact_day where instrument_id = '${instrument}' " +
                    "group by day having sum(effective_min) <> 0 order by day").executeQuery()
            Map<String, Long> out = [:]
            while (rs.next()) {
                out[rs.getString(1)] = rs.getLong(2)
            }
            out
        }
    }

    def "sessions, a booking, a sample request and charges roll up per user class and service type; a booking that comes after its session classifies it"() {
        given:
        UUID nmr = UUID.randomUUID()
        UUID member = UUID.randomUUID()
        UUID own = UUID.randomUUID()
        UUID booking = UUID.randomUUID()
        UUID sessionOfBooking = UUID.randomUUID()

        when: 'a consortium member (home Xiling) used a booking of 2 h for 90 min; the session comes before the booking'
        fx.deliver(UsageTopics.USAGE_SESSION, fx.session(sessionOfBooking, 2, nmr, at('2026-05-11T01:00:00Z'), at('2026-05-11T02:30:00Z'),
                [bookingId: booking, userId: member, link: 'booked']))
        fx.deliver(BookingTopics.BOOKING, fx.booking(booking, 2, nmr, at('2026-05-11T01:00:00Z'), at('2026-05-11T03:00:00Z'), member,
                [requesterTenantId: other, rateGroup: 'consortium', accountCode: 'NSFC-2201']))
        and: 'an own user worked an hour unbooked; 3 samples of the member arrived; both were charged'
        fx.deliver(UsageTopics.USAGE_SESSION, fx.session(UUID.randomUUID(), 1, nmr, at('2026-05-12T06:00:00Z'), at('2026-05-12T07:00:00Z'), [userId: own]))
        UUID sample = UUID.randomUUID()
        fx.deliver(BookingTopics.SAMPLE, fx.sample(sample, 1, nmr, 'submitted', 3, member, at('2026-05-13T02:00:00Z'), [requesterTenantId: other, rateGroup: 'consortium']))
        fx.deliver(BookingTopics.SAMPLE, fx.sample(sample, 2, nmr, 'received', 3, member, at('2026-05-14T02:00:00Z'), [requesterTenantId: other, rateGroup: 'consortium']))
        fx.deliver(BookingTopics.SAMPLE, fx.sample(sample, 3, nmr, 'closed', 3, member, at('2026-06-02T02:00:00Z'), [requesterTenantId: other, rateGroup: 'consortium']))
        fx.deliver(BillingTopics.CHARGE, fx.charge(UUID.randomUUID(), 1, nmr, at('2026-05-11T01:00:00Z'), 27_000, member,
                [requesterTenantId: other, rateGroup: 'consortium', accountCode: 'NSFC-2201']))
        fx.deliver(BillingTopics.CHARGE, fx.charge(UUID.randomUUID(), 1, nmr, at('2026-05-12T06:00:00Z'), 12_000, own))
        and: 'a qualification granted twice to the same user in the year'
        2.times {
            fx.deliver(BookingTopics.BOOKING, fx.envelope('qualification.granted', 'instrument_authorisation', nmr, it + 1,
                    [instrumentId: nmr, userId: own, state: 'valid', version: it + 1]))
        }
        def figures = year(nmr)
        def months = ctx.getBean(Rollups).months(new TenantId(tenant), 2026, nmr)

        then:
        figures.effectiveHours() == 2.5d
        figures.externalHours() == 1.5d
        figures.bookedHours() == 2.0d
        figures.samples() == 3
        figures.revenueFen() == 39_000
        figures.externalRevenueFen() == 27_000
        figures.distinctUsers() == 2
        figures.distinctProjects() == 1
        figures.trainees() == 1
        figures.hoursByServiceType() == [teaching: 0.0d, research: 1.0d, service: 1.5d, open: 0.0d]
        figures.hoursByUserClass() == [internal: 1.0d, consortium: 1.5d, external: 0.0d]
        months.items()*.month as Set == ['2026-05'] as Set   // the sample counts in May, when it arrived
        months.items().find { it.userClass() == 'consortium' }.distinctUsers() == 1
    }

    def "five deliveries of an event count once, and the same version under new event ids changes nothing"() {
        given:
        UUID nmr = UUID.randomUUID()
        UUID session = UUID.randomUUID()
        def closed = fx.session(session, 2, nmr, at('2026-07-01T01:00:00Z'), at('2026-07-01T03:00:00Z'), [userId: UUID.randomUUID()])

        when:
        def outcomes = (1..5).collect { fx.deliver(UsageTopics.USAGE_SESSION, closed) }
        3.times { fx.deliver(UsageTopics.USAGE_SESSION, fx.envelope(closed.type(), 'usage_session', session, 2, closed.payload())) }

        then:
        outcomes == [HANDLED, DUPLICATE, DUPLICATE, DUPLICATE, DUPLICATE]
        year(nmr).effectiveHours() == 2.0d
        year(nmr).distinctUsers() == 1
        days(nmr) == ['2026-07-01': 120L]
    }

    def "a corrected session replaces its old hours by a delta, in the day it moved to; an older version changes nothing; superseded goes back to zero"() {
        given:
        UUID nmr = UUID.randomUUID()
        UUID session = UUID.randomUUID()
        UUID first = UUID.randomUUID()
        UUID second = UUID.randomUUID()
        def v2 = fx.session(session, 2, nmr, at('2026-08-03T01:00:00Z'), at('2026-08-03T02:30:00Z'), [userId: first])
        fx.deliver(UsageTopics.USAGE_SESSION, v2)

        when: 'staff correct it: an hour on the next day, another person'
        fx.deliver(UsageTopics.USAGE_SESSION, fx.session(session, 3, nmr, at('2026-08-04T01:00:00Z'), at('2026-08-04T02:00:00Z'),
                [type: 'usage.session.corrected', userId: second]))
        fx.deliver(UsageTopics.USAGE_SESSION, fx.envelope(v2.type(), 'usage_session', session, 2, v2.payload()))
        def corrected = year(nmr)

        then:
        corrected.effectiveHours() == 1.0d
        days(nmr) == ['2026-08-04': 60L]
        corrected.distinctUsers() == 1     // the first person left the month's set

        when:
        fx.deliver(UsageTopics.USAGE_SESSION, fx.session(session, 4, nmr, at('2026-08-04T01:00:00Z'), at('2026-08-04T02:00:00Z'),
                [type: 'usage.session.superseded', status: 'superseded', userId: second]))

        then:
        year(nmr).effectiveHours() == 0.0d
        year(nmr).distinctUsers() == 0
        days(nmr) == [:]
    }

    def "a late event lands in its own month, and a charge adjusted later changes its revenue by the delta"() {
        given:
        UUID nmr = UUID.randomUUID()
        UUID user = UUID.randomUUID()
        UUID charge = UUID.randomUUID()
        fx.deliver(UsageTopics.USAGE_SESSION, fx.session(UUID.randomUUID(), 1, nmr, at('2026-11-02T01:00:00Z'), at('2026-11-02T03:00:00Z'), [userId: user]))
        fx.deliver(BillingTopics.CHARGE, fx.charge(charge, 1, nmr, at('2026-11-02T01:00:00Z'), 24_000, user))

        when: 'a session of March (Shanghai: 1 March, 07:30) arrives in November; the charge is adjusted by -4,000 fen'
        fx.deliver(UsageTopics.USAGE_SESSION, fx.session(UUID.randomUUID(), 1, nmr, at('2026-02-28T23:30:00Z'), at('2026-03-01T00:30:00Z'), [userId: user]))
        fx.deliver(BillingTopics.CHARGE, fx.charge(charge, 2, nmr, at('2026-11-02T01:00:00Z'), 20_000, user,
                [type: 'charge.adjusted', itemSeq: 2, itemKind: 'adjustment', deltaFen: -4_000]))
        def months = ctx.getBean(Rollups).months(new TenantId(tenant), 2026, nmr).items()

        then:
        months*.month == ['2026-03', '2026-11']
        months*.effectiveHours() == [1.0d, 2.0d]
        months*.revenueFen() == [0L, 20_000L]
        days(nmr) == ['2026-03-01': 60L, '2026-11-02': 120L]
        year(nmr).distinctUsers() == 1
    }

    def "a staff record counts until a measured session of its booking comes, and again when that session is superseded"() {
        given:
        UUID nmr = UUID.randomUUID()
        UUID user = UUID.randomUUID()
        UUID booking = UUID.randomUUID()
        UUID session = UUID.randomUUID()
        fx.deliver(BookingTopics.BOOKING, fx.booking(booking, 2, nmr, at('2026-09-01T01:00:00Z'), at('2026-09-01T03:00:00Z'), user))

        when:
        fx.deliver(BookingTopics.BOOKING, fx.envelope('usage.recorded', 'usage_record', UUID.randomUUID(), 1,
                [id: UUID.randomUUID(), instrumentId: nmr, bookingId: booking, userId: null, start: '2026-09-01T01:00:00Z',
                 end: '2026-09-01T03:00:00Z', minutes: 120, source: 'staff']))
        def byRecord = year(nmr).effectiveHours()
        fx.deliver(UsageTopics.USAGE_SESSION, fx.session(session, 1, nmr, at('2026-09-01T01:10:00Z'), at('2026-09-01T02:40:00Z'),
                [bookingId: booking, userId: user, link: 'booked']))
        def bySession = year(nmr).effectiveHours()
        fx.deliver(UsageTopics.USAGE_SESSION, fx.session(session, 2, nmr, at('2026-09-01T01:10:00Z'), at('2026-09-01T02:40:00Z'),
                [type: 'usage.session.superseded', status: 'superseded', bookingId: booking, userId: user]))

        then:
        byRecord == 2.0d
        bySession == 1.5d
        year(nmr).effectiveHours() == 2.0d
        year(nmr).bookedHours() == 2.0d
        year(nmr).distinctUsers() == 1
    }

    def "through Kafka: a charge produced five times and a session count once; the rollup lag is printed"() {
        given:
        def producer = fx.producer()
        UUID nmr = UUID.fromString(kafkaNmr)
        UUID charge = UUID.randomUUID()
        UUID session = UUID.randomUUID()
        def e = fx.charge(charge, 1, nmr, at('2026-10-05T02:00:00Z'), 15_000, UUID.randomUUID())
        def s = fx.session(session, 2, nmr, at('2026-10-05T02:00:00Z'), at('2026-10-05T03:30:00Z'), [userId: UUID.randomUUID()])

        when: 'five times the same charge event, twice the same version under new ids, the session five times; then a marker'
        5.times { fx.produce(producer, BillingTopics.CHARGE, e) }
        2.times { fx.produce(producer, BillingTopics.CHARGE, fx.envelope(e.type(), 'charge', charge, 1, e.payload())) }
        5.times { fx.produce(producer, UsageTopics.USAGE_SESSION, s) }
        UUID marker = UUID.randomUUID()
        fx.produce(producer, BillingTopics.CHARGE, fx.charge(marker, 1, nmr, at('2026-10-06T02:00:00Z'), 1, UUID.randomUUID()))
        fx.produce(producer, UsageTopics.USAGE_SESSION, fx.session(UUID.randomUUID(), 1, nmr, at('2026-10-06T02:00:00Z'), at('2026-10-06T02:01:00Z')))
        long deadline = System.currentTimeMillis() + 120_000
        while ((year(nmr).revenueFen() != 15_001 || Math.round(year(nmr).effectiveHours() * 60) != 91) && System.currentTimeMillis() < deadline) {
            Thread.sleep(100)
        }

        then:
        year(nmr).revenueFen() == 15_001
        Math.round(year(nmr).effectiveHours() * 60) == 91   // 90 + 1 minutes
        TenantWorld.inTenant(tenant) { c ->
            c.prepareStatement("select count(*) from processed_event where consumer = 'reports.facts' and event_id = '${e.eventId()}'")
                    .executeQuery().with { next(); getLong(1) }
        } == 1L

        when: 'twenty charges, one at a time: from the write to Kafka to the rollup holding it'
        List<Long> lags = (1..20).collect { i ->
            UUID id = UUID.randomUUID()
            long t0 = System.nanoTime()
            fx.produce(producer, BillingTopics.CHARGE, fx.charge(id, 1, nmr, at('2026-12-01T02:00:00Z'), 100, UUID.randomUUID()))
            long until = System.currentTimeMillis() + 30_000
            while (!counted(id) && System.currentTimeMillis() < until) {
                Thread.sleep(2)
            }
            (System.nanoTime() - t0).intdiv(1_000_000) as long
        }.sort()
        println "facts rollup lag through Kafka (event written -> rollup updated), 20 events: " +
                "p50 ${lags[9]} ms, p95 ${lags[18]} ms, max ${lags[19]} ms"

        then:
        ctx.getBean(Rollups).months(new TenantId(tenant), 2026, nmr).items().find { it.month() == '2026-12' }.revenueFen() == 2_000

        cleanup:
        producer?.close()
    }

    boolean counted(UUID charge) {
        TenantWorld.inTenant(tenant) { c ->
            c.prepareStatement("select count(*) from fact_source where kind = 'charge' and source_id = '${charge}'")
                    .executeQuery().with { next(); getLong(1) } == 1L
        }
    }
}

package org.labcommons.core.usage.sessions

import jakarta.inject.Inject
import org.labcommons.core.tenancy.TenantId
import org.labcommons.core.tenancy.TenantTransactions
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld
import spock.lang.Tag
import spock.util.concurrent.PollingConditions

import java.time.Duration
import java.time.Instant

import static org.labcommons.testkit.TenantWorld.INSTITUTION_ADMIN
import static org.labcommons.testkit.TenantWorld.USER

/**
 * The reading consumer against real Kafka and PostgreSQL: controllers' records (produced as the bridge writes them)
 * become readings, sessions and usage.session.v1 events; replays change nothing; a crash loses and duplicates
 * nothing; tenants stay apart.
 */
@Tag('integration')
class ReadingConsumerSpec extends PlatformSpec {
    static final Instant T0 = Instant.parse('2026-11-02T01:00:00Z')
    static final UUID METER = UUID.randomUUID()
    static final UUID PC = UUID.randomUUID()

    @Inject ReadingConsumer consumer
    @Inject TenantTransactions tenants
    @Inject SessionRows sessions
    @Inject ReadingRows readingRows
    @Inject PowerSettings power

    static TenantWorld world
    static String bootstrap
    static UUID a, b, alice
    static ReadingStream first

    def setup() {
        if (world == null) {
            world = TenantWorld.build(ctx) {
                institution('rc-a') { person('rc-admin', INSTITUTION_ADMIN); person('rc-alice', USER); instrument('RC XRD'); instrument('RC SEM') }
                institution('rc-b') { person('rc-admin-b', INSTITUTION_ADMIN) }
            }
            a = world.tenant('rc-a').id
            b = world.tenant('rc-b').id
            alice = world.person('rc-alice').userId
            bootstrap = ctx.getProperty('labcommons.kafka.bootstrap', String).get()
            ReadingStream.ensureTopics(bootstrap)
            TenantWorld.inTenant(a) { c ->
                c.prepareStatement("insert into person_credential (tenant_id, kind, value, user_id, source) values (app_tenant(), 'login', 'alice', ?, 'staff')").withCloseable { ps ->
                    ps.setObject(1, alice); ps.executeUpdate()
                }
            }
        }
        consumer.setFaultHook(null)
        consumer.start()
    }

    def cleanup() {
        consumer.setFaultHook(null)
        consumer.start()
    }

    UUID instrument(String name) { UUID.fromString(world.instrument(name).id as String) }

    /** Two hours at 300 W with a 3-minute dip after alice logged in; twenty minutes at 200 W nobody claims; a spike. */
    static ReadingStream usage(UUID tenant, UUID instrument) {
        new ReadingStream(bootstrap, tenant, instrument)
                .login(PC, T0.minusSeconds(60), 'alice')
                .power(METER, T0, T0.plusSeconds(3600), 300)
                .power(METER, T0.plusSeconds(3600), T0.plusSeconds(3780), 10)
                .power(METER, T0.plusSeconds(3780), T0.plusSeconds(7200), 300)
                .power(METER, T0.plusSeconds(7200), T0.plusSeconds(8400), 5)
                .power(METER, T0.plusSeconds(8400), T0.plusSeconds(9600), 200)
                .power(METER, T0.plusSeconds(9600), T0.plusSeconds(10800), 5)
                .power(METER, T0.plusSeconds(10800), T0.plusSeconds(10830), 60)
                .power(METER, T0.plusSeconds(10830), T0.plusSeconds(11400), 5)
    }

    List<BuiltSession> expected(ReadingStream s) {
        SessionBuilder.build(new SessionBuilder.Input(s.tenant, s.instrument, s.readings, power.rule(), Duration.ofMinutes(15), [],
                [new Credential('login', 'alice', alice, null)]))
    }

    List<SessionRows.Stored> stored(UUID tenant, UUID instrument) {
        tenants.inTenant(new TenantId(tenant)) { c -> sessions.ofInstrument(instrument) }
    }

    List<SessionRows.Stored> current(UUID tenant, UUID instrument) {
        stored(tenant, instrument).findAll { it.status() != 'superseded' }
    }

    long readingCount(UUID tenant) {
        tenants.inTenant(new TenantId(tenant)) { c -> readingRows.count() }
    }

    static List sessionShape(List<?> list) {
        list.collect { s -> s instanceof BuiltSession ? [s.id(), s.status(), s.start(), s.end(), s.userId(), s.grade(), s.link()]
                : [s.id(), s.status(), s.startedAt(), s.endedAt(), s.userId(), s.grade(), s.link()] }
    }

    def "a stream through Kafka becomes readings, sessions and usage.session.v1 events; unreadable records are skipped"() {
        given:
        UUID xrd = instrument('RC XRD')
        first = usage(a, xrd)
        long skippedBefore = consumer.skipped()
        def bad = [[topic: 'iot.telemetry.v1', device: METER, value: '{"v":"LC-IC/1"}', headers: ['lc-device': METER.toString()]],
                   [topic: 'iot.telemetry.v1', device: METER, value: 'not json', headers: ['lc-tenant': a.toString()]]]

        when:
        first.produce(first.records.subList(0, 100) + bad + first.records.subList(100, first.records.size()))

        then: 'every reading once, and the sessions the builder gives for the stream'
        new PollingConditions(timeout: 90, delay: 0.5).eventually {
            assert readingCount(a) == first.readings.size()
            assert sessionShape(current(a, xrd)) == sessionShape(expected(first))
        }
        consumer.skipped() >= skippedBefore + 2

        and: 'alice identified by her PC login (grade A, unbooked), the second unattributed, the spike nothing'
        def s = current(a, xrd)
        s.size() == 2
        s[0].startedAt() == T0 && s[0].endedAt() == T0.plusSeconds(7200) && s[0].status() == 'closed'
        s[0].userId() == alice && s[0].identifiedBy() == 'pc' && s[0].grade() == 'A' && s[0].link() == 'unbooked'
        s[0].energyWh() > 500
        s[1].startedAt() == T0.plusSeconds(8400) && s[1].endedAt() == T0.plusSeconds(9600)
        s[1].link() == 'unattributed' && s[1].userId() == null
        s[0].evidence().contains(first.readings[1].eventId().toString())

        and: 'the latest event of each session is the session as stored'
        new PollingConditions(timeout: 30, delay: 0.5).eventually {
            def events = ReadingStream.sessionEvents(bootstrap, a)
            s.each { row ->
                def latest = events.findAll { it.aggregateId == row.id().toString() }.max { it.aggregateVersion as long }
                assert latest != null
                assert latest.aggregateVersion == row.version()
                assert latest.payload.status == row.status()
                assert latest.payload.start == row.startedAt().toString()
                assert latest.payload.end == row.endedAt().toString()
                assert latest.payload.grade == row.grade()
                assert latest.payload.link == row.link()
                assert latest.type in ['usage.session.closed', 'usage.session.changed']
            }
        }
    }

    def "replaying the whole stream three times gives the same sessions (ids, times, versions) and no duplicate readings"() {
        given:
        UUID xrd = instrument('RC XRD')
        assert first != null
        def before = sessionShape(stored(a, xrd)) + stored(a, xrd).collect { it.version() }
        long readings = readingCount(a)
        long events = consumer.sessionEvents()
        long records = consumer.records()

        when:
        3.times { first.produce() }

        then:
        new PollingConditions(timeout: 90, delay: 0.5).eventually {
            assert consumer.records() >= records + 3 * first.records.size()
        }
        readingCount(a) == readings
        sessionShape(stored(a, xrd)) + stored(a, xrd).collect { it.version() } == before
        consumer.sessionEvents() == events
    }

    def "the consumer killed mid-stream, after a commit and inside a transaction, loses and duplicates nothing"() {
        given:
        UUID sem = instrument('RC SEM')
        def stream = usage(a, sem)
        int half = stream.records.size().intdiv(2)
        long readings = readingCount(a)
        int kills = 0
        consumer.setFaultHook { phase ->
            if (phase == ReadingConsumer.Phase.BEFORE_OFFSET_COMMIT && kills == 0) { kills++; throw new ReadingConsumer.Killed() }
        }

        when: 'killed after its database transaction committed, before the offsets'
        stream.produce(stream.records.subList(0, half))

        then:
        new PollingConditions(timeout: 60, delay: 0.2).eventually { assert !consumer.running() }
        kills == 1

        when: 'started again and killed inside its next transaction (rolled back)'
        consumer.setFaultHook { phase -> if (phase == ReadingConsumer.Phase.IN_TRANSACTION) throw new ReadingConsumer.Killed() }
        consumer.start()

        then:
        new PollingConditions(timeout: 60, delay: 0.2).eventually { assert !consumer.running() }

        when: 'started again with the rest of the stream'
        consumer.setFaultHook(null)
        stream.produce(stream.records.subList(half, stream.records.size()))
        consumer.start()

        then: 'every reading once, the sessions of the whole stream'
        new PollingConditions(timeout: 90, delay: 0.5).eventually {
            assert readingCount(a) == readings + stream.readings.size()
            assert sessionShape(current(a, sem)) == sessionShape(expected(stream))
        }

        and: 'no event twice (one per session and version)'
        new PollingConditions(timeout: 30, delay: 0.5).eventually {
            def ids = current(a, sem).collect { it.id().toString() } as Set
            def events = ReadingStream.sessionEvents(bootstrap, a).findAll { ids.contains(it.aggregateId) }
            assert events.collect { [it.aggregateId, it.aggregateVersion] }.unique().size() == events.size()
            assert ids.every { id -> events.any { it.aggregateId == id && it.type == 'usage.session.closed' } }
        }
    }

    def "tenants stay apart: another tenant sees no sessions or readings, and its records make none for the first"() {
        given:
        UUID xrd = instrument('RC XRD')
        def mine = sessionShape(stored(a, xrd))
        long readingsA = readingCount(a)
        def foreign = new ReadingStream(bootstrap, b, xrd).power(UUID.randomUUID(), T0, T0.plusSeconds(1800), 400)
                .power(UUID.randomUUID(), T0.plusSeconds(1800), T0.plusSeconds(2400), 0)

        expect:
        stored(b, xrd) == []

        when: 'tenant B\'s records name A\'s instrument'
        foreign.produce()

        then: 'stored as B\'s readings, no session for anybody'
        new PollingConditions(timeout: 60, delay: 0.5).eventually {
            assert readingCount(b) == foreign.readings.size()
        }
        stored(b, xrd) == []
        sessionShape(stored(a, xrd)) == mine
        readingCount(a) == readingsA
    }
}

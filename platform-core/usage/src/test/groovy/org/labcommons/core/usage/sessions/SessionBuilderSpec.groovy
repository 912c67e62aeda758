package org.labcommons.core.usage.sessions

import spock.lang.Specification
import spock.lang.Tag

import java.time.Duration
import java.time.Instant

/** The session builder's rules (docs/usage.md): power, identity, bookings, grades, ids, order independence. */
@Tag('fast')
class SessionBuilderSpec extends Specification {
    static final UUID TENANT = UUID.fromString('00000000-0000-4000-8000-00000000000a')
    static final UUID INSTRUMENT = UUID.fromString('00000000-0000-4000-8000-0000000000b1')
    static final UUID METER = UUID.fromString('00000000-0000-4000-8000-0000000000d1')
    static final UUID PC = UUID.fromString('00000000-0000-4000-8000-0000000000d2')
    static final UUID BOOT = UUID.fromString('00000000-0000-4000-8000-0000000000e1')
    static final UUID ALICE = UUID.fromString('00000000-0000-4000-8000-0000000000f1')
    static final UUID BOB = UUID.fromString('00000000-0000-4000-8000-0000000000f2')
    static final Instant T0 = Instant.parse('2026-12-01T08:00:00Z')
    static final PowerRule DEFAULTS = new PowerRule(40, Duration.ofSeconds(60), Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofMinutes(2))
    static final Duration GRACE = Duration.ofMinutes(15)

    long seq = 0

    /** Power samples every {@code everyS} seconds from {@code fromS} to {@code toS} (seconds after T0), at {@code watts}. */
    List<Reading> power(int fromS, int toS, double watts, int everyS = 10, UUID device = METER) {
        (fromS..<toS).step(everyS).collect { int s -> sample(s, watts, device) }
    }

    Reading sample(int atS, double watts, UUID device = METER) {
        seq++
        new Reading(device, UUID.nameUUIDFromBytes("${device}/${seq}".bytes), BOOT, seq, 'power.sample', T0.plusSeconds(atS),
                watts, null, null, "sig${seq}")
    }

    Reading event(int atS, String type, String user, String card = null) {
        seq++
        new Reading(PC, UUID.nameUUIDFromBytes("${PC}/${seq}".bytes), BOOT, seq, type, T0.plusSeconds(atS), null, user, card, "sig${seq}")
    }

    static List<BuiltSession> build(List<Reading> readings, PowerRule rule = DEFAULTS, List<BookingSlot> bookings = [],
                                    List<Credential> credentials = []) {
        SessionBuilder.build(new SessionBuilder.Input(TENANT, INSTRUMENT, readings, rule, GRACE, bookings, credentials))
    }

    static int min(int m) { m * 60 }

    def "power alone: spikes, dips, short runs and thresholds (#what)"() {
        when:
        List<BuiltSession> sessions = build(readings.call(this) as List<Reading>, rule)

        then:
        sessions.size() == count
        sessions.collect { [it.start, it.end] } == spans.collect { [T0.plusSeconds(it[0]), it[1] == null ? null : T0.plusSeconds(it[1])] }

        where:
        what                                        | rule                                   | count | spans                          | readings
        '60 W spikes of 20 s: no session'           | DEFAULTS                               | 0     | []                             | { s -> (0..<10).collectMany { int k -> s.power(k * 300, k * 300 + 30, 60) + s.power(k * 300 + 30, k * 300 + 300, 5) } }
        '2 h at 300 W with a 3-minute dip: one'     | DEFAULTS                               | 1     | [[0, 7380]]                    | { s -> s.power(0, 3600, 300) + s.power(3600, 3780, 10) + s.power(3780, 7380, 300) + s.power(7380, 7800, 8) }
        'a 6-minute dip: two sessions'              | DEFAULTS                               | 2     | [[0, 3600], [3960, 7200]]      | { s -> s.power(0, 3600, 300) + s.power(3600, 3960, 10) + s.power(3960, 7200, 300) + s.power(7200, 7600, 8) }
        '90 s at 300 W: under min-session, dropped' | DEFAULTS                               | 0     | []                             | { s -> s.power(0, 90, 300) + s.power(90, 600, 5) }
        '3 min at 300 W: kept'                      | DEFAULTS                               | 1     | [[0, 180]]                     | { s -> s.power(0, 180, 300) + s.power(180, 600, 5) }
        '30 W all day: below the default 40 W'      | DEFAULTS                               | 0     | []                             | { s -> s.power(0, 7200, 30) }
        '30 W with on-watts 20 (per instrument)'    | DEFAULTS.with(20d, null, null, null, null) | 1 | [[0, 7200]]                   | { s -> s.power(0, 7200, 30) + s.power(7200, 7600, 2) }
        'spikes count with on-sustain 10 s'         | DEFAULTS.with(null, 10, 60, 0, 0)      | 10    | (0..<10).collect { [it * 300, it * 300 + 30] } | { s -> (0..<10).collectMany { int k -> s.power(k * 300, k * 300 + 30, 60) + s.power(k * 300 + 30, k * 300 + 300, 5) } }
        'merge-gap 10 min joins a 6-minute dip'     | DEFAULTS.with(null, null, null, 600, null) | 1 | [[0, 7200]]                   | { s -> s.power(0, 3600, 300) + s.power(3600, 3960, 10) + s.power(3960, 7200, 300) + s.power(7200, 7600, 8) }
        'power still on at the end: open'           | DEFAULTS                               | 1     | [[0, null]]                    | { s -> s.power(0, 1800, 300) }
        'silence over off-after: off at the last'   | DEFAULTS                               | 2     | [[0, 1790], [3600, 5400]]      | { s -> s.power(0, 1800, 300) + s.power(3600, 5400, 300) + s.power(5400, 5800, 0) }
    }

    def "a PC login identifies the person (grade A), a booking without identity gives grade B, neither is unattributed"() {
        given:
        def creds = [new Credential('login', 'alice', ALICE, null), new Credential('card', '04:a1:b2-c3', BOB, null)]
        def booking = new BookingSlot(UUID.randomUUID(), BOB, T0.plusSeconds(min(60)), T0.plusSeconds(min(180)))

        when: 'alice logs in, then the instrument runs an hour (before bob\'s booking)'
        def a = build([event(-120, 'pc.login', 'alice')] + power(0, 3600, 300) + power(3600, 4000, 0), DEFAULTS, [booking], creds)

        then:
        a.size() == 1
        a[0].grade() == 'A' && a[0].userId() == ALICE && a[0].identifiedBy() == 'pc' && a[0].link() == 'unbooked'
        a[0].evidence()*.role().containsAll(['on', 'off', 'identity'])

        when: 'power inside bob\'s booking, nobody identified'
        def b = build(power(min(70), min(170), 300) + power(min(170), min(180), 0), DEFAULTS, [booking], creds)

        then:
        b.size() == 1
        b[0].grade() == 'B' && b[0].userId() == BOB && b[0].identifiedBy() == 'booking' && b[0].link() == 'booked'
        b[0].bookingId() == booking.bookingId()

        when: 'power with neither'
        def c = build(power(min(300), min(360), 300) + power(min(360), min(370), 0), DEFAULTS, [booking], creds)

        then:
        c.size() == 1
        c[0].link() == 'unattributed' && c[0].userId() == null && c[0].grade() == 'C'

        when: 'bob swipes his card (written differently): grade A, his booking linked, early start and overtime'
        def d = build([event(min(50), 'card.swipe', null, '04A1B2C3')] + power(min(50), min(190), 300) + power(min(190), min(200), 0),
                DEFAULTS, [booking], creds)

        then:
        d.size() == 1
        d[0].grade() == 'A' && d[0].userId() == BOB && d[0].identifiedBy() == 'card' && d[0].link() == 'booked'
        d[0].earlyMinutes() == 10 && d[0].overtimeMinutes() == 10

        when: 'an unknown login identifies nobody; a login more than the grace before the start neither'
        def e = build([event(-min(20), 'pc.login', 'alice'), event(0, 'pc.login', 'mallory')] + power(0, 600, 300) + power(600, 1000, 0),
                DEFAULTS, [], creds)

        then:
        e[0].link() == 'unattributed'
    }

    def "late, replayed and shuffled readings give the same sessions with the same ids and evidence"() {
        given:
        def creds = [new Credential('login', 'alice', ALICE, null)]
        List<Reading> stream = [event(10, 'pc.login', 'alice')] + power(0, 3600, 300) + power(3600, 3780, 10) +
                power(3780, 7380, 300) + power(7380, 7800, 8) + power(9000, 9600, 500) + power(9600, 10000, 0)
        def reference = build(stream, DEFAULTS, [], creds)
        def random = new Random(seed)

        when:
        def shuffled = new ArrayList<>(stream)
        Collections.shuffle(shuffled, random)
        def replayed = shuffled + shuffled.subList(0, shuffled.size().intdiv(3))

        then:
        reference.size() == 2
        build(replayed, DEFAULTS, [], creds) == reference

        where:
        seed << [1L, 2L, 3L]
    }

    def "ids are name-based on tenant, instrument, source and the opening sample's event id"() {
        given:
        def readings = power(0, 600, 300) + power(600, 1000, 0)

        when:
        def s = build(readings)

        then:
        s[0].id() == SessionBuilder.id(TENANT, INSTRUMENT, 'device', readings[0].eventId())
        s[0].id() != SessionBuilder.id(UUID.randomUUID(), INSTRUMENT, 'device', readings[0].eventId())
        s[0].evidence()[0].count() == 60
        s[0].energyWh() == 50.000G
    }

    def "readings at the same time are placed by device sequence"() {
        given:
        def later = new Reading(METER, UUID.randomUUID(), BOOT, 7, 'power.sample', T0, 300d, null, null, null)
        def earlier = new Reading(METER, UUID.randomUUID(), BOOT, 6, 'power.sample', T0, 0d, null, null, null)

        expect:
        SessionBuilder.ordered([later, earlier]) == [earlier, later]
    }
}

package org.labcommons.iot.interlock

import groovy.json.JsonOutput
import io.micronaut.json.JsonMapper
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Tag

import java.time.Instant

import static java.time.Duration.ofMinutes

/**
 * The access rules as a table: a {@link GrantView} filled with grant records (the JSON of access.grants.v1, applied
 * without Kafka) and {@link AccessDecider} asked at a fixed time.
 */
@Tag('fast')
class AccessDeciderSpec extends Specification {
    static final Instant NOW = Instant.parse('2026-12-05T10:00:00Z')
    static final UUID T = UUID.fromString('00000000-0000-4000-8000-00000000000a')      // the device's tenant
    static final UUID OTHER_T = UUID.fromString('00000000-0000-4000-8000-00000000000b') // an outside user's tenant
    static final UUID I = UUID.fromString('00000000-0000-4000-8000-0000000000f1')
    static final UUID ALICE = UUID.fromString('00000000-0000-4000-8000-000000000a11')
    static final UUID BOB = UUID.fromString('00000000-0000-4000-8000-000000000b0b')
    static final UUID CAROL = UUID.fromString('00000000-0000-4000-8000-0000000000c0')   // of OTHER_T
    static final UUID DAN = UUID.fromString('00000000-0000-4000-8000-0000000000d0')     // known, never authorised
    static final UUID B1 = UUID.fromString('00000000-0000-4000-8000-0000000000b1')

    @Shared JsonMapper json = JsonMapper.createDefault()

    GrantView view() {
        new GrantView(new ResponderSettings(), '127.0.0.1:1', json)
    }

    static Map instrument(Map over = [:]) {
        [kind: 'instrument', tenantId: "$T", instrumentId: "$I", version: 5, generatedAt: "${NOW.minusSeconds(600)}",
         validUntil: "${NOW.plusSeconds(172800)}", tenantActive: true, instrumentStatus: 'in_service', customsSupervised: false,
         policy: [walkUp: false, failMode: 'closed', earlyGraceMin: 15, endGraceMin: 10, warnBeforeMin: 10],
         authorised: ["$ALICE", "$BOB", "$CAROL"], bookings: [], blocks: [], blockedUsers: [], overrides: []] + over
    }

    static Map booking(UUID user, Instant start, Instant end, UUID tenant = T, UUID id = UUID.randomUUID()) {
        [bookingId: "$id", userId: "$user", userTenantId: "$tenant", start: "$start", end: "$end", status: 'approved']
    }

    void put(GrantView v, String key, Object value) {
        v.apply(key, value == null ? null : JsonOutput.toJson(value).bytes)
    }

    GrantView world(Map over = [:]) {
        def v = view()
        put(v, "$T/instrument/$I", instrument(over))
        [ALICE: ALICE, BOB: BOB, DAN: DAN].each { name, id -> put(v, "$T/credential/card/${name}CARD", [kind: 'credential', tenantId: "$T", credentialKind: 'card', value: "${name}CARD", userId: "$id", validUntil: "${NOW.plusSeconds(86400)}"]) }
        put(v, "$OTHER_T/credential/card/CAROLCARD", [kind: 'credential', tenantId: "$OTHER_T", credentialKind: 'card', value: 'CAROLCARD', userId: "$CAROL"])
        put(v, "$T/credential/login/alice", [kind: 'credential', tenantId: "$T", credentialKind: 'login', value: 'alice', userId: "$ALICE"])
        v
    }

    AccessDecider.Decision ask(GrantView v, String method = 'card', String credential = 'ALICECARD', UUID instrument = I) {
        AccessDecider.decide(v, new AccessDecider.Request(T, instrument, method, credential), NOW)
    }

    def "#what: #expected"() {
        given:
        def v = world(over)

        when:
        def d = ask(v, method, credential)

        then:
        (d.allow() ? 'allow' : 'deny') == expected.split(' ')[0]
        d.reason() == expected.split(' ')[1]
        d.until() == (until == null ? null : Instant.parse(until))

        where:
        what                                            | over                                                                                                                        | method | credential      || expected                      | until
        'own booking now'                               | [bookings: [booking(ALICE, NOW.minus(ofMinutes(30)), NOW.plus(ofMinutes(60)))]]                                             | 'card' | 'ALICECARD'     || 'allow own_booking'           | '2026-12-05T11:00:00Z'
        'card typed with colons and lower case'         | [bookings: [booking(ALICE, NOW.minus(ofMinutes(30)), NOW.plus(ofMinutes(60)))]]                                             | 'card' | 'al:ice-card '  || 'allow own_booking'           | '2026-12-05T11:00:00Z'
        'PC login'                                      | [bookings: [booking(ALICE, NOW.minus(ofMinutes(30)), NOW.plus(ofMinutes(60)))]]                                             | 'pc'   | 'alice'         || 'allow own_booking'           | '2026-12-05T11:00:00Z'
        'own booking in 10 min (early grace 15)'        | [bookings: [booking(ALICE, NOW.plus(ofMinutes(10)), NOW.plus(ofMinutes(70)))]]                                              | 'card' | 'ALICECARD'     || 'allow own_booking'           | '2026-12-05T11:10:00Z'
        'own booking in 20 min (past the early grace)'  | [bookings: [booking(ALICE, NOW.plus(ofMinutes(20)), NOW.plus(ofMinutes(70)))]]                                              | 'card' | 'ALICECARD'     || 'deny no_booking'             | null
        'early grace while Bob still has his booking'   | [bookings: [booking(BOB, NOW.minus(ofMinutes(50)), NOW.plus(ofMinutes(10))), booking(ALICE, NOW.plus(ofMinutes(10)), NOW.plus(ofMinutes(70)))]] | 'card' | 'ALICECARD' || 'deny booked_by_other' | null
        'own booking ended'                             | [bookings: [booking(ALICE, NOW.minus(ofMinutes(90)), NOW)]]                                                                 | 'card' | 'ALICECARD'     || 'deny no_booking'             | null
        'own booking extended by an override'           | [bookings: [booking(ALICE, NOW.minus(ofMinutes(30)), NOW.plus(ofMinutes(60)))], overrides: [[id: "${UUID.randomUUID()}", action: 'extend', until: '2026-12-05T11:30:00Z', reason: 'run']]] | 'card' | 'ALICECARD' || 'allow own_booking' | '2026-12-05T11:30:00Z'
        'someone else books now'                        | [bookings: [booking(BOB, NOW.minus(ofMinutes(30)), NOW.plus(ofMinutes(60)))]]                                               | 'card' | 'ALICECARD'     || 'deny booked_by_other'        | null
        'walk-up, free, authorised'                     | [policy: [walkUp: true, earlyGraceMin: 15]]                                                                                 | 'card' | 'ALICECARD'     || 'allow walk_up'               | '2026-12-05T12:00:00Z'
        'walk-up until the next booking'                | [policy: [walkUp: true, earlyGraceMin: 15], bookings: [booking(BOB, NOW.plus(ofMinutes(45)), NOW.plus(ofMinutes(90)))]]     | 'card' | 'ALICECARD'     || 'allow walk_up'               | '2026-12-05T10:45:00Z'
        'walk-up while Bob books now'                   | [policy: [walkUp: true, earlyGraceMin: 15], bookings: [booking(BOB, NOW.minus(ofMinutes(5)), NOW.plus(ofMinutes(90)))]]     | 'card' | 'ALICECARD'     || 'deny booked_by_other'        | null
        'walk-up not allowed, free, authorised'         | [:]                                                                                                                         | 'card' | 'ALICECARD'     || 'deny no_booking'             | null
        'walk-up but not authorised'                    | [policy: [walkUp: true, earlyGraceMin: 15]]                                                                                 | 'card' | 'DANCARD'       || 'deny not_authorised'         | null
        'not authorised, no walk-up'                    | [:]                                                                                                                         | 'card' | 'DANCARD'       || 'deny not_authorised'         | null
        'unknown card'                                  | [bookings: [booking(ALICE, NOW.minus(ofMinutes(30)), NOW.plus(ofMinutes(60)))]]                                             | 'card' | 'NOBODY'        || 'deny unknown_credential'     | null
        'a PIN (no PINs in the view)'                   | [:]                                                                                                                         | 'pin'  | '1234'          || 'deny unknown_credential'     | null
        'tenant inactive in the instrument record'      | [tenantActive: false, bookings: [booking(ALICE, NOW.minus(ofMinutes(30)), NOW.plus(ofMinutes(60)))]]                        | 'card' | 'ALICECARD'     || 'deny tenant_inactive'        | null
        'under repair'                                  | [instrumentStatus: 'under_repair', bookings: [booking(ALICE, NOW.minus(ofMinutes(30)), NOW.plus(ofMinutes(60)))]]           | 'card' | 'ALICECARD'     || 'deny out_of_service'         | null
        'maintenance block now'                         | [blocks: [[start: "${NOW.minusSeconds(60)}", end: "${NOW.plusSeconds(3600)}", reason: 'maintenance']], bookings: [booking(ALICE, NOW.minus(ofMinutes(30)), NOW.plus(ofMinutes(60)))]] | 'card' | 'ALICECARD' || 'deny out_of_service' | null
        'staff lock override'                           | [overrides: [[id: "${UUID.randomUUID()}", action: 'lock', until: "${NOW.plusSeconds(600)}", reason: 'spill']], bookings: [booking(ALICE, NOW.minus(ofMinutes(30)), NOW.plus(ofMinutes(60)))]] | 'card' | 'ALICECARD' || 'deny out_of_service' | null
        'staff unlock override'                         | [overrides: [[id: "${UUID.randomUUID()}", action: 'unlock', until: '2026-12-05T10:20:00Z', reason: 'demo']]]               | 'card' | 'DANCARD'       || 'allow override_unlock'       | '2026-12-05T10:20:00Z'
        'blocked user'                                  | [blockedUsers: [[userId: "$ALICE", until: "${NOW.plusSeconds(86400)}"]], bookings: [booking(ALICE, NOW.minus(ofMinutes(30)), NOW.plus(ofMinutes(60)))]] | 'card' | 'ALICECARD' || 'deny blocked' | null
        'block expired'                                 | [blockedUsers: [[userId: "$ALICE", until: "${NOW.minusSeconds(1)}"]], bookings: [booking(ALICE, NOW.minus(ofMinutes(30)), NOW.plus(ofMinutes(60)))]] | 'card' | 'ALICECARD' || 'allow own_booking' | '2026-12-05T11:00:00Z'
        'outside user booked: card found in her tenant' | [bookings: [booking(CAROL, NOW.minus(ofMinutes(30)), NOW.plus(ofMinutes(60)), OTHER_T)]]                                   | 'card' | 'CAROLCARD'     || 'allow own_booking'           | '2026-12-05T11:00:00Z'
        'outside user not booked: card not found'       | [:]                                                                                                                         | 'card' | 'CAROLCARD'     || 'deny unknown_credential'     | null
        'customs-supervised, outside user'              | [customsSupervised: true, bookings: [booking(CAROL, NOW.minus(ofMinutes(30)), NOW.plus(ofMinutes(60)), OTHER_T)]]           | 'card' | 'CAROLCARD'     || 'deny customs_restricted'     | null
        'customs-supervised, own member'                | [customsSupervised: true, bookings: [booking(ALICE, NOW.minus(ofMinutes(30)), NOW.plus(ofMinutes(60)))]]                    | 'card' | 'ALICECARD'     || 'allow own_booking'           | '2026-12-05T11:00:00Z'
        'cancelled booking does not count'              | [bookings: [booking(ALICE, NOW.minus(ofMinutes(30)), NOW.plus(ofMinutes(60))) + [status: 'cancelled']]]                    | 'card' | 'ALICECARD'     || 'deny no_booking'             | null
    }

    def "the own booking's id is the decision's; the instrument record's version is the view version"() {
        given:
        def v = world(bookings: [booking(ALICE, NOW.minus(ofMinutes(30)), NOW.plus(ofMinutes(60)), T, B1)])

        expect:
        with(ask(v)) { bookingId() == B1 && userId() == ALICE && viewVersion() == 5 }
    }

    def "a suspended tenant's record denies before anything else, even an unknown card; a tombstone forgets it"() {
        given:
        def v = world()
        put(v, "$T/tenant", [kind: 'tenant', tenantId: "$T", active: false, version: 3])

        expect:
        ask(v, 'card', 'NOBODY').reason() == 'tenant_inactive'

        when: 'an older record does not win over a newer one'
        put(v, "$T/tenant", [kind: 'tenant', tenantId: "$T", active: true, version: 2])

        then:
        !v.tenantActive(T)

        when:
        put(v, "$T/tenant", null)

        then:
        v.tenantActive(T)
        ask(v, 'card', 'NOBODY').reason() == 'unknown_credential'
    }

    def "the highest version per instrument is kept; a tombstone removes the instrument, a credential tombstone the card"() {
        given:
        def v = world(version: 10, bookings: [booking(ALICE, NOW.minus(ofMinutes(30)), NOW.plus(ofMinutes(60)))])

        when: 'an older record arrives late'
        put(v, "$T/instrument/$I", instrument(version: 9))

        then:
        ask(v).allow()

        when: 'a newer one without the booking'
        put(v, "$T/instrument/$I", instrument(version: 11))

        then:
        ask(v).reason() == 'no_booking'

        when:
        put(v, "$T/credential/card/ALICECARD", null)

        then:
        ask(v).reason() == 'unknown_credential'

        when:
        put(v, "$T/instrument/$I", null)

        then: 'no record of the instrument: nothing to decide from'
        v.instrument(T, I).empty
        ask(v, 'card', 'BOBCARD').reason() == 'out_of_service'
    }

    def "a record that cannot be read is skipped and counted, the view unchanged"() {
        given:
        def v = world()

        when:
        v.apply("$T/instrument/$I", '{"kind":"instrument"'.bytes)
        v.apply('not-a-uuid/tenant', '{}'.bytes)
        v.apply("$T/gadget/1", '{}'.bytes)

        then:
        v.unreadable() == 3
        v.instrument(T, I).get().version() == 5
    }

    def "every deny has a bilingual message"() {
        expect:
        AccessDecider.message(new AccessDecider.Decision(false, reason, null, null, null, 0)) ==~ /.+ \/ .+/

        where:
        reason << ['tenant_inactive', 'unknown_credential', 'out_of_service', 'blocked', 'customs_restricted',
                   'booked_by_other', 'not_authorised', 'no_booking']
    }
}

package org.labcommons.core.billing.rates

import spock.lang.Specification
import spock.lang.Tag

import java.time.Duration
import java.time.Instant
import java.time.LocalDate

/**
 * The rating rule of a rate card (Rating, RateCards.price): round up to the increment, minimum charge, assisted
 * surcharge, time bands split minute by minute at their boundaries in the tenant's zone (Asia/Shanghai), one
 * half-up rounding to the fen at the end.
 */
@Tag('fast')
class RatingSpec extends Specification {
    static final UUID I = UUID.randomUUID()

    static RateCard hourly(Map o = [:]) {
        new RateCard(UUID.randomUUID(), I, null, 'internal', 1, 'hour', (o.price ?: 12_000L) as long,
                (o.minimum ?: 0L) as long, (o.rounding ?: 15) as int, (o.surcharge ?: 0L) as long,
                (o.bands ?: []) as List<TimeBand>, LocalDate.of(2026, 1, 1), 'PF-1', 'Asia/Shanghai')
    }

    static RateCard perSample(Map o = [:]) {
        new RateCard(UUID.randomUUID(), I, UUID.randomUUID(), 'external', 1, 'sample', (o.price ?: 5_000L) as long,
                (o.minimum ?: 0L) as long, 1, (o.surcharge ?: 0L) as long, (o.bands ?: []) as List<TimeBand>,
                LocalDate.of(2026, 1, 1), 'PF-2', 'Asia/Shanghai')
    }

    /** 2026-12-07 is a Monday; 10:00 in Shanghai is 02:00 UTC. */
    static Instant shanghai(String localDateTime) {
        java.time.LocalDateTime.parse(localDateTime).atZone(java.time.ZoneId.of('Asia/Shanghai')).toInstant()
    }

    def rates = new RateCards(null, null, null)

    def "billed minutes round up to the increment: #used -> #minutes min on a #rounding-minute card"() {
        expect:
        Rating.billedMinutes(used, rounding) == minutes

        where:
        used                                  | rounding || minutes
        Duration.ZERO                         | 15       || 0
        Duration.ofMinutes(15)                | 15       || 15
        Duration.ofMinutes(16)                | 15       || 30
        Duration.ofSeconds(15 * 60 + 1)       | 15       || 30
        Duration.ofMinutes(14).plusNanos(1)   | 15       || 15
        Duration.ofMinutes(60)                | 30       || 60
        Duration.ofMinutes(61)                | 30       || 90
        Duration.ofSeconds(1)                 | 1        || 1
    }

    def "an hourly card at 120.00 yuan an hour, billed in 15 minutes: 0 min, exactly an increment, one minute over"() {
        given:
        def card = hourly(price: 12_000L, rounding: 15, minimum: minimum)

        expect:
        rates.price(card, used, false, shanghai('2026-12-07T10:00')) == fen

        where:
        used                    | minimum || fen
        Duration.ZERO           | 5_000L  || 0          // nothing used: nothing charged, not even the minimum
        Duration.ofMinutes(15)  | 0L      || 3_000      // exactly one increment: a quarter hour
        Duration.ofMinutes(16)  | 0L      || 6_000      // one minute over: the next increment
        Duration.ofMinutes(60)  | 0L      || 12_000
        Duration.ofMinutes(15)  | 5_000L  || 5_000      // below the minimum: the minimum
        Duration.ofMinutes(61)  | 5_000L  || 15_000
    }

    def "the fen is rounded half up once, at the end, never per minute"() {
        given: "100 fen an hour billed by the minute: one minute is 1.666... fen"
        def card = hourly(price: 100L, rounding: 1)

        expect:
        rates.price(card, Duration.ofMinutes(minutes), false, shanghai('2026-12-07T10:00')) == fen

        where:
        minutes || fen
        1       || 2      // 1.67 -> 2
        2       || 3      // 3.33 -> 3
        3       || 5      // exactly 5
        9       || 15     // 15.0
        30      || 50     // half an hour
        21      || 35     // 35.0
        4       || 7      // 6.67 -> 7
    }

    def "the assisted surcharge is per hour of billed time"() {
        given:
        def card = hourly(price: 12_000L, surcharge: 4_000L, rounding: 30)

        expect:
        rates.price(card, Duration.ofMinutes(45), true, shanghai('2026-12-07T10:00')) == 16_000   // 1 h x (120 + 40)
        rates.price(card, Duration.ofMinutes(45), false, shanghai('2026-12-07T10:00')) == 12_000
    }

    def "a session crossing a band boundary is split at it: 21:30-22:30 is half day price, half night price"() {
        given: "nights 22:00-24:00 and 00:00-08:00 at 60.00 an hour, days at 120.00"
        def night = [new TimeBand(1..7, '22:00', '24:00', 6_000L), new TimeBand(1..7, '00:00', '08:00', 6_000L)]
        def card = hourly(price: 12_000L, rounding: 15, bands: night)

        expect:
        rates.price(card, Duration.ofMinutes(60), false, shanghai('2026-12-07T21:30')) == 9_000
        rates.price(card, Duration.ofMinutes(60), false, shanghai('2026-12-07T22:00')) == 6_000
        rates.price(card, Duration.ofMinutes(60), false, shanghai('2026-12-07T21:00')) == 12_000
        rates.price(card, Duration.ofMinutes(60), false, shanghai('2026-12-08T07:45')) == 10_500   // 15 night + 45 day
    }

    def "a session crossing midnight in Shanghai moves from Sunday's weekend band to Monday's price"() {
        given: "weekends (6, 7) at 80.00 an hour; 2026-12-06 is a Sunday; 23:00 Shanghai is 15:00 UTC"
        def weekend = [new TimeBand([6, 7], '00:00', '24:00', 8_000L)]
        def card = hourly(price: 12_000L, rounding: 30, bands: weekend)
        def start = shanghai('2026-12-06T23:00')

        expect:
        start == Instant.parse('2026-12-06T15:00:00Z')
        rates.price(card, Duration.ofHours(2), false, start) == 20_000        // 1 h at 80 + 1 h at 120
        // the same UTC hours read in UTC would all be Sunday: the zone decides
        rates.price(new RateCard(card.id(), I, null, 'internal', 1, 'hour', 12_000L, 0L, 30, 0L, weekend,
                card.effectiveFrom(), 'PF-1', 'UTC'), Duration.ofHours(2), false, start) == 16_000
    }

    def "a quantity card: quantity x (band price or price, plus the surcharge); 0 costs 0; the minimum holds"() {
        given:
        def weekend = [new TimeBand([6, 7], '00:00', '24:00', 7_000L)]
        def card = perSample(price: 5_000L, minimum: 8_000L, surcharge: 1_000L, bands: weekend)

        expect:
        rates.price(card, 0L, false, shanghai('2026-12-07T10:00')) == 0
        rates.price(card, 1L, false, shanghai('2026-12-07T10:00')) == 8_000     // minimum
        rates.price(card, 3L, false, shanghai('2026-12-07T10:00')) == 15_000
        rates.price(card, 3L, true, shanghai('2026-12-07T10:00')) == 18_000
        rates.price(card, 3L, false, shanghai('2026-12-06T10:00')) == 21_000    // Sunday: the weekend band
    }

    def "a card is rated by its own kind: duration for hours, quantity for the rest; negatives are refused"() {
        when:
        rates.price(hourly(), 2L, false, Instant.now())
        then:
        thrown(IllegalArgumentException)

        when:
        rates.price(perSample(), Duration.ofHours(1), false, Instant.now())
        then:
        thrown(IllegalArgumentException)

        when:
        rates.price(perSample(), -1L, false, Instant.now())
        then:
        thrown(IllegalArgumentException)
    }
}

package org.labcommons.core.reports.evaluation

import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Tag

import static org.labcommons.core.reports.evaluation.EvaluationInputs.*

/**
 * The scoring engine alone (no database): the Tsinghua form's worked example (300 MHz NMR, 2014-15) exactly, caps,
 * zero hours, missing figures (not available, never a silent zero), the national scheme's rule kinds and the
 * population figures, with BigDecimal and the roundings ScoringEngine states.
 */
@Tag('fast')
class ScoringEngineSpec extends Specification {
    @Shared Scheme tsinghua = DefaultSchemes.tsinghua(40_000_000L, 150G)
    @Shared Scheme national = DefaultSchemes.national(40_000_000L, 150G, 0.40G, 0.40G, 0.20G)

    /**
     * The form's inputs for 300M核磁共振谱仪 (04000120). The form does not print the rated hours R; any R up to 1,700 h
     * (general purpose) gives 86 + (3800 - R) / 150 >= 100, the printed subtotal; 1,600 h is taken.
     */
    static Map<String, Object> nmr300(Map<String, Object> change = [:]) {
        ([(EFFECTIVE_HOURS): 3800.0G, (RATED_HOURS): 1600G,
          (ORDINARY_PROJECTS): 16, (KEY_PROJECTS): 4, (DEPARTMENTS): 10, (RESEARCHERS): 50, (EXTERNAL_FEES_FEN): 7_000_000L,
          (NATIONAL_AWARDS): 0, (PROVINCIAL_AWARDS): 0, (SCI_PAPERS): 30, (CORE_PAPERS): 0, (PATENTS): 0,
          (TRAININGS): 2] + change) as Map<String, Object>
    }

    ScoreCard.GroupScore group(ScoreCard card, String code) {
        card.groups().find { it.code() == code }
    }

    def "the worked example: 300 MHz NMR scores 35.0, 30.0 and 9.0 (and 2.0 for training, which belongs to the next group)"() {
        when:
        def card = ScoringEngine.score(tsinghua, EvaluationInputs.of(nmr300(), 'general'))
        def machine = group(card, 'machine_time')
        def service = group(card, 'public_service')
        def results = group(card, 'results')
        def other = group(card, 'other')

        then: "machine time: 3,800 h -> 100.0 -> 35.0"
        machine.items()[0].points() == 100.0G
        machine.items()[0].points().scale() == 1
        machine.subtotal() == 100.0G
        machine.weighted() == 35.0G
        machine.weighted().toPlainString() == '35.0'

        and: "public service: 16 + 8 + 20 + 50 + 70 = 164, capped at 100 -> 30.0"
        service.items()*.points()*.toPlainString() == ['16.0', '8.0', '20.0', '50.0', '70.0']
        service.sum() == 164.0G
        service.capped()
        service.subtotal() == 100.0G
        service.weighted().toPlainString() == '30.0'

        and: "users' results: 30 SCI papers -> 60 -> 9.0"
        results.items()*.points()*.toPlainString() == ['0.0', '0.0', '60.0', '0.0', '0.0']
        results.subtotal().toPlainString() == '60.0'
        !results.capped()
        results.weighted().toPlainString() == '9.0'

        and: "training, 2 x 5 = 10, is the remaining 20 %'s first row"
        other.subtotal().toPlainString() == '10.0'
        other.weighted().toPlainString() == '2.0'
        card.available()
        card.total().toPlainString() == '76.0'
        card.missing() == []
    }

    def "machine time: E #e h against R #r h (#purpose) earns #points -> #weighted"() {
        when:
        def card = ScoringEngine.score(tsinghua, EvaluationInputs.of(nmr300((EFFECTIVE_HOURS): e, (RATED_HOURS): r), purpose))
        def machine = group(card, 'machine_time')

        then:
        machine.items()[0].points() == points
        machine.weighted() == weighted
        machine.items()[0].capped() == capped

        where:
        e       | r    | purpose   || points | weighted | capped
        3800    | 1700 | 'general' || 100.0G | 35.0G    | false   // 86 + 2100/150 = 100 exactly
        3800    | 2000 | 'general' || 98.0G  | 34.3G    | false   // 86 + 1800/150
        3800    | 2000 | 'special' || 99.8G  | 34.9G    | false   // 86 + 1800/130 = 99.846.. -> 99.8; 99.8 x 0.35 = 34.93 -> 34.9
        3800    | 1000 | 'general' || 100.0G | 35.0G    | true    // 104.67 capped at the item's 100
        1000    | 1600 | 'general' || 53.8G  | 18.8G    | false   // 1000/1600 x 86 = 53.75 -> 53.8 (half up); 53.8 x 0.35 = 18.83 -> 18.8
        1600    | 1600 | 'general' || 86.0G  | 30.1G    | false   // E = R: the second branch, 86 + 0
        0       | 1600 | 'general' || 0.0G   | 0.0G     | false   // zero hours score zero (a figure, not a missing one)
        100     | 1600 | null      || 5.4G   | 1.9G     | false   // 5.375 -> 5.4; purpose unknown uses the general divisor
    }

    def "a missing figure is not available, never zero: its item, its group and the total say so and name it"() {
        given:
        def figures = nmr300()
        figures.remove(SCI_PAPERS)
        figures.remove(RATED_HOURS)

        when:
        def card = ScoringEngine.score(tsinghua, EvaluationInputs.of(figures, 'general'))

        then:
        !card.available()
        card.total() == null
        card.missing() == [RATED_HOURS, SCI_PAPERS]
        group(card, 'machine_time').subtotal() == null
        group(card, 'machine_time').items()[0].value() == 3800.0G   // the figure it had is still shown
        group(card, 'machine_time').items()[0].missing() == [RATED_HOURS]
        group(card, 'results').weighted() == null
        group(card, 'results').items().find { it.code() == 'sci_papers' }.points() == null
        group(card, 'results').items().find { it.code() == 'patents' }.points() == 0.0G

        and: "the complete groups are still scored"
        group(card, 'public_service').weighted() == 30.0G
        group(card, 'other').weighted() == 2.0G
    }

    def "a zero rated-hours figure gives no ratio: not available rather than a division by zero"() {
        when:
        def card = ScoringEngine.score(tsinghua, EvaluationInputs.of(nmr300((RATED_HOURS): 0), 'general'))

        then:
        !card.available()
        card.missing() == [RATED_HOURS]
    }

    def "the national scheme: proportional with its maximum, per unit with its cap, bands and a manual score"() {
        when:
        def card = ScoringEngine.score(national, EvaluationInputs.of([(EFFECTIVE_HOURS): 1200, (RATED_HOURS): 1600,
                (EXTERNAL_HOURS): 615, (EXTERNAL_FEES_FEN): 12_345_600L, (RATING_MEAN): 4.2G, (MANAGEMENT_SCORE): 120], 'general'))
        def operation = group(card, 'operation')
        def sharing = group(card, 'sharing')
        def management = group(card, 'management')

        then:
        operation.items()[0].points() == 75.0G                 // 1200 / 1600 x 100
        operation.weighted() == 30.0G
        sharing.items()*.points() == [40.0G, 12.3G, 20.0G]     // 61.5 capped at 40; 123,456 RMB / 10,000 = 12.3456 -> 12.3; 4.2 reaches the 4.0 band
        sharing.items()*.capped() == [true, false, false]
        sharing.weighted() == 28.9G                            // 72.3 x 0.4 = 28.92 -> 28.9
        management.items()[0].points() == 100.0G               // a manual score above its maximum is held at it
        management.items()[0].capped()
        management.weighted() == 20.0G
        card.total() == 78.9G

        when: "above the rated hours the proportional item stays at its maximum"
        def busy = ScoringEngine.score(national, EvaluationInputs.of([(EFFECTIVE_HOURS): 3000, (RATED_HOURS): 1600,
                (EXTERNAL_HOURS): 0, (EXTERNAL_FEES_FEN): 0, (RATING_MEAN): 2.9G, (MANAGEMENT_SCORE): 60], 'general'))

        then:
        group(busy, 'operation').items()[0].points() == 100.0G
        group(busy, 'sharing').items()*.points() == [0.0G, 0.0G, 0.0G]   // below the first band: 0
        busy.total() == 40.0G + 0.0G + 12.0G
    }

    def "weights change the weighted scores, not the subtotals"() {
        given:
        def heavy = DefaultSchemes.national(40_000_000L, 150G, 0.50G, 0.30G, 0.20G)

        when:
        def card = ScoringEngine.score(heavy, EvaluationInputs.of([(EFFECTIVE_HOURS): 1200, (RATED_HOURS): 1600,
                (EXTERNAL_HOURS): 100, (EXTERNAL_FEES_FEN): 0, (RATING_MEAN): 5, (MANAGEMENT_SCORE): 80], 'general'))

        then:
        group(card, 'operation').subtotal() == 75.0G
        group(card, 'operation').weighted() == 37.5G
        group(card, 'sharing').subtotal() == 40.0G
        group(card, 'sharing').weighted() == 12.0G
        card.total() == 37.5G + 12.0G + 16.0G
    }

    def "population figures: mean and population standard deviation to one decimal; none for an empty population"() {
        expect:
        ScoringEngine.mean([2, 4, 4, 4, 5, 5, 7, 9].collect { it as BigDecimal }) == 5.0G
        ScoringEngine.standardDeviation([2, 4, 4, 4, 5, 5, 7, 9].collect { it as BigDecimal }) == 2.0G
        ScoringEngine.mean([76.0G, 35.0G, 100.0G]) == 70.3G                       // 211 / 3 = 70.333..
        ScoringEngine.standardDeviation([76.0G, 35.0G, 100.0G]) == 26.8G          // sqrt(2160.67 / 3) = 26.84
        ScoringEngine.mean([]) == null
        ScoringEngine.standardDeviation([]) == null
    }
}

package org.labcommons.core.demo

import org.labcommons.core.catalog.InstrumentInput
import spock.lang.Specification
import spock.lang.Tag

/** The demo's published prices are consistent with its instruments (checked without a database). */
@Tag('fast')
class DemoDataPricesSpec extends Specification {

    def "every demo instrument publishes internal, consortium and external prices; service prices name one of its services"() {
        expect:
        DemoData.PRICES.keySet() == DemoData.INSTRUMENTS*.asset() as Set
        DemoData.INSTRUMENTS.each { i ->
            InstrumentInput input = DemoData.input(i)
            def prices = input.prices()
            assert prices*.rateGroup().toSet() == ['internal', 'consortium', 'external'] as Set
            assert prices.every { p -> p.serviceIndex() == null || p.serviceIndex() < input.servicesOrEmpty().size() }
            assert prices.every { p -> p.amountFen() > 0 && p.amountFen() <= InstrumentInput.MAX_PRICE_FEN && p.unit() in InstrumentInput.PriceInput.UNITS }
            assert prices.collect { [it.serviceIndex(), it.rateGroup(), it.unit()] }.toSet().size() == prices.size()
        }
        DemoData.RATE_GROUPS*.getAt(0) == ['internal', 'consortium', 'external']
    }

    def "the 400 MHz NMR and the TEM cost what the brief's fee lists say an hour"() {
        expect:
        hourly('DH-2012-0417') == [internal: 8_000L, consortium: 12_000L, external: 20_000L]
        hourly('DH-2015-0921') == [internal: 30_000L, consortium: 45_000L, external: 60_000L]
        DemoData.PRICES['DH-2012-0417'].count { it.serviceIndex() != null && it.unit() == 'sample' } == 6
    }

    static Map<String, Long> hourly(String asset) {
        DemoData.PRICES[asset].findAll { it.serviceIndex() == null && it.unit() == 'hour' }
                .collectEntries { [it.rateGroup(), it.amountFen()] }
    }
}

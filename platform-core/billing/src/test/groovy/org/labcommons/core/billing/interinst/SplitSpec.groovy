package org.labcommons.core.billing.interinst

import spock.lang.Specification
import spock.lang.Tag

/** The disbursement split's rounding: largest remainder, parts sum exactly, none more than a fen off its exact share. */
@Tag('fast')
class SplitSpec extends Specification {

    def "#amount fen at #lab/#dept/#inst basis points is #expected"() {
        expect:
        Split.of(amount, lab, dept, inst) == expected

        where:
        amount  | lab  | dept | inst || expected
        100_001 | 6000 | 2500 | 1500 || new Split(60_001, 25_000, 15_000)
        33_333  | 3333 | 3333 | 3334 || new Split(11_110, 11_110, 11_113)
        1       | 3333 | 3333 | 3334 || new Split(0, 0, 1)
        2       | 5000 | 5000 | 0    || new Split(1, 1, 0)
        0       | 5000 | 2000 | 3000 || new Split(0, 0, 0)
        10_000  | 0    | 0    | 10000 || new Split(0, 0, 10_000)
    }

    def "shares that do not sum to 10,000 are refused"() {
        when:
        Split.of(100, 5000, 5000, 1)

        then:
        thrown(IllegalArgumentException)
    }

    def "over random amounts and shares the parts sum to the amount and each is within one fen of its exact share"() {
        given:
        def random = new Random(17)

        expect:
        (1..20_000).every {
            long amount = random.nextInt(10_000_000)
            int lab = random.nextInt(10_001)
            int dept = random.nextInt(10_001 - lab)
            int inst = 10_000 - lab - dept
            def s = Split.of(amount, lab, dept, inst)
            s.labFen() + s.departmentFen() + s.institutionFen() == amount &&
                    [[s.labFen(), lab], [s.departmentFen(), dept], [s.institutionFen(), inst]].every { part, bp ->
                        Math.abs(part * 10_000 - amount * bp) < 10_000
                    }
        }
    }
}

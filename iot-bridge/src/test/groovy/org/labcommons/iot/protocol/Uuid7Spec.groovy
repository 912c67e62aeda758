package org.labcommons.iot.protocol

import spock.lang.Specification
import spock.lang.Tag

import java.time.Instant

@Tag('fast')
class Uuid7Spec extends Specification {

    def "version 7, RFC 9562 variant, the millisecond in the first 48 bits, unique"() {
        given:
        def at = Instant.parse('2026-12-05T08:00:06.170Z')
        def ids = (1..10000).collect { Uuid7.at(at) }

        expect:
        ids.every { it.version() == 7 && it.variant() == 2 }
        ids.every { (it.mostSignificantBits >>> 16) == at.toEpochMilli() }
        ids.toSet().size() == ids.size()
        ids.every { it.toString() ==~ Shapes.UUID7.pattern() }
        Uuid7.at(at.plusMillis(1)).toString() > Uuid7.at(at).toString()   // time-ordered as text
    }
}

package org.labcommons.iot.protocol

import org.erdtman.jcs.JsonCanonicalizer
import spock.lang.Specification
import spock.lang.Tag

import java.nio.charset.StandardCharsets

@Tag('fast')
class CanonicalJsonSpec extends Specification {

    private static String canon(String json) {
        new String(CanonicalJson.canonicalize(json), StandardCharsets.UTF_8)
    }

    def "RFC 8785 section 3.2.2: white space, literals, numbers and string escapes"() {
        given:
        def input = '''{
          "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
          "string": "\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\"\\/",
          "literals": [null, true, false]
        }'''

        expect:
        canon(input) == '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
                '"string":"\u20ac$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}'
    }

    def "RFC 8785 section 3.2.3: members sorted by the UTF-16 code units of their names"() {
        given:
        def input = '''{
          "\\u20ac": "Euro Sign",
          "\\r": "Carriage Return",
          "\\ufb33": "Hebrew Letter Dalet With Dagesh",
          "1": "One",
          "\\ud83d\\ude00": "Emoji: Grinning Face",
          "\\u0080": "Control",
          "\\u00f6": "Latin Small Letter O With Diaeresis"
        }'''

        when:
        def names = new groovy.json.JsonSlurper().parseText(canon(input)).keySet() as List

        then: 'U+1F600 (D83D DE00) sorts before U+FB33 by code unit, though after it by code point'
        names == ['\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33']
        canon(input).startsWith('{"\\r":"Carriage Return","1":"One","\u0080":"Control"')
    }

    def "RFC 8785 section 3.2.4: the canonical form is UTF-8"() {
        expect:
        CanonicalJson.canonicalize('{"a":"\\u00e9\\ud83d\\ude00"}') == '{"a":"é😀"}'.getBytes(StandardCharsets.UTF_8)
    }

    def "RFC 8785 appendix B: IEEE 754 doubles written as ECMAScript writes them (#hex)"() {
        expect:
        canon(Double.toString(Double.longBitsToDouble(Long.parseUnsignedLong(hex, 16)))) == expected

        where:
        hex                | expected
        '0000000000000000' | '0'
        '8000000000000000' | '0'
        '0000000000000001' | '5e-324'
        '8000000000000001' | '-5e-324'
        '7fefffffffffffff' | '1.7976931348623157e+308'
        'ffefffffffffffff' | '-1.7976931348623157e+308'
        '4340000000000000' | '9007199254740992'
        'c340000000000000' | '-9007199254740992'
        '4430000000000000' | '295147905179352830000'
        '44b52d02c7e14af5' | '9.999999999999997e+22'
        '44b52d02c7e14af6' | '1e+23'
        '44b52d02c7e14af7' | '1.0000000000000001e+23'
        '444b1ae4d6e2ef4e' | '999999999999999700000'
        '444b1ae4d6e2ef4f' | '999999999999999900000'
        '444b1ae4d6e2ef50' | '1e+21'
        '3eb0c6f7a0b5ed8c' | '9.999999999999997e-7'
        '3eb0c6f7a0b5ed8d' | '0.000001'
        '41b3de4355555553' | '333333333.3333332'
        '41b3de4355555554' | '333333333.33333325'
        '41b3de4355555555' | '333333333.3333333'
        '41b3de4355555556' | '333333333.3333334'
        '41b3de4355555557' | '333333333.33333343'
        'becbf647612f3696' | '-0.0000033333333333333333'
        '43143ff3c1cb0959' | '1424953923781206.2'
    }

    def "integers are numbers too: beyond 2^53 they round as IEEE 754 doubles do (#input)"() {
        expect:
        canon(input) == expected

        where:
        input                     | expected
        '42'                      | '42'
        '-0'                      | '0'
        '1E2'                     | '100'
        '42.0'                    | '42'
        '9007199254740993'        | '9007199254740992'
        '123456789012345678901234' | '1.2345678901234569e+23'
    }

    def "NaN and infinities, lone surrogates, duplicate names and trailing content are refused (#input)"() {
        when:
        CanonicalJson.canonicalize(input)

        then:
        thrown(JsonTree.MalformedJsonException)

        where:
        input << ['1e400', '{"a":"\\ud800"}', '{"a":1,"a":2}', '{"a":1} {}', '', '{"a":NaN}', '[1,]']
    }

    def "agrees with erdtman's reference implementation on mixed documents"() {
        given:
        def random = new Random(8785)
        def docs = (1..200).collect { '{"d":' + doc(random, 0) + '}' }   // erdtman's reader wants an object

        expect:
        docs.every { json ->
            CanonicalJson.canonicalize(json) == new JsonCanonicalizer(json).encodedUTF8
        }
    }

    private static String doc(Random random, int depth) {
        switch (depth > 2 ? random.nextInt(4) : random.nextInt(6)) {
            case 0: return Double.toString(Double.longBitsToDouble(random.nextLong() & 0x7fefffffffffffffL) * (random.nextBoolean() ? 1 : -1))
            case 1: return Long.toString(random.nextInt())
            case 2: return '"' + (1..random.nextInt(6)).collect { String.format('\\u%04x', [0x20, 0x7f, 0xe9, 0x20ac, 0x0a, 0x41 + random.nextInt(26)][random.nextInt(6)]) }.join() + '"'
            case 3: return ['true', 'false', 'null'][random.nextInt(3)]
            case 4: return '[' + (0..random.nextInt(4)).collect { doc(random, depth + 1) }.join(',') + ']'
            default:
                def names = (0..random.nextInt(5)).collect { "k${random.nextInt(50)}\u00e9${random.nextInt(3) == 0 ? '\ud83d\ude00' : 'z'}".toString() }.unique()
                return '{' + names.collect { '"' + it + '":' + doc(random, depth + 1) }.join(',') + '}'
        }
    }
}

package org.labcommons.core.catalog

import org.labcommons.core.i18n.Messages
import spock.lang.Specification
import spock.lang.Tag

import java.time.Instant

/** The editor's form and the pages' formatting, without a server: fen and yuan, zones, levels. */
@Tag('fast')
class InstrumentFormSpec extends Specification {

    Classifications classes() {
        def c = new Classifications(null)
        c.@byCode = [
                '010000': new Classifications.Entry('010000', null, 1, '分析仪器', 'Analytical instruments'),
                '010600': new Classifications.Entry('010600', '010000', 2, '波谱仪器', 'Spectroscopy'),
                '010601': new Classifications.Entry('010601', '010600', 3, '核磁共振波谱仪', null),
                '020000': new Classifications.Entry('020000', null, 1, '物理性能测试仪器', 'Physical property testing'),
        ]
        c
    }

    def "money is shown as yuan with thousands separators from integer fen"() {
        expect:
        PageFormat.money(fen) == shown

        where:
        fen             || shown
        0L              || '¥0'
        320_000_000L    || '¥3,200,000'
        50_000_000L     || '¥500,000'
        123_456L        || '¥1,234.56'
        5L              || '¥0.05'
        -150L           || '-¥1.50'
        100_000_000_000_00L || '¥100,000,000,000'
    }

    def "prices are shown with two decimals always, in the page and in the editor"() {
        expect:
        PageFormat.price(fen) == shown
        InstrumentForm.yuan2(fen) == typed

        where:
        fen          || shown           | typed
        8_000L       || '¥80.00'        | '80.00'
        123_450L     || '¥1,234.50'     | '1234.50'
        5L           || '¥0.05'         | '0.05'
        0L           || '¥0.00'         | '0.00'
        100_000_000L || '¥1,000,000.00' | '1000000.00'
    }

    def "typed yuan become fen; more than two decimals or text is refused"() {
        expect:
        InstrumentForm.fen('500000') == 50_000_000L
        InstrumentForm.fen('¥3,200,000') == 320_000_000L
        InstrumentForm.fen(' 1234.5 ') == 123_450L

        when:
        InstrumentForm.fen('12.345')

        then:
        thrown(ArithmeticException)

        when:
        InstrumentForm.fen('abc')

        then:
        thrown(NumberFormatException)
    }

    def "instants are shown in the tenant's time zone"() {
        given:
        def at = Instant.parse('2024-12-31T20:30:00Z')
        def shanghai = new PageFormat(Messages.ZH_CN, true, 'Asia/Shanghai', classes(), [:])
        def london = new PageFormat(Locale.ENGLISH, false, 'Europe/London', classes(), [:])
        def broken = new PageFormat(Locale.ENGLISH, false, 'Mars/Olympus', classes(), [:])

        expect:
        shanghai.dateTime(at) == '2025-01-01 04:30'
        shanghai.date(at) == '2025-01-01'
        london.dateTime(at) == '2024-12-31 20:30'
        broken.zone() == 'Asia/Shanghai'
    }

    def "names, classification path and countries follow the page's language"() {
        given:
        def zh = new PageFormat(Messages.ZH_CN, true, null, classes(), [:])
        def en = new PageFormat(Locale.ENGLISH, false, null, classes(), [:])

        expect:
        zh.classPath('010601') == ['分析仪器', '波谱仪器', '核磁共振波谱仪']
        en.classPath('010601') == ['Analytical instruments', 'Spectroscopy', '核磁共振波谱仪'] // no English name yet: Chinese
        en.country('CH') == 'Switzerland'
        zh.country('CH') == '瑞士'
        en.country(null) == ''
    }

    def "the classification is the most specific level whose parent was chosen above it"() {
        given:
        def form = InstrumentForm.parse([cls1: [c1], cls2: [c2], cls3: [c3]])

        expect:
        form.classificationCode(classes()) == code

        where:
        c1       | c2       | c3       || code
        ''       | ''       | ''       || null
        '010000' | ''       | ''       || '010000'
        '010000' | '010600' | ''       || '010600'
        '010000' | '010600' | '010601' || '010601'
        '020000' | '010600' | '010601' || '020000'  // level 1 changed without the others following
        '010000' | '010600' | '999999' || '999999'  // unknown: the service reports it next to the field
    }

    def "a posted form keeps what was typed, drops removed and empty rows, and reads flags"() {
        given:
        def data = InstrumentForm.decode('assetNumber=A-1&nameZh=%E6%A0%B8%E7%A3%81&nameEn=NMR&originalValue=abc'
                + '&flag.customsSupervised=on&sharingScope=private'
                + '&services%5B0%5D.nameZh=%E6%B0%A2%E8%B0%B1&services%5B0%5D.nameEn=1H&services%5B0%5D.id=not-a-uuid'
                + '&services%5B1%5D.nameZh=&services%5B1%5D.nameEn=&services%5B1%5D.sampleRequirements='
                + '&services%5B2%5D.nameZh=x&services%5B2%5D.nameEn=y&services%5B2%5D._remove=on'
                + '&contacts%5B0%5D.name=%E7%8E%8B&contacts%5B0%5D.email=wang%40example.org')

        when:
        def form = InstrumentForm.parse(data)
        def parsed = form.toInput(classes())

        then:
        form.get('nameZh') == '核磁'
        form.get('originalValue') == 'abc'
        form.flag('customsSupervised')
        !form.flag('fundSubsidised')
        form.services.size() == 2
        parsed.problems()*.field() == ['originalValue']
        parsed.problems()[0].messageKey() == 'validation.money_format'
        parsed.input().services()*.nameEn() == ['1H']
        parsed.input().services()[0].id() == null
        parsed.input().contacts()*.email() == ['wang@example.org']
        parsed.input().flags().customsSupervised()
        parsed.input().sharingScope() == 'private'
    }

    def "the policy hints follow the typed value and scope"() {
        expect:
        InstrumentForm.parse([originalValue: [value], sharingScope: [scope]]).exemptionNeeded() == exemption
        InstrumentForm.parse([originalValue: [value], sharingScope: [scope]]).iotRequired() == iot

        where:
        value       | scope     || exemption | iot
        '500000'    | 'private' || true      | true
        '499999.99' | 'private' || false     | true
        '500000'    | 'public'  || false     | true
        '399999'    | 'private' || false     | false
        'lots'      | 'private' || false     | false
    }
}

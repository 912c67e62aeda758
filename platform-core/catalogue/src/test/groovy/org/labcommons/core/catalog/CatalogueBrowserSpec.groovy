package org.labcommons.core.catalog

import org.labcommons.core.security.Role
import org.labcommons.core.security.ScopeType
import org.openqa.selenium.support.ui.Select

/**
 * The catalogue's pages in headless Chromium: a visitor browsing a demo-like institution's public
 * catalogue in Chinese and English (search, filters and paging by htmx), the instrument page with
 * its map (the tile server is unreachable, as in any test: the marker and the place still show),
 * private records never shown to a visitor, an institution admin creating an instrument through
 * the editor (fixing the 500k-private rule on the way), editing it and finding it in the admin
 * list and on the public catalogue, and a phone's width without sideways scrolling.
 */
class CatalogueBrowserSpec extends DemoCatalogueBrowserSpec {
    @Override
    String label() {
        'browser'
    }

    List<String> cardNames() { browser.texts('#instrument-list .instrument .name') }

    void choose(String css, String value) {
        new Select(browser.find(css)).selectByValue(value)
    }

    def "a visitor browses the public catalogue in Chinese, narrows it with the filters, and reads it in English"() {
        when:
        browser.open(app("/t/${f.slug}/instruments"))

        then: 'Chinese (the browser asks for zh-CN first), public entries only'
        browser.attribute('html', 'lang') == 'zh-CN'
        browser.text('h1').contains('东湖理工学院')
        browser.text('#result-count') == '共 3 台仪器'
        cardNames().toSet() == ['400M核磁共振谱仪', '透射电子显微镜', '气相色谱-质谱联用仪'] as Set
        def nmr = "#instrument-list [data-asset='${f.instruments.nmr.assetNumber()}']"
        browser.text("${nmr} .value") == '¥3,200,000'
        browser.text("${nmr} .unit") == '核磁共振实验室'
        browser.text("${nmr} .model") == 'AVANCE III HD 400'
        browser.text("${nmr} .scope") == '公开'
        browser.text("${nmr} .iot") == '须物联网接入'
        browser.text("#instrument-list [data-asset='${f.instruments.tem.assetNumber()}'] .stale") == '未确认'
        !browser.exists("#instrument-list [data-asset='${f.instruments.gcms.assetNumber()}'] .iot")

        when: 'a level-2 classification is chosen (htmx swaps the results and keeps the address)'
        choose('#classification', '010600')
        browser.waitForText('#result-count', '共 1 台仪器')

        then:
        cardNames() == ['400M核磁共振谱仪']
        browser.url().contains('classification=010600')
        browser.screenshot('catalogue-zh-filtered')

        when: 'a search replaces the classification filter'
        choose('#classification', '')
        browser.waitForText('#result-count', '共 3 台仪器')
        browser.type('#q', 'JEM')
        browser.waitForText('#result-count', '共 1 台仪器')

        then:
        cardNames() == ['透射电子显微镜']

        when: 'the same page in English'
        browser.open(app("/t/${f.slug}/instruments?lang=en&sort=-originalValue"))

        then:
        browser.attribute('html', 'lang') == 'en'
        browser.text('#result-count') == '3 instruments'
        cardNames() == ['Transmission electron microscope', '400 MHz NMR spectrometer', 'Gas chromatograph-mass spectrometer (GC-MS)']
        browser.text("${nmr} .scope") == 'Public'
        browser.text("${nmr} .iot") == 'IoT required'
        browser.text("${nmr} .unit") == 'NMR Laboratory'
        browser.text("#instrument-list [data-asset='${f.instruments.tem.assetNumber()}'] .stale") == 'Not confirmed'
        browser.text("${nmr} .status") == 'In service'

        cleanup:
        browser.screenshot('catalogue-en-desktop')
    }

    def "the instrument page shows its public facts, and its place on a map with a marker even though no tile loads"() {
        when:
        browser.open(app("/t/${f.slug}/instruments?lang=en"))
        browser.click("#instrument-list [data-asset='${f.instruments.nmr.assetNumber()}'] a.name")
        browser.waitForUrl { it.contains("/instruments/${f.instruments.nmr.id()}") }

        then:
        browser.text('#instrument-name') == '400 MHz NMR spectrometer'
        browser.text('#value') == '¥3,200,000'
        browser.text('#country') == 'Switzerland'
        browser.texts('#classification-path li') == ['010000 Analytical instruments', '010600 Magnetic resonance spectroscopy instruments', '010601 Nuclear magnetic resonance spectrometers (NMR)']
        browser.text('#unit') == 'NMR Laboratory'
        browser.texts('#flags [data-flag]').size() == 2                   // the funding and evaluation flags are the staff's
        !browser.exists('#flags [data-flag=fundSubsidised]')
        !browser.exists('#internal')
        browser.text('#flags [data-flag=customsSupervised]').contains('outside use only under the customs conditions')
        browser.text('#services').contains('5–10 mg')
        browser.text('#contacts').contains('王老师')
        browser.attribute('#contacts a[href^="tel:"]', 'href') == 'tel:0571-88001234'
        browser.text('#place').contains('化学楼')
        browser.text('#place').contains('B105')
        !browser.exists('#stale-notice')

        and: 'Leaflet drew the map and the marker'
        browser.find('#map.leaflet-container')
        browser.find('#map .leaflet-marker-icon')
        ((Number) browser.js("return document.querySelector('#map').getBoundingClientRect().height")) > 100
        browser.js("document.querySelector('#location').scrollIntoView()") == null
        browser.screenshot('instrument-map-en')

        when: 'the stale one'
        browser.open(app("/t/${f.slug}/instruments/${f.instruments.tem.id()}?lang=zh-CN"))

        then:
        browser.visible('#stale-notice')
        browser.text('#stale-notice').contains('2025-03-01')
        browser.text('#stale-notice').contains('最近一次确认于 2024-03-01')
        browser.text('#classification-path').contains('透射电镜')

        cleanup:
        browser.screenshot('instrument-stale-zh')
    }

    def "a private or institution-only instrument never appears to a visitor"() {
        when:
        browser.open(app("/t/${f.slug}/instruments?q=%E4%BF%9D%E5%AF%86"))   // 保密

        then:
        browser.exists('#no-results')
        !browser.pageText().contains('保密质谱仪')

        when:
        browser.open(app("/t/${f.slug}/instruments/${f.instruments.secret.id()}"))

        then:
        browser.exists('#not-found')
        !browser.pageText().contains('保密质谱仪')

        when:
        browser.open(app("/t/${f.slug}/instruments/${f.instruments.confocal.id()}?lang=en"))

        then:
        browser.text('#not-found') == 'Not found'
    }

    def "an institution admin creates an instrument in the editor, fixes the exemption rule, edits it, and finds it everywhere"() {
        given:
        String subject = "admin-${RUN}"
        roles.grant(f.tenant, f.userId(subject), Role.INSTITUTION_ADMIN, ScopeType.TENANT, null, null)
        String asset = "SEM-${RUN}"

        when: 'signed in through the identity provider, the menu leads to the instrument list'
        browser.signIn(app(''), issuer, subject, '/?lang=en')
        browser.followNav('/admin/instruments')
        browser.click('#new-instrument')

        then:
        browser.text('#editor-title') == 'New instrument'
        !browser.visible('#exemption')

        when: 'the form is filled in, the classification chosen level by level'
        browser.type('#f-assetNumber', asset)
        browser.type('#f-nameZh', '场发射扫描电镜')
        browser.type('#f-nameEn', 'Field-emission SEM')
        browser.type('#f-model', 'SU8010')
        choose('#f-countryCode', 'JP')
        choose('#f-cls1', '010000')
        browser.find('#f-cls2 option[value="010100"]')
        choose('#f-cls2', '010100')
        browser.find('#f-cls3 option[value="010101"]')
        browser.type('#f-class-find', 'scanning electron')
        browser.waitForText('#class-matches', '010102')
        browser.click('#class-matches button[hx-get$="cls3=010102"]')
        browser.waitForText('#class-path', '010102 Scanning electron microscopes (SEM)')
        choose('#f-orgUnitId', f.units.CHEM.toString())
        browser.type('#f-originalValue', '600000')
        choose('#f-sharingScope', 'private')
        browser.type('#f-building', '材料楼')
        browser.type('#f-room', 'E108')
        browser.type('#f-latitude', '30.3125')
        browser.type('#f-longitude', '120.3441')
        browser.type('#f-services\\[0\\]\\.nameZh', '形貌观察')
        browser.type('#f-services\\[0\\]\\.nameEn', 'Morphology')
        browser.type('#f-contacts\\[0\\]\\.name', '李老师')

        then: 'the hints appear as the value and scope are typed'
        browser.visible('#exemption')
        browser.visible('#exemption-required')
        browser.visible('#iot-note')

        when: 'saved without an exemption reason'
        browser.click('#save')

        then: 'the server refuses it, next to the field, and keeps everything typed'
        browser.find('#err-exemptionReason').text.contains('500,000 RMB or more')
        browser.screenshot('editor-exemption-error-en')
        browser.exists('#error-summary')
        browser.attribute('#f-assetNumber', 'value') == asset
        browser.attribute('#f-cls3 option[value="010102"]', 'selected') != null

        when: 'a reason is chosen'
        choose('#f-exemptionReason', 'special_purpose')
        browser.click('#save')
        browser.waitForUrl { it.contains('/edit?done=created') }

        then:
        browser.text('#done') == 'The instrument was created.'
        browser.text('#editor-title') == 'Edit: Field-emission SEM'

        when: 'edited: published to everyone, another room'
        choose('#f-sharingScope', 'public')
        browser.type('#f-room', 'E110')
        browser.click('#save')
        browser.waitForUrl { it.contains('/edit?done=saved') }

        then:
        browser.text('#done') == 'Your changes were saved.'
        browser.attribute('#f-room', 'value') == 'E110'

        when: 'in the admin list'
        browser.open(app("/admin/instruments?q=${asset}"))

        then:
        browser.text("#instrument-table [data-asset='${asset}'] .name") == 'Field-emission SEM'
        browser.text("#instrument-table [data-asset='${asset}'] .value") == '¥600,000'

        when: 'and on the public catalogue, as a visitor'
        browser.reset()
        browser.open(app("/t/${f.slug}/instruments?q=${asset}&lang=en"))

        then:
        cardNames() == ['Field-emission SEM']
        browser.text("#instrument-list [data-asset='${asset}'] .iot") == 'IoT required'

        when:
        browser.click("#instrument-list [data-asset='${asset}'] a.name")

        then:
        browser.text('#place').contains('E110')
        browser.find('#map .leaflet-marker-icon')
    }

    def "on a phone (390 px) the catalogue, an instrument page and the admin list fit without sideways scrolling"() {
        given:
        String subject = "phone-${RUN}"
        roles.grant(f.tenant, f.userId(subject), Role.INSTITUTION_ADMIN, ScopeType.TENANT, null, null)

        when:
        browser.phone()
        browser.open(app("/t/${f.slug}/instruments"))

        then:
        browser.viewportWidth() == 390
        browser.assertNoHorizontalScroll()
        browser.screenshot('catalogue-phone-zh')

        when:
        browser.open(app("/t/${f.slug}/instruments/${f.instruments.nmr.id()}?lang=en"))
        browser.find('#map .leaflet-marker-icon')

        then:
        browser.assertNoHorizontalScroll()
        browser.screenshot('instrument-phone-en')

        when:
        browser.signIn(app(''), issuer, subject, '/admin/instruments')
        browser.phone()
        browser.open(app('/admin/instruments'))

        then:
        browser.assertNoHorizontalScroll()
        browser.js("document.querySelector('#results').scrollIntoView()") == null
        browser.screenshot('admin-list-phone')

        when:
        browser.open(app("/admin/instruments/${f.instruments.nmr.id()}/edit"))

        then:
        browser.assertNoHorizontalScroll()
        browser.js("document.querySelector('#class-chooser').scrollIntoView()") == null
        browser.screenshot('editor-phone')

        cleanup:
        browser.desktop()
    }
}

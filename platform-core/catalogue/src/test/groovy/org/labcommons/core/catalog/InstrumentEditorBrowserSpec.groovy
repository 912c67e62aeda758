package org.labcommons.core.catalog

import org.labcommons.core.security.Role
import org.labcommons.core.security.ScopeType
import spock.lang.Unroll

/**
 * The instrument editor in headless Chromium, in Chinese, at a phone's and a desktop's width: its
 * sections with their navigation and the save bar that stays in view while the form scrolls (it
 * says when something changed), and the price grid (service x rate group): a cell with three
 * decimals is refused next to that cell, the corrected grid saves and comes back with the amounts.
 */
class InstrumentEditorBrowserSpec extends DemoCatalogueBrowserSpec {
    static final List<String> SECTIONS = ['basic', 'location', 'technical', 'booking', 'prices', 'internal']

    String label() { 'ed' }

    def setup() {
        if (!f.world.tenant('ed').rateGroups) {   // the institution's rate groups, once
            f.world.within('ed') {
                rateGroup('internal', nameZh: '校内用户', nameEn: 'Internal users')
                rateGroup('consortium', nameZh: '联盟成员单位用户', nameEn: 'Consortium member users')
                rateGroup('external', nameZh: '校外用户', nameEn: 'External users')
            }
        }
    }

    /** An institution admin of the fixture, signed in, the browser at {@code size}. */
    void signInAdmin(String size) {
        String subject = "editor-${size}-${RUN}"
        roles.grant(f.tenant, f.userId(subject), Role.INSTITUTION_ADMIN, ScopeType.TENANT, null, null)
        browser.signIn(app(''), issuer, subject, '/?lang=zh-CN')
        size == 'phone' ? browser.phone() : browser.desktop()
    }

    /** Whether the element is wholly inside the window now. */
    boolean inView(String css) {
        browser.js("""const r = document.querySelector(arguments[0]).getBoundingClientRect();
                      return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0""", css) == true
    }

    static String cell(int row, String group) { "[id='f-grid[${row}].amount.${group}']" }

    @Unroll
    def "the editor is sectioned with a navigation, and its save bar stays in view while the form scrolls (#size)"() {
        given:
        signInAdmin(size)

        when:
        browser.open(app("/admin/instruments/${f.instruments.nmr.id()}/edit?lang=zh-CN"))

        then: 'six sections, each linked from the navigation'
        browser.texts('#editor-sections a') == ['基本信息', '位置与联系人', '技术信息', '预约与规则', '收费标准', '内部信息']
        SECTIONS.every { browser.exists("#sec-${it}") }
        browser.text('#h-internal') == '内部信息'
        browser.exists('#sec-internal #f-assetNumber')
        browser.exists('#sec-prices #price-grid')
        inView('#save')
        browser.text('#save-state') == '没有未保存的更改'
        browser.assertNoHorizontalScroll()
        browser.screenshot("editor-sections-top-${size}")

        when: 'scrolled half way down the form'
        browser.js("window.scrollTo(0, document.getElementById('instrument-form').offsetHeight / 2)")

        then: 'the save bar is still in view'
        ((Number) browser.js('return window.scrollY')) > 300
        inView('#save')
        inView('#save-bar')
        browser.screenshot("editor-sticky-save-scrolled-${size}")

        when: 'the navigation leads to the prices, and a change is made'
        browser.click('#editor-sections a[data-section=prices]')
        browser.type(cell(0, 'internal'), '90')

        then: 'the grid is in view, the save bar too, and it says there are unsaved changes'
        browser.waitUntil('the prices in view') { ((Number) browser.js("return document.getElementById('sec-prices').getBoundingClientRect().top")) < 200 }
        inView('#save')
        browser.text('#save-state') == '有未保存的更改'
        browser.screenshot("editor-prices-section-dirty-${size}")

        where:
        size << ['phone', 'desktop']
    }

    @Unroll
    def "the price grid takes an amount per service and rate group, refuses a bad cell next to it, saves and reloads the values (#size)"() {
        given:
        signInAdmin(size)
        Instrument i = f.instruments[instrument]

        when: 'machine time for internal and consortium users, and a cell with three decimals'
        browser.open(app("/admin/instruments/${i.id()}/edit?lang=zh-CN"))
        browser.js("document.getElementById('sec-prices').scrollIntoView()")
        browser.type(cell(0, 'internal'), '80')
        browser.type(cell(0, 'consortium'), '120.5')
        browser.type(cell(0, 'external'), '12.345')
        browser.screenshot("price-grid-filled-${size}")
        browser.submit('#save')

        then: 'the error stands in the cell, and the summary points at it'
        browser.attribute(cell(0, 'external'), 'aria-invalid') == 'true'
        browser.text("[id='err-grid[0].amount.external']").contains('最多两位小数')
        browser.exists("#error-summary a[href='#f-grid[0].amount.external']")
        browser.find(cell(0, 'internal')).getDomProperty('value') == '80'
        service.find(f.tenant, i.id()).get().prices().isEmpty()
        browser.js("document.querySelector(arguments[0]).scrollIntoView({block: 'center'})", cell(0, 'external')) == null
        browser.screenshot("price-grid-cell-error-${size}")

        when: 'corrected and saved'
        browser.type(cell(0, 'external'), '200')
        browser.submit('#save')

        then: 'saved; the editor reloads the grid with the amounts in yuan, two decimals'
        browser.pathAndQuery().contains('done=saved')
        browser.find(cell(0, 'internal')).getDomProperty('value') == '80.00'
        browser.find(cell(0, 'consortium')).getDomProperty('value') == '120.50'
        browser.find(cell(0, 'external')).getDomProperty('value') == '200.00'
        service.find(f.tenant, i.id()).get().prices().collectEntries { [(it.rateGroup()): it.amountFen()] } ==
                [internal: 8_000L, consortium: 12_050L, external: 20_000L]
        browser.assertNoHorizontalScroll()
        browser.js("document.getElementById('sec-prices').scrollIntoView()") == null
        browser.screenshot("price-grid-saved-reloaded-${size}")

        where:
        size      | instrument
        'phone'   | 'tem'
        'desktop' | 'gcms'
    }
}

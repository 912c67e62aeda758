package org.labcommons.core.catalog

import org.openqa.selenium.Keys
import spock.lang.Tag

/**
 * The kernel layout as an institution admin of Donghu meets it in zh-CN, on a phone (390 px) and a
 * desktop (1280 px): the admin instrument table uses the window's width, keeps Chinese words whole,
 * never makes the page scroll sideways; the navigation folds behind a menu button on a phone and
 * marks exactly one item as the current page.
 */
@Tag('browser')
class AdminLayoutBrowserSpec extends DonghuAdminBrowserSpec {
    static final String RUN = UUID.randomUUID().toString().substring(0, 8)

    /** Every run of 4+ Chinese characters in the cells matching arguments[0], and those drawn on more than one line. */
    static final String CHINESE_WORDS = '''
        const out = {checked: 0, broken: []};
        for (const cell of document.querySelectorAll(arguments[0])) {
          const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
          let node;
          while ((node = walker.nextNode())) {
            const re = /[\\u4e00-\\u9fff]{4,}/g;
            let m;
            while ((m = re.exec(node.data))) {
              const range = document.createRange();
              range.setStart(node, m.index);
              range.setEnd(node, m.index + m[0].length);
              const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
              out.checked++;
              if (tops.size > 1) out.broken.push(m[0] + ': ' + tops.size + ' lines');
            }
          }
        }
        return out;'''

    def "the admin instrument table on a #size: the window's width, whole Chinese words, no sideways page"() {
        given:
        size == 'phone' ? browser.phone() : browser.desktop()
        signInAsAdmin("layout-list-${size}-${RUN}", '/admin/instruments?lang=zh-CN')

        expect: 'the demo register is listed'
        browser.exists('#instrument-table')
        browser.exists('#instrument-table td')

        and: 'the page itself never scrolls sideways'
        browser.assertNoHorizontalScroll()

        and: 'the table sits in its own scrolling box'
        browser.js("return document.querySelector('#instrument-table').parentElement.classList.contains('table-wrap')")

        and: 'no Chinese word in a cell is broken over lines'
        def words = browser.js(CHINESE_WORDS, '#instrument-table td') as Map
        words.checked > 0
        words.broken == []

        and: 'on a desktop the table uses the window, not a narrow column in its middle'
        size == 'phone' || browser.find('#instrument-table').size.width > 1100

        and: 'dates, states and money stay on one line'
        def singleLine = browser.js('''
            return [...document.querySelectorAll('#instrument-table td.date, #instrument-table td.value, #instrument-table td.nowrap')]
              .filter(td => { const r = document.createRange(); r.selectNodeContents(td);
                              return new Set([...r.getClientRects()].filter(x => x.width > 0).map(x => Math.round(x.top))).size > 1; })
              .map(td => td.textContent.trim())''')
        singleLine == []

        cleanup:
        browser.screenshot("admin-instrument-table-zh-${size}")

        where:
        size << ['phone', 'desktop']
    }

    def "the navigation on a #size: a menu button on a phone (keyboard too), none on a desktop; exactly one current item"() {
        given:
        size == 'phone' ? browser.phone() : browser.desktop()
        signInAsAdmin("layout-nav-${size}-${RUN}", '/admin/instruments/import?lang=zh-CN')

        expect: 'exactly one item marked as the current page: the longest match (the import, not also the instruments)'
        browser.findAll('#nav [aria-current="page"]').size() == 1
        browser.attribute('#nav [aria-current="page"]', 'href') .endsWith('/admin/instruments/import')
        browser.findAll('#nav a.active').size() == 1

        when: 'the admin list itself'
        browser.open(app('/admin/instruments?lang=zh-CN'))

        then:
        browser.findAll('#nav [aria-current="page"]').size() == 1
        browser.attribute('#nav [aria-current="page"]', 'href').endsWith('/admin/instruments')

        and: 'the menu button: on a phone it is there and the navigation folded; on a desktop no button, the navigation open'
        browser.attribute('#nav-toggle', 'aria-controls') == 'nav'
        browser.visible('#nav-toggle') == (size == 'phone')
        browser.visible('#nav') == (size == 'desktop')
        browser.assertNoHorizontalScroll()

        when: 'on a phone: the button opens the navigation'
        if (size == 'phone') {
            browser.screenshot('admin-nav-folded-zh-phone')
            browser.click('#nav-toggle')
        }

        then:
        browser.visible('#nav')
        browser.attribute('#nav-toggle', 'aria-expanded') == 'true'
        browser.assertNoHorizontalScroll()

        when: 'on a phone: Escape inside the navigation folds it and gives the focus back to the button; Enter opens it again'
        if (size == 'phone') {
            browser.screenshot('admin-nav-open-zh-phone')
            browser.find('#nav a').sendKeys(Keys.ESCAPE)
        }

        then:
        size == 'desktop' || !browser.visible('#nav')
        size == 'desktop' || browser.attribute('#nav-toggle', 'aria-expanded') == 'false'
        size == 'desktop' || browser.js('return document.activeElement.id') == 'nav-toggle'

        when:
        if (size == 'phone') {
            browser.find('#nav-toggle').sendKeys(Keys.ENTER)
        }

        then:
        browser.visible('#nav')

        cleanup:
        browser.screenshot("admin-nav-zh-${size}")

        where:
        size << ['phone', 'desktop']
    }
}

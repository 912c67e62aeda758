package org.labcommons.core.catalog.io

import org.labcommons.core.catalog.DonghuAdminBrowserSpec
import org.openqa.selenium.By
import org.openqa.selenium.JavascriptExecutor
import org.openqa.selenium.support.ui.Select
import spock.lang.Tag

import java.nio.file.Files
import java.nio.file.Path

/**
 * A Donghu admin imports a register of 1,002 rows of which two fail, in zh-CN on a phone and a
 * desktop: the default owning unit is chosen from the institution's units, the preview's money and
 * the report's counts are grouped (1,580,000.00; 1,002), the wide preview table scrolls inside its
 * own box with Chinese words whole, the problems are downloaded as a CSV with a "问题 / Problems"
 * column, and the valid rows only are imported with the skipped ones counted.
 */
@Tag('browser')
class ImportProblemsBrowserSpec extends DonghuAdminBrowserSpec {
    static final String RUN = UUID.randomUUID().toString().substring(0, 8)

    Path file(String name, byte[] bytes) {
        def p = Files.createTempDirectory('import-problems').resolve(name)
        Files.write(p, bytes)
        p
    }

    /** The file at {@code href}, fetched by the page with its session: the first three bytes and the text. */
    Map fetch(String href) {
        ((JavascriptExecutor) browser.driver()).executeAsyncScript('''
            const done = arguments[arguments.length - 1];
            fetch(arguments[0], {credentials: 'same-origin'}).then(r => r.arrayBuffer().then(b => {
              const bytes = new Uint8Array(b);
              done({status: r.status, type: r.headers.get('Content-Type'), disposition: r.headers.get('Content-Disposition'),
                    head: [bytes[0], bytes[1], bytes[2]], text: new TextDecoder('utf-8').decode(bytes)});
            }));''', href) as Map
    }

    def "on a #size: 1,002 rows, two bad; the unit from a list, grouped numbers, the problems as a spreadsheet, the valid rows only"() {
        given: 'a register without a unit column, rows 3 and 6 bad'
        String p = "PB${size[0]}${RUN}"
        List<List<Object>> rows = [['仪器编号', '仪器名称', '英文名称', '原值（元）', '购置日期']]
        (1..1002).each { n ->
            rows << [String.format('%s-%04d', p, n), '扫描电子显微镜', 'SEM', n == 2 ? '约158万' : '1,580,000.00',
                     n == 5 ? '2019-13-45' : '2019/6/1']
        }
        size == 'phone' ? browser.phone() : browser.desktop()
        signInAsAdmin("import-problems-${size}-${RUN}", '/admin/instruments/import?lang=zh-CN')

        when:
        browser.driver().findElement(By.cssSelector('#file')).sendKeys(
                file('仪器台账.csv', ImportFiles.utf8Bom(ImportFiles.csv(rows))).toAbsolutePath().toString())
        browser.submit('#upload-submit')
        browser.waitForUrl { it.contains('/admin/instruments/import/') }

        then: 'the file facts with grouped numbers; the default owning unit is a list of the institution units'
        browser.text('h1') == '对应列'
        browser.text('#upload-facts').contains('1,002')
        browser.find('#default-orgUnit').tagName == 'select'
        def units = new Select(browser.find('#default-orgUnit')).options*.text
        units.contains('化学系 (CHEM)')
        units.contains('核磁共振实验室 (NMR-LAB)')
        browser.assertNoHorizontalScroll()

        when: 'the chemistry department chosen as the default unit'
        new Select(browser.find('#default-orgUnit')).selectByValue('CHEM')
        browser.screenshot("import-default-unit-select-zh-${size}")
        browser.submit('#mapping-submit')

        then: 'the preview: money grouped, the wide table scrolling inside its box, Chinese words whole'
        browser.text('h1') == '预览'
        browser.text('#preview tr[data-row="2"]').contains('1,580,000.00')
        browser.assertNoHorizontalScroll()
        size == 'desktop' || browser.js('''const w = document.querySelector('#preview').parentElement;
            return w.classList.contains('table-wrap') && w.scrollWidth > w.clientWidth + 20''')
        (browser.js(org.labcommons.core.catalog.AdminLayoutBrowserSpec.CHINESE_WORDS, '#preview td') as Map).broken == []
        browser.screenshot("import-preview-wide-table-zh-${size}")

        when:
        browser.submit('#dry-run-submit')

        then: 'the counts grouped; a link to the problems spreadsheet; no all-or-nothing commit, an explicit valid-rows-only choice'
        browser.text('h1') == '试运行报告'
        browser.text('#count-rows') == '1,002'
        browser.text('#count-valid') == '1,000'
        browser.text('#count-invalid') == '2'
        !browser.exists('#count-skipped')
        browser.exists('#problems-download')
        !browser.exists('#commit-form')
        browser.exists('#valid-only-form')
        !browser.find('#valid-only').selected
        browser.text('#valid-only-form').contains('1,000')
        browser.assertNoHorizontalScroll()
        browser.screenshot("import-report-problems-zh-${size}")

        when: 'the problems spreadsheet'
        def download = fetch(browser.attribute('#problems-download', 'href'))
        def lines = download.text.readLines()

        then: 'the uploaded CSV as CSV, UTF-8 with a BOM, every row, a problems column filled for the two bad rows'
        download.status == 200
        download.type.startsWith('text/csv')
        download.disposition.contains('-problems.csv')
        download.head == [0xEF, 0xBB, 0xBF]
        lines[0].replace('\uFEFF', '') == '仪器编号,仪器名称,英文名称,原值（元）,购置日期,问题 / Problems'
        lines.size() == 1003
        lines[2].startsWith("${p}-0002,".toString())
        lines[2].contains('约158万')
        lines[2].split(',', -1).last().contains('不是有效的数字')
        lines[5].contains('购置日期: ')
        lines[1].endsWith(',')

        when: 'the valid rows only, asked for explicitly'
        browser.click('#valid-only')
        browser.screenshot("import-valid-only-chosen-zh-${size}")
        browser.submit('#valid-only-submit')

        then: 'imported and skipped, counted with separators; the problems still to download'
        browser.text('h1') == '导入完成'
        browser.text('#import-done').contains('1,000')
        browser.text('#count-skipped') == '2'
        browser.text('#import-skipped').contains('2')
        browser.exists('#problems-download')
        browser.assertNoHorizontalScroll()
        browser.screenshot("import-valid-only-done-zh-${size}")

        when: 'the admin list shows a good row in the chosen unit'
        browser.open(app("/admin/instruments?lang=zh-CN&q=${p}-0001"))

        then:
        browser.text('#instrument-table').contains("${p}-0001".toString())
        browser.text('#instrument-table').contains('化学系')

        when: 'and none of the bad ones'
        browser.open(app("/admin/instruments?lang=zh-CN&q=${p}-0002"))

        then:
        browser.exists('#no-results')

        cleanup:
        browser.screenshot("import-valid-only-none-bad-listed-zh-${size}")

        where:
        size << ['phone', 'desktop']
    }
}

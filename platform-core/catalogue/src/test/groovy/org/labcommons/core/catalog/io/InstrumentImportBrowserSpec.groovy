package org.labcommons.core.catalog.io

import org.labcommons.core.catalog.DonghuAdminBrowserSpec
import org.openqa.selenium.By

import java.nio.file.Files
import java.nio.file.Path

/**
 * The import wizard in headless Chromium, as an institution admin of Donghu University would use
 * it: upload a register with bad rows, check the suggested columns, preview, read the dry-run
 * report (row numbers and reasons), upload the corrected file and import it; in zh-CN and en, and
 * on a phone without sideways scrolling.
 */
class InstrumentImportBrowserSpec extends DonghuAdminBrowserSpec {
    static final String RUN = UUID.randomUUID().toString().substring(0, 8)

    Path file(String name, byte[] bytes) {
        def dir = Files.createTempDirectory('import-browser')
        def p = dir.resolve(name)
        Files.write(p, bytes)
        p
    }

    void upload(Path p) {
        browser.driver().findElement(By.cssSelector('#file')).sendKeys(p.toAbsolutePath().toString())
        browser.submit('#upload-submit')
    }

    def "an admin imports a register: bad rows are reported by row number, nothing is half-imported, the fixed file imports"() {
        given:
        String p = "BW${RUN}"
        def header = ['仪器编号', '仪器名称', '英文名称', '规格型号', '原值（元）', '购置日期', '分类代码', '使用单位', '状态']
        def good = (1..5).collect { [String.format('%s-%02d', p, it), '扫描电子显微镜', 'SEM', 'Sigma 300', '1,580,000.00', '2019/6/1', '010101', 'CHEM', '在用'] }
        def bad = good.collect { new ArrayList(it) }
        bad[1][4] = '约158万'
        bad[3][7] = '不存在的学院'
        signInAsAdmin("import-admin-${RUN}", '/admin/instruments/import?lang=en', 'en')

        expect: 'the wizard is in the navigation'
        browser.text('h1') == 'Import an instrument register'
        browser.exists('a[href="/admin/instruments/import"]')

        when: 'the register with two bad rows'
        upload(file('register.xlsx', ImportFiles.xlsx([header] + bad)))
        browser.waitForUrl { it.contains('/admin/instruments/import/') }

        then: 'the columns are matched from their headers, with samples'
        browser.text('h1') == 'Match the columns'
        browser.find('#col-0 option[selected]').getAttribute('value') == 'assetNumber'
        browser.find('#col-4 option[selected]').getAttribute('value') == 'originalValue'
        browser.find('#col-7 option[selected]').getAttribute('value') == 'orgUnit'
        browser.text('[data-column="4"] .samples').contains('1,580,000.00')

        when:
        browser.submit('#mapping-submit')

        then: 'the preview shows the rows as they would be stored'
        browser.text('h1') == 'Preview'
        browser.text('#preview tr[data-row="2"]').contains('1,580,000.00')
        browser.text('#preview tr[data-row="2"]').contains('In service')
        browser.text('#preview tr[data-row="3"]').contains('"约158万" is not a number')

        when:
        browser.submit('#dry-run-submit')

        then: 'the report lists each bad row with its row number, column and reason, and offers no commit'
        browser.text('h1') == 'Dry-run report'
        browser.text('#count-invalid') == '2'
        browser.texts('#problems tbody tr td:first-child') == ['3', '5']
        browser.text('#problems tr[data-row="5"]').contains('使用单位')
        browser.text('#problems tr[data-row="5"]').contains('不存在的学院')
        !browser.exists('#commit-form')

        when: 'the corrected file'
        browser.submit('#upload-again')
        upload(file('register-fixed.xlsx', ImportFiles.xlsx([header] + good)))
        browser.waitForUrl { it.contains('/admin/instruments/import/') }
        browser.submit('#mapping-submit')
        browser.submit('#dry-run-submit')

        then:
        browser.text('#count-invalid') == '0'
        browser.text('#count-created') == '5'

        when:
        browser.submit('#commit-submit')

        then:
        browser.text('h1') == 'Import complete'
        browser.text('#import-done') == 'Imported: 5 new, 0 updated, 0 unchanged.'

        cleanup:
        browser.screenshot('import-done-en')
    }

    def "a Western CSV: the columns step shows the encoding detected and reads the file again in another; problems show the value as read"() {
        given:
        String p = "BE${RUN}"
        byte[] csv = ImportFiles.csv([['Asset number', 'Name', 'Original value', 'Contact Name', 'Contact Email'],
                                      ["${p}-1".toString(), 'NMR spectrometer', '1000', 'Prof. Jürgen Müller', 'j.muller@northfield.ac.uk'],
                                      ["${p}-2".toString(), 'Powder diffractometer', '1000', 'Dr Siobhán O’Brien', 'not-an-address']])
                .getBytes('windows-1252')
        signInAsAdmin("import-western-${RUN}", '/admin/instruments/import?lang=en', 'en')

        when:
        upload(file('western.csv', csv))
        browser.waitForUrl { it.contains('/admin/instruments/import/') }

        then: 'the encoding detected is the one selected, and the names read right'
        browser.text('h1') == 'Match the columns'
        browser.find('#encoding option[selected]').getAttribute('value') == 'windows-1252'
        browser.text('#upload-facts').contains('windows-1252')
        browser.text('[data-column="3"] .samples').contains('Prof. Jürgen Müller')

        when: 'another encoding is chosen'
        browser.js("document.querySelector('#encoding').value = arguments[0]", 'x-MacRoman')
        browser.submit('#encoding-submit')

        then: 'the file is read again in it'
        browser.text('h1') == 'Match the columns'
        browser.find('#encoding option[selected]').getAttribute('value') == 'x-MacRoman'
        browser.text('[data-column="3"] .samples').contains('Prof. J¸rgen M¸ller')

        when: 'back to the right one, on to the preview and the dry run'
        browser.js("document.querySelector('#encoding').value = arguments[0]", 'windows-1252')
        browser.submit('#encoding-submit')
        browser.submit('#mapping-submit')

        then:
        browser.text('#preview tr[data-row="3"]').contains('row 3, “Contact Email”: “not-an-address” – is not a valid e-mail address')

        when:
        browser.submit('#dry-run-submit')

        then: 'the report has the value as read in its own column'
        browser.text('#problems tr[data-row="3"]').contains('not-an-address')
        browser.texts('#problems thead th').contains('Value as read')
    }

    def "a register without asset numbers naming a department Donghu lacks: numbers generated, the unit created with the rows"() {
        given:
        String dept = "Marine Biology ${RUN}"
        byte[] csv = ImportFiles.csv([['Name', 'Model', 'Department', 'Value'], ['Plankton counter', 'PC-2', dept, '12000'],
                                      ['Plankton counter', 'PC-2', dept, '12000']]).getBytes('UTF-8')
        signInAsAdmin("import-options-${RUN}", '/admin/instruments/import?lang=en', 'en')

        when:
        upload(file('uniquip.csv', csv))
        browser.waitForUrl { it.contains('/admin/instruments/import/') }

        then: 'the column step offers both options'
        browser.text('h1') == 'Match the columns'
        browser.find('#numbers-prefix').getAttribute('value') == 'GEN-'
        browser.exists('#units-create')

        when: 'numbers generated with our prefix, the missing unit created at the top'
        browser.click('#numbers-generate')
        browser.type('#numbers-prefix', "W${RUN}-".toString())
        browser.click('#units-create')
        browser.submit('#mapping-submit')

        then: 'the preview names the unit to be created and shows the generated numbers'
        browser.text('h1') == 'Preview'
        browser.text('#new-units').contains(dept)
        browser.text('#new-units').contains('will be created')
        browser.text('#preview tr[data-row="2"]').contains("W${RUN}-".toString())

        when:
        browser.submit('#dry-run-submit')
        browser.submit('#commit-submit')

        then:
        browser.text('h1') == 'Import complete'
        browser.text('#import-done') == 'Imported: 2 new, 0 updated, 0 unchanged.'
        browser.text('#new-units').contains('created')
    }

    def "in Chinese on a phone: the wizard fits the screen and reports in Chinese"() {
        given:
        String p = "BZ${RUN}"
        byte[] csv = ImportFiles.csv([['资产编号', '设备名称', '金额', '购买日期'],
                                      ["${p}-1".toString(), '原子力显微镜', '2,100,000', '2018年3月5日'],
                                      ["${p}-2".toString(), '热重分析仪', '45万', '2020-13-01']]).getBytes('GBK')
        browser.phone()
        signInAsAdmin("import-phone-${RUN}", '/admin/instruments/import?lang=zh-CN', 'en')

        expect:
        browser.text('h1') == '导入仪器清单'
        browser.assertNoHorizontalScroll()

        when:
        upload(file('清单.csv', csv))
        browser.waitForUrl { it.contains('/admin/instruments/import/') }

        then:
        browser.text('h1') == '对应列'
        browser.assertNoHorizontalScroll()

        when:
        browser.submit('#mapping-submit')
        browser.assertNoHorizontalScroll()
        browser.submit('#dry-run-submit')

        then:
        browser.text('h1') == '试运行报告'
        browser.text('#problems tr[data-row="3"]').contains('“45万”不是有效的数字')
        browser.text('#problems').contains('不是可识别的日期')
        browser.assertNoHorizontalScroll()

        cleanup:
        browser.screenshot('import-report-zh-phone')
    }

    def "a signed-in user without a manager role gets the 403 page; a visitor is sent to sign in"() {
        when:
        browser.open(app('/admin/instruments/import?lang=en'))

        then:
        browser.url().contains('/login') || browser.url().contains('authorize') || browser.exists('#login')

        when:
        browser.reset()
        browser.signIn(app(''), 'donghu', "plain-${RUN}", '/admin/instruments/import?lang=en')

        then:
        browser.exists('#forbidden')
        !browser.exists('#upload-form')
    }
}

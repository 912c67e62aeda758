package org.labcommons.core.catalog

import jakarta.inject.Inject
import org.labcommons.core.catalog.io.ImportFiles
import org.labcommons.core.web.auth.WebSessions
import org.labcommons.devstack.SharedDevStack
import org.labcommons.testkit.Browser
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld
import org.openqa.selenium.By
import org.openqa.selenium.Cookie
import spock.lang.Shared

import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration

/**
 * Likely duplicates as an institution admin meets them, in zh-CN on a phone (390 px) and a desktop (1280 px):
 * the admin list marks the NMR entered twice with "疑似重复" and links each record to the other, and leaves
 * alone the identical centrifuges in two rooms; the instrument's admin page names the other record; the import
 * preview warns of a row that is an instrument the institution has, and of two rows of the file that are one
 * instrument, without making them errors.
 */
class DuplicatesBrowserSpec extends PlatformSpec {
    @Inject WebSessions sessions
    Browser browser = Browser.get()

    @Shared TenantWorld world

    def setup() {
        browser.reset()
        if (world != null) {
            return
        }
        world = TenantWorld.build(ctx) {
            institution('dupweb') {
                person('admin', TenantWorld.INSTITUTION_ADMIN)
                instrument('NMR', body: [nameZh: '核磁共振波谱仪', nameEn: 'NMR spectrometer', model: 'AVANCE III 400', building: '化学楼', room: 'B101'])
                instrument('NMR again', body: [nameZh: '核磁共振谱仪', nameEn: 'Bruker NMR', model: 'ＡＶＡＮＣＥ　III　400', building: '化学楼', room: 'Ｂ101'])
                instrument('Centrifuge 301', body: [nameZh: '高速冷冻离心机', nameEn: 'Refrigerated centrifuge', model: 'Avanti JXN-26', building: '生命楼', room: '301'])
                instrument('Centrifuge 302', body: [nameZh: '高速冷冻离心机', nameEn: 'Refrigerated centrifuge', model: 'Avanti JXN-26', building: '生命楼', room: '302'])
            }
        }
    }

    String app(String path) { "http://localhost:${server.port}${path}" }

    String id(String name) { world.instrument(name).id as String }

    String asset(String name) { world.instrument(name).assetNumber as String }

    /** Signs the institution's admin in by giving the browser a session cookie. */
    void signIn() {
        def created = sessions.create(SharedDevStack.get().identityProvider().issuer(world.tenant('dupweb').issuerId),
                "admin-${world.run}".toString(), 'Admin', Duration.ofHours(1))
        browser.open(app('/health'))
        browser.driver().manage().addCookie(new Cookie('LC_SESSION', created.rawId(), '/'))
    }

    Browser sized(String size) {
        size == 'phone' ? browser.phone() : browser.desktop()
    }

    def "the admin list flags the NMR entered twice, links the two records, and leaves identical centrifuges in two rooms alone (#size)"() {
        given:
        signIn()
        sized(size)

        when:
        browser.open(app('/admin/instruments?lang=zh-CN'))

        then: 'the two NMR records carry the badge and link to each other'
        browser.screenshot("duplicates-admin-list-${size}")
        browser.text("tr[data-id='${id('NMR')}'] .badge.duplicate") == '疑似重复'
        browser.text("tr[data-id='${id('NMR again')}'] .badge.duplicate") == '疑似重复'
        browser.attribute("tr[data-id='${id('NMR')}'] a.duplicate-link", 'data-other') == id('NMR again')
        browser.text("tr[data-id='${id('NMR')}'] a.duplicate-link").startsWith(asset('NMR again'))
        browser.attribute("tr[data-id='${id('NMR again')}'] a.duplicate-link", 'data-other') == id('NMR')

        and: 'the centrifuges of one model in two rooms are two instruments'
        !browser.exists("tr[data-id='${id('Centrifuge 301')}'] .badge.duplicate")
        !browser.exists("tr[data-id='${id('Centrifuge 302')}'] .badge.duplicate")

        when: "the link opens the other record's admin page"
        browser.click("tr[data-id='${id('NMR')}'] a.duplicate-link")
        browser.find('#duplicate-notice')

        then: 'it names the first record as its likely duplicate, with why'
        browser.screenshot("duplicates-instrument-page-${size}")
        browser.url().contains("/admin/instruments/${id('NMR again')}/edit")
        browser.attribute('#duplicate-notice a.duplicate-link', 'data-other') == id('NMR')
        browser.text('#duplicate-notice').contains('型号相同且地点相同')
        browser.assertNoHorizontalScroll()

        when: "a centrifuge's page"
        browser.open(app("/admin/instruments/${id('Centrifuge 301')}/edit?lang=zh-CN"))
        browser.find('#instrument-form')

        then: 'no warning'
        !browser.exists('#duplicate-notice')

        where:
        size << ['phone', 'desktop']
    }

    def "the import preview warns of a row the catalogue has and of two rows that are one instrument, as warnings (#size)"() {
        given:
        signIn()
        sized(size)
        def header = ['仪器编号', '仪器名称', '英文名称', '规格型号', '原值（元）', '购置日期', '分类代码', '楼宇', '房间', '状态']
        def rows = [
                ["NEW-1-${size}", '核磁共振波谱仪（400MHz）', 'NMR', 'AVANCE III 400', '2,000,000.00', '2012/4/17', '010601', '化学楼', 'B101', '在用'],
                ["NEW-2-${size}", '原子力显微镜', 'AFM', 'Dimension Icon', '1,200,000.00', '2018/5/1', '010801', '物理楼', '110', '在用'],
                ["NEW-3-${size}", '原子力显微镜', 'Atomic force microscope', 'Dimension Icon', '1,200,000.00', '2018/5/1', '010801', '物理楼', '110', '在用'],
                ["NEW-4-${size}", '高速冷冻离心机', 'Refrigerated centrifuge', 'Avanti JXN-26', '300,000.00', '2020/1/1', '120699', '生命楼', '303', '在用'],
        ].collect { it.collect { c -> c.toString() } }
        Path file = Files.createTempDirectory('dup-import').resolve('register.xlsx')
        Files.write(file, ImportFiles.xlsx([header] + rows))

        when:
        browser.open(app('/admin/instruments/import?lang=zh-CN'))
        browser.driver().findElement(By.cssSelector('#file')).sendKeys(file.toAbsolutePath().toString())
        browser.submit('#upload-submit')
        browser.waitForUrl { it.contains('/admin/instruments/import/') }
        browser.submit('#mapping-submit')
        browser.find('#preview')

        then: 'row 2 is likely the NMR the institution has; rows 3 and 4 are likely one AFM; the fourth centrifuge is not flagged'
        browser.screenshot("duplicates-import-preview-${size}")
        browser.text('#duplicate-note').contains('不阻止导入')
        browser.attribute('#preview tr[data-row="2"]', 'data-duplicate') == 'true'
        browser.text('#preview tr[data-row="2"] .duplicate-line').contains(asset('NMR'))
        browser.text('#preview tr[data-row="2"] .badge.duplicate') == '疑似重复'
        browser.text('#preview tr[data-row="3"] .duplicate-line').contains('第 4 行')
        browser.text('#preview tr[data-row="4"] .duplicate-line').contains('第 3 行')
        browser.attribute('#preview tr[data-row="5"]', 'data-duplicate') == 'false'

        and: 'a warning, not an error: the rows are not marked bad'
        !browser.find('#preview tr[data-row="3"]').getAttribute('class').contains('bad')

        where:
        size << ['phone', 'desktop']
    }
}

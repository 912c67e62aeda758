package org.labcommons.tenantadmin.devices

import org.labcommons.testkit.Browser
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld
import spock.lang.Shared

import java.nio.charset.StandardCharsets

import static org.labcommons.testkit.TenantWorld.INSTITUTION_ADMIN

/**
 * An institution admin provisions a controller in a real browser, in Chinese: on a phone the
 * device list and the form fit the screen; on a desktop the admin creates a device for an
 * instrument, sees its credentials once with the config file as a download, finds the secret on no
 * later page, revokes it after confirming, and sees it revoked in the list.
 */
class DevicesBrowserSpec extends PlatformSpec {
    Browser browser = Browser.get()
    @Shared TenantWorld world

    def setupSpec() {
        world = TenantWorld.build(ctx) {
            institution('dvb', nameZh: '东湖设备大学', nameEn: 'Donghu Devices University') {
                person('root', INSTITUTION_ADMIN)
                instrument('Interlocked SEM', nameZh: '联锁扫描电镜')
            }
        }
    }

    String app(String path) { "http://localhost:${server.port}${path}" }

    def setup() { browser.reset() }

    def "on a phone the device list and the create form fit the screen, in Chinese"() {
        when:
        browser.signIn(app(''), world.tenant('dvb').issuerId, "root-${world.run}".toString(), '/admin/devices?lang=zh-CN')
        browser.phone().open(app('/admin/devices'))

        then:
        browser.text('h1').startsWith('设备')
        browser.assertNoHorizontalScroll()

        when:
        browser.click('#new-device')
        browser.find('#device-form')

        then:
        browser.text('h1') == '新建设备'
        browser.texts('#instrumentId option').any { it.contains('联锁扫描电镜') }
        browser.assertNoHorizontalScroll()
        browser.screenshot('devices-new-phone')
    }

    def "an admin creates a device, sees its credentials and config once, revokes it and sees it revoked"() {
        given:
        String instrument = world.instrument('Interlocked SEM').id as String
        browser.signIn(app(''), world.tenant('dvb').issuerId, "root-${world.run}".toString(), '/admin/devices/new?lang=zh-CN')
        browser.desktop().open(app('/admin/devices/new'))

        when: 'a name is missing: the field says so'
        browser.js("document.getElementById('instrumentId').value = arguments[0]", instrument)
        browser.click('#create-device')
        browser.find('#error-name')

        then:
        browser.text('#error-name') == '必填'  // the kernel's validation.not_null in Chinese

        when:
        browser.js("document.getElementById('kind').value = 'power_interlock'")
        browser.type('#name', '电镜电源联锁')
        browser.click('#create-device')
        browser.find('#credentials')

        then: 'the id, the secret and the config file, once'
        browser.text('#done') == '设备已创建。'
        String id = browser.text('#device-id')
        String secret = browser.text('#secret')
        secret ==~ /[A-Za-z0-9_-]{43}/
        browser.attribute('#download-config', 'download') == "device-${id}.json".toString()
        String href = browser.attribute('#download-config', 'href')
        href.startsWith('data:application/json')
        String file = new String(Base64.decoder.decode(href.substring(href.indexOf(',') + 1)), StandardCharsets.UTF_8)
        file.contains("\"password\":\"${secret}\"") && file.contains("\"deviceId\":\"${id}\"") && file.contains('"protocol":"LC-IC/1"')
        browser.text('#config') == file
        browser.screenshot('devices-credentials-desktop')

        when: 'the device page'
        browser.click('#to-device')
        browser.find('#device-facts')

        then: 'shows the device and never the secret again'
        browser.text('#device-id') == id
        browser.text('#device-attached').contains('联锁扫描电镜')
        browser.text('#device-status') == '离线'
        !browser.html().contains(secret)

        when: 'it is revoked, after a confirmation'
        browser.click('#revoke')
        browser.find('#revoke-warning')
        browser.click('#confirm-revoke')
        browser.find('#revoked-at')

        then:
        browser.text('#done').startsWith('设备已吊销')
        browser.text('#device-status') == '已吊销'
        !browser.exists('#rotate')

        when: 'the list'
        browser.click('#to-devices')
        browser.find('#device-table')

        then:
        browser.text("tr[data-id='${id}'] .status") == '已吊销'
        browser.text("tr[data-id='${id}'] .name") == '电镜电源联锁'
        !browser.html().contains(secret)
        browser.assertNoHorizontalScroll()
    }
}

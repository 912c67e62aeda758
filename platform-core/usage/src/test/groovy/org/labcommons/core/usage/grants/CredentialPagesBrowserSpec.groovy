package org.labcommons.core.usage.grants

import org.labcommons.testkit.Browser
import org.labcommons.testkit.PlatformSpec
import spock.lang.Shared

import java.nio.charset.Charset
import java.nio.file.Files

/**
 * {@code /admin/credentials} in headless Chromium, signed in through the identity provider as the lab's instrument
 * admin of {@link GrantsFixture}'s institution A: at a desktop's width in English a campus card CSV is imported and
 * its report shown line by line, a card is removed; at a phone's width in Chinese the page fits without scrolling
 * sideways; a plain member is refused.
 */
class CredentialPagesBrowserSpec extends PlatformSpec {
    @Shared GrantsFixture f
    Browser browser = Browser.get()

    def setup() {
        if (f == null) {
            f = new GrantsFixture(ctx)
        }
        browser.reset()
    }

    void signIn(String who, String returnTo) {
        browser.signIn(baseUrl, f.issuerNames.a, f.subjects[who], returnTo)
    }

    def "staff import the card system's CSV, read the report and remove a card (desktop, English)"() {
        given: 'an export with a good line, a bad card number and an unknown person'
        def file = Files.createTempFile('cards', '.csv')
        file.toFile().setText("Card Number,E-mail\n0A:0B:0C:0D,${f.subjects.alice}@a.example\n??,${f.subjects.bob}@a.example\n" +
                "0E0E0E0E,nobody@nowhere.example\n", 'UTF-8')

        when: 'the instrument admin opens the page from the navigation and imports the file'
        browser.desktop()
        signIn('staff', '/?lang=en')
        browser.openNav().followNav('/admin/credentials')
        browser.find('#file').sendKeys(file.toAbsolutePath().toString())
        browser.click('#import-submit')
        browser.waitForText('#import-report h3', 'Import report')
        browser.screenshot('credentials-import-en')

        then: 'the counts and each line with its outcome'
        browser.text('h1') == 'Cards and logins'
        browser.text('#count-imported') == '1'
        browser.text('#count-bad') == '1'
        browser.text('#count-unknown') == '1'
        browser.findAll('#report-lines tbody tr')*.getDomAttribute('data-outcome') == ['imported', 'bad_card_number', 'unknown_person']
        browser.texts('#credentials tbody td.mono').contains('0A0B0C0D')

        when: 'the card is removed'
        browser.type('#q', '0A0B0C0D')
        browser.submit('form.search')
        browser.click('#credentials tbody tr button.remove')
        browser.waitUntil('the card is gone') { !browser.texts('#credentials tbody td.mono').contains('0A0B0C0D') }

        then:
        f.send('GET', '/api/v1/usage/credentials?q=0A0B0C0D', 'staff').body.total == 0

        cleanup:
        Files.deleteIfExists(file)
    }

    def "at a phone's width in Chinese the page and a GB18030 import fit the screen; a plain member is refused"() {
        given:
        def file = Files.createTempFile('cards-gb', '.csv')
        Files.write(file, "卡号,学工号\n7F7F7F7F,${f.subjects.bob}\n".getBytes(Charset.forName('GB18030')))

        when:
        browser.phone()
        signIn('staff', '/admin/credentials?lang=zh-CN')
        browser.find('#file').sendKeys(file.toAbsolutePath().toString())
        browser.click('#import-submit')
        browser.waitForText('#import-report h3', '导入结果')
        browser.screenshot('credentials-import-zh-phone')

        then:
        browser.text('h1') == '卡号与登录名'
        browser.text('#count-imported') == '1'
        browser.assertNoHorizontalScroll()

        when: 'alice, a plain member, opens the page'
        browser.reset()
        signIn('alice', '/admin/credentials?lang=en')

        then:
        browser.pageText().contains('You may not do this')

        cleanup:
        Files.deleteIfExists(file)
    }
}

package org.labcommons.core.samples

import org.labcommons.core.catalog.DemoCatalogueBrowserSpec
import org.labcommons.core.security.Role
import org.labcommons.core.security.ScopeType
import org.openqa.selenium.By

import java.nio.file.Files
import java.nio.file.Path

/**
 * Sample requests in headless Chromium, with plain forms (POST-redirect-GET): a researcher finds
 * the "send samples" button on the public instrument page, is told what is missing next to the
 * fields, sends the request (English); the instrument's staff work through the queue (Chinese):
 * accept, receive, start, upload the report, close; the researcher reads the history and downloads
 * the report on a phone (390 px, no sideways scrolling).
 */
class SampleRequestBrowserSpec extends DemoCatalogueBrowserSpec {
    static final String REPORT = "NMR report ${RUN}\n结果：纯度 99.2 %\n"

    @Override
    String label() {
        'samples'
    }

    Path reportFile() {
        def p = Files.createTempDirectory('samples-browser').resolve("nmr-report-${RUN}.txt")
        Files.writeString(p, REPORT)
        p
    }

    def "a researcher sends samples; the staff accept, receive, test, upload and close; the researcher downloads the report on a phone"() {
        given:
        String user = "researcher-${RUN}"
        String staff = "staff-${RUN}"
        roles.grant(f.tenant, f.userId(staff), Role.INSTITUTION_ADMIN, ScopeType.TENANT, null, null)
        def nmr = f.instruments.nmr

        when: 'the researcher signs in and opens the instrument page'
        browser.signIn(app(''), issuer, user, "/t/${f.slug}/instruments/${nmr.id()}?lang=en")

        then:
        browser.text('#send-samples') == 'Send samples'

        when: 'the form is sent with nothing to test and no sample information'
        browser.submit('#send-samples')
        browser.type('#f-sampleCount', '2')
        browser.submit('#submit-request')

        then: 'the page says so next to the fields and keeps what was typed'
        browser.text('h1') == 'Send samples'
        browser.text('#form-problem').contains('The request has invalid fields')
        browser.text('#error-items') == 'name at least one item to test'
        browser.text('#error-sampleInfo') == 'must not be blank'
        browser.attribute('#f-sampleCount', 'value') == '2'
        browser.screenshot('samples-form-errors-en')

        when: 'a hazard is declared without saying how to handle it'
        browser.type('#f-items', '1H NMR\n13C NMR')
        browser.type('#f-sampleInfo', 'white powder, 10 mg each, soluble in CDCl3')
        browser.click('#f-hazard-none')
        browser.click('#f-hazard-toxic')
        browser.submit('#submit-request')

        then:
        browser.text('#error-safetyNotes') == 'describe how to handle the hazardous samples safely'
        browser.find('#f-hazard-toxic').selected
        !browser.find('#f-hazard-none').selected
        browser.find('#f-items').getAttribute('value').contains('13C NMR')

        when: 'completed and sent'
        browser.type('#f-safetyNotes', 'wear gloves; open in a fume hood')
        new org.openqa.selenium.support.ui.Select(browser.find('#f-serviceId')).selectByIndex(1)
        browser.type('#f-accountCode', 'NSFC-2030')
        browser.submit('#submit-request')

        then: 'its page, submitted'
        browser.url().contains('done=submitted')
        browser.text('#done') == "Your request was sent; the instrument's staff will review it."
        browser.text('#status') == 'Submitted'
        browser.texts('#items li') == ['1H NMR', '13C NMR']
        browser.texts('#hazard-list [data-hazard]') == ['Toxic']
        browser.texts('#timeline li .to') == ['Submitted']
        browser.exists('#withdraw')
        !browser.exists('#accept')
        String id = browser.attribute('#sample', 'data-id')

        when: 'the staff sign in and open the queue, in Chinese'
        browser.reset()
        browser.signIn(app(''), issuer, staff, '/samples/queue?lang=zh-CN')

        then:
        browser.text('h1') == '送样受理'
        browser.exists('#nav a[href="/samples/queue"]')
        browser.text("#sample-list [data-id='${id}'] .status") == '已提交'
        browser.text("#sample-list [data-id='${id}'] .requester") == user

        when: 'accept, with a note'
        browser.submit("#sample-list [data-id='${id}'] a.name")
        browser.type('#accept-note', '请寄至化学楼 B105')
        browser.submit('#accept')

        then:
        browser.text('#done') == '已受理该申请。'
        browser.text('#status') == '已受理'

        when: 'the samples arrive'
        browser.type('#receive-count', '3')
        browser.type('#receive-note', '一支样品管有裂纹，样品完好')
        browser.submit('#receive')

        then:
        browser.text('#status') == '已收样'
        browser.text('#received-count') == '3'

        when: 'the test starts and the report is uploaded with a plain multipart form'
        browser.submit('#start')
        browser.driver().findElement(By.cssSelector('#results-file')).sendKeys(reportFile().toAbsolutePath().toString())
        browser.type('#results-note', '谱图见附件')
        browser.submit('#results-submit')

        then:
        browser.text('#done') == '文件已上传，结果已出。'
        browser.text('#status') == '结果已出'
        browser.texts('#result-files a.download') == ["nmr-report-${RUN}.txt".toString()]
        browser.text('#result-files .size') == "${REPORT.getBytes('UTF-8').length} B".toString()
        browser.screenshot('samples-staff-results-zh')

        when: 'closed'
        browser.submit('#close')

        then:
        browser.text('#status') == '已完成'
        browser.texts('#timeline li .to') == ['已提交', '已受理', '已收样', '测试中', '结果已出', '已完成']
        !browser.exists('#actions')

        when: 'the researcher, on a phone, finds it in the list and reads its history'
        browser.reset()
        browser.signIn(app(''), issuer, user, '/samples?lang=en')
        browser.phone()
        browser.followNav('/samples/mine')

        then:
        browser.viewportWidth() == 390
        browser.assertNoHorizontalScroll()
        browser.text('h1') == 'My sample requests'
        browser.text("#sample-list [data-id='${id}'] .status") == 'Closed'
        browser.screenshot('samples-mine-phone-en')

        when:
        browser.submit("#sample-list [data-id='${id}'] a.name")

        then:
        browser.assertNoHorizontalScroll()
        browser.texts('#timeline li .to') == ['Submitted', 'Accepted', 'Samples received', 'Testing', 'Results ready', 'Closed']
        browser.pageText().contains('请寄至化学楼 B105')
        !browser.exists('#actions')
        browser.screenshot('samples-detail-phone-en')

        and: 'the download is the uploaded file, as an attachment with its name'
        String href = browser.attribute('#result-files a.download', 'href')
        browser.js("return fetch(arguments[0]).then(r => r.text())", href) == REPORT
        browser.js("return fetch(arguments[0]).then(r => r.headers.get('Content-Disposition'))", href) ==
                "attachment; filename*=UTF-8''nmr-report-${RUN}.txt".toString()

        when: 'the form and the queue fit a phone too'
        browser.open(app("/samples/new?instrument=${nmr.id()}&lang=zh-CN"))

        then:
        browser.text('h1') == '送样申请'
        browser.assertNoHorizontalScroll()
        browser.screenshot('samples-form-phone-zh')

        cleanup:
        browser.desktop()
    }

    def "an instrument admin of one instrument works the queue on a phone: reject needs a reason; nothing scrolls sideways"() {
        given:
        String user = "phone-user-${RUN}"
        String staff = "phone-staff-${RUN}"
        // an instrument admin of this one instrument only: the queue is theirs as well
        roles.grant(f.tenant, f.userId(staff), Role.INSTRUMENT_ADMIN, ScopeType.INSTRUMENT, f.instruments.tem.id(), null)
        browser.signIn(app(''), issuer, user, "/samples/new?instrument=${f.instruments.tem.id()}&lang=en")
        browser.type('#f-items', 'TEM imaging of a long sample name that should wrap without widening the page at all')
        browser.type('#f-sampleInfo', 'nanoparticles on copper grids')
        browser.submit('#submit-request')
        String id = browser.attribute('#sample', 'data-id')

        when:
        browser.reset()
        browser.signIn(app(''), issuer, staff, '/samples/queue')
        browser.phone()
        browser.open(app('/samples/queue?lang=en'))

        then:
        browser.assertNoHorizontalScroll()
        browser.exists('#nav a[href="/samples/queue"]')
        browser.exists("#sample-list [data-id='${id}']")

        when: 'rejected without a reason, then with one'
        browser.open(app("/samples/${id}?lang=en"))
        browser.assertNoHorizontalScroll()
        browser.submit('#reject')

        then:
        browser.text('#error-reason') == 'a reason is required'
        browser.text('#status') == 'Submitted'

        when:
        browser.type('#reject-note', 'grids must be carbon-coated')
        browser.submit('#reject')

        then:
        browser.text('#status') == 'Rejected'
        browser.text('#reason') == 'grids must be carbon-coated'
        browser.assertNoHorizontalScroll()
        browser.screenshot('samples-rejected-phone-en')

        cleanup:
        browser.desktop()
    }
}

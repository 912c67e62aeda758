package org.labcommons.tenantadmin.onboarding

import spock.lang.Specification
import spock.lang.Tag

import static org.labcommons.tenantadmin.onboarding.ApplicationValidator.Mode.COMPLETE
import static org.labcommons.tenantadmin.onboarding.ApplicationValidator.Mode.INVITATION

/** The one validation shared by the form, invitations and bulk rows (no database, no HTTP). */
@Tag('fast')
class ApplicationValidatorSpec extends Specification {

    static ApplicationInput input(Map m = [:]) {
        Map v = [slug: 'hzu', nameZh: '杭州大学', nameEn: 'Hangzhou University', regionCode: '330100', timeZone: null,
                 contactName: '陈老师', contactEmail: 'chen@hzu.example.edu', language: null,
                 issuerUrl: 'https://sso.hzu.example.edu/realms/hzu', clientId: 'labcommons', nameClaim: null, emailClaim: null,
                 adminEmails: ['a@hzu.example.edu']] + m
        new ApplicationInput(v.slug, v.nameZh, v.nameEn, v.regionCode, v.timeZone, v.contactName, v.contactEmail, v.language,
                v.issuerUrl, v.clientId, v.nameClaim, v.emailClaim, v.adminEmails)
    }

    static List<List<String>> problems(ApplicationInput i, ApplicationValidator.Mode mode = COMPLETE) {
        ApplicationValidator.validate(i, mode).problems().collect { [it.field(), it.code()] }
    }

    def "a complete application passes and gets its defaults; values are trimmed and the slug lower-cased"() {
        when:
        def r = ApplicationValidator.validate(input(slug: ' HZU ', nameEn: ' Hangzhou University ', adminEmails: [' a@hzu.example.edu ', '', null]), COMPLETE)

        then:
        r.valid()
        r.value().slug() == 'hzu'
        r.value().nameEn() == 'Hangzhou University'
        r.value().timeZone() == 'Asia/Shanghai'
        r.value().language() == 'zh-CN'
        r.value().nameClaim() == 'name'
        r.value().emailClaim() == 'email'
        r.value().adminEmails() == ['a@hzu.example.edu']
    }

    def "#field = #value is refused with #code"() {
        expect:
        problems(input([(field): value])) == [[expected, code]]

        where:
        field         | value                                 | expected         | code
        'slug'        | 'a'                                   | 'slug'           | 'pattern'
        'slug'        | '-hzu'                                | 'slug'           | 'pattern'
        'slug'        | 'api'                                 | 'slug'           | 'reserved'
        'nameZh'      | '  '                                  | 'nameZh'         | 'required'
        'nameEn'      | 'x' * 201                             | 'nameEn'         | 'size'
        'regionCode'  | '3301'                                | 'regionCode'     | 'pattern'
        'timeZone'    | 'Beijing'                             | 'timeZone'       | 'unknown'
        'contactEmail'| 'chen at hzu'                         | 'contactEmail'   | 'email'
        'language'    | 'de'                                  | 'language'       | 'unknown'
        'issuerUrl'   | 'http://sso.hzu.example.edu'          | 'issuerUrl'      | 'invalid'
        'issuerUrl'   | 'https://sso.hzu.example.edu/?realm=x'| 'issuerUrl'      | 'invalid'
        'issuerUrl'   | 'https://user@sso.hzu.example.edu'    | 'issuerUrl'      | 'invalid'
        'issuerUrl'   | 'ftp://sso.hzu.example.edu'           | 'issuerUrl'      | 'invalid'
        'clientId'    | 'has space'                           | 'clientId'       | 'pattern'
        'nameClaim'   | 'na me'                               | 'nameClaim'      | 'pattern'
        'adminEmails' | []                                    | 'adminEmails'    | 'required'
        'adminEmails' | ['a@x.example', 'A@X.example']        | 'adminEmails[1]' | 'duplicate'
        'adminEmails' | (1..6).collect { "a${it}@x.example".toString() } | 'adminEmails' | 'too_many'
    }

    def "http is accepted for a loopback identity provider (development)"() {
        expect:
        problems(input(issuerUrl: 'http://localhost:18081/newuni')) == []
        problems(input(issuerUrl: 'http://127.0.0.1:18081/newuni')) == []
    }

    def "an invitation needs only names and a contact"() {
        expect:
        problems(input(slug: null, regionCode: null, issuerUrl: null, clientId: null, adminEmails: null), INVITATION) == []
        problems(input(slug: null, regionCode: null, issuerUrl: null, clientId: null, adminEmails: null), COMPLETE).collect { it[0] } ==
                ['slug', 'regionCode', 'issuerUrl', 'clientId', 'adminEmails']
        problems(input(contactEmail: null), INVITATION) == [['contactEmail', 'required']]
    }
}

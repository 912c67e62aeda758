package org.labcommons.core.web

import io.micronaut.core.annotation.AnnotationUtil
import io.micronaut.core.annotation.Nullable
import io.micronaut.core.convert.ConversionContext
import io.micronaut.core.type.Argument
import io.micronaut.http.HttpRequest
import io.micronaut.http.HttpStatus
import io.micronaut.inject.annotation.MutableAnnotationMetadata
import org.labcommons.core.problem.ProblemException
import org.labcommons.core.security.AuthenticatedUser
import org.labcommons.core.security.CallerResolver
import org.labcommons.core.tenancy.TenantId
import spock.lang.Specification
import spock.lang.Tag

/** The signed-in caller and the {@code If-Match} version as controller parameters, without a server. */
@Tag('fast')
class ArgumentBindersSpec extends Specification {
    static final TenantId TENANT = new TenantId(UUID.randomUUID())
    static final AuthenticatedUser USER = new AuthenticatedUser(UUID.randomUUID(), 'https://idp.example', 'someone',
            TENANT, TENANT, [])

    CallerBinder callers = new CallerBinder(new WebCaller(null, null))
    IfMatchBinder ifMatch = new IfMatchBinder()

    def "an API request's caller is the one its bearer token established"() {
        given:
        def request = HttpRequest.GET('/api/v1/org-units')
        request.setAttribute(AuthenticatedUser.ATTRIBUTE, USER)

        expect:
        bindCaller(request, false) == USER
        bindCaller(request, true) == USER
    }

    def "an API request without a caller is 401 invalid_token, or null for an optional caller"() {
        given:
        def request = HttpRequest.GET('/api/v1/public/instruments')

        expect:
        bindCaller(request, true) == null

        when:
        bindCaller(request, false)

        then:
        def e = thrown(ProblemException)
        e.status() == HttpStatus.UNAUTHORIZED
        e.code() == 'invalid_token'
    }

    def "a page's caller is the browser session's; a page without one sends the browser to sign in and back"() {
        given:
        def signedIn = HttpRequest.GET('/account')
        signedIn.setAttribute('labcommons.webCaller', new CallerResolver.Resolution(USER, null))
        def anonymous = HttpRequest.GET('/admin/instruments?page=2')

        expect:
        bindCaller(signedIn, false) == USER
        bindCaller(anonymous, true) == null

        when:
        bindCaller(anonymous, false)

        then:
        def e = thrown(SignInRequiredException)
        e.returnTo() == '/admin/instruments?page=2'
    }

    def "a page whose session is refused (tenant suspended) shows the suspended page, not another sign-in"() {
        given:
        def request = HttpRequest.GET('/account')
        request.setAttribute('labcommons.webCaller',
                new CallerResolver.Resolution(null, CallerResolver.Refusal.TENANT_SUSPENDED))

        when:
        bindCaller(request, false)

        then:
        def e = thrown(PageForbiddenException)
        e.reason() == PageForbiddenException.SUSPENDED
    }

    def "If-Match names a version in any of its spellings (#header)"() {
        expect:
        bindVersion(header) == expected

        where:
        header   | expected
        null     | null
        ''       | null
        '*'      | null
        '"7"'    | 7L
        'W/"12"' | 12L
        '3'      | 3L
    }

    def "an If-Match that names no version is 400 validation_failed on the If-Match field (#header)"() {
        when:
        bindVersion(header)

        then:
        def e = thrown(ProblemException)
        e.status() == HttpStatus.BAD_REQUEST
        e.code() == 'validation_failed'
        e.fieldProblems()*.field() == ['If-Match']
        e.fieldProblems()*.messageKey() == ['validation.invalid_version']

        where:
        header << ['"seven"', 'W/"1.5"', '"1", "2"']
    }

    private AuthenticatedUser bindCaller(HttpRequest<?> request, boolean nullable) {
        def metadata = new MutableAnnotationMetadata()
        if (nullable) {
            // what the compiler records for @Nullable: the annotation and the jakarta.annotation.Nullable stereotype
            metadata.addDeclaredAnnotation(Nullable.name, [:])
            metadata.addDeclaredAnnotation(AnnotationUtil.NULLABLE, [:])
        }
        def argument = Argument.of(AuthenticatedUser, 'caller', metadata)
        def result = callers.bindPostponed(ConversionContext.of(argument), request)
        assert result.satisfied
        result.value.orElse(null)
    }

    private Long bindVersion(String header) {
        def request = HttpRequest.PUT('/api/v1/instruments/x', '{}')
        if (header != null) {
            request.header('If-Match', header)
        }
        def result = ifMatch.bindPostponed(ConversionContext.of(Argument.of(Long, 'version')), request)
        assert result.satisfied
        result.value.orElse(null)
    }
}

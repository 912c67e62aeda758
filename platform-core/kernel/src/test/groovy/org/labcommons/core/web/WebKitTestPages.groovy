package org.labcommons.core.web

import io.micronaut.context.annotation.Requires
import io.micronaut.http.HttpRequest
import io.micronaut.http.HttpResponse
import io.micronaut.http.HttpStatus
import io.micronaut.http.annotation.Body
import io.micronaut.http.annotation.QueryValue
import org.labcommons.core.problem.ProblemException
import io.micronaut.http.MediaType
import io.micronaut.http.annotation.Controller
import io.micronaut.http.annotation.Get
import io.micronaut.http.annotation.Post
import io.micronaut.scheduling.TaskExecutors
import io.micronaut.scheduling.annotation.ExecuteOn
import io.micronaut.views.View
import jakarta.inject.Singleton
import org.labcommons.core.security.Action

/**
 * Pages that exist only for {@link WebKitBrowserSpec} (property {@code labcommons.test.web-kit-pages}):
 * one that needs an action, one an htmx request posts to, and a navigation link to the first.
 */
@Controller('/test/web-kit')
@Requires(property = 'labcommons.test.web-kit-pages', value = 'true')
@ExecuteOn(TaskExecutors.BLOCKING)
class WebKitTestPages {
    private final WebCaller web
    private final Pages pages

    WebKitTestPages(WebCaller web, Pages pages) {
        this.web = web
        this.pages = pages
    }

    @Get(value = '/form', produces = MediaType.TEXT_HTML)
    HttpResponse<String> form(HttpRequest<?> request, @QueryValue(defaultValue = '45') long total,
                              @QueryValue(defaultValue = '0') int page) {
        def model = pages.model(request)
        model.putAll([total: total, page: page, size: 20])
        pages.respond(request, HttpStatus.OK, 'test-form', model)
    }

    @Post(value = '/form', consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    HttpResponse<String> save(HttpRequest<?> request, @Body Map<String, String> form) {
        def model = pages.model(request)
        model.putAll([total: 0L, page: 0, size: 20])
        try {
            if (!form.name?.trim()) {
                throw new ProblemException(HttpStatus.BAD_REQUEST, 'validation_failed',
                        [new ProblemException.FieldProblem('name', 'not_blank', 'validation.not_blank', [:])])
            }
            return HttpResponse.seeOther(URI.create('/test/web-kit/form?total=1'))
        } catch (ProblemException e) {
            return pages.respond(request, HttpStatus.UNPROCESSABLE_ENTITY, 'test-form', pages.withProblem(request, model, e))
        }
    }

    @Get(value = '/missing', produces = [MediaType.TEXT_HTML, MediaType.APPLICATION_JSON])
    String missing() {
        throw ProblemException.notFound()
    }

    @Get(value = '/organisation', produces = MediaType.TEXT_HTML)
    HttpResponse<String> organisation(HttpRequest<?> request) {
        def caller = web.require(request, Action.MANAGE_ORGANISATION)
        HttpResponse.ok("<!DOCTYPE html><html><body><h1 id=\"organisation\">${caller.subject()}</h1></body></html>".toString())
                .contentType(MediaType.TEXT_HTML_TYPE)
    }

    @Get(value = '/broken', produces = MediaType.TEXT_HTML)
    @View('test-broken')
    Map<String, Object> broken() {
        [:]
    }

    @Post(value = '/ping', consumes = [MediaType.APPLICATION_FORM_URLENCODED, MediaType.ALL], produces = MediaType.TEXT_PLAIN)
    String ping() {
        'pong'
    }
}

@Singleton
@Requires(property = 'labcommons.test.web-kit-pages', value = 'true')
class WebKitTestNav implements NavContributor {
    @Override
    List<NavLink> navLinks() {
        [NavLink.forAction('nav.admin.instruments', '/test/web-kit/organisation', Action.MANAGE_ORGANISATION, 150)]
    }
}

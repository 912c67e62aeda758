package org.labcommons.server

import io.micronaut.http.HttpRequest
import io.micronaut.http.HttpResponse
import io.micronaut.http.client.HttpClient
import io.micronaut.http.client.annotation.Client
import io.micronaut.http.client.exceptions.HttpClientResponseException
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import io.micronaut.test.support.TestPropertyProvider
import io.micronaut.web.router.Router
import io.micronaut.web.router.UriRouteInfo
import jakarta.inject.Inject
import org.labcommons.devstack.SharedDevStack
import org.yaml.snakeyaml.LoaderOptions
import org.yaml.snakeyaml.Yaml
import org.yaml.snakeyaml.constructor.SafeConstructor
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Tag

/**
 * The OpenAPI document the running server serves at /api/openapi.yml (generated at build time,
 * server/apidocs) against the routes the same server really has (Micronaut's router, every role):
 * each /api route is documented with its method, nothing else is, and the document carries the
 * bearer scheme and the problem+json error answer. /api/docs shows it from the webjar, no token.
 */
@MicronautTest(transactional = false)
@Tag('integration')
@Tag('module-server')   // server has no test kit: its tier and module tags are spelled out
class ApiDocumentSpec extends Specification implements TestPropertyProvider {

    @Inject @Client('/') HttpClient http
    @Inject Router router

    @Shared Map document

    @Override
    Map<String, String> getProperties() {
        SharedDevStack.get().properties()
    }

    def setup() {
        if (document == null) {
            document = new Yaml(new SafeConstructor(new LoaderOptions()))
                    .load(http.toBlocking().retrieve(HttpRequest.GET('/api/openapi.yml'), String)) as Map
        }
    }

    /** "get /api/v1/instruments/{id}" for a route; a variable's pattern ({id:[0-9]+}) is not part of its name. */
    private static String key(String method, String template) {
        method.toLowerCase(Locale.ROOT) + ' ' + template.replaceAll(/\{([^}:]+):[^}]*}/, '{$1}')
    }

    private Set<String> apiRoutes() {
        router.uriRoutes()
                .map { UriRouteInfo r -> key(r.httpMethodName, r.uriMatchTemplate.toPathString()) }
                .filter { it.split(' ')[1].startsWith('/api/') }
                .collect(java.util.stream.Collectors.toSet())
    }

    private Set<String> documentedOperations() {
        Set<String> ops = [] as Set
        (document.paths as Map<String, Map>).each { path, item ->
            item.keySet().findAll { it in ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] }
                    .each { ops << key(it as String, path) }
        }
        ops
    }

    def "every route under /api/ the running server has is in the served document, with its HTTP method"() {
        when:
        Set<String> routes = apiRoutes()
        Set<String> documented = documentedOperations()

        then: 'the router really lists the API of every module (kernel, catalogue, booking, tenant-admin, search, federation)'
        ['get /api/v1/me', 'get /api/v1/org-units', 'get /api/v1/instruments', 'post /api/v1/instruments/{id}/bookings',
         'post /api/v1/federation/{tenant}/instruments/{id}/bookings', 'get /api/v1/onboarding/applications',
         'get /api/v1/search/instruments', 'get /api/v1/federation/outside-bookings'].every { it in routes }

        and: 'none is missing from the document (Micronaut answers HEAD for every GET: the GET documents it)'
        routes.findAll { !(it in documented || (it.startsWith('head ') && it.replaceFirst('head', 'get') in documented)) }
                .sort() == []
    }

    def "the document describes only the API: no page, and no operation the server does not have"() {
        expect:
        (document.paths as Map).keySet().findAll { !it.startsWith('/api/') } == [] as Set
        (documentedOperations() - apiRoutes()).sort() == []
    }

    def "the bearer (JWT) scheme is declared and required by default; public paths make it optional"() {
        expect:
        document.openapi.toString().startsWith('3.')
        document.components.securitySchemes.bearer.type == 'http'
        document.components.securitySchemes.bearer.scheme == 'bearer'
        document.components.securitySchemes.bearer.bearerFormat == 'JWT'
        document.security == [[bearer: []]]

        and: 'the operations BearerTokenFilter lets through without a token say so'
        document.paths['/api/v1/public/tenants/{slug}/instruments'].get.security == [[:], [bearer: []]]
        document.paths['/api/v1/classifications/{code}'].get.security == [[:], [bearer: []]]
        document.paths['/api/openapi.yml'].get.security == [[:], [bearer: []]]
        document.paths['/api/v1/me'].get.security == null
    }

    def "every operation answers errors as application/problem+json, described by the Problem schema"() {
        given:
        Map problem = document.components.responses.Problem

        expect:
        problem.content['application/problem+json'].schema['$ref'] == '#/components/schemas/Problem'
        document.components.schemas.Problem.properties.keySet().containsAll(['type', 'title', 'status', 'code', 'errors'])
        (document.paths as Map<String, Map>).every { path, item ->
            item.findAll { it.key in ['get', 'put', 'post', 'delete', 'patch'] }.every { method, Map op ->
                op.responses.default == ['$ref': '#/components/responses/Problem']
            }
        }
    }

    def "what the document says about errors is what the API does: no token is a 401 problem+json"() {
        when:
        http.toBlocking().exchange(HttpRequest.GET('/api/v1/me'), String)

        then:
        HttpClientResponseException e = thrown()
        e.status.code == 401
        e.response.contentType.get().toString().startsWith('application/problem+json')
    }

    def "/api/docs is a page without sign-in that loads Swagger UI from the webjar and points it at /api/openapi.yml"() {
        when:
        HttpResponse<String> page = http.toBlocking().exchange(HttpRequest.GET('/api/docs'), String)
        String ui = (page.body() =~ /src="(\/webjars\/swagger-ui\/[^"]+\/swagger-ui-bundle\.js)"/)[0][1]
        HttpResponse<String> bundle = http.toBlocking().exchange(HttpRequest.GET(ui), String)

        then:
        page.status.code == 200
        page.contentType.get().toString().startsWith('text/html')
        page.body().contains('url: "/api/openapi.yml"')
        !page.body().contains('https://')
        bundle.status.code == 200
        bundle.body().contains('SwaggerUIBundle')

        and: 'the document itself is YAML, also without a token'
        http.toBlocking().exchange(HttpRequest.GET('/api/openapi.yml'), String)
                .contentType.get().toString().startsWith('application/yaml')
    }
}

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

import java.nio.file.Files
import java.nio.file.Path

/**
 * The OpenAPI document the running server serves at /api/openapi.yml (generated at build time,
 * server/apidocs) against the routes the same server really has (Micronaut's router, every role):
 * each /api route is documented with its method and a summary, nothing else is, an endpoint that
 * creates says 201, and the document carries the bearer scheme and the problem+json error answer. /api/docs shows it from the webjar, no token.
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

    /** Every operation of the document as "get /api/v1/me" with its description. */
    private Map<String, Map> operations() {
        Map<String, Map> ops = [:]
        (document.paths as Map<String, Map>).each { path, item ->
            item.findAll { it.key in ['get', 'put', 'post', 'delete', 'patch'] }.each { method, Map op ->
                ops[key(method as String, path)] = op
            }
        }
        ops
    }

    /**
     * The API routes whose controller method answers 201 Created (its source says
     * {@code HttpResponse.created(…)} or {@code HttpStatus.CREATED}): read from the controllers' sources,
     * found by the class the router names.
     */
    private Set<String> createRoutes() {
        Path root = Path.of('..').toRealPath()
        Map<String, Path> files = [:]
        Files.walk(root).withCloseable { paths ->
            paths.filter { !it.toString().contains('/target/') && !it.toString().contains('/node_modules/') }
                    .forEach { Path p ->
                        String s = p.toString().replace('\\', '/')
                        int at = s.indexOf('/src/main/java/')
                        if (at >= 0 && s.endsWith('.java')) {
                            files[s.substring(at + '/src/main/java/'.length())] = p
                        }
                    }
        }
        Map<String, String> sources = [:]
        router.uriRoutes()
                .filter { UriRouteInfo r -> r.uriMatchTemplate.toPathString().startsWith('/api/') && r.httpMethodName != 'HEAD' }
                .collect(java.util.stream.Collectors.toList())
                .findAll { UriRouteInfo r ->
                    // the route's target may be Micronaut's generated subclass ($InstrumentController$Definition$Intercepted)
                    String name = r.targetMethod.declaringType.name
                    String pkg = name.substring(0, name.lastIndexOf('.') + 1)
                    String type = pkg + name.substring(pkg.length()).replaceFirst(/^\$/, '').split(/\$/)[0]
                    String source = sources.computeIfAbsent(type) { String t ->
                        Path file = files[t.replace('.', '/') + '.java']
                        file == null ? '' : Files.readString(file)
                    }
                    String body = methodBody(source, r.targetMethod.methodName)
                    body.contains('HttpResponse.created(') || body.contains('HttpStatus.CREATED')
                }
                .collect { UriRouteInfo r -> key(r.httpMethodName, r.uriMatchTemplate.toPathString()) } as Set
    }

    /** The body of the public method {@code name} in a Java source (braces balanced), or "". */
    private static String methodBody(String source, String name) {
        def m = source =~ /(?s)public [^;{=]*?\b${name}\(/
        if (!m.find()) {
            return ''
        }
        int open = source.indexOf('{', m.end())
        int depth = 0
        for (int i = open; i < source.length(); i++) {
            if (source.charAt(i) == '{' as char) { depth++ }
            if (source.charAt(i) == '}' as char && --depth == 0) {
                return source.substring(open, i + 1)
            }
        }
        ''
    }

    def "every operation under /api/ has a summary"() {
        when:
        Map<String, Map> ops = operations()

        then:
        ops.size() > 100
        ops.findAll { k, op -> !(op.summary instanceof String) || (op.summary as String).isBlank() }.keySet().sort() == []
    }

    def "an endpoint that creates is documented as answering 201, not 200"() {
        when:
        Set<String> creates = createRoutes()
        Map<String, Map> ops = operations()

        then: 'the sources are read: the known creating endpoints are found'
        ['post /api/v1/instruments', 'post /api/v1/org-units', 'post /api/v1/instruments/{id}/bookings',
         'post /api/v1/calendar-feeds', 'post /api/v1/public/onboarding/applications'].every { it in creates }

        and:
        creates.findAll { !((ops[it]?.responses as Map)?.containsKey('201')) || (ops[it].responses as Map).containsKey('200') }
                .sort() == []
    }

    def "the caller and If-Match are bound by the server, not asked of the client: If-Match is a header, the caller no parameter"() {
        when:
        Map<String, Map> ops = operations()
        def parameters = { Map op -> (op.parameters ?: []).collect { it.name } }
        def bodyMembers = { Map op ->
            (op.requestBody?.content?.values()?.collect { it.schema?.properties?.keySet() ?: [] }?.flatten()) ?: [] }

        then: 'no operation asks for the caller (an AuthenticatedUser parameter) or a version parameter'
        !((document.components.schemas ?: [:]) as Map).keySet().any { it.contains('AuthenticatedUser') }
        ops.findAll { k, op -> parameters(op).any { it in ['version', 'filter'] } }.keySet().sort() == []
        ops.findAll { k, op -> bodyMembers(op).any { it in ['user', 'caller', 'signedIn', 'viewer', 'filter'] } }
                .keySet().sort() == []
        ops['put /api/v1/instruments/{id}'].parameters.find { it.name == 'If-Match' }?.in == 'header'
        ops['post /api/v1/sample-requests/{id}/accept'].parameters.find { it.name == 'If-Match' }?.in == 'header'

        and: 'a list filter bound as one bean is still one query parameter per filter'
        ['q', 'status', 'scope', 'classification', 'orgUnitId', 'sort', 'includeArchived', 'page', 'size']
                .every { it in ops['get /api/v1/instruments'].parameters.findAll { p -> p.in == 'query' }*.name }
        ['q', 'lang', 'lat', 'lon', 'radiusKm', 'valueBand', 'facets']
                .every { it in ops['get /api/v1/search/instruments'].parameters.findAll { p -> p.in == 'query' }*.name }
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

package org.labcommons.testkit

import io.micronaut.context.ApplicationContext
import io.micronaut.json.JsonMapper

import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse

/**
 * JSON over HTTP against the platform's API, the way a client calls it: a bearer token,
 * {@code Accept-Language: en} and a JSON body. Every answer is {@code [status: int, body: Map]}
 * (an empty map when there is no body).
 */
class Api {
    private static final HttpClient HTTP = HttpClient.newHttpClient()

    final String base
    private final JsonMapper json

    Api(String base, ApplicationContext ctx) {
        this(base, ctx.getBean(JsonMapper))
    }

    Api(String base, JsonMapper json) {
        this.base = base
        this.json = json
    }

    /** {@code body} is sent as it is when it is a String, otherwise written as JSON; {@code headers} are added. */
    Map send(String method, String path, String token, Object body = null, Map<String, String> headers = [:]) {
        def b = HttpRequest.newBuilder(URI.create(base + path))
        if (!headers.containsKey('Accept-Language')) {
            b.header('Accept-Language', 'en')
        }
        headers.each { k, v -> b.header(k, v) }
        if (token != null) {
            b.header('Authorization', 'Bearer ' + token)
        }
        if (body != null) {
            b.header('Content-Type', 'application/json')
        }
        String text = body == null ? null : body instanceof CharSequence ? body.toString() : json.writeValueAsString(body)
        b.method(method, text == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(text))
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString())
        [status: r.statusCode(), body: r.body() ? json.readValue(r.body(), Map) : [:]]
    }

    Map get(String path, String token) { send('GET', path, token) }

    Map post(String path, String token, Object body) { send('POST', path, token, body) }

    Map put(String path, String token, Object body) { send('PUT', path, token, body) }

    Map delete(String path, String token) { send('DELETE', path, token) }

    String write(Object value) { json.writeValueAsString(value) }
}

package org.labcommons.testkit

import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.nio.charset.StandardCharsets

/**
 * Server-rendered pages over plain HTTP, as a signed-in person: a session is a map with the
 * {@code cookie} header value ({@code LC_SESSION=…}) and the session's {@code csrf} token. The
 * client decides whether redirects are followed (page specifications usually want to see them).
 */
class PageForms {
    static final String FORM = 'application/x-www-form-urlencoded'

    /** GET {@code url} as the session's person, asking for HTML. */
    static HttpResponse<String> get(HttpClient http, String url, Map session) {
        http.send(HttpRequest.newBuilder(URI.create(url)).header('Cookie', session.cookie as String)
                .header('Accept', 'text/html').GET().build(), HttpResponse.BodyHandlers.ofString())
    }

    /** POST {@code fields} as a form to {@code url} as the session's person, with the session's CSRF token. */
    static HttpResponse<String> post(HttpClient http, String url, Map session, Map<String, Object> fields) {
        String body = ([_csrf: session.csrf] + fields).collect { k, v -> enc(k as String) + '=' + enc(v as String) }.join('&')
        http.send(HttpRequest.newBuilder(URI.create(url)).header('Cookie', session.cookie as String)
                .header('Accept', 'text/html').header('Content-Type', FORM)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString())
    }

    static String enc(String s) {
        URLEncoder.encode(s, StandardCharsets.UTF_8)
    }

    /**
     * The text of the element with this id (the first match, up to the first closing tag of the
     * given kinds, tags stripped and white space folded); null when there is none.
     */
    static String byId(String html, String id, String closingTags = 'p|dd|span|div|strong') {
        def m = html =~ /(?s)id="${id}"[^>]*>(.*?)<\/(${closingTags})>/
        m.find() ? m.group(1).replaceAll(/<[^>]+>/, '').replaceAll(/\s+/, ' ').trim() : null
    }
}

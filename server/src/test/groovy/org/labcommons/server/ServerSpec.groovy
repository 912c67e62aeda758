package org.labcommons.server

import groovy.json.JsonSlurper
import io.micronaut.http.HttpRequest
import io.micronaut.http.HttpResponse
import io.micronaut.http.client.HttpClient
import io.micronaut.http.client.annotation.Client
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import io.micronaut.test.support.TestPropertyProvider
import jakarta.inject.Inject
import org.labcommons.devstack.SharedDevStack
import spock.lang.Specification
import spock.lang.Tag

/** The whole platform (every role) against the real infrastructure, as dev mode runs it. */
@Tag('integration')
@Tag('module-server')   // server has no test kit: its tier and module tags are spelled out
@MicronautTest(transactional = false)
class ServerSpec extends Specification implements TestPropertyProvider {

    @Inject @Client('/') HttpClient http

    @Override
    Map<String, String> getProperties() {
        SharedDevStack.get().properties() + ['labcommons.demo.enabled': 'true']
    }

    private Map getJson(String path) {
        HttpResponse<String> r = http.toBlocking().exchange(HttpRequest.GET(path), String)
        new JsonSlurper().parseText(r.body()) as Map
    }

    def "GET /health is UP with each dependency reported as its own UP component"() {
        when:
        Map health = getJson('/health')

        then:
        health.status == 'UP'
        ['database', 'kafka', 'elasticsearch', 'mqtt', 'identityProvider'].every { health.details[it]?.status == 'UP' }
        health.details.database.details.role == 'labcommons_app'
        health.details.kafka.details.brokers == 1
    }

    def "liveness and readiness are separate endpoints and both answer UP"() {
        expect:
        getJson('/health/liveness').status == 'UP'
        getJson('/health/readiness').status == 'UP'
    }

    def "Prometheus metrics are exposed in the text format"() {
        when:
        HttpResponse<String> r = http.toBlocking().exchange(HttpRequest.GET('/prometheus'), String)

        then:
        r.status.code == 200
        r.body().contains('# TYPE jvm_memory_used_bytes gauge')
    }

    def "every response carries a request id: the caller's when sane, a fresh one otherwise"() {
        when:
        def echoed = http.toBlocking().exchange(HttpRequest.GET('/health/liveness').header('X-Request-Id', 'trace-abc-12345'), String)
        def fresh = http.toBlocking().exchange(HttpRequest.GET('/health/liveness').header('X-Request-Id', 'bad id; drop table'), String)

        then:
        echoed.header('X-Request-Id') == 'trace-abc-12345'
        fresh.header('X-Request-Id') ==~ /[0-9a-f-]{36}/
    }

    def "a log line written while serving a request carries that request's id"() {
        given: 'a capturing appender on the access logger'
        def logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger('labcommons.access')
        def appender = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>()
        appender.start()
        logger.addAppender(appender)

        when:
        http.toBlocking().exchange(HttpRequest.GET('/health/liveness').header('X-Request-Id', 'mdc-check-000042'), String)

        then:
        def line = appender.list.find { it.formattedMessage == 'GET /health/liveness 200' }
        line != null
        line.MDCPropertyMap['requestId'] == 'mdc-check-000042'

        cleanup:
        logger.detachAppender(appender)
    }

    def "the home page lists the demo members with their instrument counts, in Chinese by default and in English on request"() {
        when:
        String zh = http.toBlocking().retrieve(HttpRequest.GET('/'), String)
        String en = http.toBlocking().retrieve(HttpRequest.GET('/?lang=en'), String)

        then:
        zh.contains('东湖大学') && zh.contains('西岭理工大学') && zh.contains('浙江省大型科学仪器设备共享网')
        zh.contains('仪器: 6')
        zh.contains('lang="zh-CN"')
        en.contains('Donghu University') && en.contains('Instruments: 6') && !en.contains('东湖大学')
        en.contains('lang="en"')
    }

    def "a demo university's own issuer is trusted for that university's API calls"() {
        given:
        def idp = SharedDevStack.get().identityProvider()
        String token = idp.server().issueToken('donghu', 'donghu-admin', 'labcommons').serialize()

        when:
        Map me = new JsonSlurper().parseText(http.toBlocking().retrieve(
                HttpRequest.GET('/api/v1/me').bearerAuth(token), String)) as Map

        then:
        me.issuer == idp.issuer('donghu')
        me.subject == 'donghu-admin'
        me.homeTenant == me.actingTenant
    }

    def "Xiling's demo finance login sees every booking Xiling's people hold elsewhere; its researcher sees only their own"() {
        given:
        def idp = SharedDevStack.get().identityProvider()

        when:
        Map answer = new JsonSlurper().parseText(http.toBlocking().retrieve(
                HttpRequest.GET('/api/v1/federation/outside-bookings')
                        .bearerAuth(idp.server().issueToken('xiling', login, 'labcommons').serialize()), String)) as Map

        then:
        answer.scope == scope

        where:
        login               || scope
        'xiling-finance'    || 'tenant'
        'xiling-researcher' || 'own'
    }

    def "./labcommons token prints only a token of the demo user's issuer, and the API accepts it as that user"() {
        given: 'an endpoints file as dev mode writes it, naming this stack\'s identity provider'
        def idp = SharedDevStack.get().identityProvider()
        File endpoints = File.createTempFile('dev-endpoints', '.json')
        endpoints.text = groovy.json.JsonOutput.toJson([
                endpoints : ['issuer consortium': idp.issuer('consortium') + '/.well-known/openid-configuration',
                             'issuer xiling'    : idp.issuer('xiling') + '/.well-known/openid-configuration'],
                demoLogins: DevMode.DEMO_LOGINS.collect { [who: it[2], username: it[1], issuer: it[0]] }])

        when:
        def pb = new ProcessBuilder('bash', new File('../labcommons').canonicalPath, 'token', 'xiling-researcher')
        pb.environment().put('LABCOMMONS_DEV_ENDPOINTS', endpoints.absolutePath)
        Process p = pb.start()
        String out = p.inputStream.text
        String err = p.errorStream.text
        int exit = p.waitFor()
        Map me = new JsonSlurper().parseText(http.toBlocking().retrieve(
                HttpRequest.GET('/api/v1/me').bearerAuth(out.trim()), String)) as Map

        then:
        exit == 0
        err == ''
        out ==~ /[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\n/
        me.issuer == idp.issuer('xiling')
        me.subject == 'xiling-researcher'

        cleanup:
        endpoints?.delete()
    }

    def "Accept-Language chooses the page language when no lang parameter is given"() {
        expect:
        http.toBlocking().retrieve(HttpRequest.GET('/').header('Accept-Language', 'en-GB,en;q=0.9'), String)
                .contains('Xiling University of Technology')
    }
}

package org.labcommons.server

import ch.qos.logback.classic.Logger
import ch.qos.logback.classic.spi.ILoggingEvent
import ch.qos.logback.core.read.ListAppender
import groovy.json.JsonSlurper
import io.micronaut.runtime.server.EmbeddedServer
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import io.micronaut.test.support.TestPropertyProvider
import jakarta.inject.Inject
import org.labcommons.devstack.SharedDevStack
import org.slf4j.LoggerFactory
import spock.lang.Specification
import spock.lang.Tag

import java.nio.charset.StandardCharsets

/**
 * Health details and metrics go to the management network and the consortium operator only; the
 * probes answer everyone. Set up as in production behind an ingress: the management network is
 * 192.0.2.0/24 and 127.0.0.2 (so this test's own 127.0.0.1 is outside it), and 127.0.0.1 is the
 * trusted proxy, whose X-Forwarded-For names the client. A request from 127.0.0.2 comes straight
 * from a management address that is no proxy, so what it forwards is ignored.
 */
@Tag('integration')
@Tag('module-server')   // server has no test kit: its tier and module tags are spelled out
@MicronautTest(transactional = false)
class OperationsEndpointsSpec extends Specification implements TestPropertyProvider {
    static final String MANAGEMENT_CLIENT = '192.0.2.5'
    static final String OUTSIDE_CLIENT = '198.51.100.7'

    @Inject EmbeddedServer server

    @Override
    Map<String, String> getProperties() {
        SharedDevStack.get().properties() + ['labcommons.demo.enabled': 'true',
                                             'labcommons.operations.networks': '192.0.2.0/24,127.0.0.2/32',
                                             'labcommons.trusted-proxies': '127.0.0.1/32']
    }

    /** GET {@code path} over a socket bound to {@code from} (any 127.x address is this machine): status, headers, body. */
    Map get(String path, Map<String, String> headers = [:], String from = '127.0.0.1') {
        def socket = new Socket()
        try {
            socket.bind(new InetSocketAddress(from, 0))
            socket.connect(new InetSocketAddress('127.0.0.1', server.port), 5000)
            socket.soTimeout = 20000
            String head = "GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nConnection: close\r\n" +
                    headers.collect { k, v -> "${k}: ${v}\r\n" }.join('') + '\r\n'
            socket.outputStream.write(head.getBytes(StandardCharsets.US_ASCII))
            socket.outputStream.flush()
            String response = socket.inputStream.getText('UTF-8')
            int split = response.indexOf('\r\n\r\n')
            List<String> lines = response.substring(0, split).readLines()
            Map<String, String> answerHeaders = lines.drop(1).collectEntries { l ->
                [(l.substring(0, l.indexOf(':')).toLowerCase()): l.substring(l.indexOf(':') + 1).trim()]
            }
            String body = response.substring(split + 4)
            if (answerHeaders['transfer-encoding'] == 'chunked') {
                body = unchunk(body)
            }
            [status: lines[0].split(' ')[1] as int, headers: answerHeaders, body: body]
        } finally {
            socket.close()
        }
    }

    private static String unchunk(String chunked) {
        def out = new StringBuilder()
        int i = 0
        while (true) {
            int eol = chunked.indexOf('\r\n', i)
            int size = Integer.parseInt(chunked.substring(i, eol).split(';')[0].trim(), 16)
            if (size == 0) {
                return out.toString()
            }
            // sizes count bytes; the bodies here are ASCII
            out.append(chunked, eol + 2, eol + 2 + size)
            i = eol + 2 + size + 2
        }
    }

    Map json(Map response) {
        new JsonSlurper().parseText(response.body as String) as Map
    }

    static String token(String issuerId, String subject) {
        SharedDevStack.get().identityProvider().server().issueToken(issuerId, subject, 'labcommons').serialize()
    }

    def "an anonymous request from outside the management network gets the health status without details, and no metrics"() {
        when:
        def health = get('/health')
        def metrics = get('/prometheus')

        then:
        health.status == 200
        json(health).status == 'UP'
        !json(health).containsKey('details')
        metrics.status == 401
        metrics.headers['www-authenticate'].startsWith('Bearer')
        json(metrics).code == 'invalid_token'
        !metrics.body.contains('jvm_memory_used_bytes')
    }

    def "the probes answer everyone, with the status only"() {
        expect:
        [get('/health/liveness'), get('/health/readiness'),
         get('/health/liveness', ['X-Forwarded-For': OUTSIDE_CLIENT], '127.0.0.2')].every { it.status == 200 && json(it).status == 'UP' && !json(it).containsKey('details') }
    }

    def "a client in the management network, as the trusted proxy forwards it, gets details and metrics"() {
        when:
        def health = get('/health', ['X-Forwarded-For': MANAGEMENT_CLIENT])
        def metrics = get('/prometheus', ['X-Forwarded-For': MANAGEMENT_CLIENT])

        then:
        json(health).details.database.status == 'UP'
        metrics.status == 200
        metrics.body.contains('# TYPE jvm_memory_used_bytes gauge')
    }

    def "a client straight from a management address (no proxy) gets details and metrics"() {
        expect:
        json(get('/health', [:], '127.0.0.2')).details.database.status == 'UP'
        get('/prometheus', [:], '127.0.0.2').status == 200
    }

    def "a management address the client wrote itself does not count: left of the proxy's entry, or sent by a peer that is no proxy"() {
        expect:
        get('/prometheus', ['X-Forwarded-For': "${MANAGEMENT_CLIENT}, ${OUTSIDE_CLIENT}".toString()]).status == 401
        get('/prometheus', [Forwarded: "for=${MANAGEMENT_CLIENT}".toString()]).status == 401
    }

    def "a request relayed by a proxy nobody configured is no management client, even from a management address"() {
        expect:
        get('/prometheus', ['X-Forwarded-For': MANAGEMENT_CLIENT], '127.0.0.2').status == 401
        get('/prometheus', ['X-Forwarded-For': OUTSIDE_CLIENT], '127.0.0.2').status == 401
        !json(get('/health', ['X-Forwarded-For': OUTSIDE_CLIENT], '127.0.0.2')).containsKey('details')
    }

    def "the consortium operator's token opens details and metrics from anywhere"() {
        given:
        def operator = ['Authorization': "Bearer ${token('consortium', 'bureau-admin')}".toString()]

        when:
        def health = get('/health', operator)
        def metrics = get('/prometheus', operator)

        then:
        json(health).details.kafka.status == 'UP'
        metrics.status == 200
        metrics.body.contains('# TYPE jvm_memory_used_bytes gauge')
    }

    def "someone else's valid token is 403 on the metrics and sees no details; an invalid token is 401"() {
        when:
        def network = ['Authorization': "Bearer ${token('consortium', 'zj-network-admin')}".toString()]
        def institution = ['Authorization': "Bearer ${token('donghu', 'donghu-admin')}".toString()]
        def invalid = ['Authorization': 'Bearer not.a.token']

        then:
        get('/prometheus', network).status == 403
        get('/prometheus', institution).status == 403
        !json(get('/health', network)).containsKey('details')
        get('/prometheus', invalid).status == 401
        get('/prometheus', invalid).headers['www-authenticate'].contains('error="invalid_token"')
    }

    def "the request log carries the resolved client address, never one a client forwarded on its own"() {
        given:
        def logger = (Logger) LoggerFactory.getLogger('labcommons.access')
        def appender = new ListAppender<ILoggingEvent>()
        appender.start()
        logger.addAppender(appender)

        when:
        get('/health/liveness', ['X-Request-Id': 'client-addr-0001', 'X-Forwarded-For': "192.0.2.66, ${OUTSIDE_CLIENT}".toString()])
        get('/health/liveness', ['X-Request-Id': 'client-addr-0002', 'X-Forwarded-For': OUTSIDE_CLIENT], '127.0.0.2')

        then:
        logged(appender, 'client-addr-0001').MDCPropertyMap['clientAddress'] == OUTSIDE_CLIENT
        logged(appender, 'client-addr-0002').MDCPropertyMap['clientAddress'] == '127.0.0.2'

        cleanup:
        logger.detachAppender(appender)
    }

    private static ILoggingEvent logged(ListAppender<ILoggingEvent> appender, String requestId) {
        def event = appender.list.find { it.MDCPropertyMap['requestId'] == requestId }
        assert event != null: "no access log line for ${requestId}"
        event
    }
}

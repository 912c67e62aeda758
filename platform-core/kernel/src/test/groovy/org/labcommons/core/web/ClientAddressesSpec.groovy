package org.labcommons.core.web

import io.micronaut.http.HttpMethod
import io.micronaut.http.simple.SimpleHttpRequest
import spock.lang.Specification
import spock.lang.Tag

/**
 * The one client-address resolver: forwarding headers count only from trusted proxies, read from the
 * right; everything a client wrote itself is ignored. No HTTP server: requests are built here.
 */
@Tag('fast')
class ClientAddressesSpec extends Specification {

    static ClientAddresses resolver(List<String> trusted, String header = 'x-forwarded-for') {
        def settings = new ProxySettings()
        settings.trustedProxies = trusted
        settings.forwardedHeader = header
        new ClientAddresses(settings)
    }

    /** A request from {@code peer} with {@code headers} (a header given as a list is sent once per line). */
    static SimpleHttpRequest request(String peer, Map<String, Object> headers = [:]) {
        def r = new SimpleHttpRequest(HttpMethod.GET, '/x', null) {
            @Override
            InetSocketAddress getRemoteAddress() {
                new InetSocketAddress(InetAddress.getByName(peer), 40000)
            }
        }
        headers.each { name, value -> (value instanceof List ? value : [value]).each { r.headers.add(name, it as String) } }
        r
    }

    def "with no trusted proxies (the default) the socket's peer is the client, whatever the headers say"() {
        given:
        def clients = resolver([])

        expect:
        clients.of(request('203.0.113.7', ['X-Forwarded-For': '198.51.100.1', Forwarded: 'for=198.51.100.2'])).text() == '203.0.113.7'
        clients.resolve(request('203.0.113.7', ['X-Forwarded-For': '198.51.100.1'])) == '203.0.113.7'
    }

    def "a forwarding header from a peer that is not a trusted proxy is ignored"() {
        given:
        def clients = resolver(['10.0.0.0/8'])

        expect:
        clients.of(request('203.0.113.7', ['X-Forwarded-For': xff])).text() == '203.0.113.7'

        where:
        xff << ['198.51.100.1', '10.1.1.1', '198.51.100.1, 10.1.1.1', 'unknown']
    }

    def "behind trusted proxies the right-most address that is not a proxy is the client: #xff -> #client"() {
        given:
        def clients = resolver(['10.0.0.0/8', '192.168.1.0/24'])

        expect:
        clients.of(request('10.0.0.5', ['X-Forwarded-For': xff])).text() == client

        where:
        xff                                                  || client
        '198.51.100.1'                                       || '198.51.100.1'
        // the client sent a left-most entry of its own: the proxy appended the real peer after it
        '192.0.2.66, 198.51.100.1'                           || '198.51.100.1'
        '10.9.9.9, 198.51.100.1'                             || '198.51.100.1'
        // two proxies: the ingress appended the client, an inner proxy appended the ingress
        '198.51.100.1, 192.168.1.20'                         || '198.51.100.1'
        '192.0.2.66, 198.51.100.1, 192.168.1.20, 10.3.3.3'   || '198.51.100.1'
        // every hop a proxy: the left-most
        '10.7.7.7, 192.168.1.20'                             || '10.7.7.7'
        // an entry that is no address stops the walk at the last one known
        'garbage, 10.7.7.7'                                  || '10.7.7.7'
        'unknown'                                            || '10.0.0.5'
        'evil.example.org'                                   || '10.0.0.5'
        // ports are dropped
        '198.51.100.1:4711'                                  || '198.51.100.1'
        '[2001:db8::7]:4711'                                 || '2001:db8:0:0:0:0:0:7'
        '2001:db8::7'                                        || '2001:db8:0:0:0:0:0:7'
    }

    def "several X-Forwarded-For lines are one list, in order"() {
        given:
        def clients = resolver(['10.0.0.0/8'])

        expect:
        clients.of(request('10.0.0.5', ['X-Forwarded-For': ['192.0.2.66', '198.51.100.1, 10.2.2.2']])).text() == '198.51.100.1'
    }

    def "no forwarding header from a trusted proxy: the proxy itself is the client"() {
        expect:
        resolver(['10.0.0.0/8']).of(request('10.0.0.5')).text() == '10.0.0.5'
    }

    def "IPv6 proxies and clients"() {
        given:
        def clients = resolver(['fd00::/8', '::1/128'])

        expect:
        clients.of(request('fd12::5', ['X-Forwarded-For': '2001:db8::66, 2001:db8:1::9, fd12::7'])).text() == '2001:db8:1:0:0:0:0:9'
        clients.of(request('::1', ['X-Forwarded-For': '198.51.100.1'])).text() == '198.51.100.1'
        clients.of(request('2001:db8::5', ['X-Forwarded-For': '198.51.100.1'])).text() == '2001:db8:0:0:0:0:0:5'
    }

    def "with forwarded-header: forwarded, RFC 7239 for= is read and X-Forwarded-For ignored"() {
        given:
        def clients = resolver(['10.0.0.0/8'], 'forwarded')

        expect:
        clients.of(request('10.0.0.5', [Forwarded: forwarded, 'X-Forwarded-For': '192.0.2.99'])).text() == client

        where:
        forwarded                                                       || client
        'for=198.51.100.1;proto=https'                                  || '198.51.100.1'
        'for=192.0.2.66, for="198.51.100.1:4711";by=10.0.0.5'           || '198.51.100.1'
        'for="[2001:db8:cafe::17]:4711", For=10.4.4.4'                  || '2001:db8:cafe:0:0:0:0:17'
        'for=_hidden'                                                   || '10.0.0.5'
        'proto=https'                                                   || '10.0.0.5'
    }

    def "the answer is kept on the request: resolved once"() {
        given:
        def clients = resolver(['10.0.0.0/8'])
        def r = request('10.0.0.5', ['X-Forwarded-For': '198.51.100.1'])

        when:
        def first = clients.of(r)
        r.headers.set('X-Forwarded-For', '192.0.2.1')

        then:
        clients.of(r).is(first)
    }

    def "a setting that is not an address range is refused at start, naming the key"() {
        when:
        resolver(['10.0.0.0/8', bad])

        then:
        def e = thrown(IllegalArgumentException)
        e.message.startsWith('labcommons.trusted-proxies: ')
        e.message.contains(bad)

        where:
        bad << ['10.0.0.0/33', 'proxy.example.org', '10.0.0/8', '::1/129', '10.0.0.0/x']
    }

    def "forwarded-header must name one of the two headers"() {
        when:
        resolver([], 'x-real-ip')

        then:
        thrown(IllegalArgumentException)
    }

    def "blank entries (an empty environment variable) mean no proxies"() {
        expect:
        resolver(['', ' ']).of(request('10.0.0.5', ['X-Forwarded-For': '198.51.100.1'])).text() == '10.0.0.5'
    }

    def "address ranges: #range contains #address: #expected"() {
        expect:
        AddressRange.parse(range).contains(InetAddress.getByName(address)) == expected

        where:
        range             | address              || expected
        '10.0.0.0/8'      | '10.255.1.2'         || true
        '10.0.0.0/8'      | '11.0.0.1'           || false
        '192.168.4.0/22'  | '192.168.7.255'      || true
        '192.168.4.0/22'  | '192.168.8.0'        || false
        '203.0.113.7'     | '203.0.113.7'        || true
        '203.0.113.7'     | '203.0.113.8'        || false
        '0.0.0.0/0'       | '198.51.100.1'       || true
        '0.0.0.0/0'       | '2001:db8::1'        || false
        'fd00::/8'        | 'fdff::1'            || true
        'fd00::/8'        | 'fe00::1'            || false
        '2001:db8::/33'   | '2001:db8:7fff::1'   || true
        '2001:db8::/33'   | '2001:db8:8000::1'   || false
        '::1/128'         | '::1'                || true
        '::1/128'         | '127.0.0.1'          || false
        '::/0'            | '10.0.0.1'           || false
    }

    def "a limit counts an IPv6 client by its /64, an IPv4 client by its address"() {
        expect:
        new ClientAddress(InetAddress.getByName('2001:db8:1:2:aaaa::1')).block() == '2001:db8:1:2:0:0:0:0/64'
        new ClientAddress(InetAddress.getByName('2001:db8:1:2:ffff::9')).block() == '2001:db8:1:2:0:0:0:0/64'
        new ClientAddress(InetAddress.getByName('198.51.100.1')).block() == '198.51.100.1'
        ClientAddress.UNKNOWN.block() == 'unknown'
    }
}

package org.labcommons.core.catalog

import jakarta.inject.Inject
import org.labcommons.core.events.OutboxFixtures
import org.labcommons.core.tenancy.TenantTransactions
import org.labcommons.devstack.SharedDevStack
import org.labcommons.testkit.IsolationProbe

import java.net.http.HttpRequest
import java.net.http.HttpResponse

class InstrumentApiSpec extends TwoTenantSpec {
    @Inject TenantTransactions tenants

    static Map nmr(String asset, Map more = [:]) {
        [assetNumber: asset, nameZh: '400M核磁共振谱仪', nameEn: '400 MHz NMR spectrometer', model: 'AVANCE III HD 400',
         manufacturer: 'Bruker', countryCode: 'CH', originalValueFen: 320_000_000, purchaseDate: '2012-09-18',
         classificationCode: '010601', building: '化学楼', room: 'B105', latitude: 30.2636, longitude: 120.1236,
         status: 'in_service', purpose: 'general', ratedAnnualHours: 1600, sharingScope: 'public',
         flags: [fundSubsidised: true, benefitEvaluation: true, sharedPlatform: true, listedInCers: false, customsSupervised: true],
         services: [[nameZh: '一维氢谱', nameEn: '1D proton spectrum', sampleRequirements: '5–10 mg，溶于氘代溶剂']],
         contacts: [[name: '王老师', role: '机组负责人', phone: '0571-8800 1234', email: 'nmr@donghu.example']]] + more
    }

    Map post(String token, Map body) { f.send('POST', '/api/v1/instruments', token, json.writeValueAsString(body)) }

    def "an admin records the full instrument; it reads back with the IoT requirement and emits a catalogue event"() {
        when:
        def r = post(f.tokenA, nmr("NMR-${f.run}".toString()))

        then:
        r.status == 201
        r.body.requiresIot == true
        r.body.flags.customsSupervised == true
        r.body.services*.nameEn == ['1D proton spectrum']
        r.body.contacts*.name == ['王老师']
        r.body.version == 1

        and: 'the event reaches Kafka with the public projection and the classification path'
        def event = OutboxFixtures.await('catalogue event') {
            OutboxFixtures.readAll(SharedDevStack.get().properties()['labcommons.kafka.bootstrap'], CatalogueTopics.INSTRUMENT).find { it.key() == r.body.id }
        }
        def envelope = json.readValue(event.value(), Map)
        envelope.type == 'catalog.instrument.created'
        envelope.tenantId == f.tenantA.toString()
        envelope.payload.classificationPath*.code == ['010000', '010600', '010601']
        envelope.payload.valueBand == '1m-5m'
        envelope.payload.published == true
        !envelope.payload.containsKey('contacts')
    }

    def "policy: 500,000 RMB or more may not be private without an exemption; below 400,000 no IoT"() {
        when:
        def refused = post(f.tokenA, nmr("PRIV-${f.run}".toString(), [sharingScope: 'private']))
        def exempt = post(f.tokenA, nmr("PRIV2-${f.run}".toString(), [sharingScope: 'private', exemptionReason: 'classified']))
        def cheap = post(f.tokenA, nmr("CHEAP-${f.run}".toString(), [sharingScope: 'private', originalValueFen: 39_999_999]))

        then:
        refused.status == 400
        refused.body.errors*.field == ['exemptionReason']
        refused.body.errors[0].message.contains('500,000')
        exempt.status == 201
        cheap.status == 201
        cheap.body.requiresIot == false
    }

    def "bad input: field-level problems, in the caller's language"() {
        when:
        def r = post(f.tokenA, [assetNumber: '', nameZh: '', nameEn: 'x', originalValueFen: -5, countryCode: 'china',
                                classificationCode: '999999', latitude: 95, purchaseDate: '2999-01-01', sharingScope: 'world'])

        then:
        r.status == 400
        r.body.errors*.field.containsAll(['assetNumber', 'nameZh', 'originalValueFen', 'countryCode', 'latitude',
                                          'purchaseDate', 'sharingScope'])

        when: 'bean-valid but the code is not in the national classification'
        def unknown = post(f.tokenA, nmr("UNK-${f.run}".toString(), [classificationCode: '019999']))

        then:
        unknown.status == 400
        unknown.body.errors*.field == ['classificationCode']
        unknown.body.errors[0].message.contains('019999')
    }

    def "replace with If-Match: the first writer wins, the second gets 409; a duplicate asset number is 409"() {
        given:
        def created = post(f.tokenA, nmr("VER-${f.run}".toString())).body
        def update = { String etag, String room ->
            def b = HttpRequest.newBuilder(URI.create("http://localhost:${server.port}/api/v1/instruments/${created.id}"))
                    .header('Authorization', 'Bearer ' + f.tokenA).header('Content-Type', 'application/json')
                    .header('If-Match', etag).PUT(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(
                    nmr("VER-${f.run}".toString(), [room: room])))).build()
            def resp = f.http.send(b, HttpResponse.BodyHandlers.ofString())
            [status: resp.statusCode(), body: json.readValue(resp.body(), Map), etag: resp.headers().firstValue('ETag').orElse(null)]
        }

        when:
        def first = update('"1"', 'B201')
        def second = update('"1"', 'B202')

        then:
        first.status == 200 && first.body.version == 2 && first.etag == '"2"'
        second.status == 409 && second.body.code == 'version_conflict'
        f.send('GET', "/api/v1/instruments/${created.id}", f.tokenA).body.room == 'B201'

        when:
        def dup = post(f.tokenA, nmr("VER-${f.run}".toString()))

        then:
        dup.status == 409
        dup.body.errors*.field == ['assetNumber']
    }

    def "list: filter, sort and paginate with totals; archive removes from the list but keeps the record"() {
        given:
        String tag = "L${f.run}"
        [[v: 10_000_000, s: 'idle', c: '010101'], [v: 90_000_000, s: 'in_service', c: '010102'],
         [v: 50_000_000, s: 'in_service', c: '010301']].eachWithIndex { m, i ->
            assert post(f.tokenA, nmr("${tag}-${i}".toString(), [originalValueFen: m.v, status: m.s, classificationCode: m.c])).status == 201
        }

        when:
        def page1 = f.send('GET', "/api/v1/instruments?q=${tag.toLowerCase()}&sort=-originalValue&size=2", f.tokenA).body
        def page2 = f.send('GET', "/api/v1/instruments?q=${tag}&sort=-originalValue&size=2&page=1", f.tokenA).body
        def em = f.send('GET', "/api/v1/instruments?q=${tag}&classification=010100", f.tokenA).body
        def idle = f.send('GET', "/api/v1/instruments?q=${tag}&status=idle", f.tokenA).body
        def iot = f.send('GET', "/api/v1/instruments?q=${tag}&requiresIot=true&minValueFen=60000000", f.tokenA).body

        then:
        page1.total == 3
        page1.items*.assetNumber == ["${tag}-1", "${tag}-2"]*.toString()
        page2.items*.assetNumber == ["${tag}-0".toString()]
        em.items*.assetNumber.sort() == ["${tag}-0", "${tag}-1"]*.toString()
        idle.items*.assetNumber == ["${tag}-0".toString()]
        iot.items*.assetNumber == ["${tag}-1".toString()]

        when:
        def archived = f.send('DELETE', "/api/v1/instruments/${page1.items[0].id}", f.tokenA)

        then:
        archived.status == 200
        archived.body.archivedAt != null
        f.send('GET', "/api/v1/instruments?q=${tag}", f.tokenA).body.total == 2
        f.send('GET', "/api/v1/instruments?q=${tag}&includeArchived=true", f.tokenA).body.total == 3

        when: 'a bad sort or page size is a field problem'
        def bad = f.send('GET', '/api/v1/instruments?sort=password&size=1000', f.tokenA)

        then:
        bad.status == 400
        bad.body.errors*.field.containsAll(['sort', 'size'])
    }

    def "documents: a PDF is stored and served as an attachment; other types and oversized files are refused"() {
        given:
        def id = post(f.tokenA, nmr("DOC-${f.run}".toString())).body.id

        when:
        def ok = upload(id, 'manual.pdf', '%PDF-1.4\n1 0 obj\n'.bytes)
        def html = upload(id, 'evil.html', '<script>alert(1)</script>'.bytes)
        def big = upload(id, 'big.pdf', ('%PDF-' + ('x' * (11 * 1024 * 1024))).bytes)
        def doc = f.http.send(HttpRequest.newBuilder(URI.create("http://localhost:${server.port}/api/v1/instruments/${id}/documents/${ok.body.id}"))
                .header('Authorization', 'Bearer ' + f.tokenA).build(), HttpResponse.BodyHandlers.ofByteArray())

        then:
        ok.status == 201
        ok.body.contentType == 'application/pdf'
        html.status == 400
        html.body.errors*.code == ['unsupported_type']
        big.status == 413
        doc.statusCode() == 200
        doc.headers().firstValue('Content-Disposition').get().startsWith('attachment')
        new String(doc.body()).startsWith('%PDF-1.4')
        f.send('GET', "/api/v1/instruments/${id}", f.tokenA).body.documents*.fileName == ['manual.pdf']
    }

    Map upload(String id, String name, byte[] bytes) {
        String boundary = 'lcboundary' + UUID.randomUUID().toString().replace('-', '')
        def out = new ByteArrayOutputStream()
        out << "--${boundary}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nmanual\r\n".toString().bytes
        out << "--${boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"${name}\"\r\nContent-Type: application/octet-stream\r\n\r\n".toString().bytes
        out << bytes
        out << "\r\n--${boundary}--\r\n".toString().bytes
        def r = f.http.send(HttpRequest.newBuilder(URI.create("http://localhost:${server.port}/api/v1/instruments/${id}/documents"))
                .header('Authorization', 'Bearer ' + f.tokenA).header('Accept-Language', 'en')
                .header('Content-Type', "multipart/form-data; boundary=${boundary}".toString())
                .POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray())).build(), HttpResponse.BodyHandlers.ofString())
        [status: r.statusCode(), body: r.body() ? json.readValue(r.body(), Map) : [:]]
    }

    def "public catalogue: visitors see public entries only; a member of another tenant sees consortium entries too"() {
        given:
        def slugA = 'iso-a-' + f.run
        ['public', 'consortium', 'tenant', 'private'].each { scope ->
            assert post(f.tokenA, nmr("PUB-${scope}-${f.run}".toString(), [sharingScope: scope, exemptionReason: scope == 'private' ? 'special_purpose' : null])).status == 201
        }
        def visible = { String token ->
            def b = HttpRequest.newBuilder(URI.create("http://localhost:${server.port}/api/v1/public/tenants/${slugA}/instruments?q=pub-&size=50"))
            if (token) { b.header('Authorization', 'Bearer ' + token) }
            json.readValue(f.http.send(b.build(), HttpResponse.BodyHandlers.ofString()).body(), Map).items*.sharingScope.sort()
        }

        expect:
        visible(null) == ['public']
        visible(f.tokenB) == ['consortium', 'public']
        visible(f.tokenA) == ['consortium', 'public', 'tenant']
    }

    def "tenant B reaches none of tenant A's instruments through any endpoint"() {
        given:
        def a1 = post(f.tokenA, nmr("ISO-1-${f.run}".toString(), [sharingScope: 'tenant'])).body
        def a2 = post(f.tokenA, nmr("ISO-2-${f.run}".toString(), [sharingScope: 'private', exemptionReason: 'classified'])).body
        def snapshotOfA = { f.send('GET', "/api/v1/instruments?q=iso-&size=100&includeArchived=true", f.tokenA).body.items.collect { [it.id, it.room, it.version, it.archivedAt] } }
        def body = json.writeValueAsString(nmr("ISO-X-${f.run}".toString(), [orgUnitId: '{id}']))

        when:
        def report = IsolationProbe.against("http://localhost:${server.port}", [Authorization: 'Bearer ' + f.tokenB, 'Accept-Language': 'en'])
                .probe('GET', '/api/v1/instruments/{id}')
                .probe('PUT', '/api/v1/instruments/{id}', json.writeValueAsString(nmr("ISO-1-${f.run}".toString(), [room: 'HACKED'])))
                .probe('DELETE', '/api/v1/instruments/{id}')
                .probe('GET', '/api/v1/instruments?orgUnitId={id}')
                .probe('POST', '/api/v1/instruments', body)
                .probe('PUT', '/api/v1/instruments/{id}', json.writeValueAsString(nmr("ISO-1-${f.run}".toString(),
                        [prices: [[rateGroup: 'internal', unit: 'hour', amountFen: 1]]])))
                .probe('POST', '/api/v1/instruments', json.writeValueAsString(nmr("ISO-P-${f.run}".toString(),
                        [services: [[id: '{id}', nameZh: '氢谱', nameEn: '1H']],
                         prices: [[serviceId: '{id}', rateGroup: 'internal', unit: 'sample', amountFen: 1]]])))
                .probe('GET', '/api/v1/instruments/{id}/documents/{id}')
                .probe('DELETE', '/api/v1/instruments/{id}/documents/{id}')
                .probe('GET', "/api/v1/public/tenants/iso-a-${f.run}/instruments/{id}".toString())
                .run([a1.id as String, a2.id as String], snapshotOfA)
        println "isolation probe (instruments): ${report.probesMade()} probes, ${report.leaks().size()} leaks"

        then:
        report.leaks() == []
        !report.dataOfOwnerChanged()
        report.outcomes().every { it.foreignStatus() in [400, 404] || it.probe().path().contains('orgUnitId=') }
    }
}

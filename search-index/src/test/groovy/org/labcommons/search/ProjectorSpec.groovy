package org.labcommons.search

import io.micronaut.json.JsonMapper
import jakarta.inject.Inject
import org.apache.kafka.clients.consumer.ConsumerRecord
import org.apache.kafka.common.header.internals.RecordHeaders
import org.labcommons.core.events.Outbox
import org.labcommons.testkit.PlatformSpec
import spock.lang.Shared

import java.nio.charset.StandardCharsets
import java.time.Instant

/**
 * The projector keeps the index in step with the catalogue: a change made through the API is
 * searchable within moments; renames, unpublishing and archiving take effect; redelivered and
 * out-of-order events never let an older version win; a record with a forged tenant header is
 * refused; a suspended tenant's entries disappear and come back on reactivation; a rebuild swaps
 * the alias without losing anything.
 */
class ProjectorSpec extends PlatformSpec {
    @Inject JsonMapper json
    @Inject InstrumentProjector projector
    @Inject InstrumentIndex index
    @Inject Outbox outbox
    @Shared SearchFixture f

    def setup() {
        if (f == null) {
            f = new SearchFixture(ctx)
        }
    }

    private List<String> idsFor(String token, String q) {
        f.search(token, [q: q, size: 50]).body.items*.id
    }

    def "a created instrument is searchable moments after the commit; a rename, unpublishing and archiving follow"() {
        given:
        String marker = "zq${f.run}alpha"

        when: 'created through the API'
        long t0 = System.nanoTime()
        def rec = f.create(f.adminA, [assetNumber: "P-${f.run}-1", nameZh: "透射电子显微镜${marker}", nameEn: "Transmission electron microscope ${marker}"])
        long ms = SearchFixture.eventually { idsFor(null, marker) == [rec.id] }
        println "created → searchable: ${ms} ms (from the API answer; ${(System.nanoTime() - t0) / 1_000_000 as long} ms from the request)"

        then:
        ms < 10_000

        when: 'renamed'
        String renamed = "zq${f.run}beta"
        rec = f.replace(f.adminA, rec, [nameEn: "Transmission electron microscope ${renamed}", nameZh: "透射电镜${renamed}"])
        SearchFixture.eventually { idsFor(null, renamed) == [rec.id] }

        then: 'the old name no longer finds it'
        idsFor(null, marker).isEmpty()

        when: 'unpublished (kept inside the tenant)'
        rec = f.replace(f.adminA, rec, [sharingScope: 'tenant'])
        SearchFixture.eventually { idsFor(f.adminA, renamed).isEmpty() }

        then: 'gone for everyone, its owner included (the tenant view is the catalogue, not the consortium search)'
        idsFor(null, renamed).isEmpty()
        idsFor(f.adminB, renamed).isEmpty()

        when: 'published again, then archived'
        rec = f.replace(f.adminA, rec, [sharingScope: 'public'])
        SearchFixture.eventually { idsFor(null, renamed) == [rec.id] }
        assert f.send('DELETE', "/api/v1/instruments/${rec.id}", f.adminA).status in [200, 204]

        then:
        SearchFixture.eventually { idsFor(null, renamed).isEmpty() } >= 0
    }

    private ConsumerRecord<String, String> record(String topic, UUID tenant, String aggregateId, long version, Map payload,
                                                  String headerTenant = tenant.toString(), String type = 'catalog.instrument.updated') {
        def envelope = [eventId: UUID.randomUUID().toString(), type: type, schemaVersion: 1, tenantId: tenant.toString(),
                        aggregateType: 'instrument', aggregateId: aggregateId, aggregateVersion: version,
                        occurredAt: Instant.now().toString(), payload: payload]
        def headers = new RecordHeaders()
        headers.add('tenant-id', headerTenant.getBytes(StandardCharsets.UTF_8))
        new ConsumerRecord<String, String>(topic, 0, 0L, 0L, org.apache.kafka.common.record.TimestampType.CREATE_TIME, 0, 0,
                aggregateId, json.writeValueAsString(envelope), headers, Optional.empty())
    }

    private Map payload(String id, UUID tenant, String name, boolean published = true) {
        [id: id, tenantId: tenant.toString(), assetNumber: "X-${id.substring(0, 8)}".toString(), nameZh: name, nameEn: name,
         sharingScope: published ? 'public' : 'private', published: published, archived: false, status: 'in_service',
         valueBand: '100k-400k', classificationPath: [], services: [], originalValueFen: 30_000_000L]
    }

    def "redelivered and out-of-order events never let an older version win; a withdrawn record stays withdrawn"() {
        given:
        String id = UUID.randomUUID().toString()
        String v2 = "zq${f.run}vtwo"
        String v3 = "zq${f.run}vthree"

        when: 'version 3 arrives before version 2, then version 2 again'
        projector.apply([record('catalog.instrument.v1', f.b.value(), id, 3, payload(id, f.b.value(), v3))])
        projector.apply([record('catalog.instrument.v1', f.b.value(), id, 2, payload(id, f.b.value(), v2))])
        projector.apply([record('catalog.instrument.v1', f.b.value(), id, 2, payload(id, f.b.value(), v2)),
                         record('catalog.instrument.v1', f.b.value(), id, 3, payload(id, f.b.value(), v3))])
        index.refresh()

        then:
        idsFor(null, v3) == [id]
        idsFor(null, v2).isEmpty()

        when: 'version 4 withdraws it; a late version 3 comes again'
        projector.apply([record('catalog.instrument.v1', f.b.value(), id, 4, payload(id, f.b.value(), v3, false))])
        projector.apply([record('catalog.instrument.v1', f.b.value(), id, 3, payload(id, f.b.value(), v3))])
        index.refresh()

        then:
        idsFor(null, v3).isEmpty()
    }

    def "a record whose tenant header, envelope and payload disagree is refused and indexes nothing"() {
        given:
        String id = UUID.randomUUID().toString()
        String forged = "zq${f.run}forged"
        long before = projector.refused()

        when: "B's instrument in an envelope claiming tenant A, or A's header on B's envelope"
        projector.apply([record('catalog.instrument.v1', f.a.value(), id, 1, payload(id, f.b.value(), forged)),
                         record('catalog.instrument.v1', f.b.value(), id, 1, payload(id, f.b.value(), forged), f.a.value().toString()),
                         new ConsumerRecord<String, String>('catalog.instrument.v1', 0, 0L, id, 'not json')])
        index.refresh()

        then:
        projector.refused() - before == 3
        idsFor(null, forged).isEmpty()
    }

    def "a suspended tenant's entries disappear from search and return on reactivation"() {
        given:
        String marker = "zq${f.run}suspend"
        def rec = f.create(f.adminC, [assetNumber: "P-${f.run}-S", nameZh: "核磁共振波谱仪${marker}", nameEn: "NMR spectrometer ${marker}"])
        SearchFixture.eventually { idsFor(null, marker) == [rec.id] }

        when: 'C is suspended (registry change and lifecycle event in one transaction, as tenant-admin does)'
        f.lifecycle(f.c, 'suspended', outbox)

        then:
        SearchFixture.eventually { idsFor(null, marker).isEmpty() && idsFor(f.adminA, marker).isEmpty() } >= 0

        when:
        f.lifecycle(f.c, 'active', outbox)

        then:
        SearchFixture.eventually { idsFor(null, marker) == [rec.id] } >= 0
    }

    def "a rebuild makes a new index, swaps the alias and keeps every visible entry"() {
        given:
        String marker = "zq${f.run}rebuild"
        def rec = f.create(f.adminB, [assetNumber: "P-${f.run}-R", nameZh: "X射线衍射仪${marker}", nameEn: "X-ray diffractometer ${marker}"])
        SearchFixture.eventually { idsFor(null, marker) == [rec.id] }
        long before = f.search(null, [size: 1]).body.total as long

        when:
        def rebuild = index.reindexAll()

        then:
        rebuild.index().startsWith(index.alias() + '-v')
        rebuild.visible() >= before
        idsFor(null, marker) == [rec.id]
        f.search(null, [size: 1]).body.total as long == before
    }
}

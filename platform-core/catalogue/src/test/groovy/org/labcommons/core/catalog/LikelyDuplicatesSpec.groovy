package org.labcommons.core.catalog

import jakarta.inject.Inject
import org.labcommons.core.tenancy.TenantId
import org.labcommons.core.tenancy.TenantTransactions
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld
import spock.lang.Shared

import java.sql.Connection

/**
 * The duplicate rules of {@link LikelyDuplicates} on a register as real institutions keep them: identical
 * instruments in different rooms, numbered units in one room, one instrument entered twice under a
 * slightly different name, full-width punctuation and letters; the same record in another institution is
 * never a duplicate; the import's rows against the catalogue and against each other; and a page of a
 * 5,000-record catalogue asked quickly.
 */
class LikelyDuplicatesSpec extends PlatformSpec {

    @Inject LikelyDuplicates duplicates
    @Inject TenantTransactions tenants

    @Shared TenantWorld world
    @Shared TenantId a, b

    def setup() {
        if (world != null) {
            return
        }
        world = TenantWorld.build(ctx) {
            institution('dup-a') {
                // three identical centrifuges in three rooms: three instruments
                instrument('C1', body: at('高速冷冻离心机', 'High-speed refrigerated centrifuge', 'Avanti JXN-26', '生命楼', '301'))
                instrument('C2', body: at('高速冷冻离心机', 'High-speed refrigerated centrifuge', 'Avanti JXN-26', '生命楼', '302'))
                instrument('C3', body: at('高速冷冻离心机', 'High-speed refrigerated centrifuge', 'Avanti JXN-26', '生命楼', '303'))
                // one NMR entered twice: a shorter name, the model typed full-width with an ideographic space
                instrument('N1', body: at('核磁共振波谱仪', 'NMR spectrometer', 'AVANCE III 400', '化学楼', 'B101'))
                instrument('N2', body: at('核磁共振谱仪', 'Bruker NMR', 'ＡＶＡＮＣＥ　III　400', '化学楼', 'Ｂ101'))
                // one TEM entered twice, full-width and ASCII brackets, no model or place known
                instrument('T1', body: at('透射电子显微镜（场发射）', 'Field-emission TEM', null, null, null))
                instrument('T2', body: at('透射电子显微镜(场发射)。', 'TEM, field emission', null, null, null))
                // numbered units of one model in one room: two instruments
                instrument('L1', body: at('台式离心机1号', 'Bench centrifuge no. 1', '5424R', '生命楼', '201'))
                instrument('L2', body: at('台式离心机2号', 'Bench centrifuge no. 2', '5424R', '生命楼', '201'))
                // the same name, two different models: two instruments
                instrument('X1', body: at('X射线衍射仪', 'X-ray diffractometer', 'D8 Advance', null, null))
                instrument('X2', body: at('X射线衍射仪', 'X-ray diffractometer', 'SmartLab', null, null))
                // same model in the same room under different names: one instrument
                instrument('M1', body: at('Eppendorf 冷冻离心机', 'Eppendorf centrifuge', '5430 R', '生命楼', '205'))
                instrument('M2', body: at('小型高速离心机', 'Microcentrifuge', '5430R', '生命楼', '205'))
            }
            // the same centrifuge as C1, in another institution
            institution('dup-b') {
                instrument('B1', body: at('高速冷冻离心机', 'High-speed refrigerated centrifuge', 'Avanti JXN-26', '生命楼', '301'))
            }
        }
        a = new TenantId(world.tenant('dup-a').id)
        b = new TenantId(world.tenant('dup-b').id)
    }

    private static Map at(String nameZh, String nameEn, String model, String building, String room) {
        [nameZh: nameZh, nameEn: nameEn, model: model, building: building, room: room]
    }

    private UUID id(String name) {
        UUID.fromString(world.instrument(name).id as String)
    }

    private Map<String, List<String>> flagged(TenantId tenant, List<String> names) {
        Map<UUID, String> byId = names.collectEntries { [(id(it)): it] }
        Map<String, List<String>> out = [:]
        duplicates.of(tenant, byId.keySet()).each { UUID subject, List<LikelyDuplicates.Duplicate> found ->
            out[byId[subject]] = found.collect { d -> world.instruments.find { k, v -> v.id == d.id().toString() }?.key ?: d.assetNumber() }
        }
        out
    }

    def "identical instruments of one model in different rooms are not duplicates"() {
        expect:
        flagged(a, ['C1', 'C2', 'C3']) == [:]
    }

    def "the same model at the same place under a shorter name, typed full-width, is one instrument"() {
        when:
        def found = duplicates.of(a, [id('N1'), id('N2')])

        then:
        found[id('N1')]*.id() == [id('N2')]
        found[id('N2')]*.id() == [id('N1')]
        found[id('N1')]*.reason() == ['model_location']
        found[id('N1')][0].assetNumber() == world.instrument('N2').assetNumber
    }

    def "Chinese names that differ only in full-width or ASCII punctuation are one instrument"() {
        when:
        def found = duplicates.of(a, [id('T1'), id('T2')])

        then:
        found[id('T1')]*.id() == [id('T2')]
        found[id('T2')]*.id() == [id('T1')]
        found[id('T1')]*.reason() == ['name']
    }

    def "numbered units in one room, and one name on two models, are separate instruments"() {
        expect:
        flagged(a, ['L1', 'L2', 'X1', 'X2']) == [:]
    }

    def "the same model in the same room is one instrument whatever its names"() {
        expect:
        flagged(a, ['M1', 'M2']) == [M1: ['M2'], M2: ['M1']]
    }

    def "an identical record in another institution is never a duplicate (tenant isolation)"() {
        expect: 'B1 matches C1 field for field, but each tenant sees only its own records'
        flagged(b, ['B1']) == [:]
        !flagged(a, ['C1', 'C2', 'C3', 'N1', 'T1', 'L1', 'X1', 'M1']).values().flatten().contains('B1')

        and: "asked in B's transaction about A's records, the store finds nothing at all"
        duplicates.of(b, [id('N1'), id('T1')]) == [:]
    }

    def "an archived record is neither a duplicate nor has one"() {
        given:
        TenantWorld.inTenant(world.tenant('dup-a').id as UUID, { Connection c ->
            c.createStatement().executeUpdate("update instrument set archived_at = now() where id = '${id('M2')}'")
        })

        expect:
        flagged(a, ['M1', 'M2']) == [:]

        cleanup:
        TenantWorld.inTenant(world.tenant('dup-a').id as UUID, { Connection c ->
            c.createStatement().executeUpdate("update instrument set archived_at = null where id = '${id('M2')}'")
        })
    }

    def "rows of a file are flagged against the catalogue and against each other, not against the record they update"() {
        given:
        def rows = [
                // C1's asset number: this row updates C1, it is no duplicate of it
                new LikelyDuplicates.Candidate(2, world.instrument('C1').assetNumber as String, '高速冷冻离心机', 'Centrifuge', 'Avanti JXN-26', '生命楼', '301'),
                // a new asset number for the NMR already registered as N1 (full-width brackets and spaces)
                new LikelyDuplicates.Candidate(3, 'NEW-3', '核磁共振波谱仪（400 MHz）', 'NMR', 'AVANCE III 400', '化学楼', 'B101'),
                // two rows of the file for one AFM
                new LikelyDuplicates.Candidate(4, 'NEW-4', '原子力显微镜', 'AFM', 'Dimension Icon', '物理楼', '110'),
                new LikelyDuplicates.Candidate(5, 'NEW-5', '原子力显微镜', 'Atomic force microscope', 'Dimension Icon', '物理楼', '110'),
                // a fourth identical centrifuge, in a room of its own
                new LikelyDuplicates.Candidate(6, 'NEW-6', '高速冷冻离心机', 'Centrifuge', 'Avanti JXN-26', '生命楼', '304'),
        ]

        when:
        def found = duplicates.ofRows(a, rows)

        then:
        found.keySet() == [3, 4, 5] as Set
        found[3]*.id() as Set == [id('N1'), id('N2')] as Set
        found[3]*.otherRow() == [null, null]
        found[4]*.otherRow() == [5]
        found[4][0].id() == null
        found[5]*.otherRow() == [4]

        and: "in tenant B the same rows meet B's catalogue only: row 2 names no record of B, and B1 is its twin"
        def inB = duplicates.ofRows(b, rows)
        inB.keySet() == [2, 4, 5] as Set
        inB[2]*.assetNumber() == [world.instrument('B1').assetNumber]
    }

    def "a page of a 5,000-record catalogue is checked in well under a second"() {
        given: 'a tenant with 5,000 instruments: fifty kinds, many of one model, numbered, in a hundred rooms'
        def big = TenantWorld.build(ctx) { institution('dup-big') }
        def tenant = new TenantId(big.tenant('dup-big').id)
        TenantWorld.inTenant(big.tenant('dup-big').id as UUID, { Connection c ->
            c.createStatement().executeUpdate("""
                insert into instrument (tenant_id, id, asset_number, name_zh, name_en, model, building, room, original_value_fen)
                select app_tenant(), gen_random_uuid(), 'BIG-' || g, '仪器类型' || (g % 50) || '型 ' || g || '号',
                       'Instrument kind ' || (g % 50) || ' no. ' || g, 'Model-' || (g % 50), '楼' || (g % 10), 'R' || (g % 100), 100000
                from generate_series(1, 5000) g""")
            c.createStatement().executeUpdate("""
                insert into instrument (tenant_id, id, asset_number, name_zh, name_en, model, building, room, original_value_fen)
                values (app_tenant(), gen_random_uuid(), 'BIG-TWIN', '仪器类型7型 7号', 'Instrument kind 7 no. 7', 'Model-7', '楼7', 'R7', 100000)""")
        })
        List<UUID> page = tenants.inTenant(tenant) { Connection c ->
            def rs = c.createStatement().executeQuery("select id from instrument where asset_number in ('BIG-7', 'BIG-8', 'BIG-9', 'BIG-10', 'BIG-11', 'BIG-12', 'BIG-13', 'BIG-14', 'BIG-15', 'BIG-16', 'BIG-17', 'BIG-18', 'BIG-19', 'BIG-20', 'BIG-21', 'BIG-22', 'BIG-23', 'BIG-24', 'BIG-25', 'BIG-26') order by asset_number")
            def ids = []
            while (rs.next()) { ids << (rs.getObject(1) as UUID) }
            ids
        }
        duplicates.of(tenant, page)   // warm up

        when:
        long started = System.nanoTime()
        def found = duplicates.of(tenant, page)
        long millis = (System.nanoTime() - started).intdiv(1_000_000)

        then: 'only BIG-7 has a twin, and the page took well under a second'
        found.size() == 1
        found.values().first()*.assetNumber() == ['BIG-TWIN']
        millis < 1000
    }
}

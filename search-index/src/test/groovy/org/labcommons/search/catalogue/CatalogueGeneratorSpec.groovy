package org.labcommons.search.catalogue

import io.micronaut.transaction.TransactionOperations
import jakarta.inject.Inject
import org.labcommons.core.tenancy.TenantId
import org.labcommons.core.tenancy.TenantTransactions

import org.labcommons.testkit.PlatformSpec
import java.sql.Connection

/** The generated catalogue is reproducible, realistic in its mix, and valid under the schema's rules. */
class CatalogueGeneratorSpec extends PlatformSpec {

    @Inject TransactionOperations<Connection> transactions
    @Inject TenantTransactions tenantTransactions

    def "the same seed gives the same catalogue, another seed a different one"() {
        given:
        def a = new CatalogueGenerator(42, 'gena')
        def b = new CatalogueGenerator(42, 'gena')
        def c = new CatalogueGenerator(43, 'gena')
        def ta = a.tenants(20), tb = b.tenants(20), tc = c.tenants(20)
        def ia = a.instruments(ta.find { it.index == 0 }, 300)
        def ib = b.instruments(tb.find { it.index == 0 }, 300)
        def ic = c.instruments(tc.find { it.index == 0 }, 300)

        expect:
        ta*.nameZh == tb*.nameZh
        ia.collect { [it.id, it.nameZh, it.nameEn, it.model.model, it.valueFen, it.scope, it.services*.zh] } ==
                ib.collect { [it.id, it.nameZh, it.nameEn, it.model.model, it.valueFen, it.scope, it.services*.zh] }
        ia*.nameZh != ic*.nameZh
    }

    def "every type names real models, a classification code that exists, values in its range and services"() {
        given:
        Set<String> codes = transactions.executeRead { status ->
            def rs = status.connection.createStatement().executeQuery('select code from instrument_class')
            def out = [] as Set
            while (rs.next()) { out << rs.getString(1) }
            out
        }

        expect:
        InstrumentTypes.ALL.size() >= 40
        InstrumentTypes.ALL*.key.toSet().size() == InstrumentTypes.ALL.size()
        InstrumentTypes.ALL.every { t -> t.models.every { codes.contains(it.code) && codes.contains(it.code.substring(0, 4) + '00') } }
        InstrumentTypes.ALL.every { t -> t.models.every { it.minYuan >= 100_000 && it.maxYuan > it.minYuan } }
        InstrumentTypes.ALL.every { t -> t.models.every { m -> t.servicesFor(m) } }
        InstrumentTypes.BY_KEY.nmr.servicesFor(InstrumentTypes.BY_KEY.nmr.models.find { it.model == 'AVANCE III HD 400' })*.zh ==
                ['一维氢谱', '碳谱', '二维谱', '氟谱磷谱', '变温实验']
        InstrumentTypes.BY_KEY.nmr.servicesFor(InstrumentTypes.BY_KEY.nmr.models.find { it.model == 'AVANCE NEO 600 WB' })*.zh ==
                ['变温实验', '固体核磁魔角旋转']
    }

    def "a catalogue of 20 institutions loads under row level security, with the intended mix of scopes"() {
        given:
        def generator = new CatalogueGenerator(7, 'gen' + UUID.randomUUID().toString().substring(0, 6))
        def loader = new CatalogueLoader(transactions, tenantTransactions)

        when:
        def catalogue = loader.load(generator, 20, 2000)
        def institutions = catalogue.institutions()
        Map<String, Long> stored = institutions.collectEntries { t ->
            [(t.slug): tenantTransactions.inTenant(new TenantId(t.id)) { Connection c ->
                def rs = c.createStatement().executeQuery('select count(*) from instrument')
                rs.next()
                rs.getLong(1)
            }]
        }
        long services = tenantTransactions.inTenant(new TenantId(institutions[0].id)) { Connection c ->
            def rs = c.createStatement().executeQuery('select count(*) from instrument_service')
            rs.next()
            rs.getLong(1)
        }
        def byScope = catalogue.instruments.countBy { it.scope }
        def visible = catalogue.visibleToVisitor()

        then:
        catalogue.instruments.size() == 2000
        stored.values().sum() == 2000
        stored[institutions[0].slug] > stored[institutions[19].slug]
        services >= stored[institutions[0].slug]
        catalogue.tenants.count { it.kind == 'network' } >= 8
        institutions.count { !it.active() } == 1
        byScope.public > 1000 && byScope.consortium > 150 && byScope.network > 100 && byScope.tenant > 150 && byScope.private > 60
        visible.size() > 900 && visible.size() < 1200
        catalogue.instruments*.type.key.toSet().size() >= InstrumentTypes.ALL.size() - 3 // the rarest may be missing from 2,000
        println "loaded 2000 instruments over 20 institutions in ${catalogue.loadMillis} ms; by scope ${byScope}; visible to visitors ${visible.size()}"
    }
}

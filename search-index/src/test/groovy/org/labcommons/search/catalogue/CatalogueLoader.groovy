package org.labcommons.search.catalogue

import groovy.transform.CompileStatic
import io.micronaut.transaction.TransactionOperations
import io.micronaut.transaction.TransactionStatus
import org.labcommons.core.tenancy.TenantId
import org.labcommons.core.tenancy.TenantTransactions
import org.labcommons.search.catalogue.CatalogueGenerator.GeneratedInstrument
import org.labcommons.search.catalogue.CatalogueGenerator.GeneratedTenant

import java.sql.Connection
import java.sql.Date
import java.sql.PreparedStatement
import java.sql.Types

/**
 * Writes a generated catalogue straight into PostgreSQL with batched SQL: the tenant registry in
 * one transaction, then each institution's org units, rate groups, instruments, services (and
 * machine-time prices, where the schema has {@code instrument_price}) in transactions bound to
 * that institution ({@link TenantTransactions#inTenant}), as row level security demands. No
 * events are written: the index is rebuilt from PostgreSQL afterwards ({@code reindexAll}).
 */
@CompileStatic
class CatalogueLoader {
    /** Instruments per tenant-bound transaction. */
    static final int CHUNK = 2000
    static final List<String> RATE_GROUPS = ['internal', 'consortium', 'external']
    static final List<Double> RATE_FACTORS = [1d, 1.5d, 2.5d]

    private final TransactionOperations<Connection> transactions
    private final TenantTransactions tenantTransactions

    CatalogueLoader(TransactionOperations<Connection> transactions, TenantTransactions tenantTransactions) {
        this.transactions = transactions
        this.tenantTransactions = tenantTransactions
    }

    @CompileStatic
    static class Catalogue {
        final CatalogueGenerator generator
        final List<GeneratedTenant> tenants
        final List<GeneratedInstrument> instruments
        final Map<String, GeneratedInstrument> byId
        final long loadMillis

        Catalogue(CatalogueGenerator generator, List<GeneratedTenant> tenants, List<GeneratedInstrument> instruments, long loadMillis) {
            this.generator = generator
            this.tenants = tenants
            this.instruments = instruments
            this.loadMillis = loadMillis
            this.byId = instruments.collectEntries { [(it.id.toString()): it] } as Map<String, GeneratedInstrument>
        }

        List<GeneratedTenant> institutions() { tenants.findAll { it.kind == 'institution' } }

        List<GeneratedInstrument> visibleToVisitor() { instruments.findAll { it.visibleToVisitor() } }
    }

    /**
     * Generates and inserts {@code instruments} instruments over {@code institutions} institutions.
     * {@code progress} (optional) is told each institution's index and instrument count as it is written.
     */
    Catalogue load(CatalogueGenerator generator, int institutions, int instruments, Closure progress = null) {
        long started = System.nanoTime()
        List<GeneratedTenant> tenants = generator.tenants(institutions)
        insertTenants(tenants)
        boolean prices = hasPrices()
        List<Integer> counts = CatalogueGenerator.counts(institutions, instruments)
        List<GeneratedInstrument> all = new ArrayList<>(instruments)
        for (GeneratedTenant t : tenants.findAll { it.kind == 'institution' }) {
            List<GeneratedInstrument> generated = generator.instruments(t, counts[t.index])
            insertInstitution(generator, t, generated, prices)
            all.addAll(generated)
            if (progress != null) {
                progress.call(t.index, generated.size())
            }
        }
        new Catalogue(generator, tenants, all, (System.nanoTime() - started).intdiv(1_000_000L) as long)
    }

    private boolean hasPrices() {
        transactions.executeRead { TransactionStatus<Connection> status ->
            def rs = status.connection.createStatement().executeQuery("select to_regclass('public.instrument_price') is not null")
            rs.next()
            rs.getBoolean(1)
        }
    }

    private void insertTenants(List<GeneratedTenant> tenants) {
        transactions.executeWrite { TransactionStatus<Connection> status ->
            Connection c = status.connection
            PreparedStatement ps = c.prepareStatement('insert into tenant (id, slug, kind, name_zh, name_en, parent_id, ' +
                    'region_code, status, status_changed_at, status_reason) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
            try {
                for (GeneratedTenant t : tenants) {
                    ps.setObject(1, t.id)
                    ps.setString(2, t.slug)
                    ps.setString(3, t.kind)
                    ps.setString(4, t.nameZh)
                    ps.setString(5, t.nameEn)
                    ps.setObject(6, t.parentId)
                    ps.setString(7, t.regionCode)
                    ps.setString(8, t.status)
                    ps.setObject(9, t.active() ? null : java.time.OffsetDateTime.now())
                    ps.setString(10, t.active() ? null : 'generated catalogue: a suspended member')
                    ps.addBatch()
                }
                ps.executeBatch()
            } finally {
                ps.close()
            }
            null
        }
    }

    private void insertInstitution(CatalogueGenerator generator, GeneratedTenant t, List<GeneratedInstrument> instruments, boolean prices) {
        TenantId tenant = new TenantId(t.id)
        tenantTransactions.inTenant(tenant) { Connection c ->
            PreparedStatement units = c.prepareStatement('insert into org_unit (tenant_id, id, kind, code, name_zh, name_en, ' +
                    'platform_level, management_mode) values (?, ?, ?, ?, ?, ?, ?, ?)')
            for (String code : t.units) {
                List<Object> u = Places.UNITS[code]
                units.setObject(1, t.id)
                units.setObject(2, unitId(generator, t, code))
                units.setString(3, (String) u[0])
                units.setString(4, code)
                units.setString(5, (String) u[1])
                units.setString(6, (String) u[2])
                units.setObject(7, u[3], Types.SMALLINT)
                units.setString(8, (String) u[4])
                units.addBatch()
            }
            units.executeBatch()
            units.close()
            PreparedStatement groups = c.prepareStatement('insert into rate_group (tenant_id, id, code, name_zh, name_en) values (?, ?, ?, ?, ?)')
            [['internal', '校内用户', 'Internal users'], ['consortium', '联盟成员单位用户', 'Consortium member users'],
             ['external', '校外用户', 'External users']].each { List<String> g ->
                groups.setObject(1, t.id)
                groups.setObject(2, generator.id('rate-group', String.valueOf(t.index), g[0]))
                groups.setString(3, g[0])
                groups.setString(4, g[1])
                groups.setString(5, g[2])
                groups.addBatch()
            }
            groups.executeBatch()
            groups.close()
            null
        }
        for (List<GeneratedInstrument> chunk : instruments.collate(CHUNK)) {
            tenantTransactions.inTenant(tenant) { Connection c ->
                insertInstruments(c, generator, t, chunk, prices)
                null
            }
        }
    }

    private static void insertInstruments(Connection c, CatalogueGenerator generator, GeneratedTenant t,
                                          List<GeneratedInstrument> chunk, boolean prices) {
        PreparedStatement ps = c.prepareStatement('insert into instrument (tenant_id, id, asset_number, name_zh, name_en, ' +
                'model, manufacturer, country_code, original_value_fen, purchase_date, classification_code, org_unit_id, ' +
                'building, room, latitude, longitude, status, sharing_scope, purpose, rated_annual_hours, fund_subsidised, ' +
                'benefit_evaluation, shared_platform, listed_in_cers, customs_supervised, exemption_reason, description_zh, ' +
                'description_en, archived_at, last_verified_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ' +
                '?, ?, ?, ?, ?, ?, ?, ?, ?, case when ? then now() end, now())')
        PreparedStatement services = c.prepareStatement('insert into instrument_service (tenant_id, id, instrument_id, ' +
                'name_zh, name_en, sample_requirements, position) values (?, ?, ?, ?, ?, ?, ?)')
        PreparedStatement price = prices ? c.prepareStatement('insert into instrument_price (tenant_id, id, instrument_id, ' +
                'service_id, rate_group_code, unit, amount_fen, position) values (?, ?, ?, null, ?, \'hour\', ?, ?)') : null
        try {
            for (GeneratedInstrument g : chunk) {
                int i = 0
                ps.setObject(++i, t.id)
                ps.setObject(++i, g.id)
                ps.setString(++i, g.assetNumber)
                ps.setString(++i, g.nameZh)
                ps.setString(++i, g.nameEn)
                ps.setString(++i, g.model.model)
                ps.setString(++i, g.manufacturer)
                ps.setString(++i, g.country)
                ps.setLong(++i, g.valueFen)
                ps.setDate(++i, Date.valueOf(g.purchased))
                ps.setString(++i, g.classificationCode)
                ps.setObject(++i, unitId(generator, t, g.unitCode))
                ps.setString(++i, g.building)
                ps.setString(++i, g.room)
                ps.setBigDecimal(++i, g.lat)
                ps.setBigDecimal(++i, g.lon)
                ps.setString(++i, g.status)
                ps.setString(++i, g.scope)
                ps.setString(++i, g.purpose)
                ps.setInt(++i, g.ratedHours)
                ps.setBoolean(++i, g.fundSubsidised)
                ps.setBoolean(++i, g.benefitEvaluation)
                ps.setBoolean(++i, g.sharedPlatform)
                ps.setBoolean(++i, g.listedInCers)
                ps.setBoolean(++i, g.customsSupervised)
                ps.setString(++i, g.exemption)
                ps.setString(++i, g.descZh)
                ps.setString(++i, g.descEn)
                ps.setBoolean(++i, g.archived)
                ps.addBatch()
                g.services.eachWithIndex { InstrumentType.ServiceDef s, int position ->
                    services.setObject(1, t.id)
                    services.setObject(2, generator.id('service', g.id.toString(), String.valueOf(position)))
                    services.setObject(3, g.id)
                    services.setString(4, s.zh)
                    services.setString(5, s.en)
                    services.setString(6, s.sample)
                    services.setInt(7, position)
                    services.addBatch()
                }
                if (price != null) {
                    // machine time: roughly value / 20,000 per hour internally, more for members and outsiders
                    long internal = Math.max(50L, Math.round(g.valueFen / 100d / 20_000d / 10d) * 10L) * 100L
                    for (int position = 0; position < RATE_GROUPS.size(); position++) {
                        price.setObject(1, t.id)
                        price.setObject(2, generator.id('price', g.id.toString(), RATE_GROUPS[position]))
                        price.setObject(3, g.id)
                        price.setString(4, RATE_GROUPS[position])
                        price.setLong(5, Math.round(internal * RATE_FACTORS[position] / 1000d) * 1000L)
                        price.setInt(6, position)
                        price.addBatch()
                    }
                }
            }
            ps.executeBatch()
            services.executeBatch()
            price?.executeBatch()
        } finally {
            ps.close()
            services.close()
            price?.close()
        }
    }

    static UUID unitId(CatalogueGenerator generator, GeneratedTenant t, String code) {
        generator.id('unit', String.valueOf(t.index), code)
    }
}

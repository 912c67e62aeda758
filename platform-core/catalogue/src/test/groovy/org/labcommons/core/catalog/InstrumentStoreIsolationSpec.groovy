package org.labcommons.core.catalog

import io.micronaut.data.exceptions.DataAccessException
import io.micronaut.transaction.TransactionOperations
import jakarta.inject.Inject
import org.labcommons.core.db.SqlStates
import org.labcommons.core.tenancy.TenantId
import org.labcommons.core.tenancy.TenantTransactions
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld
import spock.lang.Shared

import java.sql.Connection

/**
 * The instrument store (a Micronaut Data repository) joins the transaction TenantTransactions
 * opened, so the RLS policies apply to it as to any statement: with no tenant bound it reads
 * nothing; with tenant A bound it reads and changes only A's instruments, whatever ids it is asked
 * for; a row naming another tenant is refused.
 */
class InstrumentStoreIsolationSpec extends PlatformSpec {

    @Inject InstrumentRows rows
    @Inject TenantTransactions tenants
    @Inject TransactionOperations<Connection> transactions

    @Shared TenantWorld world
    @Shared TenantId a, b
    @Shared UUID nmrA, temB
    @Shared String assetB

    def setup() {
        if (world != null) {
            return
        }
        world = TenantWorld.build(ctx) {
            institution('store-a') { instrument('NMR', body: [services: [[nameZh: '氢谱', nameEn: 'Proton spectrum']]]) }
            institution('store-b') { instrument('TEM', body: [services: [[nameZh: '成像', nameEn: 'Imaging']]]) }
        }
        a = new TenantId(world.tenant('store-a').id)
        b = new TenantId(world.tenant('store-b').id)
        nmrA = UUID.fromString(world.instrument('NMR').id as String)
        temB = UUID.fromString(world.instrument('TEM').id as String)
        assetB = world.instrument('TEM').assetNumber
    }

    def "each tenant reads its own instrument and its services through the store"() {
        expect:
        tenants.inTenant(a) { c -> rows.findById(nmrA).map { it.nameEn() }.orElse(null) } == 'NMR'
        tenants.inTenant(a) { c -> rows.servicesOf([nmrA])*.nameEn() } == ['Proton spectrum']
        tenants.inTenant(b) { c -> rows.findIdByAssetNumber(assetB) } == Optional.of(temB)
        tenants.inTenant(b) { c -> rows.namesById([temB])[temB] as List } == ['TEM', 'TEM']
    }

    def "a store read without a bound tenant returns nothing (#how)"() {
        expect:
        (inTransaction ? transactions.executeRead { readAll() } : readAll()) == [false, [], [], [], 0L, [:]]

        where:
        how                                       | inTransaction
        'no transaction: a connection of its own' | false
        'a transaction with no tenant bound'      | true
    }

    private List readAll() {
        [rows.findById(nmrA).isPresent(), rows.findByIdIn([nmrA, temB]), rows.servicesOf([nmrA, temB]),
         rows.assetIds(), rows.totals().items(), rows.namesById([nmrA, temB])]
    }

    def "inside tenant A's transaction the store finds none of B's instrument, even by its id or asset number"() {
        expect:
        tenants.inTenant(a) { c ->
            [rows.findById(temB).isPresent(), rows.findByIdIn([temB])*.id(), rows.findIdByAssetNumber(assetB).isPresent(),
             rows.lock(temB).isPresent(), rows.servicesOf([temB]), rows.namesById([temB]), rows.assetIds()*.id()]
        } == [false, [], false, false, [], [:], [nmrA]]
    }

    def "inside tenant A's transaction a change to B's instrument changes nothing"() {
        when:
        long archived = tenants.inTenant(a) { c -> rows.archive(temB) }
        long contacts = tenants.inTenant(a) { c -> rows.deleteContacts(temB) }

        then:
        archived == 0L
        contacts == 0L
        tenants.inTenant(b) { c -> rows.findById(temB).get().archivedAt() } == null
    }

    def "an instrument row naming another tenant is refused by the policy (42501)"() {
        given:
        def input = new InstrumentInput("FORGED-${world.run}".toString(), '伪造', 'Forged', null, null, null, 100L, null, null,
                null, null, null, null, null, null, null, null, null, 'tenant', null, null, null, null, null, null, null)

        when:
        tenants.inTenant(a) { c -> rows.save(InstrumentRow.of(b.value(), UUID.randomUUID(), input)) }

        then:
        DataAccessException e = thrown()
        SqlStates.causedBy(e, SqlStates.INSUFFICIENT_PRIVILEGE)
        tenants.inTenant(b) { c -> rows.assetIds()*.assetNumber() } == [assetB]
    }
}

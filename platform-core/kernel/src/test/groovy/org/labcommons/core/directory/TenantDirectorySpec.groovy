package org.labcommons.core.directory

import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource
import io.micronaut.test.extensions.spock.annotation.MicronautTest
import jakarta.inject.Inject
import org.labcommons.core.tenancy.TenantId
import org.labcommons.testkit.SharedInfrastructure
import spock.lang.Specification

import javax.sql.DataSource

/** The global tenant registry: read without a tenant bound; a suspended tenant is not found. */
@MicronautTest(transactional = false)
class TenantDirectorySpec extends Specification implements SharedInfrastructure {

    @Inject TenantDirectory directory
    @Inject DataSource dataSource

    private TenantId tenant(String slug, String status) {
        def t = new TenantId(UUID.randomUUID())
        DelegatingDataSource.unwrapDataSource(dataSource).connection.withCloseable { c ->
            c.prepareStatement("insert into tenant (id, slug, kind, name_zh, name_en, status, time_zone) " +
                    "values (?, ?, 'institution', '名录', 'Directory', ?, 'Asia/Urumqi')").with {
                setObject(1, t.value()); setString(2, slug); setString(3, status); executeUpdate()
            }
        }
        t
    }

    def "an active tenant is found by id or slug with its profile and figures; a suspended one is not"() {
        given:
        String run = UUID.randomUUID().toString().substring(0, 8)
        def active = tenant("dir-on-${run}", 'active')
        def suspended = tenant("dir-off-${run}", 'suspended')

        expect:
        directory.findActive("dir-on-${run}").get() == active
        directory.findActive(active.toString()).get() == active
        directory.activeProfile("dir-on-${run}").get().with { [id(), slug(), kind(), nameEn(), parentId(), timeZone()] } ==
                [active, "dir-on-${run}".toString(), 'institution', 'Directory', null, 'Asia/Urumqi']
        directory.findActive("dir-off-${run}").isEmpty()
        directory.activeProfile(suspended.toString()).isEmpty()
        directory.activeTenants().find { it.id() == active }.with { [instruments(), totalValueFen()] } == [0L, 0L]
        directory.activeTenants().every { it.id() != suspended }
    }
}

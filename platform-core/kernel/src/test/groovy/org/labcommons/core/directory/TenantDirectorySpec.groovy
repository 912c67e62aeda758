package org.labcommons.core.directory

import jakarta.inject.Inject
import org.labcommons.core.tenancy.TenantId
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld

/** The global tenant registry: read without a tenant bound; a suspended tenant is not found. */
class TenantDirectorySpec extends PlatformSpec {

    @Inject TenantDirectory directory

    def "an active tenant is found by id or slug with its profile and figures; a suspended one is not"() {
        given:
        def world = TenantWorld.build(ctx) {
            institution('dir-on', nameZh: '名录', nameEn: 'Directory', timeZone: 'Asia/Urumqi')
            institution('dir-off', nameZh: '名录', nameEn: 'Directory', timeZone: 'Asia/Urumqi', status: 'suspended')
        }
        String activeSlug = world.tenant('dir-on').slug
        String suspendedSlug = world.tenant('dir-off').slug
        def active = new TenantId(world.tenant('dir-on').id)
        def suspended = new TenantId(world.tenant('dir-off').id)

        expect:
        directory.findActive(activeSlug).get() == active
        directory.findActive(active.toString()).get() == active
        directory.activeProfile(activeSlug).get().with { [id(), slug(), kind(), nameEn(), parentId(), timeZone()] } ==
                [active, activeSlug, 'institution', 'Directory', null, 'Asia/Urumqi']
        directory.findActive(suspendedSlug).isEmpty()
        directory.activeProfile(suspended.toString()).isEmpty()
        directory.activeTenants().find { it.id() == active }.with { [instruments(), totalValueFen()] } == [0L, 0L]
        directory.activeTenants().every { it.id() != suspended }
    }
}

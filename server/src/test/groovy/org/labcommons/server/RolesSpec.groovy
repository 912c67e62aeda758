package org.labcommons.server

import io.micronaut.context.ApplicationContext
import org.labcommons.core.health.DatabaseHealthIndicator
import org.labcommons.core.roles.EnabledRoles
import org.labcommons.core.roles.PlatformRole
import org.labcommons.core.web.HomeController
import org.labcommons.devstack.SharedDevStack
import org.labcommons.iot.MqttHealthIndicator
import org.labcommons.search.ElasticsearchHealthIndicator
import spock.lang.Specification
import spock.lang.Tag

/** One process can play every role or a chosen subset. */
@Tag('integration')
@Tag('module-server')   // server has no test kit: its tier and module tags are spelled out
class RolesSpec extends Specification {

    private static ApplicationContext context(String roles) {
        ApplicationContext.run(SharedDevStack.get().properties() + ['labcommons.roles': roles, 'micronaut.server.port': '-1'])
    }

    @Tag('fast')
    def "all roles by default"() {
        expect:
        EnabledRoles.parse([]) == EnumSet.allOf(PlatformRole)
        EnabledRoles.parse(['all']) == EnumSet.allOf(PlatformRole)
        EnabledRoles.parse(['search, iot']) == EnumSet.of(PlatformRole.SEARCH, PlatformRole.IOT)
    }

    @Tag('fast')
    def "an unknown role is refused with the list of known ones"() {
        when:
        EnabledRoles.parse(['core,serch'])

        then:
        IllegalArgumentException e = thrown()
        e.message.contains("unknown role 'serch'")
        e.message.contains('tenant-admin')
    }

    def "a search-only process has the search beans and none of core's pages or the MQTT bridge"() {
        given:
        def ctx = context('search')

        expect:
        ctx.containsBean(ElasticsearchHealthIndicator)
        ctx.containsBean(DatabaseHealthIndicator)
        !ctx.containsBean(HomeController)
        !ctx.containsBean(MqttHealthIndicator)

        cleanup:
        ctx?.close()
    }

    def "a core-only process has no Elasticsearch client"() {
        given:
        def ctx = context('core')

        expect:
        ctx.containsBean(HomeController)
        !ctx.containsBean(ElasticsearchHealthIndicator)
        !ctx.containsBean(co.elastic.clients.elasticsearch.ElasticsearchClient)

        cleanup:
        ctx?.close()
    }
}

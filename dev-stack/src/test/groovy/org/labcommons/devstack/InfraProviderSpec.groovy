package org.labcommons.devstack

import spock.lang.Specification
import spock.lang.Tag

@Tag('integration')
class InfraProviderSpec extends Specification {

    @Tag('fast')
    def "LABCOMMONS_INFRA=#setting with docker #docker gives #expected"() {
        given:
        int asked = 0

        expect:
        InfraProvider.choose(setting, { asked++; docker }) == expected

        and: 'Docker is only probed when the choice depends on it'
        asked == (setting in [null, '', 'auto', ' AUTO '] ? 1 : 0)

        where:
        setting      | docker || expected
        null         | false  || InfraProvider.EMBEDDED
        null         | true   || InfraProvider.CONTAINERS
        ''           | false  || InfraProvider.EMBEDDED
        'auto'       | true   || InfraProvider.CONTAINERS
        ' AUTO '     | false  || InfraProvider.EMBEDDED
        'embedded'   | true   || InfraProvider.EMBEDDED
        'containers' | false  || InfraProvider.CONTAINERS
    }

    @Tag('fast')
    def "a misspelt setting is refused with the accepted values"() {
        when:
        InfraProvider.choose('docker', { true })

        then:
        IllegalArgumentException e = thrown()
        e.message == "LABCOMMONS_INFRA must be auto, embedded or containers, was 'docker'"
    }

    def "on this machine the shared test stack uses the provider that auto selects"() {
        expect:
        SharedDevStack.get().provider() == InfraProvider.choose(System.getenv('LABCOMMONS_INFRA'),
                org.labcommons.devstack.containers.ContainerServices.&dockerAvailable)
    }
}

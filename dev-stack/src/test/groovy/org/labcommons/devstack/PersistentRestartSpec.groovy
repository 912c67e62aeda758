package org.labcommons.devstack

import org.apache.kafka.clients.admin.AdminClient
import org.apache.kafka.clients.admin.NewTopic
import spock.lang.Specification
import spock.lang.Tag

import java.nio.file.Files
import java.sql.DriverManager

/**
 * Dev mode keeps its data: a second start on the same directory must find the database rows and
 * the Kafka topics of the first (a Kafka storage re-format once made every second start fail).
 */
@Tag('integration')
class PersistentRestartSpec extends Specification {

    def "a persistent stack stopped and started again keeps PostgreSQL data and Kafka topics"() {
        given: 'a persistent stack on ports of its own'
        def dir = Files.createTempDirectory('labcommons-persistent-')
        def config = new DevStackConfig(dir, true, 40_000 + new Random().nextInt(4_000), ['consortium'])

        when: 'the first run writes a row and creates a topic'
        def first = new DevStack(config, InfraProvider.EMBEDDED).start()
        def props = first.properties()
        DriverManager.getConnection(props['labcommons.db.url'], props['labcommons.db.owner-user'], props['labcommons.db.owner-password']).withCloseable { c ->
            c.createStatement().execute("create table if not exists restart_probe (note text); insert into restart_probe values ('核磁 kept')")
        }
        AdminClient.create(['bootstrap.servers': props['labcommons.kafka.bootstrap']]).withCloseable { admin ->
            admin.createTopics([new NewTopic('restart.probe.v1', 1, (short) 1)]).all().get()
        }
        first.close()

        and: 'a second run starts on the same directory'
        def second = new DevStack(config, InfraProvider.EMBEDDED).start()
        def props2 = second.properties()

        then: 'the same credentials work and the data is there'
        props2['labcommons.db.password'] == props['labcommons.db.password']
        DriverManager.getConnection(props2['labcommons.db.url'], props2['labcommons.db.owner-user'], props2['labcommons.db.owner-password']).withCloseable { c ->
            def rs = c.createStatement().executeQuery('select note from restart_probe')
            rs.next() && rs.getString(1) == '核磁 kept'
        }
        AdminClient.create(['bootstrap.servers': props2['labcommons.kafka.bootstrap']]).withCloseable { admin ->
            admin.listTopics().names().get().contains('restart.probe.v1')
        }

        cleanup:
        second?.close()
        first?.close()
        dir?.toFile()?.deleteDir()
    }
}

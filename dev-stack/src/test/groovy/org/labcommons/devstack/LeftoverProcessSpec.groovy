package org.labcommons.devstack

import spock.lang.Specification
import spock.lang.Tag

import java.nio.file.Files
import java.util.concurrent.TimeUnit

@Tag('fast')
class LeftoverProcessSpec extends Specification {

    def "processes naming the dev data directory are stopped; others are left alone"() {
        given: 'a process left over from a crashed run, one of another directory, and the directory itself'
        def workDir = Files.createTempDirectory('labcommons-leftover-')
        def sibling = Files.createTempDirectory('labcommons-other-')
        def leftover = new ProcessBuilder('sh', '-c', 'sleep 300', "${workDir}/postgres/x".toString()).start()
        def unrelated = new ProcessBuilder('sh', '-c', 'sleep 300', "${sibling}/postgres/x".toString()).start()

        when:
        DevStack.stopLeftovers(workDir)

        then:
        leftover.waitFor(10, TimeUnit.SECONDS)
        unrelated.alive

        cleanup:
        leftover?.destroyForcibly()
        unrelated?.destroyForcibly()
        workDir?.toFile()?.deleteDir()
        sibling?.toFile()?.deleteDir()
    }
}

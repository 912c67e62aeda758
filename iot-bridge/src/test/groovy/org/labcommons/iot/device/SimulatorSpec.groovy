package org.labcommons.iot.device

import spock.lang.Specification
import spock.lang.Tag

import java.nio.file.Path

@Tag('fast')
class SimulatorSpec extends Specification {
    @spock.lang.TempDir Path dir

    def "the command line: defaults, repeated config files, a directory"() {
        when:
        def o = Simulator.parse(['--config', 'a.json', '--config', 'b.json', '--rate', '20000', '--duration', '5',
                                 '--devices', '500', '--token', 't'] as String[])

        then:
        o.configs() == [Path.of('a.json'), Path.of('b.json')]
        o.rate() == 20000d
        o.duration() == 5
        o.devices() == 500
        o.configDir() == Path.of('.labcommons', 'simulator')
        o.eventShare() == 0.1d
        o.server() == URI.create('http://localhost:8080')
        Simulator.parse(['--config', 'a.json'] as String[]).configDir() == null
        Simulator.parse(['--claim', '7K2QD-M9XHP', '--claim', 'ABCDE-FGHJK'] as String[]).claims() == ['7K2QD-M9XHP', 'ABCDE-FGHJK']
        Simulator.parse(['--claim', '7K2QD-M9XHP'] as String[]).configDir() == Path.of('.labcommons', 'simulator')
    }

    def "bad options are refused with a reason (#args)"() {
        when:
        Simulator.parse(args as String[])

        then:
        def e = thrown(IllegalArgumentException)
        e.message.contains(why)

        where:
        args                          | why
        ['--rate']                    | '--rate needs a value'
        ['--rate', 'fast']            | '--rate needs a number'
        ['--rate', '0']               | '--rate > 0'
        ['--event-share', '2']        | '--event-share in 0..1'
        ['--colour', 'red']           | 'unknown option --colour'
    }

    def "devices missing from the configs directory need a token to be created"() {
        when:
        Simulator.configs(Simulator.parse(['--devices', '2', '--configs', dir.toString(), '--token', ''] as String[]))

        then:
        def e = thrown(IllegalArgumentException)
        e.message.contains('2 more devices are needed')
    }
}

package org.labcommons.iot.protocol

import spock.lang.Specification
import spock.lang.Tag

@Tag('fast')
class TopicSpec extends Specification {
    static final UUID TENANT = UUID.fromString('0190f2a4-7c00-7000-8000-000000000001')
    static final UUID DEVICE = UUID.fromString('0190f2a4-7c00-7abc-9def-0123456789ab')

    def "reads every LC-IC/1 channel and writes it back unchanged (#direction/#channel)"() {
        given:
        def text = "lc/v1/$TENANT/$DEVICE/$direction/$channel".toString()

        when:
        def topic = Topic.parse(text).orElseThrow()

        then:
        topic == new Topic(TENANT, DEVICE, direction, channel)
        topic.toString() == text
        topic.isUp() == (direction == 'up')

        where:
        direction | channel
        'up'      | 'state'
        'up'      | 'telemetry'
        'up'      | 'event'
        'up'      | 'auth/req'
        'up'      | 'cmd/res'
        'down'    | 'auth/res'
        'down'    | 'cmd'
    }

    def "anything else is not a topic (#text)"() {
        expect:
        Topic.parse(text).isEmpty()

        where:
        text << [
                null, '', 'lc/v1',
                "lc/v2/$TENANT/$DEVICE/up/event",
                "lc/v1/$TENANT/$DEVICE/up/cmd",             // a downlink channel upward
                "lc/v1/$TENANT/$DEVICE/down/event",
                "lc/v1/$TENANT/$DEVICE/up/event/extra",
                "lc/v1/$TENANT/$DEVICE/up/#",
                "lc/v1/+/$DEVICE/up/event",
                "lc/v1/${TENANT.toString().toUpperCase()}/$DEVICE/up/event",
                "lc/v1/donghu/$DEVICE/up/event",            // a slug, never
                "lc/v1/$TENANT/$DEVICE/sideways/event",
                "lc/v1/$TENANT//$DEVICE/up/event",
        ].collect { it?.toString() }
    }

    def "the filters of a device's grant and of the bridge"() {
        expect:
        Topic.uplinkFilter(TENANT, DEVICE) == "lc/v1/$TENANT/$DEVICE/up/#"
        Topic.downlinkFilter(TENANT, DEVICE) == "lc/v1/$TENANT/$DEVICE/down/#"
        Topic.BRIDGE_SHARED_FILTER == '$share/labcommons-bridge/lc/v1/+/+/up/#'
        Topic.up(TENANT, DEVICE, Topic.EVENT).toString() == "lc/v1/$TENANT/$DEVICE/up/event"
    }

    def "a topic object refuses a channel its direction does not have"() {
        when:
        new Topic(TENANT, DEVICE, 'down', 'event')

        then:
        thrown(IllegalArgumentException)
    }
}

package org.labcommons.iot.access

import spock.lang.Specification
import spock.lang.Tag

/** Topic filter coverage as the access decision uses it (MQTT 5, 4.7). */
@Tag('fast')
class TopicFiltersSpec extends Specification {

    def "grant #grant covers #requested: #covered"() {
        expect:
        TopicFilters.covers(grant, requested) == covered

        where:
        grant                                 | requested                              || covered
        'lc/v1/t/d/up/#'                      | 'lc/v1/t/d/up/event'                   || true
        'lc/v1/t/d/up/#'                      | 'lc/v1/t/d/up/auth/req'                || true
        'lc/v1/t/d/up/#'                      | 'lc/v1/t/d/up'                         || true
        'lc/v1/t/d/up/#'                      | 'lc/v1/t/d/up/#'                       || true
        'lc/v1/t/d/up/#'                      | 'lc/v1/t/d/up/+'                       || true
        'lc/v1/t/d/up/#'                      | 'lc/v1/t/d/down/cmd'                   || false
        'lc/v1/t/d/up/#'                      | 'lc/v1/t/+/up/event'                   || false
        'lc/v1/t/d/up/#'                      | 'lc/v1/t/#'                            || false
        'lc/v1/t/d/up/#'                      | 'lc/v1/t/d'                            || false
        'lc/v1/+/+/up/#'                      | 'lc/v1/t/d/up/event'                   || true
        'lc/v1/+/+/up/#'                      | 'lc/v1/+/+/up/#'                       || true
        'lc/v1/+/+/up/#'                      | 'lc/v1/#'                              || false
        'lc/v1/+/+/up/#'                      | 'lc/v1/t/d/down/cmd'                   || false
        '$share/labcommons-bridge/lc/v1/+/+/up/#' | '$share/labcommons-bridge/lc/v1/+/+/up/#' || true
        '$share/labcommons-bridge/lc/v1/+/+/up/#' | '$share/other/lc/v1/+/+/up/#'          || false
        '#'                                   | '$SYS/broker/load'                     || false
        '+/x'                                 | '$SYS/x'                               || false
        '#'                                   | 'anything/at/all'                      || true
        'a/b'                                 | 'a/b/c'                                || false
        'a/b'                                 | ''                                     || false
    }

    def "a topic to publish to has no wildcard"() {
        expect:
        TopicFilters.isTopicName('lc/v1/t/d/up/event')
        !TopicFilters.isTopicName('lc/v1/t/d/up/#')
        !TopicFilters.isTopicName('lc/v1/+/d/up/event')
        !TopicFilters.isTopicName('')
    }
}

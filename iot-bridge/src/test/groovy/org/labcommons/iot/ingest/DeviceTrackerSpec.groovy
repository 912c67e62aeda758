package org.labcommons.iot.ingest

import org.labcommons.iot.devices.DeviceActivity
import spock.lang.Specification
import spock.lang.Tag

import java.time.Duration
import java.time.Instant

@Tag('fast')
class DeviceTrackerSpec extends Specification {
    static final Instant NOW = Instant.parse('2026-12-05T08:00:00Z')
    DeviceTracker tracker = new DeviceTracker(3, 4, Duration.ofSeconds(2), Duration.ofMinutes(5))
    UUID device = UUID.randomUUID()

    def "a repeated event id among the recent ones is a duplicate; one older than the window is not remembered"() {
        given:
        def ids = (1..6).collect { UUID.randomUUID() }

        expect:
        tracker.observe(device, ids[0], 1, NOW, false, NOW).anomalies() == []
        tracker.observe(device, ids[0], 1, NOW, false, NOW).anomalies() == ['duplicate']

        when: 'four more ids push the first out of the window of four'
        (1..4).each { tracker.observe(device, ids[it], it + 1, NOW, false, NOW) }

        then:
        tracker.observe(device, ids[4], 5, NOW, false, NOW).anomalies() == ['duplicate']
        tracker.observe(device, ids[0], 1, NOW, false, NOW).anomalies() == []
    }

    def "a seq more than one above the highest seen is a gap, with the count of missing ones; a late one fills it quietly"() {
        expect:
        tracker.observe(device, UUID.randomUUID(), 10, NOW, false, NOW).anomalies() == []
        tracker.observe(device, UUID.randomUUID(), 11, NOW, false, NOW).anomalies() == []

        when:
        def gap = tracker.observe(device, UUID.randomUUID(), 15, NOW, false, NOW)

        then:
        gap.anomalies() == ['gap']
        gap.gapMissing() == 3
        tracker.observe(device, UUID.randomUUID(), 12, NOW, false, NOW).anomalies() == []
        tracker.observe(device, UUID.randomUUID(), 16, NOW, false, NOW).anomalies() == []
    }

    def "the clock offset is measured on live messages: corrected above 2 s, an anomaly above 5 min"() {
        when:
        def small = tracker.observe(device, UUID.randomUUID(), 1, NOW.minusMillis(1500), false, NOW)
        def corrected = tracker.observe(device, UUID.randomUUID(), 2, NOW.minusSeconds(3), false, NOW)
        def tenMinutesSlow = tracker.observe(device, UUID.randomUUID(), 3, NOW.minusSeconds(600), false, NOW)
        def ahead = tracker.observe(device, UUID.randomUUID(), 4, NOW.plusSeconds(301), false, NOW)

        then:
        small.skewMs() == 1500 && small.correctedTime() == null && small.anomalies() == []
        corrected.skewMs() == 3000 && corrected.correctedTime() == NOW && corrected.anomalies() == []
        tenMinutesSlow.skewMs() == 600_000 && tenMinutesSlow.correctedTime() == NOW && tenMinutesSlow.anomalies() == ['clock_skew']
        ahead.skewMs() == -301_000 && ahead.anomalies() == ['clock_skew']
    }

    def "a historical message is not measured: it takes the device's last live offset, and is no clock anomaly"() {
        given:
        def hourAgo = NOW.minusSeconds(3600)

        expect: 'no live message yet: no offset'
        with(tracker.observe(device, UUID.randomUUID(), 1, hourAgo, true, NOW)) {
            skewMs() == null && correctedTime() == null && anomalies() == []
        }

        when: 'a live message shows the clock 10 minutes slow'
        tracker.observe(device, UUID.randomUUID(), 5, NOW.minusSeconds(600), false, NOW)
        def replayed = tracker.observe(device, UUID.randomUUID(), 2, hourAgo, true, NOW)

        then:
        replayed.skewMs() == 600_000
        replayed.correctedTime() == hourAgo.plusSeconds(600)
        replayed.anomalies() == []
    }

    def "the tracker forgets the least recently seen device beyond its bound"() {
        given:
        def devices = (1..4).collect { UUID.randomUUID() }

        when:
        devices.each { tracker.observe(it, UUID.randomUUID(), 1, NOW, false, NOW) }

        then:
        tracker.size() == 3
        and: 'the first device starts afresh: no gap against what was forgotten'
        tracker.observe(devices[0], UUID.randomUUID(), 50, NOW, false, NOW).anomalies() == []
    }

    def "coalesced activity keeps the latest time, the highest seq with its boot, the last known firmware and state, and adds the counts"() {
        given:
        def tenant = UUID.randomUUID()
        def a = new DeviceActivity(tenant, device, NOW, 'boot-1', 7, '1.0.0', true, 'pc.login', 3)
        def b = new DeviceActivity(tenant, device, NOW.plusSeconds(1), 'boot-2', 9, null, null, null, 2)
        def c = new DeviceActivity(tenant, device, NOW.plusSeconds(2), 'boot-1', 8, null, false, 'pc.logout', 1)

        when:
        def merged = ActivityRecorder.merge(ActivityRecorder.merge(a, b), c)

        then:
        merged.lastSeenAt() == NOW.plusSeconds(2)
        merged.lastSeq() == 9
        merged.bootId() == 'boot-2'
        merged.firmware() == '1.0.0'
        merged.online() == false
        merged.lastEventType() == 'pc.logout'
        merged.receivedDelta() == 6
    }

    def "a message is routed by the device segment of its topic"() {
        expect:
        IngestBridge.deviceSegment('lc/v1/t-1/d-1/up/event') == 'd-1'
        IngestBridge.deviceSegment('lc/v1/t-1/d-1/up/auth/req') == 'd-1'
        IngestBridge.deviceSegment('odd/topic') == 'odd/topic'
    }
}

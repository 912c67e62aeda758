package org.labcommons.tenantadmin.devices

import com.hivemq.client.mqtt.MqttClient
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode
import org.apache.kafka.clients.consumer.ConsumerConfig
import org.apache.kafka.clients.consumer.ConsumerRecord
import org.apache.kafka.clients.consumer.KafkaConsumer
import org.apache.kafka.common.TopicPartition
import org.apache.kafka.common.serialization.ByteArrayDeserializer
import org.apache.kafka.common.serialization.StringDeserializer
import org.labcommons.devstack.SharedDevStack
import org.labcommons.iot.device.DeviceConfigFile
import org.labcommons.iot.device.ReferenceDevice
import org.labcommons.iot.device.SimulatedFleet
import org.labcommons.testkit.Browser
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld
import org.openqa.selenium.support.ui.Select
import org.openqa.selenium.support.ui.WebDriverWait
import spock.lang.Shared

import java.nio.charset.StandardCharsets
import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration

import static org.labcommons.testkit.TenantWorld.INSTITUTION_ADMIN

/**
 * The journey of issue 15 in headless Chromium, in Chinese, at a phone's and a desktop's width,
 * against the real broker (with LabCommons deciding who may connect), the bridge and Kafka of the
 * shared context: an institution admin creates a power interlock for an instrument on the devices
 * page, is shown its credentials once and saves the config file the page offers; the simulator runs
 * with that file (as {@code ./labcommons simulate --config FILE}: its reference device makes its key
 * pair at first start, and the admin registers the public key on the device's page) and publishes
 * signed events and telemetry; the admin sees it online with last seen, firmware, a rising received
 * count and its last event, and on the instrument page among its controllers; its events are in
 * {@code iot.events.v1}, keyed by the device and carrying the admin's institution; the admin revokes
 * it, the broker disconnects it at its next revocation sweep and refuses it when it comes back, and
 * the page shows it revoked.
 */
class DeviceJourneyBrowserSpec extends PlatformSpec {
    static final String EVENTS = 'iot.events.v1'
    /** How long the bridge may take to show what a device sent (its activity is written every 5 s). */
    static final Duration ARRIVAL = Duration.ofSeconds(60)
    /** The broker's revocation sweep while this specification runs: a revoked device is gone within it. */
    static final Duration SWEEP = Duration.ofSeconds(2)

    Browser browser = Browser.get()
    @Shared TenantWorld world
    @Shared Duration sweepBefore
    @Shared Path dir

    def setupSpec() {
        world = TenantWorld.build(ctx) {
            institution('iotj', nameZh: '东湖联锁大学', nameEn: 'Donghu Interlock University') {
                person('admin', INSTITUTION_ADMIN)
                instrument('Journey TEM', nameZh: '旅程透射电镜')
            }
        }
        def broker = SharedDevStack.get().mqtt()
        sweepBefore = broker.sweepInterval()
        broker.sweepInterval(SWEEP)
        dir = Files.createTempDirectory('iot-journey')
    }

    def cleanupSpec() {
        SharedDevStack.get().mqtt().sweepInterval(sweepBefore)
        dir?.toFile()?.deleteDir()
    }

    def setup() { browser.reset() }

    String app(String path) { "${baseUrl}${path}" }

    void step(String name, String size) {
        browser.assertNoHorizontalScroll()
        browser.screenshot("iot-journey-${name}-${size}")
    }

    /** Reloads {@code path} until {@code condition} holds on it, for at most {@code within}. */
    void reloadUntil(String what, String path, Duration within, Closure<Boolean> condition) {
        try {
            new WebDriverWait(browser.driver(), within, Duration.ofMillis(500)).until {
                browser.open(app(path))
                condition.call() as Boolean
            }
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("never happened within ${within.toSeconds()} s: ${what} (on ${browser.url()}): ${browser.pageText()}", e)
        }
    }

    void scrollTo(String id) {
        browser.js("document.getElementById(arguments[0]).scrollIntoView({ block: 'center' })", id)
    }

    long number(String css) {
        browser.text(css).replaceAll('[^0-9]', '') as long
    }

    /** The records of {@code iot.events.v1} keyed by {@code deviceId}, read from the start until {@code enough} holds. */
    List<ConsumerRecord<String, byte[]>> eventsOf(String deviceId, Closure<Boolean> enough) {
        Properties p = new Properties()
        p[ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG] = ctx.getProperty('labcommons.kafka.bootstrap', String).get()
        p[ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG] = StringDeserializer.name
        p[ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG] = ByteArrayDeserializer.name
        p[ConsumerConfig.ISOLATION_LEVEL_CONFIG] = 'read_committed'
        List<ConsumerRecord<String, byte[]>> found = []
        new KafkaConsumer<String, byte[]>(p).withCloseable { consumer ->
            List<TopicPartition> partitions = consumer.partitionsFor(EVENTS, Duration.ofSeconds(10))
                    .collect { new TopicPartition(EVENTS, it.partition()) }
            consumer.assign(partitions)
            consumer.seekToBeginning(partitions)
            long deadline = System.nanoTime() + ARRIVAL.toNanos()
            while (!enough.call(found) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).each { if (it.key() == deviceId) { found << it } }
            }
        }
        found
    }

    static String header(ConsumerRecord<?, ?> r, String name) {
        def h = r.headers().lastHeader(name)
        h == null ? null : new String(h.value(), StandardCharsets.UTF_8)
    }

    def "an admin provisions a power interlock, the simulator brings it online with its events in Kafka, and revoking it shuts it out (#size)"() {
        given:
        size == 'phone' ? browser.phone() : browser.desktop()
        String instrument = world.instrument('Journey TEM').id as String
        String tenantId = world.tenant('iotj').id as String
        String name = "透射电镜电源联锁-${size}"
        browser.signIn(baseUrl, world.tenant('iotj').issuerId, "admin-${world.run}".toString(), '/admin/devices?lang=zh-CN')

        when: '1. the devices page, 新建设备: a power interlock for the instrument'
        browser.open(app('/admin/devices'))
        browser.click('#new-device')
        browser.find('#device-form')
        new Select(browser.find('#kind')).selectByValue('power_interlock')
        browser.type('#name', name)
        new Select(browser.find('#instrumentId')).selectByValue(instrument)
        step('1-create', size)
        browser.submit('#create-device')

        then: 'the credentials, once, and the config file as a download'
        browser.text('#done') == '设备已创建。'
        String deviceId = browser.text('#device-id')
        String secret = browser.text('#secret')
        secret ==~ /[A-Za-z0-9_-]{43}/
        browser.attribute('#download-config', 'download') == "device-${deviceId}.json".toString()
        String href = browser.attribute('#download-config', 'href')
        href.startsWith('data:application/json')
        step('1-credentials', size)

        when: 'the admin saves the download, exactly as offered'
        Path config = dir.resolve("device-${deviceId}.json")
        Files.write(config, Base64.decoder.decode(href.substring(href.indexOf(',') + 1)))
        DeviceConfigFile saved = DeviceConfigFile.read(config)

        then: 'it names this device of this institution with the secret shown'
        saved.deviceId().toString() == deviceId
        saved.tenantId().toString() == tenantId
        saved.password() == secret
        saved.kind() == 'power_interlock'

        when: '2. the simulator starts with the file (./labcommons simulate --config FILE): its device makes its key pair'
        SimulatedFleet fleet = SimulatedFleet.open([config],
                ReferenceDevice.Options.defaults().withSeqBlock(1000).withForceBuffer(false), 0.5)
        ReferenceDevice device = fleet.devices()[0]
        String publicKey = device.publicKeyText()

        then: 'beside the config file, as the protocol says'
        Files.exists(saved.keyFile())

        when: 'the admin registers the public key the device printed, on its page'
        browser.click('#to-device')
        browser.find('#key-form')
        browser.type('#publicKey', publicKey)
        browser.submit('#register-key')

        then:
        browser.text('#done') == '公钥已登记。'
        browser.text('#public-key') == publicKey
        browser.text('#device-status') == '离线'
        step('2-key-registered', size)

        when: 'the simulator connects and publishes signed events and telemetry'
        boolean live = fleet.connect(Duration.ofSeconds(30))
        fleet.start(10, 1)

        then:
        live

        when: '3. the devices page, reloaded until the bridge has seen the device'
        String row = "tr[data-id='${deviceId}']"
        reloadUntil('the device shows online with messages received', '/admin/devices', ARRIVAL) {
            browser.exists(row) && browser.text("${row} .status") == '在线' && number("${row} td.num") > 0
        }
        long receivedFirst = number("${row} td.num")

        then: 'online, last seen, the firmware its state reported'
        browser.text("${row} .name") == name
        browser.text("${row} td.date") ==~ /\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/
        browser.text("${row} td.mono") == 'labcommons-reference-1'
        step('3-online', size)

        when: 'later, the received count has risen and the device page names its last event'
        reloadUntil('the received count rises', '/admin/devices', ARRIVAL) {
            number("${row} td.num") > receivedFirst
        }
        reloadUntil('the device page shows a last event', "/admin/devices/${deviceId}", ARRIVAL) {
            browser.text('#last-event') != '—'
        }

        then:
        browser.text('#device-status') == '在线'
        browser.text('#last-event').split(' · ')[0] in ['pc.login', 'pc.logout', 'card.swipe', 'relay.state', 'session.start']
        number('#received') > receivedFirst
        browser.text('#firmware') == 'labcommons-reference-1'
        browser.text('#last-seq') != '—'
        step('3-device', size)

        when: "the instrument's page"
        browser.open(app("/t/${world.tenant('iotj').slug}/instruments/${instrument}?lang=zh-CN"))
        String controller = "#controllers tr.controller[data-id='${deviceId}']"

        then: 'its controllers list the interlock, online'
        browser.text('#controllers h2') == '控制器'
        browser.text("${controller} .name") == name
        browser.text("${controller} .badge") == '在线'
        scrollTo('controllers')
        step('3-instrument-controllers', size)

        and: "its events are in iot.events.v1, keyed by the device, carrying the admin's institution"
        def records = eventsOf(deviceId) { List<ConsumerRecord> rs ->
            rs.collect { header(it, 'lc-channel') }.toSet().containsAll(['state', 'event'])
        }
        !records.isEmpty()
        records.every { header(it, 'lc-tenant') == tenantId && header(it, 'lc-device') == deviceId }
        records.collect { header(it, 'lc-channel') }.toSet().containsAll(['state', 'event'])
        records.every { new String(it.value(), StandardCharsets.UTF_8).contains('"sig":"') }

        when: '4. the admin revokes it, after confirming'
        browser.open(app("/admin/devices/${deviceId}"))
        browser.click('#revoke')
        browser.find('#revoke-warning')
        step('4-revoke-confirm', size)
        browser.submit('#confirm-revoke')
        long revokedAt = System.nanoTime()

        then: 'the page shows it revoked'
        browser.text('#done').startsWith('设备已吊销')
        browser.text('#device-status') == '已吊销'
        !browser.exists('#rotate')
        step('4-revoked', size)

        when: 'the broker disconnects it at its next sweep'
        new WebDriverWait(browser.driver(), SWEEP.multipliedBy(5), Duration.ofMillis(100)).until { !device.isLive() }
        Duration gone = Duration.ofNanos(System.nanoTime() - revokedAt)
        println "device ${deviceId} disconnected ${gone.toMillis()} ms after its revocation (sweep every ${SWEEP.toSeconds()} s)"

        then: 'and it does not come back by itself: its reconnects are refused'
        !device.isLive()

        when: 'the simulator stops; the device comes back with its config file'
        fleet.close()
        fleet = null
        def client = MqttClient.builder().useMqttVersion5().identifier(saved.clientId())
                .serverHost(saved.brokerUrl().host).serverPort(saved.brokerUrl().port).buildBlocking()
        client.connectWith().simpleAuth().username(saved.username())
                .password(saved.password().getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send()

        then: 'the broker refuses it (a revoked device gets the same answer as a wrong secret)'
        def refused = thrown(Mqtt5ConnAckException)
        refused.mqttMessage.reasonCode == Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD

        when: 'the list'
        browser.open(app('/admin/devices'))

        then:
        browser.text("${row} .status") == '已吊销'
        !browser.html().contains(secret)
        step('4-list-revoked', size)

        cleanup:
        fleet?.close()

        where:
        size << ['phone', 'desktop']
    }
}

package org.labcommons.core.billing.subsidies

import io.micronaut.json.JsonMapper
import jakarta.inject.Inject
import org.labcommons.core.billing.BillingEventReader
import org.labcommons.core.billing.BillingTopics
import org.labcommons.core.tenancy.TenantId
import org.labcommons.testkit.PlatformSpec
import org.labcommons.testkit.TenantWorld
import spock.lang.Shared
import spock.lang.Tag

import java.time.LocalDate
import java.time.ZoneId

import static org.labcommons.testkit.TenantWorld.CONSORTIUM_ADMIN

/**
 * Vouchers' events on billing.subsidy.v1, read from Kafka: voucher.issued when the bureau issues one, and
 * voucher.expired once (VoucherExpirySweep) for a voucher whose last valid day has passed, never for a valid one.
 */
@Tag('integration')
class VoucherEventsSpec extends PlatformSpec {
    static final String VOUCHERS = '/api/v1/vouchers'
    @Inject JsonMapper json
    @Inject VoucherExpirySweep sweep
    @Shared TenantWorld world

    def setup() {
        if (world == null) {
            world = TenantWorld.build(ctx) {
                consortium('ve-bureau') { person('ve-admin', CONSORTIUM_ADMIN) }
            }
        }
    }

    def "issuing and expiry are events keyed by the voucher; the sweep tells an expiry once"() {
        given:
        String token = world.token('ve-admin')
        LocalDate today = LocalDate.now(ZoneId.of('Asia/Shanghai'))
        def enterprise = api.post("${VOUCHERS}/enterprises", token, [name: '示例企业', taxId: SubsidiesApiSpec.taxId()]).body
        def batch = api.post("${VOUCHERS}/batches", token, [name: '批次', perClaimCapFen: 2_000_000, perYearCapFen: 10_000_000]).body
        def expired = api.post(VOUCHERS, token, [batchId: batch.id, enterpriseId: enterprise.id, faceValueFen: 300_000,
                validFrom: today.minusDays(30).toString(), validTo: today.minusDays(1).toString()])
        def valid = api.post(VOUCHERS, token, [batchId: batch.id, enterpriseId: enterprise.id, faceValueFen: 100_000,
                validFrom: today.toString(), validTo: today.plusDays(30).toString()])
        assert expired.status == 201 && valid.status == 201
        TenantId bureau = new TenantId(world.tenant('ve-bureau').id)

        when:
        int first = sweep.expire(bureau)
        int second = sweep.expire(bureau)
        def events = BillingEventReader.read(json, BillingTopics.SUBSIDY, [expired.body.id as String, valid.body.id as String]) { List<Map> e ->
            e.count { it.type == 'voucher.issued' } >= 2 && e.any { it.type == 'voucher.expired' }
        }

        then:
        first == 1
        second == 0
        events.findAll { it.key == expired.body.id }*.type == ['voucher.issued', 'voucher.expired']
        events.findAll { it.key == valid.body.id }*.type == ['voucher.issued']
        with(events.find { it.type == 'voucher.expired' }.payload) {
            it.voucherId == expired.body.id
            it.balanceFen == 300_000
            it.validTo == today.minusDays(1).toString()
            it.tenantId == bureau.toString()
        }
        events.find { it.key == valid.body.id }.payload.faceValueFen == 100_000
    }
}

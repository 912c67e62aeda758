package org.labcommons.core.booking.web

import org.labcommons.core.booking.BookingFixture

/**
 * A public instrument of the booking fixture's institution A with what its catalogue page shows:
 * machine-time prices for the three rate groups, a fund-subsidised and customs-supervised record
 * and an internal note (plain SQL: the catalogue's editor is not under test here).
 */
class InstrumentPageFixture {
    static final Map WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday']
            .collectEntries { [(it): [[from: '08:00', to: '20:00']]] }

    static UUID publicInstrument(BookingFixture f) {
        UUID id = f.instrument('public')
        f.tenants.inTenant(f.tenantA) { c ->
            c.prepareStatement("update instrument set fund_subsidised = true, customs_supervised = true, " +
                    "exemption_note = '仅供本单位核算' where id = ?").with { setObject(1, id); executeUpdate() }
            [['internal', 8_000L], ['consortium', 12_000L], ['external', 20_000L]].eachWithIndex { p, k ->
                c.prepareStatement("insert into instrument_price (tenant_id, id, instrument_id, rate_group_code, unit, " +
                        "amount_fen, position) values (?, ?, ?, ?, 'hour', ?, ?)").with {
                    setObject(1, f.tenantA.value()); setObject(2, UUID.randomUUID()); setObject(3, id)
                    setString(4, p[0] as String); setLong(5, p[1] as long); setInt(6, k); executeUpdate()
                }
            }
            null
        }
        id
    }
}

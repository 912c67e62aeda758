package org.labcommons.core.billing.charges

import io.micronaut.core.annotation.Order
import jakarta.inject.Singleton

import java.sql.Connection

/**
 * A share for the specifications: on the charges of {@link #instrument} only (null: none), a fund pays 30 % of what is
 * left (rounded down to a whole fen), from {@code 6601.subsidy.open-testing}.
 */
@Singleton
@Order(100)
class TestShares implements ChargeShares {
    static volatile UUID instrument

    @Override
    List<Share> sharesOf(Connection c, Charge charge, PayerLine payer, long remainingFen) {
        if (instrument == null || charge.instrumentId() != instrument) {
            return []
        }
        [new Share('6601.subsidy.open-testing', remainingFen * 3 / 10 as long, 'subsidy', 'test-fund', '开放测试基金', 'Open-testing fund')]
    }
}

package org.labcommons.federation.booking

import spock.lang.Specification

import java.time.Instant

/** The estimated cost of an outside booking: price per hour × duration, half up to whole fen. */
class EstimatedCostSpec extends Specification {
    def "#minutes minutes at #price fen an hour cost #expected fen"() {
        given:
        def start = Instant.parse('2030-03-05T01:00:00Z')

        expect:
        OutsideBookingRecords.estimate(price, start, start.plusSeconds(minutes * 60L)) == expected

        where:
        price   | minutes || expected
        30_000L | 60      || 30_000L
        30_001L | 90      || 45_002L   // 45,001.5 → up
        1_001L  | 30      || 501L      // 500.5 → up
        999L    | 20      || 333L      // 333.0
        1_000L  | 7       || 117L      // 116.67 → 117
        1_000L  | 1       || 17L       // 16.67 → 17
        1L      | 29      || 0L        // 0.483 → 0
        1L      | 30      || 1L        // 0.5 → 1
        0L      | 600     || 0L
        null    | 60      || null      // no hourly price published for the rate group
    }

    def "transient failures are retried, others are not"() {
        expect:
        ReliableConsumer.transientFailure(new RuntimeException(new java.sql.SQLTransientConnectionException('pool exhausted')))
        ReliableConsumer.transientFailure(new java.sql.SQLException('gone', '08006'))
        ReliableConsumer.transientFailure(new RuntimeException(new java.sql.SQLException('deadlock', '40P01')))
        ReliableConsumer.transientFailure(new org.apache.kafka.common.errors.TimeoutException('slow'))
        !ReliableConsumer.transientFailure(new java.sql.SQLException('check violated', '23514'))
        !ReliableConsumer.transientFailure(new IllegalStateException('bug'))
    }
}

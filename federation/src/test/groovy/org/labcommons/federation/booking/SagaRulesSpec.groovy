package org.labcommons.federation.booking

import org.apache.kafka.clients.consumer.ConsumerRecord
import org.labcommons.core.events.PoisonEventException
import org.labcommons.core.events.ReliableConsumer
import spock.lang.Specification
import spock.lang.Tag

import java.time.Instant

/**
 * The saga's rules that need no infrastructure: the estimated cost of an outside booking (price per
 * hour × duration, half up to whole fen) and the consumer's retry decisions.
 */
@Tag('fast')
class SagaRulesSpec extends Specification {
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

    def "a transient failure is retried without limit and never dead-lettered; the record is done once it passes"() {
        given: "a consumer whose handler fails transiently 20 times, then succeeds"
        int calls = 0
        def consumer = new ReliableConsumer('t', 'g', ['t.v1'], 'localhost:1', new FederationSettings(maxAttempts: 2).policy()) {
            @Override
            protected void handle(ConsumerRecord<String, String> record) {
                if (++calls <= 20) {
                    throw new RuntimeException(new java.sql.SQLTransientConnectionException('database down'))
                }
            }
        }
        def record = new ConsumerRecord<String, String>('t.v1', 0, 7L, 'k', 'v')

        expect: "20 answers of 'retry', then 'done'; nothing dead-lettered although max-attempts is 2"
        (1..20).every { !consumer.attempt(record) }
        consumer.attempt(record)
        consumer.handled() == 1
        consumer.deadLettered() == 0
    }

    def "a non-transient failure is retried max-attempts times before the dead letter is tried"() {
        given:
        def consumer = new ReliableConsumer('t', 'g', ['t.v1'], 'localhost:1', new FederationSettings(maxAttempts: 3).policy()) {
            @Override
            protected void handle(ConsumerRecord<String, String> record) {
                throw new IllegalStateException('bug')
            }
        }
        def record = new ConsumerRecord<String, String>('t.v1', 0, 8L, 'k', 'v')

        expect: "attempts 1 and 2 ask for a retry"
        !consumer.attempt(record)
        !consumer.attempt(record)
        consumer.deadLettered() == 0
    }
}

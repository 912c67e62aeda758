package org.labcommons.iot.faults

import io.micronaut.runtime.Micronaut

/**
 * The bridge process of the fault specifications and the benchmark: the platform's application
 * on the test classpath, configured entirely by system properties ({@code labcommons.roles=iot},
 * the database, Kafka and broker of the specification). Started by {@link BridgeProcess}.
 */
class BridgeMain {
    static void main(String[] args) {
        Micronaut.build(args).mainClass(BridgeMain).banner(false).start()
        println 'bridge process started'
    }
}

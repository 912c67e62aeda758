package org.labcommons.devstack.containers;

import org.labcommons.devstack.InfraService;
import org.testcontainers.kafka.KafkaContainer;

import java.util.Map;

/** Kafka 3.9 (KRaft) as a Testcontainers container. */
final class ContainerKafka implements InfraService {
    private KafkaContainer container;

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public void start() {
        container = new KafkaContainer("apache/kafka:3.9.1");
        container.start();
    }

    @Override
    public Map<String, String> properties() {
        return Map.of("labcommons.kafka.bootstrap", container.getBootstrapServers());
    }

    @Override
    public void close() {
        if (container != null) {
            container.stop();
            container = null;
        }
    }
}

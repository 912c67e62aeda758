package org.labcommons.server;

import io.micronaut.runtime.Micronaut;

/**
 * Runs LabCommons. With {@code --dev} (or LABCOMMONS_DEV=true) it first starts real PostgreSQL,
 * Kafka, Elasticsearch, an MQTT broker and an identity provider in this process and loads demo
 * data; otherwise it connects to the services named by the LABCOMMONS_* settings.
 * {@code LABCOMMONS_ROLES} chooses which roles this process plays (default: all).
 */
public final class Application {
    private Application() {
    }

    public static void main(String[] args) throws Exception {
        if (DevMode.requested(args)) {
            DevMode.run(args);
        } else {
            Micronaut.build(args).mainClass(Application.class).banner(false).start();
        }
    }
}

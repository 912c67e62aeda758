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
            try {
                DevMode.run(args);
            } catch (Exception e) {
                // the embedded services leave non-daemon threads behind: exit instead of hanging
                System.err.println("LabCommons dev mode failed to start: " + e.getMessage());
                e.printStackTrace();
                System.exit(1);
            }
        } else {
            Micronaut.build(args).mainClass(Application.class).banner(false).start();
        }
    }
}

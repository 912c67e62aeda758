package org.labcommons.iot.ingest;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A bridge on its own, in a JVM of its own: a Micronaut application with the {@code iot} role (unless
 * {@code labcommons.roles} says otherwise), configured like the server (LABCOMMONS_* variables or
 * {@code -Dlabcommons.…} properties: the database, Kafka, the broker, {@code labcommons.iot.ingest.client-id}).
 * With a Netty HTTP server on the classpath (the server's, or iot-bridge's test classpath) it also answers
 * {@code /health} ({@code mqtt} is UP once the bridge's session is connected) on {@code micronaut.server.port}.
 * It runs until the JVM is stopped (SIGTERM: a graceful stop; SIGKILL: a crash, which loses nothing either).
 * <pre>
 * java -cp "$(cat iot-bridge/target/classpath.txt)" -Dlabcommons.kafka.bootstrap=… -Dlabcommons.mqtt.url=… \
 *      -Dlabcommons.db.url=… -Dlabcommons.db.password=… -Dlabcommons.db.migrate=false \
 *      -Dlabcommons.iot.ingest.client-id=bridge-2 org.labcommons.iot.ingest.BridgeMain
 * </pre>
 */
public final class BridgeMain {
    private BridgeMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Map<String, Object> defaults = new HashMap<>();
        if (System.getProperty("labcommons.roles") == null && System.getenv("LABCOMMONS_ROLES") == null) {
            defaults.put("labcommons.roles", "iot");
        }
        ApplicationContext context = Micronaut.build(args).mainClass(BridgeMain.class).banner(false)
                .properties(defaults).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            context.close();
            stopped.countDown();
        }, "bridge-main-stop"));
        stopped.await();
    }
}

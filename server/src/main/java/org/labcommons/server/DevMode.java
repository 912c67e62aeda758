package org.labcommons.server;

import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.Micronaut;
import io.micronaut.runtime.server.EmbeddedServer;
import org.labcommons.core.health.OperationsSettings;
import org.labcommons.devstack.DevStack;
import org.labcommons.devstack.DevStackConfig;
import org.labcommons.server.iot.DemoControllers;
import org.labcommons.server.iot.DemoWeek;
import org.labcommons.server.money.DemoMoney;
import org.labcommons.devstack.mqtt.HttpMqttAccessPolicy;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The one-command platform: real infrastructure, demo data, web UI on http://localhost:8080.
 * Data lives in {@code .labcommons/dev} (survives restarts; delete it for a fresh start).
 * Ctrl-C stops the application first, then every service it started.
 */
final class DevMode {
    /** Demo identities the dev identity provider issues tokens for (issuer id, user name, what they are). */
    static final List<List<String>> DEMO_LOGINS = List.of(
            List.of("consortium", "bureau-admin", "consortium admin of the provincial science bureau"),
            List.of("consortium", "zj-network-admin", "network admin of the Zhejiang sharing network"),
            List.of("donghu", "donghu-admin", "institution admin, Donghu University"),
            List.of("donghu", "donghu-nmr-staff", "instrument admin of the 400 MHz NMR"),
            List.of("donghu", "donghu-researcher", "researcher, Donghu chemistry (books the NMR; a booking covers now)"),
            List.of("donghu", "donghu-student", "graduate student at Donghu (uses the TEM and the NMR)"),
            List.of("donghu", "donghu-finance", "finance staff of Donghu (month close, statements, netting)"),
            List.of("donghu", "hz-engineer", "engineer of a testing company, a customer of Donghu (pays with a voucher)"),
            List.of("xiling", "xiling-researcher", "researcher at Xiling University of Technology"),
            List.of("xiling", "xiling-admin", "institution admin of Xiling"),
            List.of("xiling", "xiling-sem-staff", "instrument admin of Xiling's electron microscopy center (the SEM)"),
            List.of("xiling", "xiling-finance", "finance staff of Xiling (bookings its people hold elsewhere)"));

    private DevMode() {
    }

    static boolean requested(String[] args) {
        return Arrays.asList(args).contains("--dev")
                || Boolean.parseBoolean(System.getenv().getOrDefault("LABCOMMONS_DEV", "false"));
    }

    static void run(String[] args) throws Exception {
        if (System.getenv("LABCOMMONS_LOG_FORMAT") == null && System.getProperty("LABCOMMONS_LOG_FORMAT") == null) {
            System.setProperty("LABCOMMONS_LOG_FORMAT", "text");
        }
        Path home = Path.of(System.getProperty("labcommons.dev.dir", ".labcommons")).toAbsolutePath();
        DevStack stack = new DevStack(DevStackConfig.dev(home.resolve("dev")));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(stack), "labcommons-dev-stop"));
        stack.start();

        Map<String, Object> props = new LinkedHashMap<>(stack.properties());
        props.put("labcommons.demo.enabled", "true");
        // simulated LC-IC/1 controllers for a few demo instruments (DemoControllers), their files in the dev data
        props.put("labcommons.iot.simulator.demo-controllers", "true");
        props.put("labcommons.iot.simulator.directory", home.resolve("dev").resolve("controllers").toString());
        props.put(DevMailboxController.ENABLED, "true");
        // health details and metrics for everyone: dev mode listens on a developer's machine
        props.put(OperationsSettings.OPEN, "true");
        String[] appArgs = Arrays.stream(args).filter(a -> !"--dev".equals(a)).toArray(String[]::new);
        // the dev SMTP server is handed to the application so the dev mailbox page can read it
        context = Micronaut.build(appArgs).mainClass(Application.class).banner(false).properties(props)
                .singletons(stack.mail()).start();

        String web = "http://localhost:" + context.getBean(EmbeddedServer.class).getPort();
        // from now on the embedded broker asks the platform who may connect (devices provisioned in
        // tenant-admin, the bridge's account), as a production broker with the LabCommons extension does
        stack.mqtt().setPolicy(new HttpMqttAccessPolicy(web, stack.mqtt().brokerToken()));
        String health = waitForHealth(web + "/health", Duration.ofSeconds(60));
        long readyMs = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        long rssKb = residentKb(ProcessHandle.current().pid()) + ProcessHandle.current().descendants()
                .mapToLong(p -> residentKb(p.pid())).sum();
        Map<String, String> endpoints = new LinkedHashMap<>();
        endpoints.put("web UI", web);
        endpoints.put("health", web + "/health");
        endpoints.put("metrics", web + "/prometheus");
        endpoints.put("dev mailbox", web + "/dev/mailbox");
        endpoints.put("API docs", web + "/api/docs");
        endpoints.putAll(stack.endpoints());
        writeEndpointsFile(home.resolve("dev-endpoints.json"), endpoints, readyMs, rssKb, health);
        List<UUID> controllers = context.findBean(DemoControllers.class).map(DemoControllers::start).orElse(List.of());
        // the demo week of use (bookings, cards, the controllers' history) and the researcher's card at the NMR
        // then last month's money (DemoMoney): in the same background thread, as both set the booking clock back
        Runnable money = () -> context.findBean(DemoMoney.class).ifPresent(DevMode::loadMoney);
        context.findBean(DemoWeek.class).ifPresentOrElse(w -> w.startInBackground(money), () -> {
            Thread t = new Thread(money, "lc-demo-money");
            t.setDaemon(true);
            t.start();
        });
        printBanner(endpoints, readyMs, rssKb, health, stack, controllers);
    }

    private static volatile ApplicationContext context;

    private static void loadMoney(DemoMoney money) {
        try {
            money.load();
        } catch (RuntimeException e) {
            System.err.println("demo money not loaded: " + e);
        }
    }

    private static void stop(DevStack stack) {
        ApplicationContext ctx = context;
        if (ctx != null) {
            // Micronaut's own shutdown hook stops the context; stopping it from here as well
            // would deadlock, so wait for that first and only step in if nobody does.
            long deadline = System.currentTimeMillis() + 20_000;
            while (ctx.isRunning() && System.currentTimeMillis() < deadline) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (ctx.isRunning()) {
                ctx.stop();
            }
        }
        stack.close();
    }

    private static String waitForHealth(String url, Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                last = r.body();
                if (r.statusCode() == 200) {
                    return last;
                }
            } catch (Exception e) {
                last = e.toString();
            }
            Thread.sleep(250);
        }
        return last;
    }

    private static long residentKb(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                    .filter(l -> l.startsWith("VmRSS:"))
                    .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
                    .findFirst().orElse(0);
        } catch (Exception e) {
            return 0;
        }
    }

    private static void writeEndpointsFile(Path file, Map<String, String> endpoints, long readyMs, long rssKb,
                                           String health) throws Exception {
        JsonMapper json = context.getBean(JsonMapper.class);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("endpoints", endpoints);
        body.put("demoLogins", DEMO_LOGINS.stream()
                .map(l -> Map.of("issuer", l.get(0), "username", l.get(1), "who", l.get(2))).toList());
        body.put("demoCards", DemoWeek.PEOPLE.stream().map(p -> Map.of("username", p.username(), "card", p.card(),
                "cardId", p.cardId(), "login", p.login(), "who", p.who())).toList());
        body.put("timeToReadyMs", readyMs);
        body.put("residentMemoryKb", rssKb);
        try {
            body.put("health", json.readValue(health, Map.class));
        } catch (java.io.IOException notJson) {
            body.put("health", health);   // no answer: the error text itself
        }
        Files.createDirectories(file.getParent());
        Files.write(file, json.writeValueAsBytes(body));
    }

    private static void printBanner(Map<String, String> endpoints, long readyMs, long rssKb, String health,
                                    DevStack stack, List<UUID> controllers) {
        StringBuilder b = new StringBuilder("\n=== LabCommons dev mode is ready ===\n");
        endpoints.forEach((k, v) -> b.append(String.format("  %-22s %s%n", k, v)));
        b.append("  demo logins (type the user name on the dev identity provider's login page;\n"
                + "  an API token for one: ./labcommons token <user name>):\n");
        DEMO_LOGINS.forEach(l -> b.append(String.format("    %-20s issuer %-11s %s%n", l.get(1), l.get(0), l.get(2))));
        if (!controllers.isEmpty()) {
            b.append("  simulated controllers (LC-IC/1 reference devices of demo instruments; more: ./labcommons simulate):\n");
            controllers.forEach(id -> b.append("    ").append(id).append('\n'));
            b.append("  demo cards and PC logins (Donghu; the researcher's card opens the NMR ").append(DemoWeek.NMR)
                    .append(" during their booking):\n");
            DemoWeek.PEOPLE.forEach(p -> b.append(String.format("    %-20s card %-22s login %-9s %s%n", p.username(),
                    p.card(), p.login(), p.who())));
        }
        b.append(String.format("  ready in %.1f s (infrastructure %.1f s), resident memory %d MB (JVM + child processes)%n",
                readyMs / 1000.0, stack.startTime().toMillis() / 1000.0, rssKb / 1024));
        b.append("  health: ").append(health.contains("\"status\":\"UP\"") ? "UP" : health).append('\n');
        b.append("  written to .labcommons/dev-endpoints.json; press Ctrl-C to stop everything\n");
        System.out.println(b);
    }
}

package org.labcommons.iot.device;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The LC-IC/1 simulator: N reference devices at a total rate R for S seconds, printing what was
 * sent and acknowledged. {@code ./labcommons simulate --help} lists the options.
 *
 * <p>Devices come from config files ({@code --config FILE}, repeatable; {@code --configs DIR}: every
 * {@code *.json} in it). With {@code --devices N} and fewer config files than N, the missing devices
 * are created through a running server's device API as an institution admin
 * ({@code --token}, or the environment's {@code LABCOMMONS_TOKEN}; {@code --server}, default
 * {@code http://localhost:8080}) and their config files kept in the configs directory (default
 * {@code .labcommons/simulator}) for the next run.
 */
public final class Simulator {
    private Simulator() {
    }

    /** The parsed command line. */
    record Options(List<Path> configs, Path configDir, int devices, double rate, int duration, double eventShare,
                   URI server, String token, String room, int threads, List<String> claims) {
    }

    static final String USAGE = """
            usage: ./labcommons simulate [--config FILE]... [--configs DIR] [--devices N] [--rate R] [--duration S]
                                         [--event-share F] [--threads T] [--server URL] [--token TOKEN] [--room NAME]
              --config FILE    a device's config file (repeatable); its key, state and buffer live beside it
              --configs DIR    every *.json in DIR (default .labcommons/simulator when --devices is given)
              --devices N      run N devices; missing ones are created through the server's device API
              --rate R         messages per second in all (default 10)
              --duration S     seconds to send (default 60)
              --event-share F  share of events among the messages, 0..1 (default 0.1; the rest is telemetry)
              --threads T      sending threads (default: the number of processors)
              --server URL     the running server, for creating devices (default http://localhost:8080)
              --token TOKEN    an institution admin's bearer token (default: $LABCOMMONS_TOKEN),
                               e.g. TOKEN=$(./labcommons token donghu-admin)
              --room NAME      the room created devices are placed in (default: simulator)
              --claim CODE     claim a device created with a claim code (repeatable; no token needed): its config
                               file and key are kept in the configs directory
            """;

    static Options parse(String[] args) {
        List<Path> configs = new ArrayList<>();
        List<String> claims = new ArrayList<>();
        Path dir = null;
        int devices = 0;
        double rate = 10;
        int duration = 60;
        double eventShare = 0.1;
        URI server = URI.create("http://localhost:8080");
        String token = System.getenv("LABCOMMONS_TOKEN");
        String room = "simulator";
        int threads = Runtime.getRuntime().availableProcessors();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if ("--help".equals(a) || "-h".equals(a)) {
                throw new IllegalArgumentException("");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            String v = args[++i];
            try {
                switch (a) {
                    case "--config" -> configs.add(Path.of(v));
                    case "--configs" -> dir = Path.of(v);
                    case "--devices" -> devices = Integer.parseInt(v);
                    case "--rate" -> rate = Double.parseDouble(v);
                    case "--duration" -> duration = Integer.parseInt(v);
                    case "--event-share" -> eventShare = Double.parseDouble(v);
                    case "--threads" -> threads = Integer.parseInt(v);
                    case "--server" -> server = URI.create(v);
                    case "--token" -> token = v;
                    case "--room" -> room = v;
                    case "--claim" -> claims.add(v);
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(a + " needs a number, was " + v);
            }
        }
        if (devices < 0 || rate <= 0 || duration <= 0 || eventShare < 0 || eventShare > 1 || threads < 1) {
            throw new IllegalArgumentException("--devices >= 0, --rate > 0, --duration > 0, --event-share in 0..1, --threads >= 1");
        }
        if (dir == null && (devices > 0 || configs.isEmpty() || !claims.isEmpty())) {
            dir = Path.of(".labcommons", "simulator");
        }
        return new Options(configs, dir, devices, rate, duration, eventShare, server, token, room, threads, claims);
    }

    /** Every config file to run: the named ones, then the directory's, creating devices up to {@code --devices}. */
    static List<Path> configs(Options o) throws IOException, InterruptedException {
        List<Path> all = new ArrayList<>(o.configs());
        for (String code : o.claims()) {
            Path claimed = new DeviceProvisioning(o.server(), "").claim(o.configDir(), code, "labcommons-reference-1");
            System.out.printf("claimed %s: %s%n", code, claimed);
        }
        if (o.configDir() != null && Files.isDirectory(o.configDir())) {
            try (Stream<Path> files = Files.list(o.configDir())) {
                files.filter(p -> p.toString().endsWith(".json")).sorted().forEach(all::add);
            }
        }
        if (o.devices() > 0 && all.size() > o.devices()) {
            return all.subList(0, o.devices());
        }
        int missing = o.devices() - all.size();
        if (missing > 0) {
            if (o.token() == null || o.token().isBlank()) {
                throw new IllegalArgumentException(missing + " more devices are needed and there is no token to create them: "
                        + "pass --token (TOKEN=$(./labcommons token donghu-admin)) or config files");
            }
            DeviceProvisioning provisioning = new DeviceProvisioning(o.server(), o.token());
            String run = UUID.randomUUID().toString().substring(0, 8);
            System.out.printf("creating %d devices through %s/api/v1/devices ...%n", missing, o.server());
            for (int i = 0; i < missing; i++) {
                all.add(provisioning.create(o.configDir(), "sim-" + run + "-" + (i + 1), "power_interlock", o.room()));
            }
        }
        return all;
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().isEmpty()) {
                System.err.println(e.getMessage());
            }
            System.err.print(USAGE);
            System.exit(e.getMessage().isEmpty() ? 0 : 2);
            return;
        }
        List<Path> configs;
        try {
            configs = configs(options);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        if (configs.isEmpty()) {
            System.err.println("no devices: name config files (--config, --configs) or --devices N");
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        System.exit(run(configs, options) ? 0 : 1);
    }

    static boolean run(List<Path> configs, Options options) {
        ReferenceDevice.Options deviceOptions = ReferenceDevice.Options.defaults().withSeqBlock(1000).withForceBuffer(false);
        try (SimulatedFleet fleet = SimulatedFleet.open(configs, deviceOptions, options.eventShare())) {
            long t0 = System.nanoTime();
            int live = fleet.connect(Duration.ofSeconds(30));
            System.out.printf("%d of %d devices connected in %.1f s%n", live, configs.size(), (System.nanoTime() - t0) / 1e9);
            if (live == 0) {
                System.out.println("no device connected: check brokerUrl and the credentials in the config files");
                return false;
            }
            long published0 = fleet.published();
            long acked0 = fleet.acknowledged();
            long start = System.nanoTime();
            fleet.start(options.rate(), options.threads());
            for (int s = 1; s <= options.duration(); s++) {
                sleepUntil(start + s * 1_000_000_000L);
                if (s % 5 == 0 || s == options.duration()) {
                    System.out.printf("  %4d s  sent %,d  acknowledged %,d%n", s, fleet.published() - published0,
                            fleet.acknowledged() - acked0);
                }
            }
            fleet.stop();
            double sending = (System.nanoTime() - start) / 1e9;
            fleet.drain(Duration.ofSeconds(30));
            double total = (System.nanoTime() - start) / 1e9;
            long sent = fleet.published() - published0;
            long acked = fleet.acknowledged() - acked0;
            System.out.println(String.format(Locale.ROOT,
                    "devices %d, sent %d, acknowledged %d, failed %d, buffered %d, rate %.0f msg/s sent, %.0f msg/s acknowledged",
                    configs.size(), sent, acked, fleet.failed(), fleet.buffered(), sent / sending, acked / total));
            return acked == sent;
        }
    }

    private static void sleepUntil(long nanoTime) {
        long wait;
        while ((wait = nanoTime - System.nanoTime()) > 0) {
            try {
                Thread.sleep(Math.max(1, wait / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}

package org.labcommons.server.iot;

import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.catalog.InstrumentRows;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;
import org.labcommons.iot.devices.Device;
import org.labcommons.iot.devices.DeviceRegistry;
import org.labcommons.iot.devices.NewDevice;
import org.labcommons.iot.devices.Provisioned;
import org.labcommons.iot.device.DeviceConfigFile;
import org.labcommons.iot.device.ReferenceDevice;
import org.labcommons.iot.device.SimulatedFleet;
import org.labcommons.iot.device.SimulatorSettings;
import org.labcommons.iot.protocol.Signatures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Dev mode's simulated instrument controllers: a reference device (LC-IC/1) for a few demo
 * instruments, provisioned through the {@link DeviceRegistry} like any controller (idempotently:
 * a config file kept in {@code labcommons.iot.simulator.directory} is reused while its device is in
 * the registry and not revoked; a device whose config file was lost gets a new secret and key) and
 * run in this process at {@code labcommons.iot.simulator.rate}. Dev mode calls {@link #start()} once
 * the platform (and its demo data) is up, and prints {@link #deviceIds()}.
 */
@Singleton
@Requires(property = "labcommons.demo.enabled", value = "true")
@Requires(property = "labcommons.iot.simulator.demo-controllers", value = "true")
public class DemoControllers {
    private static final Logger LOG = LoggerFactory.getLogger(DemoControllers.class);

    /** The demo instruments that get a controller: tenant slug, asset number, kind. */
    record Demo(String tenant, String assetNumber, String kind) {
    }

    static final List<Demo> DEMOS = List.of(
            new Demo("donghu", "DH-2012-0417", "power_interlock"),   // 400 MHz NMR
            new Demo("donghu", "DH-2015-0921", "power_interlock"),   // TEM
            new Demo("xiling", "XL-2017-0045", "card_reader"));      // FE-SEM

    private final DeviceRegistry registry;
    private final TenantTransactions tenants;
    private final InstrumentRows instruments;
    private final SimulatorSettings settings;
    private final List<UUID> deviceIds = new ArrayList<>();
    private final Map<String, ReferenceDevice> byAsset = new LinkedHashMap<>();
    private SimulatedFleet fleet;

    public DemoControllers(DeviceRegistry registry, TenantTransactions tenants, InstrumentRows instruments,
                           SimulatorSettings settings) {
        this.registry = registry;
        this.tenants = tenants;
        this.instruments = instruments;
        this.settings = settings;
    }

    /** Provisions what is missing and starts the devices (connecting in the background). */
    public synchronized List<UUID> start() {
        if (fleet != null) {
            return List.copyOf(deviceIds);
        }
        Path dir = Path.of(settings.getDirectory());
        List<Path> configs = new ArrayList<>();
        List<String> assets = new ArrayList<>();
        for (Demo demo : DEMOS) {
            try {
                provision(demo, dir).ifPresent(config -> {
                    configs.add(config);
                    assets.add(demo.assetNumber());
                });
            } catch (RuntimeException e) {
                LOG.warn("demo controller for {} not provisioned: {}", demo.assetNumber(), e.toString());
            }
        }
        fleet = SimulatedFleet.open(configs, ReferenceDevice.Options.defaults().withSeqBlock(100), settings.getEventShare());
        fleet.devices().forEach(d -> deviceIds.add(d.deviceId()));
        for (int i = 0; i < assets.size(); i++) {
            byAsset.put(assets.get(i), fleet.devices().get(i));
        }
        Thread starter = new Thread(() -> {
            int live = fleet.connect(Duration.ofSeconds(60));
            LOG.info("demo controllers: {} of {} connected", live, configs.size());
            fleet.start(settings.getRate(), 1);
        }, "lc-demo-controllers");
        starter.setDaemon(true);
        starter.start();
        return List.copyOf(deviceIds);
    }

    public synchronized List<UUID> deviceIds() {
        return List.copyOf(deviceIds);
    }

    /** The running controller of the demo instrument with this asset number (after {@link #start()}). */
    public synchronized Optional<ReferenceDevice> device(String assetNumber) {
        return Optional.ofNullable(byAsset.get(assetNumber));
    }

    /** Waits until the controller of {@code assetNumber} is connected and live, at most {@code timeout}. */
    public boolean awaitLive(String assetNumber, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (device(assetNumber).map(ReferenceDevice::isLive).orElse(false)) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    /** The config file of the demo's device, made or reused through the registry. */
    Optional<Path> provision(Demo demo, Path dir) {
        TenantId tenant = new TenantId(UUID.nameUUIDFromBytes(("labcommons-demo:tenant/" + demo.tenant())
                .getBytes(StandardCharsets.UTF_8)));
        Optional<UUID> instrument = tenants.inTenant(tenant, c -> instruments.findIdByAssetNumber(demo.assetNumber()));
        if (instrument.isEmpty()) {
            LOG.info("no demo instrument {} in {}: no controller for it", demo.assetNumber(), demo.tenant());
            return Optional.empty();
        }
        String name = "demo controller " + demo.assetNumber();
        Path config = dir.resolve(demo.tenant() + "-" + demo.assetNumber() + ".json");
        Path key = dir.resolve(demo.tenant() + "-" + demo.assetNumber() + ".key");
        Optional<Device> existing = registry.list(tenant, instrument.get(), 0, 100).items().stream()
                .filter(d -> d.name().equals(name) && !d.revoked()).findFirst();
        if (existing.isPresent() && Files.exists(config) && Files.exists(key)
                && DeviceConfigFile.read(config).deviceId().equals(existing.get().id())) {
            return Optional.of(config);
        }
        KeyPair pair = Signatures.newKeyPair();
        String publicKey = Signatures.base64url(Signatures.rawPublicKey(pair.getPublic()));
        Provisioned provisioned;
        if (existing.isPresent()) {
            // the registry has it but its config file is gone: a new secret and key
            UUID id = existing.get().id();
            provisioned = registry.rotate(tenant, AuditEntry.Actor.SYSTEM, id);
            registry.registerKey(tenant, AuditEntry.Actor.SYSTEM, id, publicKey);
        } else {
            provisioned = registry.create(tenant, AuditEntry.Actor.SYSTEM, null,
                    new NewDevice(demo.kind(), name, instrument.get(), null, publicKey, false));
        }
        write(key, Signatures.toPem(pair.getPrivate()));
        write(config, provisioned.config());
        LOG.info("demo controller {} provisioned for {} ({})", provisioned.device().id(), demo.assetNumber(), demo.tenant());
        return Optional.of(config);
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, text);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @PreDestroy
    synchronized void stop() {
        if (fleet != null) {
            fleet.close();
            fleet = null;
            byAsset.clear();
        }
    }
}

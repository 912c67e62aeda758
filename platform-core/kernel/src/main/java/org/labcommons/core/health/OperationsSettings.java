package org.labcommons.core.health;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.util.List;

/**
 * {@code labcommons.operations.*}: who may read the health details and the metrics
 * ({@link OperationsAccess}).
 */
@ConfigurationProperties("labcommons.operations")
public class OperationsSettings {
    /** The property dev mode sets to open the operations endpoints to everyone. */
    public static final String OPEN = "labcommons.operations.open";

    private List<String> networks = List.of("127.0.0.0/8", "::1/128");
    private boolean open;

    /**
     * The management network: address ranges (CIDR) whose clients (as {@code ClientAddresses}
     * resolves them) read health details and metrics without a token. Loopback only by default;
     * environment {@code LABCOMMONS_OPERATIONS_NETWORKS}, comma separated.
     */
    public List<String> getNetworks() { return networks; }
    public void setNetworks(List<String> networks) { this.networks = networks == null ? List.of() : List.copyOf(networks); }
    /** Everyone reads health details and metrics (dev mode turns it on; never in production). */
    public boolean isOpen() { return open; }
    public void setOpen(boolean open) { this.open = open; }
}

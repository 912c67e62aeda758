package org.labcommons.devstack.containers;

import org.labcommons.devstack.InfraService;

/**
 * Factory for the container-backed services, kept behind this class so that nothing touches
 * Testcontainers (or Docker) unless the container provider was chosen.
 */
public final class ContainerServices {
    private ContainerServices() {
    }

    public static InfraService postgres(String ownerPassword, String appPassword) {
        return new ContainerPostgres(ownerPassword, appPassword);
    }

    public static InfraService kafka() {
        return new ContainerKafka();
    }

    public static InfraService elasticsearch() {
        return new ContainerElasticsearch();
    }

    /**
     * True when Testcontainers can reach a Docker engine. Without a socket or DOCKER_HOST the
     * answer is no without asking Testcontainers (which would log its search as an error).
     */
    public static boolean dockerAvailable() {
        boolean hint = System.getenv("DOCKER_HOST") != null
                || java.nio.file.Files.exists(java.nio.file.Path.of("/var/run/docker.sock"))
                || java.nio.file.Files.exists(java.nio.file.Path.of(System.getProperty("user.home"), ".testcontainers.properties"));
        if (!hint) {
            return false;
        }
        try {
            return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}

package org.labcommons.core.health;

import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The event bus: the cluster answers and has at least one broker. */
@Singleton
public class KafkaHealthIndicator extends ProbeHealthIndicator {
    private final String bootstrap;
    private volatile Admin admin;

    public KafkaHealthIndicator(@Value("${labcommons.kafka.bootstrap:`localhost:9092`}") String bootstrap) {
        super("kafka");
        this.bootstrap = bootstrap;
    }

    private Admin admin() {
        if (admin == null) {
            synchronized (this) {
                if (admin == null) {
                    admin = Admin.create(Map.of(
                            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000,
                            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000,
                            AdminClientConfig.CLIENT_ID_CONFIG, "labcommons-health"));
                }
            }
        }
        return admin;
    }

    @Override
    protected boolean probe(Map<String, Object> details) throws Exception {
        details.put("bootstrap", bootstrap);
        DescribeClusterResult cluster = admin().describeCluster(new DescribeClusterOptions().timeoutMs(3000));
        details.put("clusterId", cluster.clusterId().get(3, TimeUnit.SECONDS));
        int brokers = cluster.nodes().get(3, TimeUnit.SECONDS).size();
        details.put("brokers", brokers);
        return brokers > 0;
    }

    @PreDestroy
    void close() {
        if (admin != null) {
            admin.close(java.time.Duration.ofSeconds(2));
        }
    }
}

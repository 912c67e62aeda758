package org.labcommons.search;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.HealthStatus;
import co.elastic.clients.elasticsearch.cluster.HealthResponse;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import jakarta.inject.Singleton;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;

import java.util.LinkedHashMap;
import java.util.Map;

/** The search cluster: green or yellow is serviceable (a single node is always yellow). */
@Singleton
@RequiresRole(PlatformRole.SEARCH)
public class ElasticsearchHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {
    private final ElasticsearchClient client;

    public ElasticsearchHealthIndicator(ElasticsearchClient client) {
        this.client = client;
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        Map<String, Object> details = new LinkedHashMap<>();
        try {
            HealthResponse health = client.cluster().health(h -> h.timeout(t -> t.time("2s")));
            details.put("cluster", health.clusterName());
            details.put("status", health.status().jsonValue());
            details.put("nodes", health.numberOfNodes());
            healthStatus = health.status() == HealthStatus.Red
                    ? io.micronaut.health.HealthStatus.DOWN : io.micronaut.health.HealthStatus.UP;
        } catch (Exception e) {
            healthStatus = io.micronaut.health.HealthStatus.DOWN;
            details.put("error", String.valueOf(e.getMessage()));
        }
        return details;
    }

    @Override
    public String getName() {
        return "elasticsearch";
    }
}

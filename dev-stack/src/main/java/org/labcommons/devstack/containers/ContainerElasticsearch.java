package org.labcommons.devstack.containers;

import org.labcommons.devstack.InfraService;
import org.testcontainers.elasticsearch.ElasticsearchContainer;

import java.util.Map;

/**
 * The full Elasticsearch 8.19 distribution as a container: it ships the standard {@code cjk} and
 * {@code english} analyzers itself, so our analysis plugin (made for the minimal distribution)
 * is not installed; {@code smartcn} needs the official analysis-smartcn plugin in the image.
 */
final class ContainerElasticsearch implements InfraService {
    private ElasticsearchContainer container;

    @Override
    public String name() {
        return "elasticsearch";
    }

    @Override
    public void start() {
        container = new ElasticsearchContainer("docker.elastic.co/elasticsearch/elasticsearch:8.19.21")
                .withEnv("xpack.security.enabled", "false")
                .withEnv("ES_JAVA_OPTS", "-Xms256m -Xmx256m");
        container.start();
    }

    @Override
    public Map<String, String> properties() {
        return Map.of("labcommons.es.url", "http://" + container.getHttpHostAddress());
    }

    @Override
    public void close() {
        if (container != null) {
            container.stop();
            container = null;
        }
    }
}

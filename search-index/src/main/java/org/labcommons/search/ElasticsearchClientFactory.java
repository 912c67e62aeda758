package org.labcommons.search;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import org.apache.http.HttpHost;
import org.elasticsearch.client.RestClient;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;

/** The Elasticsearch client of the search role ({@code labcommons.es.url}, LABCOMMONS_ES_URL). */
@Factory
@RequiresRole(PlatformRole.SEARCH)
public class ElasticsearchClientFactory {

    @Singleton
    @Bean(preDestroy = "close")
    RestClient restClient(@Value("${labcommons.es.url:`http://localhost:9200`}") String url) {
        return RestClient.builder(HttpHost.create(url))
                .setRequestConfigCallback(c -> c.setConnectTimeout(2000).setSocketTimeout(10_000))
                .build();
    }

    @Singleton
    ElasticsearchClient elasticsearchClient(RestClient restClient) {
        return new ElasticsearchClient(new RestClientTransport(restClient, new JacksonJsonpMapper()));
    }
}

package org.labcommons.devstack

import co.elastic.clients.elasticsearch.ElasticsearchClient
import co.elastic.clients.elasticsearch._types.HealthStatus
import co.elastic.clients.elasticsearch.indices.CreateIndexRequest
import co.elastic.clients.json.jackson.JacksonJsonpMapper
import co.elastic.clients.transport.rest_client.RestClientTransport
import org.apache.http.HttpHost
import org.elasticsearch.client.RestClient
import org.labcommons.devstack.elasticsearch.EmbeddedElasticsearch
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Tag


/**
 * Real Elasticsearch 8.19 (the minimal distribution, a child process) with the project's
 * search-analysis-plugin: the standard analyzer names a production mapping uses work here.
 */
@Tag('integration')
class ElasticsearchSpec extends Specification {
    static final String INDEX = 'spec-instruments'

    @Shared RestClient restClient
    @Shared ElasticsearchClient client

    def setupSpec() {
        restClient = RestClient.builder(HttpHost.create(SharedDevStack.get().properties()['labcommons.es.url'])).build()
        client = new ElasticsearchClient(new RestClientTransport(restClient, new JacksonJsonpMapper()))

        client.indices().create(CreateIndexRequest.of { b -> b.index(INDEX).withJson(new StringReader('''
            {
              "settings": {
                "number_of_shards": 1, "number_of_replicas": 0,
                "analysis": {
                  "analyzer": {
                    "zh_bigram":   { "type": "custom", "tokenizer": "standard", "filter": ["cjk_width", "lowercase", "cjk_bigram"] },
                    "en_stemmed":  { "type": "custom", "tokenizer": "standard", "filter": ["lowercase", "english_stemmer"] },
                    "en_porter":   { "type": "custom", "tokenizer": "standard", "filter": ["lowercase", "porter_stem"] },
                    "zh_words":    { "type": "custom", "tokenizer": "smartcn_tokenizer" }
                  },
                  "filter": { "english_stemmer": { "type": "stemmer", "language": "english" } }
                }
              },
              "mappings": {
                "properties": {
                  "name_zh": { "type": "text", "analyzer": "cjk" },
                  "name_en": { "type": "text", "analyzer": "english" }
                }
              }
            }''')) })
        index('nmr', '400M核磁共振谱仪', '400 MHz NMR spectrometers')
        index('tem', '透射电子显微镜', 'transmission electron microscope')
        client.indices().refresh { r -> r.index(INDEX) }
    }

    def cleanupSpec() {
        restClient?.close()
    }

    def "the node is a healthy single-node cluster reached through the handed-out URL"() {
        given:
        def elasticsearch = SharedDevStack.get().elasticsearch()
        long serverPid = elasticsearch.serverPid()

        expect:
        elasticsearch.properties()['labcommons.es.url'] == "http://127.0.0.1:${elasticsearch.port()}".toString()
        elasticsearch.endpoints()['elasticsearch'] == elasticsearch.url()

        and:
        with(client.cluster().health()) {
            clusterName() == EmbeddedElasticsearch.CLUSTER_NAME
            numberOfNodes() == 1
            status() in [HealthStatus.Green, HealthStatus.Yellow]
        }

        and: 'the server runs in its own JVM whose memory was measured'
        serverPid > 0 && serverPid != ProcessHandle.current().pid()
        elasticsearch.serverRssKb() > 0
    }

    def "the index mapping uses the standard analyzer names cjk and english"() {
        when:
        def mapping = client.indices().getMapping { m -> m.index(INDEX) }.get(INDEX).mappings().properties()

        then:
        mapping['name_zh'].text().analyzer() == 'cjk'
        mapping['name_en'].text().analyzer() == 'english'
    }

    def "a Chinese query finds the instrument through the cjk analyzer's bigrams"() {
        expect: '核磁共振 (NMR) finds the NMR spectrometer and not the electron microscope'
        search('name_zh', '核磁共振') == ['nmr']

        and: 'the same characters in another order share no bigram, so nothing matches (not single-character matching)'
        search('name_zh', '振共磁核') == []

        and: 'the distractor is findable by its own name'
        search('name_zh', '电子显微镜') == ['tem']
    }

    def "an English query finds the instrument through the english analyzer's stemming"() {
        expect: 'the singular finds the document that only has the plural'
        search('name_en', 'spectrometer') == ['nmr']
        search('name_en', 'microscopes') == ['tem']
    }

    def "the analyzers and filters produce the tokens of their Lucene counterparts"() {
        expect:
        analyze(analyzer, text) == tokens

        where:
        analyzer     | text                 || tokens
        'cjk'        | '核磁共振'           || ['核磁', '磁共', '共振']
        'cjk'        | 'ＮＭＲ 谱仪'        || ['nmr', '谱仪']
        'english'    | 'The spectrometers'  || ['spectromet']
        'zh_bigram'  | 'ＮＭＲ核磁共振'     || ['nmr', '核磁', '磁共', '共振']
        'en_stemmed' | 'Spectrometers'      || ['spectromet']
        'en_porter'  | 'Microscopes'        || ['microscop']
    }

    def "smartcn segments Chinese into dictionary words, not characters or fixed bigrams"() {
        expect: '"we booked the transmission electron microscope"'
        analyze('smartcn', '我们预约了透射电子显微镜，谢谢！') == ['我们', '预约', '了', '透射', '电子', '显微镜', '谢谢']

        and: 'the tokenizer is usable in custom analyzers too'
        analyze('zh_words', '核磁共振谱仪') != analyze('cjk', '核磁共振谱仪')
        analyze('zh_words', '透射电子显微镜') == ['透射', '电子', '显微镜']
    }

    private void index(String id, String nameZh, String nameEn) {
        client.index { i -> i.index(INDEX).id(id).document([name_zh: nameZh, name_en: nameEn]) }
    }

    private List<String> search(String field, String text) {
        client.search({ s -> s.index(INDEX).query { q -> q.match { m -> m.field(field).query(text) } } }, Map)
                .hits().hits()*.id().sort()
    }

    private List<String> analyze(String analyzer, String text) {
        client.indices().analyze { a -> a.index(INDEX).analyzer(analyzer).text(text) }.tokens()*.token()
    }
}

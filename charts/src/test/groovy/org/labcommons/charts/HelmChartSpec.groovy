package org.labcommons.charts

import com.fasterxml.jackson.databind.ObjectMapper
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper
import com.marcnuri.helm.Helm
import com.marcnuri.helm.LintResult
import com.marcnuri.helm.TemplateCommand
import io.fabric8.kubernetes.api.model.ConfigMap
import io.fabric8.kubernetes.api.model.Container
import io.fabric8.kubernetes.api.model.EnvVar
import io.fabric8.kubernetes.api.model.Probe
import io.fabric8.kubernetes.api.model.Service
import io.fabric8.kubernetes.api.model.ServiceAccount
import io.fabric8.kubernetes.api.model.apps.Deployment
import io.fabric8.kubernetes.api.model.networking.v1.Ingress
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths
import java.nio.file.StandardCopyOption

/**
 * The chart in charts/labcommons, checked with Helm 3 itself (helm-java embeds it as a native library):
 * strict lint, rendering with default and variant values, and validation of every rendered object
 * against the typed Kubernetes models of fabric8.
 */
@Tag('fast')
class HelmChartSpec extends Specification {

    static final List<String> ROLES = ['core', 'tenant-admin', 'search', 'federation', 'iot']
    static final String RELEASE = 'lc'
    static final String NAMESPACE = 'labcommons'
    /** Prefix of every resource name: <release>-<chart>. */
    static final String PREFIX = 'lc-labcommons'
    /** Variables that carry credentials: they must come from Secrets. */
    static final List<String> SECRET_VARIABLES = ['LABCOMMONS_DB_PASSWORD', 'LABCOMMONS_DB_OWNER_PASSWORD',
                                                  'LABCOMMONS_MQTT_PASSWORD', 'LABCOMMONS_OIDC_CLIENT_SECRET']

    @Shared Path chart = chartDirectory()
    @Shared ManifestValidator validator = new ManifestValidator()
    @Shared String defaultManifests
    @Shared String searchOnlyManifests
    @Shared ManifestValidator.Result defaults
    @Shared ManifestValidator.Result searchOnly

    @TempDir Path temp

    def setupSpec() {
        defaultManifests = template(chart).call()
        searchOnlyManifests = template(chart).withValuesFile(testValues('search-only-ingress-tls.yaml')).call()
        defaults = validator.validate(defaultManifests)
        searchOnly = validator.validate(searchOnlyManifests)
    }

    // ---------------------------------------------------------------------------------------------- lint

    def "the chart passes helm lint --strict without errors or warnings"() {
        when:
        LintResult lint = new Helm(chart).lint().strict().call()

        then:
        !lint.failed
        lint.messages.findAll { it =~ /\[(WARNING|ERROR)\]/ } == []
    }

    def "lint --strict rejects values that break the schema: #problem"() {
        given: 'a copy of the chart whose values.yaml is changed'
        Path copy = copyChartWithValues(change)

        when:
        LintResult lint = new Helm(copy).lint().strict().call()

        then:
        lint.failed
        lint.messages.any { it.startsWith('[ERROR] values.yaml:') && it.contains(reported) }

        where:
        problem                         | reported                                            | change
        'replicas is not an integer'    | 'roles.search.replicas: Invalid type'               | { Map v -> v.roles.search.replicas = 'three' }
        'unknown role (typo)'           | 'Additional property serach is not allowed'         | { Map v -> v.roles.serach = [enabled: true] }
        'missing role'                  | 'roles: iot is required'                            | { Map v -> v.roles.remove('iot') }
        'database url is not JDBC'      | 'database.url: Does not match pattern'              | { Map v -> v.database.url = 'postgres://db/labcommons' }
        'unknown pull policy'           | 'image.pullPolicy: image.pullPolicy must be one of' | { Map v -> v.image.pullPolicy = 'Sometimes' }
        'secret name is not a DNS name' | 'oidc.existingSecret: Does not match pattern'       | { Map v -> v.oidc.existingSecret = 'OIDC Secret' }
        'enabled is a string'           | 'roles.core.enabled: Invalid type'                  | { Map v -> v.roles.core.enabled = 'yes' }
        'misspelled top-level key'      | 'Additional property ingres is not allowed'         | { Map v -> v.ingres = [enabled: true] }
        'negative replicas'             | 'roles.iot.replicas: Must be greater than or equal to 0' | { Map v -> v.roles.iot.replicas = -1 }
        'trusted proxy is a host name'  | 'clientAddresses.trustedProxies.0: Does not match pattern' | { Map v -> v.clientAddresses.trustedProxies = ['ingress.example.org'] }
        'unknown forwarding header'     | 'clientAddresses.forwardedHeader must be one of'    | { Map v -> v.clientAddresses.forwardedHeader = 'x-real-ip' }
        'management network is a word'  | 'operations.networks.0: Does not match pattern'     | { Map v -> v.operations.networks = ['cluster'] }
    }

    def "lint --strict accepts a rewritten copy with valid values (control for the case above)"() {
        given:
        Path copy = copyChartWithValues { Map v ->
            v.roles.search.replicas = 5
            v.ingress.enabled = true
            v.ingress.tls.enabled = true
        }

        when:
        LintResult lint = new Helm(copy).lint().strict().call()

        then:
        !lint.failed
        lint.messages.findAll { it =~ /\[(WARNING|ERROR)\]/ } == []
    }

    def "rendering with an invalid --set value fails on the schema too"() {
        when:
        template(chart).set('roles.core.replicas', 'three').call()

        then:
        def e = thrown(IllegalStateException)
        e.message.contains('replicas')
    }

    // ---------------------------------------------------------------------------------------------- validity

    def "every rendered manifest is a valid Kubernetes object (#variant)"() {
        when:
        def result = validator.validate(manifests)

        then:
        result.problems == []
        result.objects.size() == expectedObjects
        result.objects.every { it.apiVersion && it.kind && it.metadata.name }

        where:
        variant                          | manifests                                           | expectedObjects
        'default values'                 | defaultManifests                                    | 1 + 1 + 3 * ROLES.size()
        'search only, ingress with TLS'  | searchOnlyManifests                                 | 1 + 1 + 3 + 1
        'ingress on, all roles'          | template(chart).set('ingress.enabled', true).call() | 1 + 1 + 3 * ROLES.size() + 1
    }

    def "the validator reports invalid manifests: #problem"() {
        when:
        def result = validator.validate(manifest)

        then:
        !result.valid
        result.problems.size() == 1
        result.problems[0].contains(reported)

        where:
        problem                           | reported                                   | manifest
        'replicas misspelled'             | 'unknown fields spec.replcas'              | deployment('replcas: 2')
        'nested typo in a container'      | 'spec.template.spec.containers[0].imagePullPolcy' | deployment('replicas: 2', 'imagePullPolcy: Always')
        'replicas is not an integer'      | 'does not deserialize as Deployment at spec.replicas' | deployment('replicas: "two"')
        'unquoted number for a string'    | 'at spec.template.spec.containers[0].env[0].value'    | deployment('replicas: 2', 'env: [{name: PORT, value: 8080}]')
        'metadata.name missing'           | 'missing metadata.name'                    | 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels: {a: b}\ndata: {A: b}\n'
        'kind missing'                    | 'missing kind'                             | 'apiVersion: v1\nmetadata:\n  name: x\n'
        'unknown apiVersion for the kind' | 'unsupported apiVersion/kind'              | 'apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: x\n'
        'duplicate key'                   | 'not valid YAML'                           | 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata: {A: b}\ndata: {B: c}\n'
    }

    def "the validator accepts the same hand-written manifest without the typo"() {
        expect:
        validator.validate(deployment('replicas: 2', 'env: [{name: PORT, value: "8080"}]')).problems == []
    }

    // ---------------------------------------------------------------------------------------------- defaults

    def "default values render one Deployment per role, each selecting its role with LABCOMMONS_ROLES"() {
        when:
        def deployments = byComponent(defaults.ofType(Deployment))

        then:
        deployments.keySet() == ROLES as Set
        ROLES.every { role ->
            def d = deployments[role]
            def c = container(d)
            d.metadata.name == PREFIX + '-' + role &&
                    env(c, 'LABCOMMONS_ROLES').value == role &&
                    c.image == 'ghcr.io/labcommons/server:0.1.0' &&
                    d.spec.selector.matchLabels['app.kubernetes.io/component'] == role &&
                    d.spec.template.metadata.labels['app.kubernetes.io/component'] == role
        }
        deployments.collectEntries { role, d -> [role, d.spec.replicas] } == [core: 2, 'tenant-admin': 1, search: 2, federation: 1, iot: 2]
    }

    def "every object carries the standard labels"() {
        expect:
        defaults.objects.every { o ->
            def l = o.metadata.labels
            l['app.kubernetes.io/name'] == 'labcommons' && l['app.kubernetes.io/instance'] == RELEASE &&
                    l['app.kubernetes.io/version'] == '0.1.0' && l['app.kubernetes.io/managed-by'] == 'Helm'
        }
        defaults.objects.findAll { it.metadata.labels['app.kubernetes.io/component'] }.size() == 3 * ROLES.size()
    }

    def "probes of #role point to /health/liveness and /health/readiness on port http"() {
        given:
        def c = container(byComponent(defaults.ofType(Deployment))[role])

        expect:
        c.ports*.name == ['http'] && c.ports[0].containerPort == 8080
        httpGet(c.livenessProbe) == ['/health/liveness', 'http']
        httpGet(c.readinessProbe) == ['/health/readiness', 'http']
        httpGet(c.startupProbe) == ['/health/liveness', 'http']
        c.startupProbe.failureThreshold * c.startupProbe.periodSeconds >= 120

        where:
        role << ROLES
    }

    def "credentials come from Secrets through secretKeyRef and are never inlined"() {
        given:
        def containers = defaults.ofType(Deployment).collect { container(it) }
        def configMap = defaults.ofType(ConfigMap).first()

        expect:
        containers.every { c ->
            c.env.findAll { it.name in SECRET_VARIABLES }.every { it.value == null && it.valueFrom?.secretKeyRef?.name && it.valueFrom.secretKeyRef.key }
        }
        containers.every { c -> ['LABCOMMONS_DB_PASSWORD', 'LABCOMMONS_MQTT_PASSWORD', 'LABCOMMONS_OIDC_CLIENT_SECRET'].every { env(c, it) } }
        secretRef(containers[0], 'LABCOMMONS_DB_PASSWORD') == ['labcommons-db', 'password']
        secretRef(containers[0], 'LABCOMMONS_DB_OWNER_PASSWORD') == ['labcommons-db', 'owner-password']
        secretRef(containers[0], 'LABCOMMONS_MQTT_PASSWORD') == ['labcommons-mqtt', 'password']
        secretRef(containers[0], 'LABCOMMONS_OIDC_CLIENT_SECRET') == ['labcommons-oidc', 'client-secret']
        !configMap.data.keySet().any { it =~ /PASSWORD|SECRET/ }
        defaults.ofType(io.fabric8.kubernetes.api.model.Secret).isEmpty()
    }

    def "every role may read the broker token (optional Secret); no broker is rendered unless asked for"() {
        given:
        def containers = defaults.ofType(Deployment).collect { container(it) }

        expect:
        containers.every { c ->
            def ref = env(c, 'LABCOMMONS_IOT_ACCESS_BROKER_TOKEN').valueFrom.secretKeyRef
            ref.name == 'labcommons-iot-access' && ref.key == 'broker-token' && ref.optional
        }
        !defaults.ofType(Deployment).any { it.metadata.labels['app.kubernetes.io/component'] == 'broker' }
    }

    def "broker.enabled renders a HiveMQ CE broker whose LabCommons extension asks the iot role"() {
        when:
        def result = validator.validate(template(chart).set('broker.enabled', 'true').set('broker.sweepSeconds', '5').call())
        def broker = result.ofType(Deployment).find { it.metadata.labels['app.kubernetes.io/component'] == 'broker' }
        def service = result.ofType(Service).find { it.metadata.labels['app.kubernetes.io/component'] == 'broker' }
        def hivemq = container(broker)
        def init = broker.spec.template.spec.initContainers

        then:
        result.problems == []
        broker.metadata.name == PREFIX + '-broker'
        broker.spec.replicas == 1
        hivemq.image == 'hivemq/hivemq-ce:2025.5'
        env(hivemq, 'LABCOMMONS_URL').value == "http://${PREFIX}-iot:8080"
        secretRef(hivemq, 'LABCOMMONS_BROKER_TOKEN') == ['labcommons-iot-access', 'broker-token']
        !env(hivemq, 'LABCOMMONS_BROKER_TOKEN').valueFrom.secretKeyRef.optional
        env(hivemq, 'LABCOMMONS_SWEEP_SECONDS').value == '5'

        and: 'the extension folder comes from its image into an emptyDir that replaces the image\'s extensions (no allow-all)'
        init*.image == ['ghcr.io/labcommons/hivemq-extension:0.1.0']
        init[0].command == ['cp', '-R', '/labcommons-access', '/extensions/']
        hivemq.volumeMounts.find { it.mountPath == '/opt/hivemq/extensions' }.name == 'extensions'
        broker.spec.template.spec.volumes.find { it.name == 'extensions' }.emptyDir != null

        and: 'its config.xml from a ConfigMap: a queue that rides out a bridge outage instead of the image\'s 1,000 messages'
        def config = result.ofType(ConfigMap).find { it.metadata.name == PREFIX + '-broker-config' }
        hivemq.volumeMounts.find { it.mountPath == '/opt/hivemq/conf/config.xml' }.subPath == 'config.xml'
        broker.spec.template.spec.volumes.find { it.name == 'config' }.configMap.name == PREFIX + '-broker-config'
        config.data['config.xml'].contains('<max-queue-size>1000000</max-queue-size>')
        config.data['config.xml'].contains('<persistence><mode>file</mode></persistence>')
        javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(config.data['config.xml'].getBytes('UTF-8')))
                .getElementsByTagName('max-queue-size').item(0).textContent == '1000000'

        and:
        service.metadata.name == PREFIX + '-broker'
        service.spec.ports*.port == [1883]
    }

    def "the ConfigMap carries the external services, shared by every role"() {
        given:
        def configMap = defaults.ofType(ConfigMap).first()

        expect:
        configMap.data == [
                LABCOMMONS_DEV            : 'false',
                MICRONAUT_SERVER_PORT     : '8080',
                LABCOMMONS_DB_URL         : 'jdbc:postgresql://postgresql:5432/labcommons',
                LABCOMMONS_DB_USER        : 'labcommons_app',
                LABCOMMONS_KAFKA_BOOTSTRAP: 'kafka:9092',
                LABCOMMONS_ES_URL         : 'http://elasticsearch:9200',
                LABCOMMONS_MQTT_URL       : 'tcp://mqtt:1883',
                LABCOMMONS_MQTT_USER      : 'labcommons',
                LABCOMMONS_OIDC_ISSUER    : 'https://idp.example.org/realms/labcommons',
                LABCOMMONS_OIDC_CLIENT_ID : 'labcommons',
                LABCOMMONS_TRUSTED_PROXIES: '10.244.0.0/16',
                LABCOMMONS_FORWARDED_HEADER: 'x-forwarded-for',
                LABCOMMONS_OPERATIONS_NETWORKS: '127.0.0.0/8,::1/128,10.244.0.0/16',
        ]
        defaults.ofType(Deployment).every { d ->
            container(d).envFrom*.configMapRef*.name == [configMap.metadata.name] &&
                    d.spec.template.metadata.annotations['checksum/config']
        }
    }

    def "values for external services reach the ConfigMap"() {
        when:
        def result = validator.validate(template(chart)
                .set('database.url', 'jdbc:postgresql://db.example.org:5432/lc?sslmode=require')
                .set('kafka.bootstrapServers', 'k1:9093,k2:9093')
                .set('mqtt.url', 'ssl://mqtt.example.org:8883')
                .set('extraConfig.LABCOMMONS_FEATURE_X', 'on')
                .call())

        then:
        result.problems == []
        with(result.ofType(ConfigMap).first().data) {
            it.LABCOMMONS_DB_URL == 'jdbc:postgresql://db.example.org:5432/lc?sslmode=require'
            it.LABCOMMONS_KAFKA_BOOTSTRAP == 'k1:9093,k2:9093'
            it.LABCOMMONS_MQTT_URL == 'ssl://mqtt.example.org:8883'
            it.LABCOMMONS_FEATURE_X == 'on'
        }
    }

    def "the trusted proxies and the management network reach the ConfigMap, comma separated"() {
        when:
        def result = validator.validate(template(chart)
                .set('clientAddresses.trustedProxies[0]', '10.42.0.0/16')
                .set('clientAddresses.trustedProxies[1]', 'fd00:42::/56')
                .set('clientAddresses.forwardedHeader', 'forwarded')
                .set('operations.networks[0]', '10.42.0.0/16')
                .call())

        then:
        result.problems == []
        with(result.ofType(ConfigMap).first().data) {
            it.LABCOMMONS_TRUSTED_PROXIES == '10.42.0.0/16,fd00:42::/56'
            it.LABCOMMONS_FORWARDED_HEADER == 'forwarded'
            it.LABCOMMONS_OPERATIONS_NETWORKS == '10.42.0.0/16'
        }
    }

    def "only core runs migrations, and only core receives the migration owner's credentials"() {
        given:
        def containers = byComponent(defaults.ofType(Deployment)).collectEntries { role, d -> [role, container(d)] }

        expect:
        containers.collectEntries { role, c -> [role, env(c, 'LABCOMMONS_DB_MIGRATE').value] } ==
                [core: 'true', 'tenant-admin': 'false', search: 'false', federation: 'false', iot: 'false']
        env(containers.core, 'LABCOMMONS_DB_OWNER_USER').value == 'labcommons_owner'
        containers.findAll { role, c -> role != 'core' }.every { role, c ->
            !env(c, 'LABCOMMONS_DB_OWNER_PASSWORD') && !env(c, 'LABCOMMONS_DB_OWNER_USER')
        }
    }

    def "JVM options and extra env come from values, per role or shared"() {
        when:
        def result = validator.validate(template(chart)
                .set('roles.search.javaToolOptions', '-Xmx700m')
                .set('roles.search.env[0].name', 'LABCOMMONS_SEARCH_SHARDS')
                .set('roles.search.env[0].value', 'auto') // --set types '3' as a number, which the schema rejects
                .set('extraEnv[0].name', 'TZ')
                .set('extraEnv[0].value', 'Europe/Paris')
                .call())
        def containers = byComponent(result.ofType(Deployment)).collectEntries { role, d -> [role, container(d)] }

        then:
        result.problems == []
        env(containers.search, 'JAVA_TOOL_OPTIONS').value == '-Xmx700m'
        env(containers.core, 'JAVA_TOOL_OPTIONS').value == '-XX:MaxRAMPercentage=75.0 -XX:+ExitOnOutOfMemoryError'
        env(containers.search, 'LABCOMMONS_SEARCH_SHARDS').value == 'auto'
        !env(containers.core, 'LABCOMMONS_SEARCH_SHARDS')
        containers.values().every { env(it, 'TZ').value == 'Europe/Paris' }
    }

    def "each role has a Service on port 8080 named http and a PodDisruptionBudget"() {
        given:
        def services = byComponent(defaults.ofType(Service))
        def budgets = byComponent(defaults.ofType(PodDisruptionBudget))
        def deployments = byComponent(defaults.ofType(Deployment))

        expect:
        services.keySet() == ROLES as Set
        budgets.keySet() == ROLES as Set
        ROLES.every { role ->
            def port = services[role].spec.ports.first()
            services[role].spec.ports.size() == 1 && port.name == 'http' && port.port == 8080 && port.targetPort.strVal == 'http' &&
                    services[role].spec.selector == deployments[role].spec.selector.matchLabels &&
                    budgets[role].spec.selector.matchLabels == deployments[role].spec.selector.matchLabels &&
                    budgets[role].spec.maxUnavailable.intVal == 1 && budgets[role].spec.minAvailable == null
        }
    }

    def "pods are hardened and scraped by Prometheus"() {
        expect:
        defaults.ofType(Deployment).every { d ->
            def pod = d.spec.template.spec
            def c = container(d)
            def tmp = pod.volumes.find { it.name == 'tmp' }
            pod.securityContext.runAsNonRoot && pod.securityContext.seccompProfile.type == 'RuntimeDefault' &&
                    c.securityContext.runAsNonRoot && c.securityContext.readOnlyRootFilesystem &&
                    c.securityContext.allowPrivilegeEscalation == false &&
                    c.securityContext.capabilities.drop == ['ALL'] && !c.securityContext.capabilities.add &&
                    c.securityContext.seccompProfile.type == 'RuntimeDefault' &&
                    tmp?.emptyDir != null && c.volumeMounts.find { it.name == 'tmp' }?.mountPath == '/tmp' &&
                    c.resources.requests.cpu && c.resources.requests.memory && c.resources.limits.memory &&
                    pod.automountServiceAccountToken == false &&
                    pod.serviceAccountName == PREFIX &&
                    d.spec.template.metadata.annotations.subMap(['prometheus.io/scrape', 'prometheus.io/path', 'prometheus.io/port']) ==
                    ['prometheus.io/scrape': 'true', 'prometheus.io/path': '/prometheus', 'prometheus.io/port': '8080']
        }
        defaults.ofType(ServiceAccount)*.metadata*.name == [PREFIX]
    }

    def "no Ingress by default; when enabled it routes paths to the role Services"() {
        expect:
        defaults.ofType(Ingress).isEmpty()

        when:
        def result = validator.validate(template(chart).set('ingress.enabled', true).call())
        def ingress = result.ofType(Ingress).first()

        then:
        result.problems == []
        ingress.spec.rules*.host == ['labcommons.example.org']
        !ingress.spec.tls
        routes(ingress) == ['/api/admin/tenants': PREFIX + '-tenant-admin',
                            '/api/federation'   : PREFIX + '-federation',
                            '/api/search'       : PREFIX + '-search',
                            '/'                 : PREFIX + '-core']
        ingress.spec.rules[0].http.paths.every { it.pathType == 'Prefix' && it.backend.service.port.name == 'http' }
    }

    // ---------------------------------------------------------------------------------------------- variant

    def "variant: only search with 3 replicas, published with TLS"() {
        expect: 'only the search role is rendered'
        searchOnly.problems == []
        byComponent(searchOnly.ofType(Deployment)).keySet() == ['search'] as Set
        byComponent(searchOnly.ofType(Service)).keySet() == ['search'] as Set
        byComponent(searchOnly.ofType(PodDisruptionBudget)).keySet() == ['search'] as Set

        and: 'it has 3 replicas and selects its role'
        def search = searchOnly.ofType(Deployment).first()
        search.spec.replicas == 3
        env(container(search), 'LABCOMMONS_ROLES').value == 'search'
        env(container(search), 'LABCOMMONS_DB_MIGRATE').value == 'false'
        !env(container(search), 'LABCOMMONS_DB_OWNER_PASSWORD')
        httpGet(container(search).livenessProbe) == ['/health/liveness', 'http']
        httpGet(container(search).readinessProbe) == ['/health/readiness', 'http']

        and: 'the Ingress has TLS and routes only to search'
        def ingress = searchOnly.ofType(Ingress).first()
        ingress.spec.ingressClassName == 'nginx'
        ingress.spec.tls*.secretName == ['search-labcommons-tls']
        ingress.spec.tls[0].hosts == ['search.labcommons.example.org']
        ingress.spec.rules*.host == ['search.labcommons.example.org']
        ingress.metadata.annotations['cert-manager.io/cluster-issuer'] == 'letsencrypt'
        routes(ingress) == ['/api/search': PREFIX + '-search']
    }

    def "the role list of every Deployment follows roles.<name>.enabled (#enabled)"() {
        given:
        def command = template(chart)
        ROLES.each { command.set("roles.${it}.enabled".toString(), it in enabled) }

        when:
        def result = validator.validate(command.call())

        then:
        result.problems == []
        byComponent(result.ofType(Deployment)).collectEntries { role, d -> [role, env(container(d), 'LABCOMMONS_ROLES').value] } ==
                enabled.collectEntries { [it, it] }

        where:
        enabled << [['core'], ['iot'], ['core', 'federation'], ['tenant-admin', 'search', 'iot']]
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private static Path chartDirectory() {
        def base = Paths.get(System.getProperty('basedir', '.'))
        def dir = [base.resolve('labcommons'), base.resolve('charts/labcommons')].find { Files.isRegularFile(it.resolve('Chart.yaml')) }
        assert dir, "chart not found from ${base.toAbsolutePath()}"
        dir.toAbsolutePath().normalize()
    }

    private static TemplateCommand template(Path chart) {
        new Helm(chart).template().withName(RELEASE).withNamespace(NAMESPACE)
    }

    private static Path testValues(String name) {
        Paths.get(HelmChartSpec.getResource("/values/${name}").toURI())
    }

    /** Copies the chart to a temporary directory and rewrites its values.yaml with change applied. */
    private Path copyChartWithValues(Closure change) {
        Path copy = copyChart()
        ObjectMapper yaml = new YAMLMapper()
        File valuesFile = copy.resolve('values.yaml').toFile()
        Map values = yaml.readValue(valuesFile, Map)
        change(values)
        yaml.writeValue(valuesFile, values)
        copy
    }

    private Path copyChart() {
        def target = temp.resolve('labcommons')
        Files.walk(chart).withCloseable { paths ->
            paths.forEach { Path p ->
                def to = target.resolve(chart.relativize(p).toString())
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to)
                } else {
                    Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING)
                }
            }
        }
        target
    }

    private static <T extends io.fabric8.kubernetes.api.model.HasMetadata> Map<String, T> byComponent(List<T> objects) {
        def map = objects.collectEntries { [it.metadata.labels['app.kubernetes.io/component'], it] }
        assert map.size() == objects.size(): 'one object per component'
        map
    }

    private static Container container(Deployment d) {
        assert d.spec.template.spec.containers.size() == 1
        d.spec.template.spec.containers.first()
    }

    private static EnvVar env(Container c, String name) {
        def matches = c.env.findAll { it.name == name }
        assert matches.size() <= 1: "${name} set more than once"
        matches ? matches.first() : null
    }

    private static List<String> secretRef(Container c, String name) {
        def ref = env(c, name).valueFrom.secretKeyRef
        [ref.name, ref.key]
    }

    private static List<Object> httpGet(Probe probe) {
        [probe.httpGet.path, probe.httpGet.port.strVal]
    }

    private static Map<String, String> routes(Ingress ingress) {
        assert ingress.spec.rules.size() == 1
        ingress.spec.rules[0].http.paths.collectEntries { [it.path, it.backend.service.name] }
    }

    /** A hand-written Deployment; specLine goes into spec, containerLine into the container. */
    private static String deployment(String specLine, String containerLine = 'imagePullPolicy: Always') {
        """\
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: broken
        spec:
          ${specLine}
          selector:
            matchLabels: {app: broken}
          template:
            metadata:
              labels: {app: broken}
            spec:
              containers:
                - name: server
                  image: ghcr.io/labcommons/server:0.1.0
                  ${containerLine}
        """.stripIndent()
    }
}

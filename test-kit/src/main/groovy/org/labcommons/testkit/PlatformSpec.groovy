package org.labcommons.testkit

import io.micronaut.context.ApplicationContext
import io.micronaut.core.type.Argument
import io.micronaut.inject.qualifiers.Qualifiers
import io.micronaut.runtime.server.EmbeddedServer
import jakarta.inject.Inject
import jakarta.inject.Named
import org.labcommons.devstack.SharedDevStack
import org.labcommons.devstack.mqtt.HttpMqttAccessPolicy
import org.labcommons.devstack.mqtt.MqttAccessPolicy
import spock.lang.Specification

import java.lang.reflect.Field
import java.lang.reflect.Method
import java.lang.reflect.Modifier

/**
 * The base of every specification that runs against the real platform: the JVM's shared dev stack
 * (PostgreSQL, Kafka, Elasticsearch, MQTT, the identity provider), an application context with its
 * embedded server on a free port, and {@code @Inject} fields and setters filled from that context
 * before every feature. A specification says only what it tests:
 *
 * <pre>
 * class AuditLogSpec extends PlatformSpec {
 *     &#64;Inject AuditLog audit
 *
 *     def "an entry is visible only to its tenant"() {
 *         given:
 *         def world = TenantWorld.build(ctx) { institution('a'); institution('b') }
 *         ...
 *     }
 * }
 * </pre>
 *
 * <p>Specifications that need no properties of their own share one context per test JVM: it is
 * started by the first of them and closed when the JVM exits. A specification that overrides
 * {@link #ownProperties()} gets a context with those properties, started before its first feature;
 * the next specification that asks for equal properties uses it too. Only one application runs in
 * the JVM at a time (its outbox relay, consumers and schedulers act on the one database): a
 * specification that needs other properties than the running context's closes it and starts its
 * own, and a {@code @MicronautTest} specification closes it before it starts.
 * {@link PlatformSpecExtension} does this.
 *
 * <p>The dev stack's MQTT broker decides who may connect by asking the running context over HTTP
 * ({@link HttpMqttAccessPolicy} on iot-bridge's {@code /api/iot/broker/*}, when the context has it), as a
 * production broker with the LabCommons extension does; when that context closes, the broker returns to
 * its own policy (the bridge's service account only).
 */
abstract class PlatformSpec extends Specification {

    /** The one running context: the shared one ({@link #sharedProperties} null) or one with properties of its own. */
    private static ApplicationContext sharedContext
    private static final Map<Class<?>, ApplicationContext> ownContexts = [:]

    /**
     * Properties this specification needs on top of the dev stack's (for example a small pool);
     * {@code null} (the default) means it shares the JVM's one context.
     */
    Map<String, String> ownProperties() {
        null
    }

    /** The application context of this specification (the shared one unless it has properties of its own). */
    ApplicationContext getCtx() {
        ApplicationContext own = ownContexts[getClass()]
        own ?: shared()
    }

    /** The running embedded server. */
    EmbeddedServer getServer() {
        ctx.getBean(EmbeddedServer)
    }

    /** {@code http://localhost:<port>}: the embedded server's address (always localhost: issuers follow the host). */
    String getBaseUrl() {
        "http://localhost:${server.port}"
    }

    /** JSON over HTTP against this specification's server. */
    Api getApi() {
        new Api(baseUrl, ctx)
    }

    /** Map tiles from an address that refuses at once: no specification reaches the internet, and a page must not care. */
    static final Map<String, String> NO_MAP_TILES = ['labcommons.maps.tile-url': 'http://localhost:1/tiles/{z}/{x}/{y}.png']

    /**
     * The property that offers the dev identity provider's issuers {@code issuerIds} on the sign-in page, besides the
     * dev stack's own (for {@code Browser.signIn} through a tenant's issuer): for {@link #ownProperties()}.
     */
    static Map<String, String> loginIssuers(String... issuerIds) {
        def dev = SharedDevStack.get()
        List<String> issuers = [dev.properties()['labcommons.oidc.login-issuers']] + issuerIds.collect { dev.identityProvider().issuer(it) }
        ['labcommons.oidc.login-issuers': issuers.findAll { it }.join(',')]
    }

    /** A connection as the schema owner (migrations' role): for reading what the runtime role may not. */
    static java.sql.Connection ownerConnection() {
        def p = SharedDevStack.get().properties()
        java.sql.DriverManager.getConnection(p['labcommons.db.url'], p['labcommons.db.owner-user'], p['labcommons.db.owner-password'])
    }

    /** A plain connection as the runtime role, outside any transaction and with no tenant bound. */
    static java.sql.Connection appConnection() {
        def p = SharedDevStack.get().properties()
        java.sql.DriverManager.getConnection(p['labcommons.db.url'], p['labcommons.db.user'], p['labcommons.db.password'])
    }

    // ------------------------------------------------------------------------------ lifecycle (PlatformSpecExtension)

    /** The dev stack's properties, a free server port and {@code extra}. */
    static Map<String, Object> contextProperties(Map<String, String> extra) {
        Map<String, Object> p = [:]
        p.putAll(SharedDevStack.get().properties())
        p['micronaut.server.port'] = '-1'
        p.putAll(extra ?: [:])
        p
    }

    static ApplicationContext start(Map<String, String> extra) {
        ApplicationContext c = ApplicationContext.builder().environments('test').properties(contextProperties(extra)).start()
        try {
            c.findBean(EmbeddedServer).ifPresent { it.start() }
        } catch (RuntimeException e) {
            c.close()
            throw e
        }
        installBrokerPolicy(c)
        c
    }

    /** The access decision the MQTT broker asks, while a context that serves it runs (null: the broker's own). */
    private static MqttAccessPolicy brokerPolicy

    /** The name of iot-bridge's controller of the brokers' access decision (the test kit cannot depend on iot-bridge). */
    static final String BROKER_ACCESS_CONTROLLER = 'org.labcommons.iot.access.BrokerAccessController'

    /** Points the dev stack's broker at {@code c}'s access decision, when {@code c} serves it over HTTP. */
    private static synchronized void installBrokerPolicy(ApplicationContext c) {
        EmbeddedServer server = c.findBean(EmbeddedServer).orElse(null)
        if (server == null || !server.running) {
            return
        }
        Class<?> controller
        try {
            controller = Class.forName(BROKER_ACCESS_CONTROLLER, false, c.classLoader)
        } catch (ClassNotFoundException ignored) {
            return
        }
        def broker = SharedDevStack.get().mqtt()
        String token = c.getProperty('labcommons.iot.access.broker-token', String).orElse(broker.brokerToken())
        if (!c.containsBean(controller) || !token) {
            return
        }
        brokerPolicy = new HttpMqttAccessPolicy("http://localhost:${server.port}", token)
        broker.setPolicy(brokerPolicy)
    }

    /** The broker returns to its own policy when the context it asked is gone. */
    private static synchronized void revertBrokerPolicy() {
        if (brokerPolicy != null) {
            def broker = SharedDevStack.get().mqtt()
            if (broker.policy().is(brokerPolicy)) {
                broker.resetPolicy()
            }
            brokerPolicy = null
        }
    }

    static synchronized ApplicationContext shared() {
        if (sharedFailure != null) {
            throw sharedFailure
        }
        try {
            contextFor(null)
        } catch (RuntimeException e) {
            // remembered, so the remaining specifications fail at once with the same cause
            sharedFailure = new IllegalStateException('the shared application context failed to start', e)
            throw sharedFailure
        }
    }

    private static boolean hookAdded
    private static IllegalStateException sharedFailure

    /**
     * The running context started with {@code own} (null: the shared one). There is one at a time: a
     * running context with other properties is closed first, and one with the same properties is used
     * again, so consecutive specifications that ask for the same properties share it too.
     */
    private static ApplicationContext contextFor(Map<String, String> own) {
        if (sharedContext != null && sharedContext.running && sharedProperties == own) {
            return sharedContext
        }
        closeShared()
        sharedContext = start(own)
        sharedProperties = own == null ? null : new LinkedHashMap<>(own)
        if (!hookAdded) {
            hookAdded = true
            Runtime.runtime.addShutdownHook(new Thread({ closeShared() } as Runnable, 'platform-spec-context-stop'))
        }
        sharedContext
    }

    private static Map<String, String> sharedProperties

    /** Closes the running context if there is one (the next specification starts the one it needs). */
    static synchronized void closeShared() {
        if (sharedContext != null) {
            ApplicationContext c = sharedContext
            sharedContext = null
            sharedProperties = null
            revertBrokerPolicy()
            if (c.running) {
                c.close()
            }
        }
    }

    static synchronized void startOwn(Class<?> spec, Map<String, String> extra) {
        ownContexts[spec] = contextFor(extra)
    }

    /** Forgets the specification's context; it keeps running until a specification needs other properties. */
    static synchronized void closeOwn(Class<?> spec) {
        ownContexts.remove(spec)
    }

    /** Fills the {@code @Inject} fields and one-argument setters of {@code spec} (and its superclasses) from its context. */
    static void inject(PlatformSpec spec) {
        ApplicationContext c = spec.ctx
        for (Class<?> k = spec.getClass(); k != PlatformSpec && k != null; k = k.superclass) {
            for (Field f : k.declaredFields) {
                if (f.isAnnotationPresent(Inject) && !Modifier.isStatic(f.modifiers)) {
                    f.accessible = true
                    f.set(spec, bean(c, f.type, f.genericType, f.getAnnotation(Named)))
                }
            }
            for (Method m : k.declaredMethods) {
                if (m.isAnnotationPresent(Inject) && m.parameterCount == 1 && !Modifier.isStatic(m.modifiers)) {
                    m.accessible = true
                    m.invoke(spec, bean(c, m.parameterTypes[0], m.genericParameterTypes[0], m.getAnnotation(Named)))
                }
            }
        }
    }

    private static Object bean(ApplicationContext c, Class<?> type, java.lang.reflect.Type generic, Named named) {
        if (type == ApplicationContext) {
            return c
        }
        Argument<?> argument = Argument.of(generic)
        named ? c.getBean(argument, Qualifiers.byName(named.value())) : c.getBean(argument)
    }
}

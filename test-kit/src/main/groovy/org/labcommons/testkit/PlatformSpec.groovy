package org.labcommons.testkit

import io.micronaut.context.ApplicationContext
import io.micronaut.core.type.Argument
import io.micronaut.inject.qualifiers.Qualifiers
import io.micronaut.runtime.server.EmbeddedServer
import jakarta.inject.Inject
import jakarta.inject.Named
import org.labcommons.devstack.SharedDevStack
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
 * {@link #ownProperties()} gets a context of its own, started before its first feature and closed
 * after its last. Only one application runs in the JVM at a time (its outbox relay, consumers and
 * schedulers act on the one database): before a specification with a context of its own starts,
 * and before a {@code @MicronautTest} specification starts, the shared context is closed; the next
 * specification that shares starts it again. {@link PlatformSpecExtension} does this.
 */
abstract class PlatformSpec extends Specification {

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
        c
    }

    static synchronized ApplicationContext shared() {
        if (sharedFailure != null) {
            throw sharedFailure
        }
        if (sharedContext == null || !sharedContext.running) {
            try {
                sharedContext = start(null)
            } catch (RuntimeException e) {
                // remembered, so the remaining specifications fail at once with the same cause
                sharedFailure = new IllegalStateException('the shared application context failed to start', e)
                throw sharedFailure
            }
            if (!hookAdded) {
                hookAdded = true
                Runtime.runtime.addShutdownHook(new Thread({ closeShared() } as Runnable, 'platform-spec-context-stop'))
            }
        }
        sharedContext
    }

    private static boolean hookAdded
    private static IllegalStateException sharedFailure

    /** Closes the shared context if it runs (the next specification that shares starts a new one). */
    static synchronized void closeShared() {
        if (sharedContext != null) {
            ApplicationContext c = sharedContext
            sharedContext = null
            if (c.running) {
                c.close()
            }
        }
    }

    static synchronized void startOwn(Class<?> spec, Map<String, String> extra) {
        closeShared()
        ownContexts[spec] = start(extra)
    }

    static synchronized void closeOwn(Class<?> spec) {
        ApplicationContext c = ownContexts.remove(spec)
        if (c != null && c.running) {
            c.close()
        }
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

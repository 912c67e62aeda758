package org.labcommons.testkit

import org.junit.platform.engine.FilterResult
import org.junit.platform.engine.TestDescriptor
import org.junit.platform.engine.support.descriptor.ClassSource
import org.junit.platform.launcher.PostDiscoveryFilter

/**
 * Runs a test JVM's specifications in an order that starts as few application contexts as
 * possible (registered in {@code META-INF/services}; it excludes nothing). One application runs at
 * a time ({@link PlatformSpec}): a context is started again whenever the next specification asks for
 * other properties, so the order matters. The Spock engine's specifications run
 * <ol>
 *   <li>first those not on {@code PlatformSpec} (pure specifications, {@code @MicronautTest} ones,
 *       which would close a running context);</li>
 *   <li>then those on the JVM's shared context (no {@code ownProperties()});</li>
 *   <li>then those with properties of their own, grouped by the class that declares
 *       {@code ownProperties()}, so the subclasses of one base with equal properties share one
 *       context.</li>
 * </ol>
 * Within a group by class name. JUnit Platform calls a post-discovery filter for every test
 * descriptor after discovery; the first call of a Spock engine reorders that engine's children
 * (the specifications) before anything runs.
 *
 * <p>Only in a test JVM with the system property {@code labcommons.spec-order=contexts}: the parent
 * POM sets it from the Maven property {@code labcommons.specOrder}, which a module sets to
 * {@code contexts} once its whole suite passed in this order (a specification may have relied on
 * the context restarts of the other order, say to reset an in-memory rate limit).
 */
class PlatformSpecOrder implements PostDiscoveryFilter {

    static final String PLATFORM_SPEC = 'org.labcommons.testkit.PlatformSpec'

    private final Set<TestDescriptor> ordered = Collections.newSetFromMap(new IdentityHashMap<TestDescriptor, Boolean>())

    @Override
    FilterResult apply(TestDescriptor descriptor) {
        TestDescriptor root = descriptor
        while (root.parent.present) {
            root = root.parent.get()
        }
        if (System.getProperty('labcommons.spec-order') != 'contexts') {
            return FilterResult.included('specifications in surefire\'s order')
        }
        synchronized (ordered) {
            if (root.uniqueId.engineId.orElse('') == 'spock' && ordered.add(root)) {
                root.orderChildren { List<TestDescriptor> specs -> specs.toSorted(ORDER) }
            }
        }
        FilterResult.included('specifications are only reordered')
    }

    static final Comparator<TestDescriptor> ORDER = Comparator
            .comparing({ TestDescriptor d -> group(specClass(d)) } as java.util.function.Function<TestDescriptor, Integer>)
            .thenComparing({ TestDescriptor d -> propertiesClass(specClass(d)) } as java.util.function.Function<TestDescriptor, String>)
            .thenComparing({ TestDescriptor d -> specClass(d)?.name ?: d.displayName } as java.util.function.Function<TestDescriptor, String>)

    private static Class<?> specClass(TestDescriptor d) {
        def source = d.source.orElse(null)
        source instanceof ClassSource ? ((ClassSource) source).javaClass : null
    }

    /** 0: not a PlatformSpec (or no class), 1: on the shared context, 2: properties of its own. */
    static int group(Class<?> spec) {
        if (spec == null || !platformSpec(spec)) {
            return 0
        }
        propertiesClass(spec) == PLATFORM_SPEC ? 1 : 2
    }

    /** The name of the class that declares the specification's {@code ownProperties()} ('' when not a PlatformSpec). */
    static String propertiesClass(Class<?> spec) {
        if (spec == null || !platformSpec(spec)) {
            return ''
        }
        for (Class<?> k = spec; k != null; k = k.superclass) {
            if (k.declaredMethods.any { it.name == 'ownProperties' && it.parameterCount == 0 }) {
                return k.name
            }
        }
        PLATFORM_SPEC
    }

    /** By name: the filter may be loaded by another class loader than the specifications. */
    private static boolean platformSpec(Class<?> spec) {
        for (Class<?> k = spec; k != null; k = k.superclass) {
            if (k.name == PLATFORM_SPEC) {
                return true
            }
        }
        false
    }
}

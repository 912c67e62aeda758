package org.labcommons.testkit

import org.spockframework.runtime.extension.IGlobalExtension
import org.spockframework.runtime.extension.IMethodInvocation
import org.spockframework.runtime.model.SpecInfo
import spock.lang.Tag

/**
 * Spock global extension (registered in {@code META-INF/services}) that gives every specification
 * its test tier and module as JUnit platform tags, and runs {@link PlatformSpec}'s lifecycle.
 *
 * <p>Tiers: a specification's own {@code @Tag('fast')} (no infrastructure: pure unit
 * specifications), {@code browser} for {@code *BrowserSpec}, {@code benchmark-smoke} for
 * {@code *BenchmarkSpec}, and {@code integration} for every other one. The module tag is
 * {@code module-<artifactId>}, from the system property {@code labcommons.module} that surefire
 * sets. Select with {@code -Dtags}, e.g. {@code -Dtags=fast} or
 * {@code -Dtags='integration & module-kernel'} (the parent POM's {@code test-tags} profile).
 *
 * <p>Lifecycle: a {@link PlatformSpec} with {@link PlatformSpec#ownProperties()} gets its context
 * before its {@code setupSpec} and loses it after its {@code cleanupSpec}; every PlatformSpec has
 * its {@code @Inject} members filled before each {@code setup}. Before a {@code @MicronautTest}
 * specification runs, the shared context is closed, so one application runs at a time.
 */
class PlatformSpecExtension implements IGlobalExtension {

    static final List<String> TIERS = ['fast', 'integration', 'browser', 'benchmark-smoke']

    @Override
    void visitSpec(SpecInfo spec) {
        SpecInfo bottom = spec.bottomSpec
        String tier = tierOf(bottom.reflection)
        String module = System.getProperty('labcommons.module')
        bottom.allFeatures.each { feature ->
            boolean ownTier = feature.featureMethod.reflection.getAnnotationsByType(Tag).any { it.value() in TIERS }
            if (tier != null && !ownTier) {
                feature.addTestTag(tier)
            }
            if (module) {
                feature.addTestTag("module-${module}".toString())
            }
        }

        if (PlatformSpec.isAssignableFrom(bottom.reflection)) {
            SpecInfo base = bottom
            while (base.reflection != PlatformSpec) {
                base = base.superSpec
            }
            Class<?> specClass = bottom.reflection
            base.addSetupSpecInterceptor { IMethodInvocation inv ->
                Map<String, String> own = (inv.sharedInstance as PlatformSpec).ownProperties()
                if (own != null) {
                    PlatformSpec.startOwn(specClass, own)
                }
                inv.proceed()
            }
            base.addCleanupSpecInterceptor { IMethodInvocation inv ->
                try {
                    inv.proceed()
                } finally {
                    PlatformSpec.closeOwn(specClass)
                }
            }
            base.addSetupInterceptor { IMethodInvocation inv ->
                PlatformSpec.inject(inv.instance as PlatformSpec)
                inv.proceed()
            }
        } else if (annotatedMicronautTest(bottom.reflection)) {
            bottom.addInterceptor { IMethodInvocation inv ->
                PlatformSpec.closeShared()
                inv.proceed()
            }
        }
    }

    /**
     * The tier a specification class belongs to: its own tier tag (then null: Spock's {@code @Tag}
     * extension adds it), else by its name, else integration. A feature with a tier tag of its own
     * (say a pure feature of an integration specification) keeps only that one.
     */
    static String tierOf(Class<?> spec) {
        for (Class<?> k = spec; k != null && k != Object; k = k.superclass) {
            if (k.getAnnotationsByType(Tag).any { it.value() in TIERS }) {
                return null   // spock's own @Tag extension adds it
            }
        }
        if (spec.simpleName.endsWith('BrowserSpec')) {
            return 'browser'
        }
        if (spec.simpleName.endsWith('BenchmarkSpec')) {
            return 'benchmark-smoke'
        }
        'integration'
    }

    private static boolean annotatedMicronautTest(Class<?> spec) {
        for (Class<?> k = spec; k != null && k != Object; k = k.superclass) {
            if (k.annotations.any { it.annotationType().simpleName == 'MicronautTest' }) {
                return true
            }
        }
        false
    }
}

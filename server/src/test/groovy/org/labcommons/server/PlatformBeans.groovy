package org.labcommons.server

import groovy.transform.CompileStatic
import io.micronaut.context.annotation.ConfigurationReader
import io.micronaut.core.io.service.SoftServiceLoader
import io.micronaut.inject.BeanDefinitionReference

/**
 * The platform's bean definitions on the classpath, read from Micronaut's compile-time references
 * without starting a context. Compiled statically: dynamic Groovy would introspect every reference
 * class, and some name types of optional libraries that are not on the classpath.
 */
@CompileStatic
class PlatformBeans {
    static List<BeanDefinitionReference> references() {
        SoftServiceLoader.load(BeanDefinitionReference).collectAll().findAll { BeanDefinitionReference r ->
            r.getBeanDefinitionName().startsWith('org.labcommons.') && r.isPresent()
        }
    }

    /** Bean classes that implement or extend {@code type}. */
    static <T> List<Class<? extends T>> implementing(Class<T> type) {
        references().findAll { type.isAssignableFrom(it.getBeanType()) }.collect { it.getBeanType() as Class<? extends T> }
    }

    /** The {@code @ConfigurationProperties} classes with their prefix. */
    static Map<Class<?>, String> configurationProperties() {
        Map<Class<?>, String> found = [:]
        references().findAll { it.isConfigurationProperties() }.each { BeanDefinitionReference r ->
            found[r.getBeanType()] = r.load().stringValue(ConfigurationReader, 'prefix').get()
        }
        found
    }
}

package org.labcommons.core

import io.micronaut.test.support.TestPropertyProvider
import org.labcommons.devstack.SharedDevStack

/**
 * Mixed into specifications that need the real infrastructure: the JVM's one shared dev stack
 * (started on first use) supplies the application properties.
 */
trait SharedInfrastructure implements TestPropertyProvider {
    @Override
    Map<String, String> getProperties() {
        SharedDevStack.get().properties()
    }
}

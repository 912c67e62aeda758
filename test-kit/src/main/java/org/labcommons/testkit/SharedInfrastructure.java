package org.labcommons.testkit;

import io.micronaut.test.support.TestPropertyProvider;
import org.labcommons.devstack.SharedDevStack;

import java.util.Map;

/**
 * Implemented by specifications that need the real infrastructure: the JVM's one shared dev stack
 * (started on first use) supplies the application properties.
 */
public interface SharedInfrastructure extends TestPropertyProvider {
    @Override
    default Map<String, String> getProperties() {
        return SharedDevStack.get().properties();
    }
}

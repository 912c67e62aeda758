package org.labcommons.core.catalog

import io.micronaut.json.JsonMapper
import jakarta.inject.Inject
import org.labcommons.core.org.TwoTenantFixture
import org.labcommons.testkit.PlatformSpec
import spock.lang.Shared

/**
 * The base of the catalogue's API specifications: the platform ({@link PlatformSpec}) and the two
 * institutions of {@link TwoTenantFixture} ({@code iso-a} and {@code iso-b}, an admin each), made
 * once per specification. A specification arranges more of its shared data in {@link #arrangeOnce()},
 * which runs once, right after the fixture is made.
 */
abstract class TwoTenantSpec extends PlatformSpec {
    @Inject JsonMapper json
    @Shared TwoTenantFixture f

    /** More shared data of the specification, arranged once. */
    void arrangeOnce() {
    }

    def setup() {
        if (f == null) {
            f = new TwoTenantFixture(ctx)
            arrangeOnce()
        }
    }
}

package org.labcommons.core.catalog

import io.micronaut.json.JsonMapper
import jakarta.inject.Inject
import org.labcommons.core.security.RoleAssignments
import org.labcommons.testkit.Browser
import org.labcommons.testkit.PlatformSpec
import spock.lang.Shared

/**
 * The base of the browser specifications that work on a demo-like institution's catalogue
 * ({@link CatalogueFixture#withDemoInstruments}, made once per specification) in headless Chromium:
 * its own sign-in issuer ({@link #getIssuer()}), no map tiles, and a browser reset before each feature.
 * The catalogue's test-jar publishes it for booking's browser specifications.
 */
abstract class DemoCatalogueBrowserSpec extends PlatformSpec {
    /** A suffix that keeps this run's names (users, asset numbers, files) apart from any earlier run's. */
    static final String RUN = UUID.randomUUID().toString().substring(0, 8)

    @Inject RoleAssignments roles
    @Inject JsonMapper json
    @Inject InstrumentService service

    @Shared CatalogueFixture f
    Browser browser = Browser.get()

    /** A short name of the specification: the fixture's label and the start of its issuer's id. */
    abstract String label()

    /** The sign-in issuer of this specification's users. */
    String getIssuer() {
        "${label()}-${RUN}".toString()
    }

    @Override
    Map<String, String> ownProperties() {
        NO_MAP_TILES + loginIssuers(issuer)
    }

    def setup() {
        if (f == null) {
            f = new CatalogueFixture(label(), ctx, issuer).withDemoInstruments(service)
        }
        browser.reset()
    }

    /** The address of {@code path} on this specification's server. */
    String app(String path) { "http://localhost:${server.port}${path}" }
}

package org.labcommons.core.catalog

import jakarta.inject.Inject
import org.labcommons.core.directory.TenantDirectory
import org.labcommons.core.security.CallerResolver
import org.labcommons.core.security.Role
import org.labcommons.core.security.RoleAssignments
import org.labcommons.core.security.ScopeType
import org.labcommons.devstack.SharedDevStack
import org.labcommons.testkit.Browser
import org.labcommons.testkit.PlatformSpec

/**
 * The base of the browser specifications that work as an institution admin of the demo's Donghu
 * University (dev-mode demo data, its own issuer of the dev identity provider), in headless
 * Chromium with the browser reset before each feature.
 */
abstract class DonghuAdminBrowserSpec extends PlatformSpec {
    @Inject TenantDirectory directory
    @Inject RoleAssignments roles
    @Inject CallerResolver callers
    Browser browser = Browser.get()

    @Override
    Map<String, String> ownProperties() {
        ['labcommons.demo.enabled': 'true']
    }

    def setup() {
        browser.reset()
    }

    /** The address of {@code path} on this specification's server. */
    String app(String path) { "http://localhost:${server.port}${path}" }

    /**
     * Signs {@code subject} in through Donghu's issuer (landing on the home page in {@code lang}),
     * makes them institution admin of Donghu, and opens {@code returnTo}.
     */
    void signInAsAdmin(String subject, String returnTo, String lang = 'zh-CN') {
        browser.signIn(app(''), 'donghu', subject, "/?lang=${lang}".toString())
        def issuer = SharedDevStack.get().identityProvider().issuer('donghu')
        def donghu = directory.findActive('donghu').get()
        def userId = callers.resolveSession(issuer, subject, null, null).caller().get().userId()
        roles.grant(donghu, userId, Role.INSTITUTION_ADMIN, ScopeType.TENANT, null, null)
        browser.open(app(returnTo))
    }
}

package org.labcommons.tenantadmin.onboarding

import org.labcommons.testkit.PlatformSpec

/**
 * The base of the browser specifications that work with the demo data (its bureau admin and networks) and
 * submit the public application form more often than its hourly limit allows ({@link ManyFormsSpec#MANY_FORMS}).
 * Declared once here, so that in test-kit's grouped order they run one after another on one
 * application context.
 */
abstract class DemoManyFormsSpec extends PlatformSpec {

    @Override
    Map<String, String> ownProperties() {
        ['labcommons.demo.enabled': 'true'] + ManyFormsSpec.MANY_FORMS
    }
}

package org.labcommons.tenantadmin.onboarding

import org.labcommons.testkit.PlatformSpec

/**
 * The base of the specifications that submit the public application form from the test JVM's one address:
 * together they submit more often than its hourly limit allows (10 by default, counted per running
 * application), so their context has a limit of 1,000. Declared once here, so that in test-kit's grouped order
 * ({@code PlatformSpecOrder}, by the class that declares {@code ownProperties()}) they run one after another on
 * one application context. {@code PublicFormRateLimitSpec} tests the limit itself.
 */
abstract class ManyFormsSpec extends PlatformSpec {
    static final Map<String, String> MANY_FORMS = ['labcommons.onboarding.form-limit-per-address': '1000']

    @Override
    Map<String, String> ownProperties() {
        MANY_FORMS
    }
}

package org.labcommons.tenantadmin.onboarding;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/** {@code labcommons.onboarding.*} (defaults in platform-core's application.yml). */
@ConfigurationProperties("labcommons.onboarding")
public class OnboardingSettings {
    private Duration invitationLifetime = Duration.ofDays(7);
    private int formLimitPerAddress = 10;
    private int formLimitTotal = 200;

    /** How long an invitation link works (an institution's, or a first admin's). */
    public Duration getInvitationLifetime() { return invitationLifetime; }
    public void setInvitationLifetime(Duration invitationLifetime) { this.invitationLifetime = invitationLifetime; }
    /** Public form submissions per client address per hour. */
    public int getFormLimitPerAddress() { return formLimitPerAddress; }
    public void setFormLimitPerAddress(int formLimitPerAddress) { this.formLimitPerAddress = formLimitPerAddress; }
    /** Public form submissions per hour from all addresses together. */
    public int getFormLimitTotal() { return formLimitTotal; }
    public void setFormLimitTotal(int formLimitTotal) { this.formLimitTotal = formLimitTotal; }
}

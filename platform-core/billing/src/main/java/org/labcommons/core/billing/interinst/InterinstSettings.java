package org.labcommons.core.billing.interinst;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/**
 * {@code labcommons.billing.interinst.*}: settlement between institutions and disbursement.
 * <ul>
 *   <li>{@code resume-enabled} (true), {@code resume-interval} (1m): how often {@link NettingResume} finishes netting
 *       pairs both finance offices confirmed whose clearing was interrupted (a crash between the two ledgers);</li>
 *   <li>{@code default-lab-bp} (5000), {@code default-department-bp} (2000), {@code default-institution-bp} (3000): the
 *       disbursement split of an institution that configured none (basis points summing to 10,000).</li>
 * </ul>
 */
@ConfigurationProperties("labcommons.billing.interinst")
public class InterinstSettings {
    private boolean resumeEnabled = true;
    private Duration resumeInterval = Duration.ofMinutes(1);
    private int defaultLabBp = 5000;
    private int defaultDepartmentBp = 2000;
    private int defaultInstitutionBp = 3000;

    public boolean isResumeEnabled() {
        return resumeEnabled;
    }

    public void setResumeEnabled(boolean resumeEnabled) {
        this.resumeEnabled = resumeEnabled;
    }

    public Duration getResumeInterval() {
        return resumeInterval;
    }

    public void setResumeInterval(Duration resumeInterval) {
        this.resumeInterval = resumeInterval;
    }

    public int getDefaultLabBp() {
        return defaultLabBp;
    }

    public void setDefaultLabBp(int defaultLabBp) {
        this.defaultLabBp = defaultLabBp;
    }

    public int getDefaultDepartmentBp() {
        return defaultDepartmentBp;
    }

    public void setDefaultDepartmentBp(int defaultDepartmentBp) {
        this.defaultDepartmentBp = defaultDepartmentBp;
    }

    public int getDefaultInstitutionBp() {
        return defaultInstitutionBp;
    }

    public void setDefaultInstitutionBp(int defaultInstitutionBp) {
        this.defaultInstitutionBp = defaultInstitutionBp;
    }
}

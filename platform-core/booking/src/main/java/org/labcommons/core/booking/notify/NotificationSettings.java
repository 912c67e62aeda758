package org.labcommons.core.booking.notify;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/**
 * {@code labcommons.booking.notifications.*}: the mail relay of booking notifications and the
 * reminder sweep (docs/booking.md).
 */
@ConfigurationProperties("labcommons.booking.notifications")
public class NotificationSettings {
    private boolean relayEnabled = true;
    private Duration relayInterval = Duration.ofSeconds(15);
    private int maxAttempts = 10;
    private boolean reminderEnabled = true;
    private Duration reminderInterval = Duration.ofMinutes(5);
    private Duration reminderLead = Duration.ofHours(24);
    private int batchSize = 100;

    /** False: pending mails stay pending (in-app notices are still written). */
    public boolean isRelayEnabled() { return relayEnabled; }
    public void setRelayEnabled(boolean relayEnabled) { this.relayEnabled = relayEnabled; }
    public Duration getRelayInterval() { return relayInterval; }
    public void setRelayInterval(Duration relayInterval) { this.relayInterval = relayInterval; }
    /** After this many refused attempts a mail is given up ({@code failed}). */
    public int getMaxAttempts() { return maxAttempts; }
    public void setMaxAttempts(int maxAttempts) { this.maxAttempts = maxAttempts; }
    public boolean isReminderEnabled() { return reminderEnabled; }
    public void setReminderEnabled(boolean reminderEnabled) { this.reminderEnabled = reminderEnabled; }
    public Duration getReminderInterval() { return reminderInterval; }
    public void setReminderInterval(Duration reminderInterval) { this.reminderInterval = reminderInterval; }
    /** How long before its start an approved booking is reminded of (default 24 h). */
    public Duration getReminderLead() { return reminderLead; }
    public void setReminderLead(Duration reminderLead) { this.reminderLead = reminderLead; }
    public int getBatchSize() { return batchSize; }
    public void setBatchSize(int batchSize) { this.batchSize = batchSize; }
}

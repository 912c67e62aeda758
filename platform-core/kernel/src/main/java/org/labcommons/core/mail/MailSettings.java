package org.labcommons.core.mail;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

import java.time.Duration;

/**
 * {@code labcommons.mail.*}: the SMTP server mail goes through, the sender, and the platform's
 * external URL that links in mail point to. Every setting has an environment-variable override
 * ({@code LABCOMMONS_MAIL_HOST}, ...).
 */
@ConfigurationProperties("labcommons.mail")
public class MailSettings {
    private boolean enabled = true;
    private String host = "localhost";
    private int port = 25;
    @Nullable
    private String username;
    @Nullable
    private String password;
    private boolean starttls;
    private String from = "LabCommons <noreply@labcommons.local>";
    @Nullable
    private String baseUrl;
    private Duration timeout = Duration.ofSeconds(10);

    /** False: nothing is sent (each attempt is logged and reported as not sent). */
    public boolean isEnabled() { return enabled; }
    public void setEnabled(boolean enabled) { this.enabled = enabled; }
    public String getHost() { return host; }
    public void setHost(String host) { this.host = host; }
    public int getPort() { return port; }
    public void setPort(int port) { this.port = port; }
    /** SMTP authentication, when the server asks for it. */
    @Nullable public String getUsername() { return username; }
    public void setUsername(@Nullable String username) { this.username = username; }
    @Nullable public String getPassword() { return password; }
    public void setPassword(@Nullable String password) { this.password = password; }
    /** Require STARTTLS (a production relay should). */
    public boolean isStarttls() { return starttls; }
    public void setStarttls(boolean starttls) { this.starttls = starttls; }
    /** The sender, e.g. {@code 共享平台 <noreply@example.org>}. */
    public String getFrom() { return from; }
    public void setFrom(String from) { this.from = from; }
    /** The platform's external URL for links in mail; when unset, the local server's own URL. */
    @Nullable public String getBaseUrl() { return baseUrl; }
    public void setBaseUrl(@Nullable String baseUrl) { this.baseUrl = baseUrl; }
    /** Connect, read and write timeout of the SMTP connection. */
    public Duration getTimeout() { return timeout; }
    public void setTimeout(Duration timeout) { this.timeout = timeout; }
}

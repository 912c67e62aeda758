package org.labcommons.core.mail;

import io.micronaut.context.BeanProvider;
import io.micronaut.runtime.server.EmbeddedServer;
import jakarta.inject.Singleton;
import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Date;
import java.util.Properties;

/**
 * Sends plain-text mail (UTF-8) through the configured SMTP server. Sending is not part of any
 * database transaction: callers send after their change has committed and record the outcome,
 * so a mail server that is down never rolls a change back and a failed mail can be sent again.
 */
@Singleton
public record Mailer(MailSettings settings, BeanProvider<EmbeddedServer> server) {
    private static final Logger LOG = LoggerFactory.getLogger(Mailer.class);

    /** A mail could not be handed to the SMTP server. */
    public static class MailException extends RuntimeException {
        public MailException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Hands one message to the SMTP server; {@link MailException} when it is refused or unreachable. */
    public void send(String to, String subject, String text) {
        if (!settings.isEnabled()) {
            LOG.warn("mail is disabled (labcommons.mail.enabled=false): not sending '{}'", subject);
            throw new MailException("mail is disabled", null);
        }
        try {
            MimeMessage message = new MimeMessage(session());
            message.setFrom(new InternetAddress(settings.getFrom(), true));
            message.setRecipients(Message.RecipientType.TO, InternetAddress.parse(to, true));
            message.setSubject(subject, "UTF-8");
            message.setText(text, "UTF-8");
            message.setSentDate(new Date());
            Transport.send(message);
            LOG.info("mail '{}' handed to {}:{}", subject, settings.getHost(), settings.getPort());
        } catch (MessagingException e) {
            throw new MailException("mail to the SMTP server " + settings.getHost() + ":" + settings.getPort()
                    + " failed: " + e.getMessage(), e);
        }
    }

    /** An absolute link to {@code path} (which starts with '/') on the platform. */
    public String link(String path) {
        String base = settings.getBaseUrl();
        if (base == null || base.isBlank()) {
            base = server.find(null).map(s -> "http://localhost:" + s.getPort()).orElse("http://localhost:8080");
        }
        return base.replaceAll("/+$", "") + path;
    }

    private Session session() {
        Properties p = new Properties();
        p.put("mail.smtp.host", settings.getHost());
        p.put("mail.smtp.port", Integer.toString(settings.getPort()));
        String timeout = Long.toString(settings.getTimeout().toMillis());
        p.put("mail.smtp.connectiontimeout", timeout);
        p.put("mail.smtp.timeout", timeout);
        p.put("mail.smtp.writetimeout", timeout);
        if (settings.isStarttls()) {
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true");
        }
        if (settings.getUsername() != null && !settings.getUsername().isBlank()) {
            p.put("mail.smtp.auth", "true");
            String user = settings.getUsername();
            String password = settings.getPassword() == null ? "" : settings.getPassword();
            return Session.getInstance(p, new Authenticator() {
                @Override
                protected PasswordAuthentication getPasswordAuthentication() {
                    return new PasswordAuthentication(user, password);
                }
            });
        }
        return Session.getInstance(p);
    }
}

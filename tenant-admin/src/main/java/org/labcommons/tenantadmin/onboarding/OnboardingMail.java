package org.labcommons.tenantadmin.onboarding;

import jakarta.inject.Singleton;
import org.labcommons.core.i18n.Messages;
import org.labcommons.core.mail.Mailer;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The mails of onboarding, in the recipient's language (zh-CN or en, chosen on the application):
 * texts are the {@code mail.onboarding.*} messages with {@code {name}} placeholders.
 */
@Singleton
public record OnboardingMail(Mailer mailer, Messages messages) {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    /** A network invites an institution to complete an application. */
    public void institutionInvited(String to, String language, String networkName, String institutionName, String link,
                                   Instant expires, String timeZone) {
        send(to, language, "mail.onboarding.institution_invited", Map.of("network", networkName,
                "institution", institutionName, "link", link, "expires", when(expires, timeZone)));
    }

    /** The network rejected an application, with its reason. */
    public void applicationRejected(String to, String language, String networkName, String institutionName, String reason) {
        send(to, language, "mail.onboarding.application_rejected", Map.of("network", networkName,
                "institution", institutionName, "reason", reason));
    }

    /** A person is invited to become an institution admin of a newly onboarded tenant. */
    public void adminInvited(String to, String language, String tenantName, String link, Instant expires, String timeZone) {
        send(to, language, "mail.onboarding.admin_invited", Map.of("tenant", tenantName, "link", link,
                "expires", when(expires, timeZone)));
    }

    /** An absolute link on the platform. */
    public String link(String path) {
        return mailer.link(path);
    }

    private void send(String to, String language, String key, Map<String, String> values) {
        Locale locale = "en".equals(language) ? Locale.ENGLISH : Messages.ZH_CN;
        Map<String, String> all = new LinkedHashMap<>(values);
        all.put("platform", messages.get(locale, "app.name"));
        mailer.send(to, fill(messages.get(locale, key + ".subject"), all), fill(messages.get(locale, key + ".body"), all));
    }

    static String fill(String pattern, Map<String, String> values) {
        String out = pattern;
        for (Map.Entry<String, String> e : values.entrySet()) {
            out = out.replace("{" + e.getKey() + "}", e.getValue());
        }
        return out;
    }

    private static String when(Instant t, String zone) {
        ZoneId z;
        try {
            z = ZoneId.of(zone == null ? ApplicationValidator.DEFAULT_TIME_ZONE : zone);
        } catch (RuntimeException e) {
            z = ZoneId.of(ApplicationValidator.DEFAULT_TIME_ZONE);
        }
        return WHEN.format(t.atZone(z)) + " (" + z.getId() + ")";
    }
}

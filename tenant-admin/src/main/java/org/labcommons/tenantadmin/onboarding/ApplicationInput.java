package org.labcommons.tenantadmin.onboarding;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * What an institution (or a network admin on its behalf, or one row of a bulk upload) states
 * about itself. Every field is optional here: {@link ApplicationValidator} is the one place that
 * decides what is required and well formed, for the form, invitations and bulk uploads alike.
 *
 * @param slug        the tenant's short name in addresses, e.g. {@code hzu}
 * @param regionCode  6-digit administrative division code (GB/T 2260), e.g. {@code 330100}
 * @param timeZone    IANA zone; default {@code Asia/Shanghai}
 * @param language    {@code zh-CN} or {@code en}: the language of the mail it receives
 * @param issuerUrl   its OpenID Connect provider (university SSO), compared as an exact string
 * @param clientId    the platform's client id registered at that provider
 * @param nameClaim   the ID-token claim holding a person's display name (default {@code name})
 * @param emailClaim  the claim holding the e-mail address (default {@code email})
 * @param adminEmails the first institution admins to invite (1 to 5)
 */
@Serdeable
public record ApplicationInput(@Nullable String slug, @Nullable String nameZh, @Nullable String nameEn,
                               @Nullable String regionCode, @Nullable String timeZone, @Nullable String contactName,
                               @Nullable String contactEmail, @Nullable String language, @Nullable String issuerUrl,
                               @Nullable String clientId, @Nullable String nameClaim, @Nullable String emailClaim,
                               @Nullable List<String> adminEmails) {
}

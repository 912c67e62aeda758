package org.labcommons.tenantadmin.onboarding;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An institution's application as its reviewing network sees it. {@code status}: invited,
 * submitted, provisioning (approved, provisioning not finished: approve again to resume),
 * approved, rejected. {@code source}: form, invitation, bulk.
 */
@Serdeable
public record Application(UUID id, String source, String status, @Nullable String slug, String nameZh, String nameEn,
                          @Nullable String regionCode, @Nullable String timeZone, @Nullable String contactName,
                          String contactEmail, String language, @Nullable String issuerUrl, @Nullable String clientId,
                          @Nullable String nameClaim, @Nullable String emailClaim, List<String> adminEmails,
                          @Nullable String rejectReason, @Nullable Instant reviewedAt, @Nullable String reviewerSubject,
                          @Nullable UUID provisionedTenantId, @Nullable Instant submittedAt, Instant createdAt,
                          Instant updatedAt, long version) {

    /** The application's statement as validator input (to validate it again before approval). */
    public ApplicationInput input() {
        return new ApplicationInput(slug, nameZh, nameEn, regionCode, timeZone, contactName, contactEmail, language,
                issuerUrl, clientId, nameClaim, emailClaim, adminEmails);
    }
}

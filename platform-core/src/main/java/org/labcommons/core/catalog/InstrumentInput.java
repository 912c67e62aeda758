package org.labcommons.core.catalog;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PastOrPresent;
import jakarta.validation.constraints.Size;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * Everything an owner can say about an instrument (DOMAIN.md, "The instrument record"): the API's
 * create/replace body and the row an import produces. Money is integer fen; the policy checks that
 * need the database (classification exists, unit exists, 500k-private exemption) are in
 * {@link InstrumentService}. Lists replace what was there.
 */
@Serdeable
public record InstrumentInput(
        @NotBlank @Size(max = 64) @Pattern(regexp = "[^\\t\\r\\n]+") String assetNumber,
        @NotBlank @Size(max = 200) String nameZh,
        @NotBlank @Size(max = 200) String nameEn,
        @Nullable @Size(max = 200) String model,
        @Nullable @Size(max = 200) String manufacturer,
        @Nullable @Pattern(regexp = "[A-Z]{2}") String countryCode,
        @NotNull @Min(0) @Max(100_000_000_000_00L) Long originalValueFen,
        @Nullable @PastOrPresent LocalDate purchaseDate,
        @Nullable @Pattern(regexp = "[0-9]{6}") String classificationCode,
        @Nullable UUID orgUnitId,
        @Nullable @Size(max = 200) String building,
        @Nullable @Size(max = 64) String room,
        @Nullable @DecimalMin("-90") @DecimalMax("90") BigDecimal latitude,
        @Nullable @DecimalMin("-180") @DecimalMax("180") BigDecimal longitude,
        @Nullable @Pattern(regexp = "in_service|under_repair|idle|retired") String status,
        @Nullable @Pattern(regexp = "general|special") String purpose,
        @Nullable @Min(0) @Max(8784) Integer ratedAnnualHours,
        @Nullable Flags flags,
        @Nullable @Pattern(regexp = "private|tenant|network|consortium|public") String sharingScope,
        @Nullable @Pattern(regexp = "classified|special_function|special_purpose") String exemptionReason,
        @Nullable @Size(max = 2000) String exemptionNote,
        @Nullable @Size(max = 20000) String descriptionZh,
        @Nullable @Size(max = 20000) String descriptionEn,
        @Nullable @Size(max = 50) List<@Valid ServiceOffered> services,
        @Nullable @Size(max = 20) List<@Valid Contact> contacts) {

    /** The flags the Tsinghua list filters on. */
    @Serdeable
    public record Flags(boolean fundSubsidised, boolean benefitEvaluation, boolean sharedPlatform,
                        boolean listedInCers, boolean customsSupervised) {
        public static final Flags NONE = new Flags(false, false, false, false, false);
    }

    /** A test service (测试项目) with its sample requirements. */
    @Serdeable
    public record ServiceOffered(@Nullable UUID id, @NotBlank @Size(max = 200) String nameZh,
                                 @NotBlank @Size(max = 200) String nameEn,
                                 @Nullable @Size(max = 4000) String sampleRequirements) {
    }

    /** Someone to ask about the instrument. */
    @Serdeable
    public record Contact(@NotBlank @Size(max = 100) String name, @Nullable @Size(max = 100) String role,
                          @Nullable @Pattern(regexp = "[0-9+() -]{3,32}") String phone,
                          @Nullable @Email @Size(max = 254) String email) {
    }

    public String statusOrDefault() {
        return status == null ? "in_service" : status;
    }

    public String purposeOrDefault() {
        return purpose == null ? "general" : purpose;
    }

    public String scopeOrDefault() {
        return sharingScope == null ? "tenant" : sharingScope;
    }

    public Flags flagsOrDefault() {
        return flags == null ? Flags.NONE : flags;
    }

    public List<ServiceOffered> servicesOrEmpty() {
        return services == null ? List.of() : services;
    }

    public List<Contact> contactsOrEmpty() {
        return contacts == null ? List.of() : contacts;
    }
}

package org.labcommons.core.catalog;

import io.micronaut.core.annotation.Creator;
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
 * {@link InstrumentService}. Lists replace what was there, except {@code prices}: absent (null)
 * keeps the stored prices, so a writer that knows nothing of prices (the spreadsheet import, an
 * older client) never wipes them; an empty list removes them all.
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
        @Nullable @Size(max = 20) List<@Valid Contact> contacts,
        @Nullable @Size(max = 200) List<@Valid PriceInput> prices) {

    /** The record as it reads from JSON (every component, {@code prices} included). */
    @Creator
    public InstrumentInput {
    }

    /** A record without a word on prices: the stored prices stay as they are. */
    public InstrumentInput(String assetNumber, String nameZh, String nameEn, String model, String manufacturer,
                           String countryCode, Long originalValueFen, LocalDate purchaseDate, String classificationCode,
                           UUID orgUnitId, String building, String room, BigDecimal latitude, BigDecimal longitude,
                           String status, String purpose, Integer ratedAnnualHours, Flags flags, String sharingScope,
                           String exemptionReason, String exemptionNote, String descriptionZh, String descriptionEn,
                           List<ServiceOffered> services, List<Contact> contacts) {
        this(assetNumber, nameZh, nameEn, model, manufacturer, countryCode, originalValueFen, purchaseDate,
                classificationCode, orgUnitId, building, room, latitude, longitude, status, purpose, ratedAnnualHours,
                flags, sharingScope, exemptionReason, exemptionNote, descriptionZh, descriptionEn, services, contacts,
                null);
    }

    /** The largest published price: 1,000,000 RMB in fen. */
    public static final long MAX_PRICE_FEN = 100_000_000L;

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

    /**
     * Someone to ask about the instrument: a name, a phone number or an e-mail address, at least
     * one of them (registers often give only a shared phone or mailbox; {@link InstrumentValidation}).
     */
    @Serdeable
    public record Contact(@Nullable @Size(max = 100) String name, @Nullable @Size(max = 100) String role,
                          @Nullable @Pattern(regexp = "[0-9+() -]{3,32}") String phone,
                          @Nullable @Email @Size(max = 254) String email) {
    }

    /**
     * A published price (V11 {@code instrument_price}): what one unit of machine time
     * ({@code serviceIndex} and {@code serviceId} both null) or of one test service costs a
     * requester of one rate group of the tenant. The service is named within the same request,
     * so it works on create, before services have ids: {@code serviceIndex} is the 0-based position
     * in this request's {@code services}; {@code serviceId} is the id of a stored service that this
     * request sends back in {@code services} (what GET returns, for a read-modify-write). At most
     * one of the two. Amounts are integer fen, 0 to {@value #MAX_PRICE_FEN}. The unit, the amount's
     * range, the rate group and the service are checked by {@link InstrumentService} (messages that
     * name the allowed values).
     */
    @Serdeable
    public record PriceInput(@Nullable UUID serviceId, @Nullable Integer serviceIndex,
                             @NotBlank @Size(max = 32) String rateGroup,
                             @NotBlank String unit,
                             @NotNull Long amountFen,
                             @Nullable @Size(max = 200) String noteZh, @Nullable @Size(max = 200) String noteEn) {
        /** Units a price may be quoted in. */
        public static final List<String> UNITS = List.of("hour", "sample", "item", "day");
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

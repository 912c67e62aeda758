package org.labcommons.core.catalog;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * An instrument as its owner sees it. {@code requiresIot} and {@code policy} make DOMAIN.md's
 * thresholds visible: 400,000 RMB or more must be connected through an IoT controller; 500,000 RMB
 * or more is within the national sharing scope and may only stay private with an exemption.
 */
@Serdeable
public record Instrument(
        UUID id, UUID tenantId, String assetNumber, String nameZh, String nameEn,
        @Nullable String model, @Nullable String manufacturer, @Nullable String countryCode,
        long originalValueFen, @Nullable LocalDate purchaseDate,
        @Nullable String classificationCode, @Nullable UUID orgUnitId,
        @Nullable String building, @Nullable String room,
        @Nullable BigDecimal latitude, @Nullable BigDecimal longitude,
        String status, String purpose, @Nullable Integer ratedAnnualHours,
        InstrumentInput.Flags flags, String sharingScope,
        @Nullable String exemptionReason, @Nullable String exemptionNote,
        @Nullable String descriptionZh, @Nullable String descriptionEn,
        boolean requiresIot, @Nullable Instant lastVerifiedAt, @Nullable Instant staleSince,
        @Nullable Instant archivedAt, long version, Instant createdAt, Instant updatedAt,
        List<Service> services, List<InstrumentInput.Contact> contacts, List<DocumentInfo> documents,
        List<Price> prices) {

    /** 400,000 RMB in fen: at or above it an instrument must be connected through IoT. */
    public static final long IOT_THRESHOLD_FEN = 40_000_000L;
    /** 500,000 RMB in fen: the national scope; at or above it, private needs an exemption. */
    public static final long NATIONAL_SCOPE_FEN = 50_000_000L;

    @Serdeable
    public record Service(UUID id, String nameZh, String nameEn, @Nullable String sampleRequirements) {
    }

    /**
     * A published price: {@code amountFen} per {@code unit} (hour, sample, item, day) for requesters
     * of rate group {@code rateGroup}, for machine time ({@code serviceId} null) or one service.
     */
    @Serdeable
    public record Price(UUID id, @Nullable UUID serviceId, String rateGroup, String unit, long amountFen,
                        @Nullable String noteZh, @Nullable String noteEn) {
    }

    @Serdeable
    public record DocumentInfo(UUID id, String kind, String fileName, String contentType, long sizeBytes,
                               String sha256, Instant uploadedAt) {
    }

    /** Whether DOMAIN.md's national sharing rule applies (500,000 RMB or more). */
    public boolean inNationalScope() {
        return originalValueFen >= NATIONAL_SCOPE_FEN;
    }

    /** Published beyond the owning institution. */
    public boolean published() {
        return archivedAt == null && switch (sharingScope) {
            case "network", "consortium", "public" -> true;
            default -> false;
        };
    }

    public boolean stale() {
        return staleSince != null;
    }
}

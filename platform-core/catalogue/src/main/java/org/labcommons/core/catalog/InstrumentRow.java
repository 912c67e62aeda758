package org.labcommons.core.catalog;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * A row of {@code instrument}. The key is (tenant_id, id); {@code id} alone is the repository's id
 * because the RLS policy adds the tenant to every statement. The columns the database fills
 * ({@code requires_iot} is generated; {@code version}, {@code created_at}, {@code updated_at} have
 * defaults) are {@code @GeneratedValue} and left out of inserts.
 */
@MappedEntity("instrument")
public record InstrumentRow(UUID tenantId, @Id UUID id, String assetNumber, String nameZh, String nameEn,
                            @Nullable String model, @Nullable String manufacturer, @Nullable String countryCode,
                            long originalValueFen, @Nullable LocalDate purchaseDate,
                            @Nullable String classificationCode, @Nullable UUID orgUnitId,
                            @Nullable String building, @Nullable String room,
                            @Nullable BigDecimal latitude, @Nullable BigDecimal longitude,
                            String status, String purpose, @Nullable Integer ratedAnnualHours,
                            boolean fundSubsidised, boolean benefitEvaluation, boolean sharedPlatform,
                            boolean listedInCers, boolean customsSupervised, String sharingScope,
                            @Nullable String exemptionReason, @Nullable String exemptionNote,
                            @Nullable String descriptionZh, @Nullable String descriptionEn,
                            @Nullable @GeneratedValue Boolean requiresIot, @Nullable Instant lastVerifiedAt,
                            @Nullable Instant staleSince, @Nullable Instant archivedAt,
                            @Nullable @GeneratedValue Long version, @Nullable @GeneratedValue Instant createdAt,
                            @Nullable @GeneratedValue Instant updatedAt) {

    /** A new row for {@code in} (values stripped, blanks null, defaults applied as the API documents them). */
    static InstrumentRow of(UUID tenantId, UUID id, InstrumentInput in) {
        InstrumentInput.Flags f = in.flagsOrDefault();
        return new InstrumentRow(tenantId, id, in.assetNumber().strip(), in.nameZh().strip(), in.nameEn().strip(),
                blankToNull(in.model()), blankToNull(in.manufacturer()), in.countryCode(), in.originalValueFen(),
                in.purchaseDate(), in.classificationCode(), in.orgUnitId(), blankToNull(in.building()),
                blankToNull(in.room()), in.latitude(), in.longitude(), in.statusOrDefault(), in.purposeOrDefault(),
                in.ratedAnnualHours(), f.fundSubsidised(), f.benefitEvaluation(), f.sharedPlatform(), f.listedInCers(),
                f.customsSupervised(), in.scopeOrDefault(), in.exemptionReason(), blankToNull(in.exemptionNote()),
                blankToNull(in.descriptionZh()), blankToNull(in.descriptionEn()), null, null, null, null, null, null,
                null);
    }

    /** The record with its children. */
    Instrument toInstrument(List<Instrument.Service> services, List<InstrumentInput.Contact> contacts,
                            List<Instrument.DocumentInfo> documents, List<Instrument.Price> prices) {
        return new Instrument(id, tenantId, assetNumber, nameZh, nameEn, model, manufacturer, countryCode,
                originalValueFen, purchaseDate, classificationCode, orgUnitId, building, room, scaled(latitude),
                scaled(longitude), status, purpose, ratedAnnualHours,
                new InstrumentInput.Flags(fundSubsidised, benefitEvaluation, sharedPlatform, listedInCers,
                        customsSupervised),
                sharingScope, exemptionReason, exemptionNote, descriptionZh, descriptionEn,
                Boolean.TRUE.equals(requiresIot), lastVerifiedAt, staleSince, archivedAt,
                version == null ? 0 : version, createdAt, updatedAt, List.copyOf(services), List.copyOf(contacts),
                List.copyOf(documents), List.copyOf(prices));
    }

    private static BigDecimal scaled(BigDecimal v) {
        return v == null ? null : v.stripTrailingZeros();
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}

package org.labcommons.core.catalog;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The store of the instrument aggregate: the {@code instrument} row and its children
 * ({@code instrument_service}, {@code instrument_contact}, {@code instrument_price},
 * {@code instrument_document}). Call it inside {@code TenantTransactions.inTenant}: it joins that
 * transaction, so the RLS policies keep every statement to the bound tenant (with no tenant bound it
 * reads nothing and writes nothing). Children are inserted with {@code app_tenant()}. The list with
 * its optional filters and sorts is {@link InstrumentPageRows}; assembling a record from its rows
 * and writing its children is {@link InstrumentRecords}.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface InstrumentRows extends GenericRepository<InstrumentRow, UUID> {

    // ---------------------------------------------------------------- the instrument row

    Optional<InstrumentRow> findById(UUID id);

    List<InstrumentRow> findByIdIn(Collection<UUID> ids);

    /** Locks the row for update; empty when the bound tenant has no such instrument. */
    @Query("select id from instrument where id = :id for update")
    Optional<UUID> lock(UUID id);

    Optional<UUID> findIdByAssetNumber(String assetNumber);

    /** Asset number and id of every instrument of the bound tenant. */
    @Query("select asset_number, id from instrument")
    List<AssetId> assetIds();

    /** Names of the given instruments. */
    @Query("select id, name_zh, name_en from instrument where id in (:ids)")
    List<Name> names(Collection<UUID> ids);

    /** Names (zh, en) of the given instruments, by id. */
    default Map<UUID, String[]> namesById(Collection<UUID> ids) {
        Map<UUID, String[]> out = new LinkedHashMap<>();
        if (!ids.isEmpty()) {
            names(ids).forEach(n -> out.put(n.id(), new String[]{n.nameZh(), n.nameEn()}));
        }
        return out;
    }

    /** Instruments not archived and their total original value in fen. */
    @Query("select count(*) as items, coalesce(sum(original_value_fen), 0) as total_value_fen from instrument "
            + "where archived_at is null")
    Totals totals();

    /** The tenant bound to the transaction ({@code app_tenant()}), which an inserted row names. */
    @Query("select app_tenant()")
    UUID boundTenant();

    /** Inserts a record ({@code tenantId} must be the bound tenant: the policy refuses any other). */
    InstrumentRow save(InstrumentRow row);

    /** Writes the record's fields over the row, un-archives it and counts a new version. */
    @Query("update instrument set asset_number = :assetNumber, name_zh = :nameZh, name_en = :nameEn, model = :model, "
            + "manufacturer = :manufacturer, country_code = :countryCode, original_value_fen = :originalValueFen, "
            + "purchase_date = :purchaseDate, classification_code = :classificationCode, org_unit_id = :orgUnitId, "
            + "building = :building, room = :room, latitude = :latitude, longitude = :longitude, status = :status, "
            + "purpose = :purpose, rated_annual_hours = :ratedAnnualHours, fund_subsidised = :fundSubsidised, "
            + "benefit_evaluation = :benefitEvaluation, shared_platform = :sharedPlatform, "
            + "listed_in_cers = :listedInCers, customs_supervised = :customsSupervised, sharing_scope = :sharingScope, "
            + "exemption_reason = :exemptionReason, exemption_note = :exemptionNote, description_zh = :descriptionZh, "
            + "description_en = :descriptionEn, archived_at = null, version = version + 1, updated_at = now() "
            + "where id = :id")
    long update(UUID id, String assetNumber, String nameZh, String nameEn, @Nullable String model,
                @Nullable String manufacturer, @Nullable String countryCode, long originalValueFen,
                @Nullable LocalDate purchaseDate, @Nullable String classificationCode, @Nullable UUID orgUnitId,
                @Nullable String building, @Nullable String room, @Nullable BigDecimal latitude,
                @Nullable BigDecimal longitude, String status, String purpose, @Nullable Integer ratedAnnualHours,
                boolean fundSubsidised, boolean benefitEvaluation, boolean sharedPlatform, boolean listedInCers,
                boolean customsSupervised, String sharingScope, @Nullable String exemptionReason,
                @Nullable String exemptionNote, @Nullable String descriptionZh, @Nullable String descriptionEn);

    @Query("update instrument set archived_at = now(), version = version + 1, updated_at = now() where id = :id")
    long archive(UUID id);

    // ---------------------------------------------------------------- services

    @Query("select instrument_id, id, name_zh, name_en, sample_requirements from instrument_service "
            + "where instrument_id in (:instrumentIds) order by instrument_id, position")
    List<ServiceRow> servicesOf(Collection<UUID> instrumentIds);

    @Query("insert into instrument_service (tenant_id, id, instrument_id, name_zh, name_en, sample_requirements, "
            + "position) values (app_tenant(), :id, :instrumentId, :nameZh, :nameEn, :sampleRequirements, :position)")
    long addService(UUID id, UUID instrumentId, String nameZh, String nameEn, @Nullable String sampleRequirements,
                    int position);

    @Query("update instrument_service set name_zh = :nameZh, name_en = :nameEn, "
            + "sample_requirements = :sampleRequirements, position = :position where id = :id")
    long updateService(UUID id, String nameZh, String nameEn, @Nullable String sampleRequirements, int position);

    /** Deletes a service; its prices go with it (on delete cascade). */
    @Query("delete from instrument_service where id = :id")
    long deleteService(UUID id);

    // ---------------------------------------------------------------- contacts

    @Query("select instrument_id, name, role, phone, email from instrument_contact "
            + "where instrument_id in (:instrumentIds) order by instrument_id, position")
    List<ContactRow> contactsOf(Collection<UUID> instrumentIds);

    @Query("insert into instrument_contact (tenant_id, id, instrument_id, name, role, phone, email, position) "
            + "values (app_tenant(), :id, :instrumentId, :name, :role, :phone, :email, :position)")
    long addContact(UUID id, UUID instrumentId, @Nullable String name, @Nullable String role, @Nullable String phone,
                    @Nullable String email, int position);

    @Query("delete from instrument_contact where instrument_id = :instrumentId")
    long deleteContacts(UUID instrumentId);

    // ---------------------------------------------------------------- prices

    @Query("select instrument_id, id, service_id, rate_group_code, unit, amount_fen, note_zh, note_en "
            + "from instrument_price where instrument_id in (:instrumentIds) order by instrument_id, position")
    List<PriceRow> pricesOf(Collection<UUID> instrumentIds);

    @Query("insert into instrument_price (tenant_id, id, instrument_id, service_id, rate_group_code, unit, amount_fen, "
            + "note_zh, note_en, position) values (app_tenant(), :id, :instrumentId, :serviceId, :rateGroupCode, :unit, "
            + ":amountFen, :noteZh, :noteEn, :position)")
    long addPrice(UUID id, UUID instrumentId, @Nullable UUID serviceId, String rateGroupCode, String unit,
                  long amountFen, @Nullable String noteZh, @Nullable String noteEn, int position);

    @Query("update instrument_price set amount_fen = :amountFen, note_zh = :noteZh, note_en = :noteEn, "
            + "position = :position where id = :id")
    long updatePrice(UUID id, long amountFen, @Nullable String noteZh, @Nullable String noteEn, int position);

    @Query("delete from instrument_price where id = :id")
    long deletePrice(UUID id);

    /** A new version of the record whose children alone changed (a published price set from a fee standard). */
    @Query("update instrument set version = version + 1, updated_at = now() where id = :id")
    long touch(UUID id);

    // ---------------------------------------------------------------- documents

    @Query("select instrument_id, id, kind, file_name, content_type, size_bytes, sha256, uploaded_at "
            + "from instrument_document where instrument_id in (:instrumentIds) order by instrument_id, uploaded_at")
    List<DocumentRow> documentsOf(Collection<UUID> instrumentIds);

    @Query("select count(*) from instrument_document where instrument_id = :instrumentId")
    long countDocuments(UUID instrumentId);

    @Query("insert into instrument_document (tenant_id, id, instrument_id, kind, file_name, content_type, size_bytes, "
            + "sha256, content) values (app_tenant(), :id, :instrumentId, :kind, :fileName, :contentType, :sizeBytes, "
            + ":sha256, :content)")
    long addDocument(UUID id, UUID instrumentId, String kind, String fileName, String contentType, int sizeBytes,
                     String sha256, byte[] content);

    @Query("select instrument_id, id, kind, file_name, content_type, size_bytes, sha256, uploaded_at "
            + "from instrument_document where id = :id")
    Optional<DocumentRow> document(UUID id);

    @Query("select file_name, content_type, content from instrument_document "
            + "where instrument_id = :instrumentId and id = :id")
    Optional<DocumentContent> documentContent(UUID instrumentId, UUID id);

    @Query("delete from instrument_document where instrument_id = :instrumentId and id = :id")
    long deleteDocument(UUID instrumentId, UUID id);

    // ---------------------------------------------------------------- projections

    @Introspected
    record AssetId(String assetNumber, UUID id) {
    }

    /** An instrument's names. */
    @Introspected
    record Name(UUID id, String nameZh, String nameEn) {
    }

    @Introspected
    record Totals(long items, long totalValueFen) {
    }

    @Introspected
    record ServiceRow(UUID instrumentId, UUID id, String nameZh, String nameEn, @Nullable String sampleRequirements) {
        public Instrument.Service toService() {
            return new Instrument.Service(id, nameZh, nameEn, sampleRequirements);
        }
    }

    @Introspected
    record ContactRow(UUID instrumentId, @Nullable String name, @Nullable String role, @Nullable String phone,
                      @Nullable String email) {
        InstrumentInput.Contact toContact() {
            return new InstrumentInput.Contact(name, role, phone, email);
        }
    }

    @Introspected
    record PriceRow(UUID instrumentId, UUID id, @Nullable UUID serviceId, String rateGroupCode, String unit,
                    long amountFen, @Nullable String noteZh, @Nullable String noteEn) {
        Instrument.Price toPrice() {
            return new Instrument.Price(id, serviceId, rateGroupCode, unit, amountFen, noteZh, noteEn);
        }
    }

    @Introspected
    record DocumentRow(UUID instrumentId, UUID id, String kind, String fileName, String contentType, long sizeBytes,
                       String sha256, Instant uploadedAt) {
        Instrument.DocumentInfo toInfo() {
            return new Instrument.DocumentInfo(id, kind, fileName, contentType, sizeBytes, sha256, uploadedAt);
        }
    }

    /** A document's bytes and what to serve them as. */
    @Introspected
    record DocumentContent(String fileName, String contentType, byte[] content) {
    }
}

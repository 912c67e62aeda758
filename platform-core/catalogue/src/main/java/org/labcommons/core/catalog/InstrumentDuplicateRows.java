package org.labcommons.core.catalog;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * The store of likely duplicates ({@link LikelyDuplicates}): pairs of a subject {@code a} and another
 * record {@code b} of the bound tenant that {@link #MATCH} calls likely the same instrument. It reads the
 * keys catalogue V30 generates on {@code instrument} ({@code name_key}, {@code name_en_key}, {@code model_key},
 * {@code location_key}: NFKC, lower case, no spaces or punctuation) through the indexes that lead with
 * {@code tenant_id} (trigram GIN for the names, b-tree for model and location). Archived records are
 * never a duplicate nor have one. Call it inside {@code TenantTransactions.inTenant}.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface InstrumentDuplicateRows extends GenericRepository<InstrumentRow, UUID> {

    /** Same model and same location, both known. */
    String SAME_MODEL_AND_PLACE = "(a.model_key <> '' and a.location_key <> '' "
            + "and b.model_key = a.model_key and b.location_key = a.location_key)";

    /**
     * {@code a} and {@code b} are likely one instrument: same model and location, or a name (Chinese or
     * English) at least {@code :threshold} similar (pg_trgm; {@code %} is the indexed pre-filter at 0.3);
     * and nothing tells them apart: not two different known models, not two different known
     * locations, not two different numbers in their names ("离心机 1号" and "离心机 2号" are two).
     */
    String MATCH = "(" + SAME_MODEL_AND_PLACE
            + " or (b.name_key % a.name_key and similarity(b.name_key, a.name_key) >= :threshold)"
            + " or (b.name_en_key % a.name_en_key and similarity(b.name_en_key, a.name_en_key) >= :threshold))"
            + " and not (a.model_key <> '' and b.model_key <> '' and a.model_key <> b.model_key)"
            + " and not (a.location_key <> '' and b.location_key <> '' and a.location_key <> b.location_key)"
            + " and not (regexp_replace(a.name_key, '[^0-9]', '', 'g') <> ''"
            + " and regexp_replace(b.name_key, '[^0-9]', '', 'g') <> ''"
            + " and regexp_replace(a.name_key, '[^0-9]', '', 'g') <> regexp_replace(b.name_key, '[^0-9]', '', 'g'))";

    String REASON = "case when " + SAME_MODEL_AND_PLACE + " then 'model_location' else 'name' end as reason";

    /** A subject and one record it likely duplicates. */
    @Introspected
    record Pair(UUID instrumentId, UUID otherId, String assetNumber, String nameZh, String nameEn,
                String sharingScope, @Nullable UUID orgUnitId, String reason) {
    }

    /** A row of a file and the record of the tenant, or the other row of the file, it likely duplicates. */
    @Introspected
    record RowPair(int line, @Nullable Integer otherLine, @Nullable UUID otherId, @Nullable String assetNumber,
                   String nameZh, String nameEn, @Nullable String sharingScope, @Nullable UUID orgUnitId,
                   String reason) {
    }

    /** The likely duplicates of the given records, by subject, then by the other's asset number. */
    @Query("select a.id as instrument_id, b.id as other_id, b.asset_number, b.name_zh, b.name_en, b.sharing_scope, "
            + "b.org_unit_id, " + REASON + " from instrument a "
            + "join instrument b on b.tenant_id = a.tenant_id and b.id <> a.id and b.archived_at is null "
            + "where a.tenant_id = app_tenant() and a.id in (:ids) and a.archived_at is null and " + MATCH
            + " order by a.id, b.asset_number")
    List<Pair> among(Collection<UUID> ids, double threshold);

    /**
     * The likely duplicates of a file's rows (JSON array of objects with {@code line} (the row number), {@code asset},
     * {@code name_zh}, {@code name_en}, {@code model}, {@code building}, {@code room}): records of the tenant
     * (not the one the row's asset number names: that row updates it) and other rows of the same file (not
     * those with the row's own asset number).
     */
    @Query("with a as (select x.line, x.asset, duplicate_key(x.name_zh) as name_key, "
            + "duplicate_key(x.name_en) as name_en_key, duplicate_key(x.model) as model_key, "
            + "duplicate_key(x.building) || duplicate_key(x.room) as location_key "
            + "from jsonb_to_recordset(cast(:rows as jsonb)) as x(line int, asset text, name_zh text, name_en text, "
            + "model text, building text, room text)), "
            + "f as (select x.line, x.asset, x.name_zh, x.name_en, duplicate_key(x.name_zh) as name_key, "
            + "duplicate_key(x.name_en) as name_en_key, duplicate_key(x.model) as model_key, "
            + "duplicate_key(x.building) || duplicate_key(x.room) as location_key "
            + "from jsonb_to_recordset(cast(:rows as jsonb)) as x(line int, asset text, name_zh text, name_en text, "
            + "model text, building text, room text)) "
            + "select a.line, null as other_line, b.id as other_id, b.asset_number, b.name_zh, b.name_en, "
            + "b.sharing_scope, b.org_unit_id, " + REASON + " from a "
            + "join instrument b on b.tenant_id = app_tenant() and b.archived_at is null "
            + "and b.asset_number is distinct from a.asset "
            + "where " + MATCH
            + " union all "
            + "select a.line, b.line as other_line, null as other_id, b.asset as asset_number, b.name_zh, b.name_en, "
            + "null as sharing_scope, null as org_unit_id, " + REASON + " from a "
            + "join f b on b.line <> a.line and (a.asset is null or b.asset is null or a.asset <> b.asset) "
            + "where " + MATCH
            + " order by 1, 2 nulls first, 4")
    List<RowPair> forRows(String rows, double threshold);
}

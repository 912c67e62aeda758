package org.labcommons.core.catalog;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Likely duplicates in one tenant's catalogue: two records are likely one instrument when they have the same
 * model at the same location (building and room), or Chinese or English names at least
 * {@value #NAME_SIMILARITY} similar (trigram similarity of the names' keys: NFKC, lower case, no spaces or
 * punctuation, so "高速冷冻离心机（1号）" and "高速冷冻离心机 1号" are the same name), unless something tells
 * them apart: two different known models, two different known locations, or two different numbers in their
 * names. Identical centrifuges in three rooms, or "离心机 1号" and "离心机 2号" in one room, are three and two
 * instruments; the same model in the same room under a similar name is one. The rules are SQL
 * ({@link InstrumentDuplicateRows#MATCH}) over indexed keys, so a page of a 5,000-record catalogue asks in
 * milliseconds. A flag is a warning for the admin to look at, never a refusal.
 */
@Singleton
public record LikelyDuplicates(TenantTransactions tenants, InstrumentDuplicateRows rows, JsonMapper json) {

    /** Trigram similarity of two names' keys from which they are likely the same (pg_trgm's 0..1). */
    public static final double NAME_SIMILARITY = 0.5;

    /**
     * The other record (or, on import, the other row of the file: {@code otherRow} set, {@code id} null) and
     * why: {@code model_location} or {@code name}.
     */
    public record Duplicate(@Nullable UUID id, @Nullable Integer otherRow, @Nullable String assetNumber,
                            String nameZh, String nameEn, @Nullable String sharingScope, @Nullable UUID orgUnitId,
                            String reason) {
        public String name(boolean zh) {
            return zh ? nameZh : nameEn;
        }
    }

    /** A row of a file about to be imported, as the duplicate rules read it. */
    public record Candidate(int row, @Nullable String assetNumber, @Nullable String nameZh, @Nullable String nameEn,
                            @Nullable String model, @Nullable String building, @Nullable String room) {
    }

    /** The likely duplicates of each of the given records (records without any are absent). */
    public Map<UUID, List<Duplicate>> of(TenantId tenant, Collection<UUID> ids) {
        Map<UUID, List<Duplicate>> out = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        List<InstrumentDuplicateRows.Pair> pairs = tenants.inTenant(tenant, c -> rows.among(ids, NAME_SIMILARITY));
        for (InstrumentDuplicateRows.Pair p : pairs) {
            out.computeIfAbsent(p.instrumentId(), k -> new ArrayList<>()).add(new Duplicate(p.otherId(), null,
                    p.assetNumber(), p.nameZh(), p.nameEn(), p.sharingScope(), p.orgUnitId(), p.reason()));
        }
        return out;
    }

    /**
     * For each row of a file, the tenant's records and the file's other rows it likely duplicates (rows
     * without any are absent). A row whose asset number names a record updates that record: it is not its
     * duplicate.
     */
    public Map<Integer, List<Duplicate>> ofRows(TenantId tenant, List<Candidate> candidates) {
        Map<Integer, List<Duplicate>> out = new LinkedHashMap<>();
        if (candidates.isEmpty()) {
            return out;
        }
        List<Map<String, Object>> array = new ArrayList<>();
        for (Candidate c : candidates) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("line", c.row());
            m.put("asset", blankToNull(c.assetNumber()));
            m.put("name_zh", c.nameZh());
            m.put("name_en", c.nameEn());
            m.put("model", c.model());
            m.put("building", c.building());
            m.put("room", c.room());
            array.add(m);
        }
        String body;
        try {
            body = json.writeValueAsString(array);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<InstrumentDuplicateRows.RowPair> pairs = tenants.inTenant(tenant, c -> rows.forRows(body, NAME_SIMILARITY));
        for (InstrumentDuplicateRows.RowPair p : pairs) {
            out.computeIfAbsent(p.line(), k -> new ArrayList<>()).add(new Duplicate(p.otherId(), p.otherLine(),
                    p.assetNumber(), p.nameZh(), p.nameEn(), p.sharingScope(), p.orgUnitId(), p.reason()));
        }
        return out;
    }

    @Nullable
    private static String blankToNull(@Nullable String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}

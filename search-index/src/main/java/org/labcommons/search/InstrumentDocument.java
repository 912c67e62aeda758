package org.labcommons.search;

import org.labcommons.search.TenantRegistry.TenantInfo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the public projection of an instrument ({@code catalog.instrument.v1} payload) into the
 * search document. A record that is not published, archived, or whose owner is not an active
 * institution becomes a <em>tombstone</em>: id, tenant, version and {@code visible: false}, no
 * text. Keeping tombstones (rather than deleting) makes the index out-of-order safe for good: a
 * late older event can never bring back what a newer one withdrew, however late it comes.
 */
final class InstrumentDocument {
    private static final Pattern NON_ALNUM = Pattern.compile("[^\\p{L}\\p{N}]+");
    private static final Pattern NUMBER = Pattern.compile("\\d{2,5}");

    private InstrumentDocument() {
    }

    static boolean visible(Map<String, Object> payload, TenantInfo owner) {
        return Boolean.TRUE.equals(payload.get("published")) && !Boolean.TRUE.equals(payload.get("archived"))
                && owner != null && owner.active() && "institution".equals(owner.kind());
    }

    static Map<String, Object> tombstone(String id, String tenantId, long version) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("id", id);
        d.put("tenantId", tenantId);
        d.put("version", version);
        d.put("visible", false);
        return d;
    }

    /**
     * The document for {@code payload} at {@code version}: the full one or a tombstone. A full one
     * carries its synonym-group keys ({@code typeKeys}: {@link Synonyms#keys})
     * from the groups in force when it is written.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> of(Map<String, Object> payload, long version, TenantInfo owner, Synonyms synonyms) {
        String id = (String) payload.get("id");
        String tenantId = (String) payload.get("tenantId");
        if (!visible(payload, owner)) {
            return tombstone(id, tenantId, version);
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("id", id);
        d.put("version", version);
        d.put("visible", true);
        d.put("tenantId", tenantId);
        d.put("tenantSlug", owner.slug());
        d.put("ownerNameZh", owner.nameZh());
        d.put("ownerNameEn", owner.nameEn());
        d.put("networkId", owner.parentId() == null ? null : owner.parentId().toString());
        d.put("regionCode", owner.regionCode());
        d.put("provinceCode", owner.provinceCode());
        d.put("assetNumber", payload.get("assetNumber"));
        d.put("nameZh", payload.get("nameZh"));
        d.put("nameEn", payload.get("nameEn"));
        String model = (String) payload.get("model");
        d.put("model", model);
        d.put("modelCompact", compact(model));
        d.put("manufacturer", payload.get("manufacturer"));
        List<String> numbers = new ArrayList<>(numbers((String) payload.get("nameZh")));
        numbers.addAll(numbers((String) payload.get("nameEn")));
        numbers.addAll(numbers(model));
        d.put("numbers", numbers.stream().distinct().toList());
        d.put("classificationCode", payload.get("classificationCode"));
        List<Map<String, Object>> path = (List<Map<String, Object>>) payload.getOrDefault("classificationPath", List.of());
        List<String> namesZh = new ArrayList<>();
        List<String> namesEn = new ArrayList<>();
        for (Map<String, Object> level : path) {
            String code = (String) level.get("code");
            if (code != null && code.length() == 6) {
                String key = code.endsWith("0000") ? "classL1" : code.endsWith("00") ? "classL2" : "classL3";
                d.put(key, code);
            }
            namesZh.add((String) level.get("nameZh"));
            if (level.get("nameEn") != null) {
                namesEn.add((String) level.get("nameEn"));
            }
        }
        d.put("classNamesZh", namesZh);
        d.put("classNamesEn", namesEn);
        d.put("classificationPath", path);
        Map<String, Object> unit = (Map<String, Object>) payload.get("orgUnit");
        d.put("orgUnitNameZh", unit == null ? null : unit.get("nameZh"));
        d.put("orgUnitNameEn", unit == null ? null : unit.get("nameEn"));
        d.put("building", payload.get("building"));
        d.put("room", payload.get("room"));
        d.put("location", payload.get("location"));
        d.put("valueBand", payload.get("valueBand"));
        d.put("originalValueFen", payload.get("originalValueFen"));
        d.put("status", payload.get("status"));
        d.put("purpose", payload.get("purpose"));
        d.put("sharingScope", payload.get("sharingScope"));
        d.put("requiresIot", payload.get("requiresIot"));
        d.put("stale", payload.get("stale"));
        d.put("flags", payload.get("flags"));
        List<Map<String, Object>> services = (List<Map<String, Object>>) payload.getOrDefault("services", List.of());
        d.put("services", services);
        d.put("serviceNamesZh", services.stream().map(s -> s.get("nameZh")).filter(Objects::nonNull).toList());
        d.put("serviceNamesEn", services.stream().map(s -> s.get("nameEn")).filter(Objects::nonNull).toList());
        d.put("descriptionZh", payload.get("descriptionZh"));
        d.put("descriptionEn", payload.get("descriptionEn"));
        d.put("typeKeys", synonyms.keys(new Synonyms.DocumentText((String) payload.get("nameZh"),
                (String) payload.get("nameEn"), namesZh, namesEn, (List<String>) d.get("serviceNamesZh"),
                (List<String>) d.get("serviceNamesEn"), (String) payload.get("descriptionZh"),
                (String) payload.get("descriptionEn"))));
        d.put("prices", payload.getOrDefault("prices", List.of()));
        d.put("popularity", payload.getOrDefault("popularity", 0));
        d.put("updatedAt", payload.get("updatedAt"));
        return d;
    }

    /** A model number without separators, lower case: "JEM-2100F" and "jem 2100f" are both "jem2100f". */
    static String compact(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        return NON_ALNUM.matcher(s.toLowerCase(Locale.ROOT)).replaceAll("");
    }

    /** The numbers in a text (e.g. 400 in "400MHz", "400M", "400兆"), for a field-strength or size match. */
    static List<String> numbers(String s) {
        List<String> out = new ArrayList<>();
        if (s != null) {
            Matcher m = NUMBER.matcher(s);
            while (m.find()) {
                out.add(m.group());
            }
        }
        return out;
    }
}

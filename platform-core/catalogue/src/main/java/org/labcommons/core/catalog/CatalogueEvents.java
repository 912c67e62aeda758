package org.labcommons.core.catalog;

import jakarta.inject.Singleton;
import org.labcommons.core.events.Outbox;
import org.labcommons.core.org.OrgUnitRows;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Catalogue events on {@value CatalogueTopics#INSTRUMENT} (docs/events.md): {@code catalog.instrument.created},
 * {@code .updated} and {@code .archived}, each carrying the whole public projection of the record
 * after the change and its version, so a consumer can upsert by version and never needs to read
 * our database. Contacts (personal data) and documents are not in the payload; published prices
 * are (machine time or per service, per rate group and unit, in fen).
 */
@Singleton
public record CatalogueEvents(Outbox outbox, Classifications classifications, OrgUnitRows units) {
    public static final int SCHEMA_VERSION = 1;

    public void created(Connection c, Instrument i) throws SQLException {
        emit(c, "catalog.instrument.created", i);
    }

    public void updated(Connection c, Instrument i) throws SQLException {
        emit(c, "catalog.instrument.updated", i);
    }

    public void archived(Connection c, Instrument i) throws SQLException {
        emit(c, "catalog.instrument.archived", i);
    }

    private void emit(Connection c, String type, Instrument i) throws SQLException {
        outbox.append(c, new Outbox.Event(CatalogueTopics.INSTRUMENT, type, SCHEMA_VERSION, "instrument", i.id().toString(), i.version(),
                payload(c, i)));
    }

    /** The public projection of {@code i} (what the search index stores). */
    Map<String, Object> payload(Connection c, Instrument i) throws SQLException {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("id", i.id().toString());
        p.put("tenantId", i.tenantId().toString());
        p.put("assetNumber", i.assetNumber());
        p.put("nameZh", i.nameZh());
        p.put("nameEn", i.nameEn());
        p.put("model", i.model());
        p.put("manufacturer", i.manufacturer());
        p.put("countryCode", i.countryCode());
        p.put("originalValueFen", i.originalValueFen());
        p.put("valueBand", valueBand(i.originalValueFen()));
        p.put("classificationCode", i.classificationCode());
        List<Map<String, Object>> path = new ArrayList<>();
        for (Classifications.Entry e : classifications.path(i.classificationCode())) {
            Map<String, Object> level = new LinkedHashMap<>();
            level.put("code", e.code());
            level.put("nameZh", e.nameZh());
            level.put("nameEn", e.nameEn());
            path.add(level);
        }
        p.put("classificationPath", path);
        p.put("orgUnit", orgUnit(i.orgUnitId()));
        p.put("building", i.building());
        p.put("room", i.room());
        if (i.latitude() != null && i.longitude() != null) {
            p.put("location", Map.of("lat", i.latitude().doubleValue(), "lon", i.longitude().doubleValue()));
        } else {
            p.put("location", null);
        }
        p.put("status", i.status());
        p.put("purpose", i.purpose());
        p.put("ratedAnnualHours", i.ratedAnnualHours());
        Map<String, Object> flags = new LinkedHashMap<>();
        flags.put("fundSubsidised", i.flags().fundSubsidised());
        flags.put("benefitEvaluation", i.flags().benefitEvaluation());
        flags.put("sharedPlatform", i.flags().sharedPlatform());
        flags.put("listedInCers", i.flags().listedInCers());
        flags.put("customsSupervised", i.flags().customsSupervised());
        p.put("flags", flags);
        p.put("sharingScope", i.sharingScope());
        p.put("published", i.published());
        p.put("archived", i.archivedAt() != null);
        p.put("requiresIot", i.requiresIot());
        p.put("stale", i.stale());
        List<Map<String, Object>> services = new ArrayList<>();
        for (Instrument.Service s : i.services()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", s.id().toString());
            m.put("nameZh", s.nameZh());
            m.put("nameEn", s.nameEn());
            services.add(m);
        }
        p.put("services", services);
        List<Map<String, Object>> prices = new ArrayList<>();
        for (Instrument.Price price : i.prices()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("serviceId", price.serviceId() == null ? null : price.serviceId().toString());
            m.put("rateGroup", price.rateGroup());
            m.put("unit", price.unit());
            m.put("amountFen", price.amountFen());
            prices.add(m);
        }
        p.put("prices", prices);
        p.put("descriptionZh", i.descriptionZh());
        p.put("descriptionEn", i.descriptionEn());
        p.put("updatedAt", i.updatedAt().toString());
        return p;
    }

    /** Coarse value bands for facets, in RMB: <100k, 100k–400k, 400k–500k, 500k–1M, 1M–5M, ≥5M. */
    public static String valueBand(long fen) {
        long yuan = fen / 100;
        if (yuan < 100_000) {
            return "lt100k";
        } else if (yuan < 400_000) {
            return "100k-400k";
        } else if (yuan < 500_000) {
            return "400k-500k";
        } else if (yuan < 1_000_000) {
            return "500k-1m";
        } else if (yuan < 5_000_000) {
            return "1m-5m";
        }
        return "ge5m";
    }

    private Map<String, Object> orgUnit(UUID unit) {
        if (unit == null) {
            return null;
        }
        return units.findById(unit).map(u -> {
            Map<String, Object> m = new HashMap<>();
            m.put("id", u.id().toString());
            m.put("code", u.code());
            m.put("nameZh", u.nameZh());
            m.put("nameEn", u.nameEn());
            return m;
        }).orElse(null);
    }
}

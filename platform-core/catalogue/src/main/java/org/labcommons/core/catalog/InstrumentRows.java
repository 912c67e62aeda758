package org.labcommons.core.catalog;

import org.labcommons.core.directory.TenantFigures;
import org.labcommons.core.problem.ProblemException;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The SQL of the instrument aggregate: the {@code instrument} row and its children
 * ({@code instrument_service}, {@code instrument_contact}, {@code instrument_price}, the document
 * list of {@code instrument_document}). Every statement runs on the caller's tenant-bound
 * connection, so row level security applies. Plain JDBC, static: the statements take the caller's connection; the decisions (validation, what
 * changed, audit and events) stay in {@link InstrumentService}, {@link InstrumentValidation} and
 * {@link InstrumentDiff}.
 */
public final class InstrumentRows {
    static final String COLUMNS = "id, tenant_id, asset_number, name_zh, name_en, model, manufacturer, country_code, "
            + "original_value_fen, purchase_date, classification_code, org_unit_id, building, room, latitude, longitude, "
            + "status, purpose, rated_annual_hours, fund_subsidised, benefit_evaluation, shared_platform, listed_in_cers, "
            + "customs_supervised, sharing_scope, exemption_reason, exemption_note, description_zh, description_en, "
            + "requires_iot, last_verified_at, stale_since, archived_at, version, created_at, updated_at";

    private InstrumentRows() {
    }

    // ---------------------------------------------------------------- reading

    /** One page of the instruments matching {@code query}, and how many match. */
    static InstrumentService.Page list(Connection c, InstrumentQuery query) throws SQLException {
        List<Object> params = new ArrayList<>();
        String where = where(query, params);
        long total;
        try (PreparedStatement ps = c.prepareStatement("select count(*) from instrument where " + where)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                total = rs.getLong(1);
            }
        }
        String order = InstrumentQuery.SORTS.get(query.sort()) + (query.descending() ? " desc nulls last" : " asc nulls last");
        List<Instrument> items;
        try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from instrument where " + where
                + " order by " + order + ", id limit ? offset ?")) {
            List<Object> all = new ArrayList<>(params);
            all.add(query.limit());
            all.add(query.offset());
            bind(ps, all);
            items = readWithChildren(c, ps, false);
        }
        return new InstrumentService.Page(items, total, query.offset(), query.limit());
    }

    private static String where(InstrumentQuery q, List<Object> params) {
        StringBuilder w = new StringBuilder("true");
        if (!q.includeArchived()) {
            w.append(" and archived_at is null");
        }
        if (q.q() != null) {
            w.append(" and (strpos(lower(name_zh), ?) > 0 or strpos(lower(name_en), ?) > 0 "
                    + "or strpos(lower(asset_number), ?) > 0 or strpos(lower(coalesce(model, '')), ?) > 0 "
                    + "or strpos(lower(coalesce(manufacturer, '')), ?) > 0)");
            for (int i = 0; i < 5; i++) {
                params.add(q.q());
            }
        }
        if (q.status() != null) {
            w.append(" and status = ?");
            params.add(q.status());
        }
        if (q.sharingScope() != null) {
            w.append(" and sharing_scope = ?");
            params.add(q.sharingScope());
        }
        if (q.scopes() != null) {
            if (q.scopes().isEmpty()) {
                w.append(" and false");
            } else {
                w.append(" and sharing_scope in (").append(String.join(", ", java.util.Collections.nCopies(q.scopes().size(), "?")))
                        .append(")");
                params.addAll(q.scopes());
            }
        }
        if (q.classification() != null) {
            String code = q.classification();
            String prefix = code.endsWith("0000") ? code.substring(0, 2) : code.endsWith("00") ? code.substring(0, 4) : code;
            w.append(" and classification_code like ?");
            params.add(prefix + "%");
        }
        if (q.orgUnitId() != null) {
            w.append(" and org_unit_id in (with recursive sub(id) as (select ?::uuid union all "
                    + "select o.id from org_unit o join sub on o.parent_id = sub.id) select id from sub)");
            params.add(q.orgUnitId());
        }
        if (q.minValueFen() != null) {
            w.append(" and original_value_fen >= ?");
            params.add(q.minValueFen());
        }
        if (q.maxValueFen() != null) {
            w.append(" and original_value_fen <= ?");
            params.add(q.maxValueFen());
        }
        if (q.requiresIot() != null) {
            w.append(" and requires_iot = ?");
            params.add(q.requiresIot());
        }
        if (q.stale() != null) {
            w.append(q.stale() ? " and stale_since is not null" : " and stale_since is null");
        }
        if (q.flag() != null) {
            w.append(" and ").append(InstrumentQuery.FLAGS.get(q.flag()));
        }
        return w.toString();
    }

    /** Instruments not archived of the bound tenant and their total original value in fen (the overview's figures). */
    static TenantFigures.Figures figures(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select count(*), coalesce(sum(original_value_fen), 0) from instrument where archived_at is null");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new TenantFigures.Figures(rs.getLong(1), rs.getLong(2));
        }
    }

    static Optional<Instrument> find(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from instrument where id = ?")) {
            ps.setObject(1, id);
            return readWithChildren(c, ps, true).stream().findFirst();
        }
    }

    /** Locks the row for update and reads it; 404 when absent. */
    static Instrument lockForUpdate(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select 1 from instrument where id = ? for update")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw ProblemException.notFound();
                }
            }
        }
        return find(c, id).orElseThrow();
    }

    static Optional<UUID> findIdByAsset(Connection c, String asset) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select id from instrument where asset_number = ?")) {
            ps.setString(1, asset);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getObject(1, UUID.class)) : Optional.empty();
            }
        }
    }

    /** Asset number to id, for every instrument of the bound tenant. */
    static Map<String, UUID> assetIndex(Connection c) throws SQLException {
        Map<String, UUID> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select asset_number, id from instrument");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getObject(2, UUID.class));
            }
        }
        return out;
    }

    /** The ids of the bound tenant's org units (an instrument's owner must be one of them). */
    static List<UUID> orgUnitIds(Connection c) throws SQLException {
        List<UUID> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select id from org_unit");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getObject(1, UUID.class));
            }
        }
        return out;
    }

    /** Names (zh, en) of the given instruments of the bound tenant, by id. */
    public static Map<UUID, String[]> names(Connection c, Collection<UUID> ids) throws SQLException {
        Map<UUID, String[]> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select id, name_zh, name_en from instrument where id = any(?)")) {
            ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getObject(1, UUID.class), new String[]{rs.getString(2), rs.getString(3)});
                }
            }
        }
        return out;
    }

    /** The services an instrument offers, in its order (for a form: no prices, no documents). */
    public static List<Instrument.Service> services(Connection c, UUID instrumentId) throws SQLException {
        List<Instrument.Service> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select id, name_zh, name_en, sample_requirements "
                + "from instrument_service where instrument_id = ? order by position, name_en")) {
            ps.setObject(1, instrumentId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Instrument.Service(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                            rs.getString(4)));
                }
            }
        }
        return out;
    }

    private static List<Instrument> readWithChildren(Connection c, PreparedStatement ps, boolean documents)
            throws SQLException {
        List<Instrument> base = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                base.add(row(rs));
            }
        }
        if (base.isEmpty()) {
            return base;
        }
        UUID[] ids = base.stream().map(Instrument::id).toArray(UUID[]::new);
        Map<UUID, List<Instrument.Service>> services = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("select instrument_id, id, name_zh, name_en, sample_requirements "
                + "from instrument_service where instrument_id = any(?) order by instrument_id, position")) {
            s.setArray(1, c.createArrayOf("uuid", ids));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    services.computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>()).add(
                            new Instrument.Service(rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
                                    rs.getString(5)));
                }
            }
        }
        Map<UUID, List<InstrumentInput.Contact>> contacts = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("select instrument_id, name, role, phone, email "
                + "from instrument_contact where instrument_id = any(?) order by instrument_id, position")) {
            s.setArray(1, c.createArrayOf("uuid", ids));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    contacts.computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>()).add(
                            new InstrumentInput.Contact(rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)));
                }
            }
        }
        Map<UUID, List<Instrument.Price>> prices = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("select instrument_id, id, service_id, rate_group_code, unit, "
                + "amount_fen, note_zh, note_en from instrument_price where instrument_id = any(?) "
                + "order by instrument_id, position")) {
            s.setArray(1, c.createArrayOf("uuid", ids));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    prices.computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>()).add(
                            new Instrument.Price(rs.getObject(2, UUID.class), rs.getObject(3, UUID.class),
                                    rs.getString(4), rs.getString(5), rs.getLong(6), rs.getString(7), rs.getString(8)));
                }
            }
        }
        Map<UUID, List<Instrument.DocumentInfo>> docs = new HashMap<>();
        if (documents) {
            try (PreparedStatement s = c.prepareStatement("select instrument_id, id, kind, file_name, content_type, "
                    + "size_bytes, sha256, uploaded_at from instrument_document where instrument_id = any(?) "
                    + "order by instrument_id, uploaded_at")) {
                s.setArray(1, c.createArrayOf("uuid", ids));
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        docs.computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>()).add(
                                new Instrument.DocumentInfo(rs.getObject(2, UUID.class), rs.getString(3),
                                        rs.getString(4), rs.getString(5), rs.getLong(6), rs.getString(7),
                                        rs.getTimestamp(8).toInstant()));
                    }
                }
            }
        }
        List<Instrument> out = new ArrayList<>(base.size());
        for (Instrument i : base) {
            out.add(withChildren(i, services.getOrDefault(i.id(), List.of()), contacts.getOrDefault(i.id(), List.of()),
                    docs.getOrDefault(i.id(), List.of()), prices.getOrDefault(i.id(), List.of())));
        }
        return out;
    }

    private static Instrument withChildren(Instrument i, List<Instrument.Service> s, List<InstrumentInput.Contact> p,
                                           List<Instrument.DocumentInfo> d, List<Instrument.Price> prices) {
        return new Instrument(i.id(), i.tenantId(), i.assetNumber(), i.nameZh(), i.nameEn(), i.model(), i.manufacturer(),
                i.countryCode(), i.originalValueFen(), i.purchaseDate(), i.classificationCode(), i.orgUnitId(),
                i.building(), i.room(), i.latitude(), i.longitude(), i.status(), i.purpose(), i.ratedAnnualHours(),
                i.flags(), i.sharingScope(), i.exemptionReason(), i.exemptionNote(), i.descriptionZh(),
                i.descriptionEn(), i.requiresIot(), i.lastVerifiedAt(), i.staleSince(), i.archivedAt(), i.version(),
                i.createdAt(), i.updatedAt(), List.copyOf(s), List.copyOf(p), List.copyOf(d), List.copyOf(prices));
    }

    static Instrument row(ResultSet rs) throws SQLException {
        Date purchased = rs.getDate("purchase_date");
        Number hours = (Number) rs.getObject("rated_annual_hours");
        return new Instrument(rs.getObject("id", UUID.class), rs.getObject("tenant_id", UUID.class),
                rs.getString("asset_number"), rs.getString("name_zh"), rs.getString("name_en"), rs.getString("model"),
                rs.getString("manufacturer"), rs.getString("country_code"), rs.getLong("original_value_fen"),
                purchased == null ? null : purchased.toLocalDate(), rs.getString("classification_code"),
                rs.getObject("org_unit_id", UUID.class), rs.getString("building"), rs.getString("room"),
                scaled(rs.getBigDecimal("latitude")), scaled(rs.getBigDecimal("longitude")), rs.getString("status"),
                rs.getString("purpose"), hours == null ? null : hours.intValue(),
                new InstrumentInput.Flags(rs.getBoolean("fund_subsidised"), rs.getBoolean("benefit_evaluation"),
                        rs.getBoolean("shared_platform"), rs.getBoolean("listed_in_cers"),
                        rs.getBoolean("customs_supervised")),
                rs.getString("sharing_scope"), rs.getString("exemption_reason"), rs.getString("exemption_note"),
                rs.getString("description_zh"), rs.getString("description_en"), rs.getBoolean("requires_iot"),
                instant(rs.getTimestamp("last_verified_at")), instant(rs.getTimestamp("stale_since")),
                instant(rs.getTimestamp("archived_at")), rs.getLong("version"), instant(rs.getTimestamp("created_at")),
                instant(rs.getTimestamp("updated_at")), List.of(), List.of(), List.of(), List.of());
    }

    // ---------------------------------------------------------------- writing

    static void insert(Connection c, UUID id, InstrumentInput in) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into instrument (asset_number, name_zh, name_en, model, "
                + "manufacturer, country_code, original_value_fen, purchase_date, classification_code, org_unit_id, "
                + "building, room, latitude, longitude, status, purpose, rated_annual_hours, fund_subsidised, "
                + "benefit_evaluation, shared_platform, listed_in_cers, customs_supervised, sharing_scope, "
                + "exemption_reason, exemption_note, description_zh, description_en, id, tenant_id) values "
                + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                + "app_tenant())")) {
            int k = bindRecord(ps, in, 1);
            ps.setObject(k, id);
            ps.executeUpdate();
        }
    }

    /** Writes {@code in} over the row (and un-archives it); the caller translates constraint violations. */
    static void update(Connection c, UUID id, InstrumentInput in) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update instrument set asset_number = ?, name_zh = ?, "
                + "name_en = ?, model = ?, manufacturer = ?, country_code = ?, original_value_fen = ?, purchase_date = ?, "
                + "classification_code = ?, org_unit_id = ?, building = ?, room = ?, latitude = ?, longitude = ?, "
                + "status = ?, purpose = ?, rated_annual_hours = ?, fund_subsidised = ?, benefit_evaluation = ?, "
                + "shared_platform = ?, listed_in_cers = ?, customs_supervised = ?, sharing_scope = ?, "
                + "exemption_reason = ?, exemption_note = ?, description_zh = ?, description_en = ?, archived_at = null, "
                + "version = version + 1, updated_at = now() where id = ?")) {
            int k = bindRecord(ps, in, 1);
            ps.setObject(k, id);
            ps.executeUpdate();
        }
    }

    static void archive(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update instrument set archived_at = now(), "
                + "version = version + 1, updated_at = now() where id = ?")) {
            ps.setObject(1, id);
            ps.executeUpdate();
        }
    }

    static void deleteContacts(Connection c, UUID instrument) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("delete from instrument_contact where instrument_id = ?")) {
            ps.setObject(1, instrument);
            ps.executeUpdate();
        }
    }

    private static int bindRecord(PreparedStatement ps, InstrumentInput in, int k) throws SQLException {
        ps.setString(k++, in.assetNumber().strip());
        ps.setString(k++, in.nameZh().strip());
        ps.setString(k++, in.nameEn().strip());
        ps.setString(k++, blankToNull(in.model()));
        ps.setString(k++, blankToNull(in.manufacturer()));
        ps.setString(k++, in.countryCode());
        ps.setLong(k++, in.originalValueFen());
        ps.setObject(k++, in.purchaseDate() == null ? null : Date.valueOf(in.purchaseDate()), Types.DATE);
        ps.setString(k++, in.classificationCode());
        ps.setObject(k++, in.orgUnitId());
        ps.setString(k++, blankToNull(in.building()));
        ps.setString(k++, blankToNull(in.room()));
        ps.setBigDecimal(k++, in.latitude());
        ps.setBigDecimal(k++, in.longitude());
        ps.setString(k++, in.statusOrDefault());
        ps.setString(k++, in.purposeOrDefault());
        ps.setObject(k++, in.ratedAnnualHours(), Types.INTEGER);
        InstrumentInput.Flags f = in.flagsOrDefault();
        ps.setBoolean(k++, f.fundSubsidised());
        ps.setBoolean(k++, f.benefitEvaluation());
        ps.setBoolean(k++, f.sharedPlatform());
        ps.setBoolean(k++, f.listedInCers());
        ps.setBoolean(k++, f.customsSupervised());
        ps.setString(k++, in.scopeOrDefault());
        ps.setString(k++, in.exemptionReason());
        ps.setString(k++, blankToNull(in.exemptionNote()));
        ps.setString(k++, blankToNull(in.descriptionZh()));
        ps.setString(k++, blankToNull(in.descriptionEn()));
        return k;
    }

    static void writeChildren(Connection c, UUID id, InstrumentInput in) throws SQLException {
        List<UUID> serviceIds = writeServices(c, id, in, List.of());
        writeContacts(c, id, in);
        writePrices(c, id, in, serviceIds, List.of());
    }

    /**
     * Services keep their ids when the caller sends them back (sample requests will refer to them).
     *
     * @return the ids of the services written, in the request's order (prices name them by position)
     */
    static List<UUID> writeServices(Connection c, UUID instrument, InstrumentInput in,
                                            List<Instrument.Service> existing) throws SQLException {
        Map<UUID, Instrument.Service> known = new HashMap<>();
        existing.forEach(s -> known.put(s.id(), s));
        List<UUID> keep = new ArrayList<>();
        int position = 0;
        for (InstrumentInput.ServiceOffered s : in.servicesOrEmpty()) {
            UUID id = s.id() != null && known.containsKey(s.id()) ? s.id() : null;
            if (id != null) {
                try (PreparedStatement ps = c.prepareStatement("update instrument_service set name_zh = ?, name_en = ?, "
                        + "sample_requirements = ?, position = ? where id = ?")) {
                    ps.setString(1, s.nameZh().strip());
                    ps.setString(2, s.nameEn().strip());
                    ps.setString(3, blankToNull(s.sampleRequirements()));
                    ps.setInt(4, position++);
                    ps.setObject(5, id);
                    ps.executeUpdate();
                }
            } else {
                id = UUID.randomUUID();
                try (PreparedStatement ps = c.prepareStatement("insert into instrument_service (tenant_id, id, "
                        + "instrument_id, name_zh, name_en, sample_requirements, position) values "
                        + "(app_tenant(), ?, ?, ?, ?, ?, ?)")) {
                    ps.setObject(1, id);
                    ps.setObject(2, instrument);
                    ps.setString(3, s.nameZh().strip());
                    ps.setString(4, s.nameEn().strip());
                    ps.setString(5, blankToNull(s.sampleRequirements()));
                    ps.setInt(6, position++);
                    ps.executeUpdate();
                }
            }
            keep.add(id);
        }
        for (UUID old : known.keySet()) {
            if (!keep.contains(old)) {
                try (PreparedStatement ps = c.prepareStatement("delete from instrument_service where id = ?")) {
                    ps.setObject(1, old);
                    ps.executeUpdate();   // its prices go with it (on delete cascade)
                }
            }
        }
        return keep;
    }

    /**
     * Replaces the prices with the request's, unless it has none to say ({@code prices} null: the
     * stored ones stay). A price that keeps its (service, rate group, unit) keeps its id.
     */
    static void writePrices(Connection c, UUID instrument, InstrumentInput in, List<UUID> serviceIds,
                                    List<Instrument.Price> existing) throws SQLException {
        if (in.prices() == null) {
            return;
        }
        Map<String, UUID> known = new HashMap<>();
        existing.forEach(p -> known.put(priceKey(p.serviceId(), p.rateGroup(), p.unit()), p.id()));
        List<Object[]> rows = new ArrayList<>();
        Map<UUID, Boolean> kept = new HashMap<>();
        for (InstrumentInput.PriceInput p : in.prices()) {
            Integer index = InstrumentValidation.serviceIndex(in, p);
            UUID service = index == null ? null : serviceIds.get(index);
            UUID id = known.get(priceKey(service, p.rateGroup().strip(), p.unit()));
            if (id != null) {
                kept.put(id, Boolean.TRUE);
            }
            rows.add(new Object[]{id, service, p});
        }
        for (Instrument.Price old : existing) {
            if (!kept.containsKey(old.id())) {
                try (PreparedStatement ps = c.prepareStatement("delete from instrument_price where id = ?")) {
                    ps.setObject(1, old.id());
                    ps.executeUpdate();
                }
            }
        }
        int position = 0;
        for (Object[] row : rows) {
            InstrumentInput.PriceInput p = (InstrumentInput.PriceInput) row[2];
            if (row[0] != null) {
                try (PreparedStatement ps = c.prepareStatement("update instrument_price set amount_fen = ?, note_zh = ?, "
                        + "note_en = ?, position = ? where id = ?")) {
                    ps.setLong(1, p.amountFen());
                    ps.setString(2, blankToNull(p.noteZh()));
                    ps.setString(3, blankToNull(p.noteEn()));
                    ps.setInt(4, position++);
                    ps.setObject(5, row[0]);
                    ps.executeUpdate();
                }
            } else {
                try (PreparedStatement ps = c.prepareStatement("insert into instrument_price (tenant_id, id, instrument_id, "
                        + "service_id, rate_group_code, unit, amount_fen, note_zh, note_en, position) values "
                        + "(app_tenant(), ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    ps.setObject(1, UUID.randomUUID());
                    ps.setObject(2, instrument);
                    ps.setObject(3, row[1]);
                    ps.setString(4, p.rateGroup().strip());
                    ps.setString(5, p.unit());
                    ps.setLong(6, p.amountFen());
                    ps.setString(7, blankToNull(p.noteZh()));
                    ps.setString(8, blankToNull(p.noteEn()));
                    ps.setInt(9, position++);
                    ps.executeUpdate();
                }
            }
        }
    }

    private static String priceKey(UUID service, String rateGroup, String unit) {
        return service + "|" + rateGroup + "|" + unit;
    }

    static void writeContacts(Connection c, UUID instrument, InstrumentInput in) throws SQLException {
        int position = 0;
        for (InstrumentInput.Contact p : in.contactsOrEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("insert into instrument_contact (tenant_id, id, instrument_id, "
                    + "name, role, phone, email, position) values "
                    + "(app_tenant(), ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setObject(1, UUID.randomUUID());
                ps.setObject(2, instrument);
                ps.setString(3, p.name().strip());
                ps.setString(4, blankToNull(p.role()));
                ps.setString(5, blankToNull(p.phone()));
                ps.setString(6, blankToNull(p.email()));
                ps.setInt(7, position++);
                ps.executeUpdate();
            }
        }
    }

    private static BigDecimal scaled(BigDecimal v) {
        return v == null ? null : v.stripTrailingZeros();
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static void bind(PreparedStatement ps, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            ps.setObject(i + 1, params.get(i));
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}

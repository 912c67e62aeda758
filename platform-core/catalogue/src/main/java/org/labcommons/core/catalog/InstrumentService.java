package org.labcommons.core.catalog;

import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.events.Outbox;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The catalogue of one tenant: list, read, create, replace, archive and bulk upsert of instrument
 * records. Every change is audited and emits a catalogue event through the outbox in the same
 * transaction ({@link CatalogueEvents}); every call names the tenant and row level security holds
 * the line behind it. Validation that needs the database (the classification code exists, the
 * owning unit exists, DOMAIN.md's 500k-private rule) happens here, with field-level problems.
 */
@Singleton
public class InstrumentService {
    static final String COLUMNS = "id, tenant_id, asset_number, name_zh, name_en, model, manufacturer, country_code, "
            + "original_value_fen, purchase_date, classification_code, org_unit_id, building, room, latitude, longitude, "
            + "status, purpose, rated_annual_hours, fund_subsidised, benefit_evaluation, shared_platform, listed_in_cers, "
            + "customs_supervised, sharing_scope, exemption_reason, exemption_note, description_zh, description_en, "
            + "requires_iot, last_verified_at, stale_since, archived_at, version, created_at, updated_at";

    private final TenantTransactions tenants;
    private final AuditLog audit;
    private final CatalogueEvents events;
    private final Classifications classifications;

    public InstrumentService(TenantTransactions tenants, AuditLog audit, CatalogueEvents events,
                             Classifications classifications) {
        this.tenants = tenants;
        this.audit = audit;
        this.events = events;
        this.classifications = classifications;
    }

    /** A page of instruments and the total matching the filters. */
    public record Page(List<Instrument> items, long total, int offset, int limit) {
    }

    /** What an upsert did to one record. */
    public enum Outcome { CREATED, UPDATED, UNCHANGED }

    public Page list(TenantId tenant, InstrumentQuery query) {
        return tenants.inTenant(tenant, c -> list(c, query));
    }

    /** The list inside a caller's transaction (export streams pages through it). */
    public Page list(Connection c, InstrumentQuery query) throws SQLException {
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
        return new Page(items, total, query.offset(), query.limit());
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

    public Optional<Instrument> find(TenantId tenant, UUID id) {
        return tenants.inTenant(tenant, c -> find(c, id));
    }

    public Optional<Instrument> find(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from instrument where id = ?")) {
            ps.setObject(1, id);
            return readWithChildren(c, ps, true).stream().findFirst();
        }
    }

    public Instrument create(TenantId tenant, AuditEntry.Actor actor, InstrumentInput input) {
        return tenants.inTenant(tenant, c -> {
            throwIfInvalid(validate(c, input, new ReferenceCache()));
            if (findIdByAsset(c, input.assetNumber()).isPresent()) {
                throw assetTaken();
            }
            UUID id = UUID.randomUUID();
            try {
                insert(c, id, input);
            } catch (SQLException e) {
                throw translate(e);
            }
            writeChildren(c, id, input);
            Instrument created = find(c, id).orElseThrow();
            audit.append(c, actor.entry("instrument.created", "instrument", id.toString(), summary(created)));
            events.created(c, created);
            return created;
        });
    }

    /**
     * Replaces the record with {@code input}. When {@code expectedVersion} is given and is not
     * the stored version, nothing changes and the caller gets 409 (someone else saved first).
     */
    public Instrument replace(TenantId tenant, AuditEntry.Actor actor, UUID id, Long expectedVersion,
                              InstrumentInput input) {
        return tenants.inTenant(tenant, c -> {
            Instrument before = lockForUpdate(c, id);
            if (expectedVersion != null && expectedVersion != before.version()) {
                throw new ProblemException(HttpStatus.CONFLICT, "version_conflict", before.version());
            }
            throwIfInvalid(validate(c, input, new ReferenceCache()));
            Optional<UUID> holder = findIdByAsset(c, input.assetNumber());
            if (holder.isPresent() && !holder.get().equals(id)) {
                throw assetTaken();
            }
            return update(c, actor, before, input);
        });
    }

    /** Archives the record: it leaves lists and the consortium; its history stays. */
    public Instrument archive(TenantId tenant, AuditEntry.Actor actor, UUID id) {
        return tenants.inTenant(tenant, c -> {
            Instrument before = lockForUpdate(c, id);
            if (before.archivedAt() != null) {
                return before;
            }
            try (PreparedStatement ps = c.prepareStatement("update instrument set archived_at = now(), "
                    + "version = version + 1, updated_at = now() where id = ?")) {
                ps.setObject(1, id);
                ps.executeUpdate();
            }
            Instrument after = find(c, id).orElseThrow();
            audit.append(c, actor.entry("instrument.archived", "instrument", id.toString(), summary(after)));
            events.archived(c, after);
            return after;
        });
    }

    /**
     * Validates and writes many records in the caller's transaction, matching existing ones by
     * asset number (a re-import updates, never duplicates). Nothing is written when any row is
     * invalid: the problems are returned per row index, and the caller rolls back (or, in a dry
     * run, always rolls back). Reference lookups are cached for the whole batch.
     *
     * @return per row: the outcome, or the row's field problems
     */
    public List<RowResult> upsertAll(Connection c, AuditEntry.Actor actor, List<InstrumentInput> rows, boolean write)
            throws SQLException {
        ReferenceCache cache = new ReferenceCache();
        List<RowResult> results = new ArrayList<>(rows.size());
        Map<String, Integer> seen = new HashMap<>();
        boolean anyInvalid = false;
        for (int i = 0; i < rows.size(); i++) {
            InstrumentInput row = rows.get(i);
            List<FieldProblem> problems = new ArrayList<>(validate(c, row, cache));
            if (row.assetNumber() != null) {
                Integer first = seen.putIfAbsent(row.assetNumber(), i);
                if (first != null) {
                    problems.add(new FieldProblem("assetNumber", "duplicate_in_file", "validation.duplicate_in_file",
                            Map.of("row", first)));
                }
            }
            anyInvalid |= !problems.isEmpty();
            results.add(new RowResult(i, null, problems));
        }
        if (anyInvalid || !write) {
            return results;
        }
        Map<String, UUID> existing = assetIndex(c);
        List<RowResult> written = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            InstrumentInput row = rows.get(i);
            UUID id = existing.get(row.assetNumber());
            Outcome outcome;
            if (id == null) {
                id = UUID.randomUUID();
                insert(c, id, row);
                writeChildren(c, id, row);
                Instrument created = find(c, id).orElseThrow();
                audit.append(c, actor.entry("instrument.created", "instrument", id.toString(), summary(created)));
                events.created(c, created);
                outcome = Outcome.CREATED;
            } else {
                Instrument before = lockForUpdate(c, id);
                Instrument after = update(c, actor, before, row);
                outcome = after.version() == before.version() ? Outcome.UNCHANGED : Outcome.UPDATED;
            }
            written.add(new RowResult(i, outcome, List.of()));
        }
        return written;
    }

    /** One row's result in a bulk upsert: an outcome, or problems (never both). */
    public record RowResult(int index, Outcome outcome, List<FieldProblem> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private Instrument update(Connection c, AuditEntry.Actor actor, Instrument before, InstrumentInput input)
            throws SQLException {
        if (sameAs(before, input)) {
            return before;
        }
        try (PreparedStatement ps = c.prepareStatement("update instrument set asset_number = ?, name_zh = ?, "
                + "name_en = ?, model = ?, manufacturer = ?, country_code = ?, original_value_fen = ?, purchase_date = ?, "
                + "classification_code = ?, org_unit_id = ?, building = ?, room = ?, latitude = ?, longitude = ?, "
                + "status = ?, purpose = ?, rated_annual_hours = ?, fund_subsidised = ?, benefit_evaluation = ?, "
                + "shared_platform = ?, listed_in_cers = ?, customs_supervised = ?, sharing_scope = ?, "
                + "exemption_reason = ?, exemption_note = ?, description_zh = ?, description_en = ?, archived_at = null, "
                + "version = version + 1, updated_at = now() where id = ?")) {
            int k = bindRecord(ps, input, 1);
            ps.setObject(k, before.id());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw translate(e);
        }
        try (PreparedStatement ps = c.prepareStatement("delete from instrument_contact where instrument_id = ?")) {
            ps.setObject(1, before.id());
            ps.executeUpdate();
        }
        List<UUID> serviceIds = writeServices(c, before.id(), input, before.services());
        writeContacts(c, before.id(), input);
        writePrices(c, before.id(), input, serviceIds, before.prices());
        Instrument after = find(c, before.id()).orElseThrow();
        Map<String, Object> details = summary(after);
        details.put("changed", changedFields(before, after));
        audit.append(c, actor.entry("instrument.updated", "instrument", after.id().toString(), details));
        events.updated(c, after);
        return after;
    }

    private Instrument lockForUpdate(Connection c, UUID id) throws SQLException {
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

    // ---------------------------------------------------------------- validation

    /** Caches what a batch looks up repeatedly: org units of the bound tenant, known asset numbers. */
    final class ReferenceCache {
        private Map<UUID, Boolean> units;
        private List<String> rateGroups;

        /** The codes of the bound tenant's rate groups (internal, consortium, external first). */
        List<String> rateGroups(Connection c) throws SQLException {
            if (rateGroups == null) {
                rateGroups = RateGroups.codes(c);
            }
            return rateGroups;
        }

        boolean unitExists(Connection c, UUID unit) throws SQLException {
            if (units == null) {
                units = new HashMap<>();
                try (PreparedStatement ps = c.prepareStatement("select id from org_unit");
                     ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        units.put(rs.getObject(1, UUID.class), Boolean.TRUE);
                    }
                }
            }
            return units.containsKey(unit);
        }
    }

    /**
     * The problems with {@code input} that need the database or cross several fields; the bean
     * constraints on {@link InstrumentInput} are checked by the caller (the API's validator, the
     * import's row mapper).
     */
    List<FieldProblem> validate(Connection c, InstrumentInput in, ReferenceCache cache) throws SQLException {
        List<FieldProblem> out = new ArrayList<>();
        if (in.classificationCode() != null && !classifications.exists(in.classificationCode())) {
            out.add(new FieldProblem("classificationCode", "unknown", "validation.unknown_classification",
                    Map.of("value", in.classificationCode())));
        }
        if (in.orgUnitId() != null && !cache.unitExists(c, in.orgUnitId())) {
            out.add(new FieldProblem("orgUnitId", "unknown", "validation.unknown_reference", Map.of()));
        }
        if (in.originalValueFen() != null && in.originalValueFen() >= Instrument.NATIONAL_SCOPE_FEN
                && "private".equals(in.scopeOrDefault()) && in.exemptionReason() == null) {
            out.add(new FieldProblem("exemptionReason", "required_for_private", "validation.exemption_required",
                    Map.of()));
        }
        if (in.exemptionReason() == null && in.exemptionNote() != null && !in.exemptionNote().isBlank()) {
            out.add(new FieldProblem("exemptionReason", "required_with_note", "validation.exemption_reason_missing",
                    Map.of()));
        }
        if ((in.latitude() == null) != (in.longitude() == null)) {
            out.add(new FieldProblem(in.latitude() == null ? "latitude" : "longitude", "both_or_neither",
                    "validation.coordinates_pair", Map.of()));
        }
        if (in.purchaseDate() != null && in.purchaseDate().isBefore(LocalDate.of(1900, 1, 1))) {
            out.add(new FieldProblem("purchaseDate", "too_early", "validation.date_too_early", Map.of()));
        }
        if (in.prices() != null && !in.prices().isEmpty()) {
            validatePrices(c, in, cache, out);
        }
        return out;
    }

    /**
     * Each price names a rate group of the tenant, a unit, an amount within 0..1,000,000 RMB and at
     * most one service of the same request; no two prices share (service, rate group, unit).
     */
    private static void validatePrices(Connection c, InstrumentInput in, ReferenceCache cache, List<FieldProblem> out)
            throws SQLException {
        List<String> groups = cache.rateGroups(c);
        List<InstrumentInput.ServiceOffered> services = in.servicesOrEmpty();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < in.prices().size(); i++) {
            InstrumentInput.PriceInput p = in.prices().get(i);
            if (p == null) {
                continue;
            }
            String at = "prices[" + i + "].";
            if (p.rateGroup() != null && !p.rateGroup().isBlank() && !groups.contains(p.rateGroup().strip())) {
                out.add(groups.isEmpty()
                        ? new FieldProblem(at + "rateGroup", "unknown", "validation.no_rate_groups", Map.of())
                        : new FieldProblem(at + "rateGroup", "unknown", "validation.unknown_rate_group",
                        Map.of("value", p.rateGroup().strip(), "allowed", String.join(", ", groups))));
            }
            if (p.unit() != null && !p.unit().isBlank() && !InstrumentInput.PriceInput.UNITS.contains(p.unit())) {
                out.add(new FieldProblem(at + "unit", "unknown", "validation.price_unit",
                        Map.of("allowed", String.join(", ", InstrumentInput.PriceInput.UNITS))));
            }
            if (p.amountFen() != null && (p.amountFen() < 0 || p.amountFen() > InstrumentInput.MAX_PRICE_FEN)) {
                out.add(new FieldProblem(at + "amountFen", "out_of_range", "validation.price_amount",
                        Map.of("max", InstrumentInput.MAX_PRICE_FEN)));
            }
            Integer service = null;
            boolean serviceOk = true;
            if (p.serviceId() != null && p.serviceIndex() != null) {
                out.add(new FieldProblem(at + "serviceId", "one_of", "validation.price_service_both", Map.of()));
                serviceOk = false;
            } else if (p.serviceIndex() != null) {
                if (p.serviceIndex() < 0 || p.serviceIndex() >= services.size()) {
                    out.add(new FieldProblem(at + "serviceIndex", "unknown", "validation.price_unknown_service",
                            Map.of("value", p.serviceIndex())));
                    serviceOk = false;
                } else {
                    service = p.serviceIndex();
                }
            } else if (p.serviceId() != null) {
                service = serviceIndexOf(services, p.serviceId());
                if (service == null) {
                    out.add(new FieldProblem(at + "serviceId", "unknown", "validation.price_unknown_service",
                            Map.of("value", p.serviceId())));
                    serviceOk = false;
                }
            }
            if (serviceOk && p.rateGroup() != null && p.unit() != null) {
                String key = (service == null ? "-" : service.toString()) + "|" + p.rateGroup().strip() + "|" + p.unit();
                Integer first = seen.putIfAbsent(key, i);
                if (first != null) {
                    out.add(new FieldProblem(at + "rateGroup", "duplicate", "validation.price_duplicate",
                            Map.of("row", first + 1)));
                }
            }
        }
    }

    /** The position in {@code services} of the one sent back with {@code id}, or null. */
    private static Integer serviceIndexOf(List<InstrumentInput.ServiceOffered> services, UUID id) {
        for (int k = 0; k < services.size(); k++) {
            if (id.equals(services.get(k).id())) {
                return k;
            }
        }
        return null;
    }

    /** The request's position of the service a price names, or null for machine time (after validation). */
    private static Integer serviceIndex(InstrumentInput in, InstrumentInput.PriceInput p) {
        if (p.serviceIndex() != null) {
            return p.serviceIndex();
        }
        return p.serviceId() == null ? null : serviceIndexOf(in.servicesOrEmpty(), p.serviceId());
    }

    private static void throwIfInvalid(List<FieldProblem> problems) {
        if (!problems.isEmpty()) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", problems);
        }
    }

    private static ProblemException assetTaken() {
        return new ProblemException(HttpStatus.CONFLICT, "conflict", List.of(
                new FieldProblem("assetNumber", "taken", "validation.taken", Map.of())));
    }

    private static RuntimeException translate(SQLException e) {
        if ("23505".equals(e.getSQLState())) {
            return assetTaken();
        }
        if ("23514".equals(e.getSQLState()) && String.valueOf(e.getMessage()).contains("instrument_private_needs_exemption")) {
            return new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", List.of(new FieldProblem(
                    "exemptionReason", "required_for_private", "validation.exemption_required", Map.of())));
        }
        return new IllegalStateException(e);
    }

    // ---------------------------------------------------------------- writing

    private static Optional<UUID> findIdByAsset(Connection c, String asset) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select id from instrument where asset_number = ?")) {
            ps.setString(1, asset);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getObject(1, UUID.class)) : Optional.empty();
            }
        }
    }

    private static Map<String, UUID> assetIndex(Connection c) throws SQLException {
        Map<String, UUID> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select asset_number, id from instrument");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getObject(2, UUID.class));
            }
        }
        return out;
    }

    private static void insert(Connection c, UUID id, InstrumentInput in) throws SQLException {
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

    private static void writeChildren(Connection c, UUID id, InstrumentInput in) throws SQLException {
        List<UUID> serviceIds = writeServices(c, id, in, List.of());
        writeContacts(c, id, in);
        writePrices(c, id, in, serviceIds, List.of());
    }

    /**
     * Services keep their ids when the caller sends them back (sample requests will refer to them).
     *
     * @return the ids of the services written, in the request's order (prices name them by position)
     */
    private static List<UUID> writeServices(Connection c, UUID instrument, InstrumentInput in,
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
    private static void writePrices(Connection c, UUID instrument, InstrumentInput in, List<UUID> serviceIds,
                                    List<Instrument.Price> existing) throws SQLException {
        if (in.prices() == null) {
            return;
        }
        Map<String, UUID> known = new HashMap<>();
        existing.forEach(p -> known.put(priceKey(p.serviceId(), p.rateGroup(), p.unit()), p.id()));
        List<Object[]> rows = new ArrayList<>();
        Map<UUID, Boolean> kept = new HashMap<>();
        for (InstrumentInput.PriceInput p : in.prices()) {
            Integer index = serviceIndex(in, p);
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

    private static void writeContacts(Connection c, UUID instrument, InstrumentInput in) throws SQLException {
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

    // ---------------------------------------------------------------- reading

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

    // ---------------------------------------------------------------- comparing

    /** Whether writing {@code in} over {@code stored} would change it (an import's dry run predicts outcomes). */
    public static boolean wouldChange(Instrument stored, InstrumentInput in) {
        return !sameAs(stored, in);
    }

    /** True when writing {@code in} would change nothing (a re-import of the same file). */
    static boolean sameAs(Instrument i, InstrumentInput in) {
        InstrumentInput.Flags f = in.flagsOrDefault();
        return i.archivedAt() == null
                && Objects.equals(i.assetNumber(), in.assetNumber().strip())
                && Objects.equals(i.nameZh(), in.nameZh().strip()) && Objects.equals(i.nameEn(), in.nameEn().strip())
                && Objects.equals(i.model(), blankToNull(in.model()))
                && Objects.equals(i.manufacturer(), blankToNull(in.manufacturer()))
                && Objects.equals(i.countryCode(), in.countryCode())
                && i.originalValueFen() == in.originalValueFen()
                && Objects.equals(i.purchaseDate(), in.purchaseDate())
                && Objects.equals(i.classificationCode(), in.classificationCode())
                && Objects.equals(i.orgUnitId(), in.orgUnitId())
                && Objects.equals(i.building(), blankToNull(in.building()))
                && Objects.equals(i.room(), blankToNull(in.room()))
                && sameNumber(i.latitude(), in.latitude()) && sameNumber(i.longitude(), in.longitude())
                && i.status().equals(in.statusOrDefault()) && i.purpose().equals(in.purposeOrDefault())
                && Objects.equals(i.ratedAnnualHours(), in.ratedAnnualHours())
                && i.flags().equals(f) && i.sharingScope().equals(in.scopeOrDefault())
                && Objects.equals(i.exemptionReason(), in.exemptionReason())
                && Objects.equals(i.exemptionNote(), blankToNull(in.exemptionNote()))
                && Objects.equals(i.descriptionZh(), blankToNull(in.descriptionZh()))
                && Objects.equals(i.descriptionEn(), blankToNull(in.descriptionEn()))
                && sameServices(i.services(), in.servicesOrEmpty())
                && (in.prices() == null || samePrices(i, in))
                && i.contacts().equals(in.contactsOrEmpty().stream().map(p -> new InstrumentInput.Contact(p.name().strip(),
                        blankToNull(p.role()), blankToNull(p.phone()), blankToNull(p.email()))).toList());
    }

    private static boolean sameServices(List<Instrument.Service> have, List<InstrumentInput.ServiceOffered> want) {
        if (have.size() != want.size()) {
            return false;
        }
        for (int i = 0; i < have.size(); i++) {
            Instrument.Service h = have.get(i);
            InstrumentInput.ServiceOffered w = want.get(i);
            if (!h.nameZh().equals(w.nameZh().strip()) || !h.nameEn().equals(w.nameEn().strip())
                    || !Objects.equals(h.sampleRequirements(), blankToNull(w.sampleRequirements()))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The stored prices against the request's, in order (called once the services compared equal,
     * so the request's service at position k is the stored one at position k).
     */
    private static boolean samePrices(Instrument i, InstrumentInput in) {
        List<Instrument.Price> have = i.prices();
        List<InstrumentInput.PriceInput> want = in.prices();
        if (have.size() != want.size()) {
            return false;
        }
        for (int k = 0; k < have.size(); k++) {
            Instrument.Price h = have.get(k);
            InstrumentInput.PriceInput w = want.get(k);
            Integer index = serviceIndex(in, w);
            UUID service = index == null || index >= i.services().size() ? null : i.services().get(index).id();
            if (!Objects.equals(h.serviceId(), service) || !h.rateGroup().equals(w.rateGroup().strip())
                    || !h.unit().equals(w.unit()) || w.amountFen() == null || h.amountFen() != w.amountFen()
                    || !Objects.equals(h.noteZh(), blankToNull(w.noteZh()))
                    || !Objects.equals(h.noteEn(), blankToNull(w.noteEn()))) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameNumber(BigDecimal a, BigDecimal b) {
        return a == null ? b == null : b != null && a.compareTo(b) == 0;
    }

    private static List<String> changedFields(Instrument a, Instrument b) {
        List<String> out = new ArrayList<>();
        Map<String, Object[]> pairs = new LinkedHashMap<>();
        pairs.put("assetNumber", new Object[]{a.assetNumber(), b.assetNumber()});
        pairs.put("nameZh", new Object[]{a.nameZh(), b.nameZh()});
        pairs.put("nameEn", new Object[]{a.nameEn(), b.nameEn()});
        pairs.put("model", new Object[]{a.model(), b.model()});
        pairs.put("manufacturer", new Object[]{a.manufacturer(), b.manufacturer()});
        pairs.put("originalValueFen", new Object[]{a.originalValueFen(), b.originalValueFen()});
        pairs.put("classificationCode", new Object[]{a.classificationCode(), b.classificationCode()});
        pairs.put("orgUnitId", new Object[]{a.orgUnitId(), b.orgUnitId()});
        pairs.put("status", new Object[]{a.status(), b.status()});
        pairs.put("sharingScope", new Object[]{a.sharingScope(), b.sharingScope()});
        pairs.put("exemptionReason", new Object[]{a.exemptionReason(), b.exemptionReason()});
        pairs.put("flags", new Object[]{a.flags(), b.flags()});
        pairs.put("location", new Object[]{a.building() + "|" + a.room() + "|" + a.latitude() + "|" + a.longitude(),
                b.building() + "|" + b.room() + "|" + b.latitude() + "|" + b.longitude()});
        pairs.put("services", new Object[]{a.services().size(), b.services().size()});
        pairs.put("prices", new Object[]{priceList(a), priceList(b)});
        pairs.forEach((k, v) -> {
            if (!Objects.equals(v[0], v[1])) {
                out.add(k);
            }
        });
        return out;
    }

    private static List<String> priceList(Instrument i) {
        return i.prices().stream().map(p -> p.serviceId() + "|" + p.rateGroup() + "|" + p.unit() + "|" + p.amountFen()
                + "|" + p.noteZh() + "|" + p.noteEn()).toList();
    }

    static Map<String, Object> summary(Instrument i) {
        Map<String, Object> m = new HashMap<>();
        m.put("assetNumber", i.assetNumber());
        m.put("version", i.version());
        m.put("sharingScope", i.sharingScope());
        return m;
    }
}

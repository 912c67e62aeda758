package org.labcommons.core.catalog;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.labcommons.core.catalog.InstrumentValidation.assetTaken;
import static org.labcommons.core.catalog.InstrumentValidation.throwIfInvalid;
import static org.labcommons.core.catalog.InstrumentValidation.translate;

/**
 * The catalogue of one tenant: list, read, create, replace, archive and bulk upsert of instrument
 * records. Every change is audited and emits a catalogue event through the outbox in the same
 * transaction ({@link CatalogueEvents}); every call names the tenant and row level security holds
 * the line behind it. The checks that need the database are {@link InstrumentValidation}'s (with
 * field-level problems), what a change changes is {@link InstrumentDiff}'s, and the SQL is
 * {@link InstrumentRecords}' over the store {@link InstrumentRows}.
 */
@Singleton
public record InstrumentService(TenantTransactions tenants,
                                AuditLog audit,
                                CatalogueEvents events,
                                InstrumentValidation validation,
                                InstrumentRecords records,
                                InstrumentRows store) {
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
        return records.list(c, query);
    }

    public Optional<Instrument> find(TenantId tenant, UUID id) {
        return tenants.inTenant(tenant, c -> find(c, id));
    }

    public Optional<Instrument> find(Connection c, UUID id) throws SQLException {
        return records.find(id);
    }

    public Instrument create(TenantId tenant, AuditEntry.Actor actor, InstrumentInput input) {
        return tenants.inTenant(tenant, c -> {
            throwIfInvalid(validation.validate(c, input, new InstrumentValidation.ReferenceCache()));
            if (records.findIdByAsset(input.assetNumber()).isPresent()) {
                throw assetTaken();
            }
            UUID id = UUID.randomUUID();
            try {
                records.insert(tenant.value(), id, input);
            } catch (DataAccessException e) {
                throw translate(e);
            }
            Instrument created = find(c, id).orElseThrow();
            audit.append(c, actor.entry("instrument.created", "instrument", id.toString(), InstrumentDiff.summary(created)));
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
            Instrument before = records.lockForUpdate(id);
            if (expectedVersion != null && expectedVersion != before.version()) {
                throw new ProblemException(HttpStatus.CONFLICT, "version_conflict", before.version());
            }
            throwIfInvalid(validation.validate(c, input, new InstrumentValidation.ReferenceCache()));
            Optional<UUID> holder = records.findIdByAsset(input.assetNumber());
            if (holder.isPresent() && !holder.get().equals(id)) {
                throw assetTaken();
            }
            return update(c, actor, before, input);
        });
    }

    /** Archives the record: it leaves lists and the consortium; its history stays. */
    public Instrument archive(TenantId tenant, AuditEntry.Actor actor, UUID id) {
        return tenants.inTenant(tenant, c -> {
            Instrument before = records.lockForUpdate(id);
            if (before.archivedAt() != null) {
                return before;
            }
            records.archive(id);
            Instrument after = find(c, id).orElseThrow();
            audit.append(c, actor.entry("instrument.archived", "instrument", id.toString(), InstrumentDiff.summary(after)));
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
        InstrumentValidation.ReferenceCache cache = new InstrumentValidation.ReferenceCache();
        List<RowResult> results = new ArrayList<>(rows.size());
        Map<String, Integer> seen = new HashMap<>();
        boolean anyInvalid = false;
        for (int i = 0; i < rows.size(); i++) {
            InstrumentInput row = rows.get(i);
            List<FieldProblem> problems = new ArrayList<>(validation.validate(c, row, cache));
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
        Map<String, UUID> existing = records.assetIndex();
        UUID tenant = store.boundTenant();
        List<RowResult> written = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            InstrumentInput row = rows.get(i);
            UUID id = existing.get(row.assetNumber());
            Outcome outcome;
            if (id == null) {
                id = UUID.randomUUID();
                records.insert(tenant, id, row);
                Instrument created = find(c, id).orElseThrow();
                audit.append(c, actor.entry("instrument.created", "instrument", id.toString(), InstrumentDiff.summary(created)));
                events.created(c, created);
                outcome = Outcome.CREATED;
            } else {
                Instrument before = records.lockForUpdate(id);
                Instrument after = update(c, actor, before, row);
                outcome = after.version() == before.version() ? Outcome.UNCHANGED : Outcome.UPDATED;
            }
            written.add(new RowResult(i, outcome, List.of()));
        }
        return written;
    }

    /**
     * Sets one published price from a filed fee standard (billing's {@code FeeStandards}), in the caller's
     * transaction: the price of machine time ({@code serviceId} null) or of a service for one rate group becomes
     * {@code amountFen} per {@code unit}; a price of the same (service, rate group) in another unit is replaced, the
     * notes and position of a kept price stay. The record's version goes up, the change is audited
     * ({@code instrument.price_published}) and emitted ({@code catalog.instrument.updated}); a price already at that
     * amount changes nothing. 404 when the tenant has no such instrument.
     */
    public Instrument publishPrice(Connection c, AuditEntry.Actor actor, UUID instrumentId, @Nullable UUID serviceId,
                                   String rateGroup, String unit, long amountFen) throws SQLException {
        Instrument before = records.lockForUpdate(instrumentId);
        Instrument.Price kept = null;
        List<Instrument.Price> others = new ArrayList<>();
        for (Instrument.Price p : before.prices()) {
            if (java.util.Objects.equals(p.serviceId(), serviceId) && p.rateGroup().equals(rateGroup)) {
                if (p.unit().equals(unit) && kept == null) {
                    kept = p;
                } else {
                    others.add(p);
                }
            }
        }
        if (kept != null && kept.amountFen() == amountFen && others.isEmpty()) {
            return before;
        }
        others.forEach(p -> store.deletePrice(p.id()));
        if (kept != null) {
            store.updatePrice(kept.id(), amountFen, kept.noteZh(), kept.noteEn(), before.prices().indexOf(kept));
        } else {
            store.addPrice(UUID.randomUUID(), instrumentId, serviceId, rateGroup, unit, amountFen, null, null,
                    before.prices().size());
        }
        store.touch(instrumentId);
        Instrument after = records.find(instrumentId).orElseThrow();
        Map<String, Object> details = InstrumentDiff.summary(after);
        details.put("rateGroup", rateGroup);
        details.put("unit", unit);
        details.put("amountFen", amountFen);
        if (serviceId != null) {
            details.put("serviceId", serviceId.toString());
        }
        audit.append(c, actor.entry("instrument.price_published", "instrument", instrumentId.toString(), details));
        events.updated(c, after);
        return after;
    }

    /** One row's result in a bulk upsert: an outcome, or problems (never both). */
    public record RowResult(int index, Outcome outcome, List<FieldProblem> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private Instrument update(Connection c, AuditEntry.Actor actor, Instrument before, InstrumentInput input)
            throws SQLException {
        if (InstrumentDiff.sameAs(before, input)) {
            return before;
        }
        try {
            records.updateRow(before.id(), input);
        } catch (DataAccessException e) {
            throw translate(e);
        }
        records.updateChildren(before, input);
        Instrument after = records.find(before.id()).orElseThrow();
        Map<String, Object> details = InstrumentDiff.summary(after);
        details.put("changed", InstrumentDiff.changedFields(before, after));
        audit.append(c, actor.entry("instrument.updated", "instrument", after.id().toString(), details));
        events.updated(c, after);
        return after;
    }

    /**
     * The problems with {@code input} that need the database or cross several fields
     * ({@link InstrumentValidation#validate}), read in the tenant; nothing is written.
     */
    List<FieldProblem> validate(TenantId tenant, InstrumentInput input) {
        return tenants.inTenant(tenant, c -> validation.validate(c, input, new InstrumentValidation.ReferenceCache()));
    }

    /** Whether writing {@code in} over {@code stored} would change it (an import's dry run predicts outcomes). */
    public static boolean wouldChange(Instrument stored, InstrumentInput in) {
        return InstrumentDiff.wouldChange(stored, in);
    }
}

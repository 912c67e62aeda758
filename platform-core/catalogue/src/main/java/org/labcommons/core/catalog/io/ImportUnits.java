package org.labcommons.core.catalog.io;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.catalog.InstrumentRows;
import org.labcommons.core.org.OrgUnit;
import org.labcommons.core.org.OrgUnitInput;
import org.labcommons.core.org.OrgUnitRow;
import org.labcommons.core.org.OrgUnitRows;
import org.labcommons.core.org.OrgUnitService;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.security.AccessPolicy;
import org.labcommons.core.security.Action;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.security.Scope;
import org.labcommons.core.tenancy.TenantId;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The units a register names that the institution lacks (docs/catalogue-import.md, "Units the
 * institution lacks"). A name is missing when it matches no unit the way a row's unit is matched
 * ({@link RowMapper}: the code in any case, the Chinese name, the English name in any case); the
 * same name in another case or with other surrounding spaces is one unit. When the mapping asks for
 * them ({@link NewUnits}), a commit creates them as departments under the chosen parent through the
 * kernel's {@link OrgUnitService} (which audits {@code org_unit.created}), in the commit's own
 * transaction: a refused or failed commit leaves none behind. Preview and dry run plan them with
 * ids of their own and create nothing. Only those who manage the organisation may ask for them.
 */
@Singleton
public record ImportUnits(OrgUnitService service, OrgUnitRows rows, InstrumentRows instrumentRows, AccessPolicy access) {
    /** The longest unit name that can be created ({@link OrgUnitInput}). */
    static final int MAX_NAME = 200;

    /**
     * A unit the file names that the institution lacks: its name as the file first gives it, the
     * code it gets, how many rows name it, whether the import creates it, and its id once created.
     */
    @Serdeable
    public record NewUnit(String name, String code, int rows, boolean create, @Nullable UUID id) {
    }

    /** The units rows are matched against (existing, and the planned or created ones) and the new ones. */
    record Plan(List<RowMapper.Unit> units, List<NewUnit> newUnits, Set<UUID> planned) {
        /** Drops the service's "unknown unit" for rows pointing at a unit that is only planned (not yet written). */
        List<org.labcommons.core.catalog.InstrumentService.RowResult> withoutPlanned(
                List<org.labcommons.core.catalog.InstrumentService.RowResult> results,
                List<org.labcommons.core.catalog.InstrumentInput> inputs) {
            if (planned.isEmpty()) {
                return results;
            }
            List<org.labcommons.core.catalog.InstrumentService.RowResult> out = new ArrayList<>(results.size());
            for (var r : results) {
                UUID unit = inputs.get(r.index()).orgUnitId();
                if (unit == null || !planned.contains(unit) || r.problems().isEmpty()) {
                    out.add(r);
                    continue;
                }
                List<FieldProblem> kept = r.problems().stream()
                        .filter(p -> !("orgUnitId".equals(p.field()) && "unknown".equals(p.code()))).toList();
                out.add(new org.labcommons.core.catalog.InstrumentService.RowResult(r.index(), r.outcome(), kept));
            }
            return out;
        }
    }

    /** The bound tenant's units, by code (the parent choice of the wizard). */
    List<OrgUnit> all(TenantId tenant) {
        return service.list(tenant, null, null, 0, Integer.MAX_VALUE);
    }

    /** Whether {@code user} may have units created: those who manage the organisation (as the org-unit API requires). */
    boolean mayCreate(AuthenticatedUser user) {
        return access.allows(user.roles(), Action.MANAGE_ORGANISATION, Scope.tenant(user.actingTenant()));
    }

    /** Refuses (403, field {@code newUnits}) a mapping that asks for units when {@code user} may not create them. */
    void requireMayCreate(AuthenticatedUser user, ColumnMapping mapping) {
        if (mapping.newUnits() != null && !mayCreate(user)) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "forbidden", List.of(new FieldProblem("newUnits",
                    "forbidden", "import.new_units_forbidden", Map.of())));
        }
    }

    /** What is wrong with the mapping's {@code newUnits}: an unknown parent. Call in the tenant's transaction. */
    List<FieldProblem> problems(ColumnMapping mapping) {
        NewUnits n = mapping.newUnits();
        if (n != null && n.parentId() != null && !rows.existsById(n.parentId())) {
            return List.of(new FieldProblem("newUnits.parentId", "unknown", "import.unknown_parent", Map.of()));
        }
        return List.of();
    }

    /**
     * Reads every data row's unit (through {@code eachRow}, which hands each row to the handler),
     * finds the names the tenant lacks and, when the mapping asks for them, creates them
     * ({@code write}) or plans them. Call in the tenant's transaction.
     */
    Plan plan(AuditEntry.Actor actor, ColumnMapping mapping, int headerRow,
              Consumer<Spreadsheets.RowHandler> eachRow, boolean write) {
        List<OrgUnitRow> existing = rows.page(null, null, 0, Integer.MAX_VALUE);
        List<RowMapper.Unit> units = new ArrayList<>(existing.stream().map(RowMapper.Unit::of).toList());
        Set<String> codes = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (OrgUnitRow u : existing) {
            codes.add(u.code().toLowerCase(Locale.ROOT));
            names.add(u.nameZh().strip());
            if (u.nameEn() != null) {
                names.add(u.nameEn().strip().toLowerCase(Locale.ROOT));
            }
        }
        Map<String, String> missing = new LinkedHashMap<>();   // key → the name as first given
        Map<String, Integer> counts = new HashMap<>();
        Integer column = mapping.columns().get(ImportField.ORG_UNIT.key());
        String fallback = mapping.defaults().get(ImportField.ORG_UNIT.key());
        if (column != null || (fallback != null && !fallback.isBlank())) {
            eachRow.accept((number, cells) -> {
                if (number <= headerRow) {
                    return true;
                }
                String v = RowMapper.text(cells, mapping, ImportField.ORG_UNIT);   // as the row's unit is read
                if (v == null) {
                    v = fallback == null ? "" : fallback.strip();
                }
                if (!v.isEmpty() && !codes.contains(v.toLowerCase(Locale.ROOT)) && !names.contains(v)
                        && !names.contains(v.toLowerCase(Locale.ROOT))) {
                    missing.putIfAbsent(v.toLowerCase(Locale.ROOT), v);
                    counts.merge(v.toLowerCase(Locale.ROOT), 1, Integer::sum);
                }
                return true;
            });
        }
        NewUnits choice = mapping.newUnits();
        List<NewUnit> out = new ArrayList<>();
        Set<UUID> planned = new HashSet<>();
        Set<String> taken = new HashSet<>(codes);
        taken.addAll(missing.keySet());   // a new code must not be another new unit's name
        TenantId tenant = null;
        for (Map.Entry<String, String> e : missing.entrySet()) {
            String name = e.getValue();
            taken.remove(e.getKey());   // its own name may be its code
            String code = code(name, taken);
            taken.add(e.getKey());
            boolean create = choice != null && name.length() <= MAX_NAME;
            UUID id = null;
            if (create) {
                if (write) {
                    if (tenant == null) {
                        tenant = new TenantId(instrumentRows.boundTenant());
                    }
                    // joins the commit's transaction: rolled back with it
                    id = service.create(tenant, actor, new OrgUnitInput(choice.parentId(), "department", code, name,
                            name, null, null)).id();
                } else {
                    id = UUID.randomUUID();
                    planned.add(id);
                }
                units.add(new RowMapper.Unit(id, code, name, name));
            }
            out.add(new NewUnit(name, code, counts.get(e.getKey()), create, write ? id : null));
        }
        return new Plan(units, out, planned);
    }

    /**
     * A code for a new unit: its name's letters and digits in capitals joined by {@code -} (accents
     * dropped, at most 40 characters), or {@code U-} and a short key of the name when it has none
     * (a Chinese name); {@code -2}, {@code -3}... when taken.
     */
    static String code(String name, Set<String> taken) {
        String ascii = Normalizer.normalize(name, Normalizer.Form.NFKD).replaceAll("\\p{M}", "")
                .toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (ascii.length() > 40) {
            ascii = ascii.substring(0, 40).replaceAll("-+$", "");
        }
        if (ascii.isEmpty()) {
            ascii = "U-" + Integer.toUnsignedString(AssetNumbers.normalise(name).hashCode(), 36).toUpperCase(Locale.ROOT);
        }
        String code = ascii;
        for (int n = 2; taken.contains(code.toLowerCase(Locale.ROOT)); n++) {
            code = ascii + "-" + n;
        }
        taken.add(code.toLowerCase(Locale.ROOT));
        return code;
    }
}

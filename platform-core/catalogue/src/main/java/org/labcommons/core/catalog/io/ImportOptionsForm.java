package org.labcommons.core.catalog.io;

import io.micronaut.http.HttpStatus;
import org.labcommons.core.org.OrgUnit;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.ProblemException.FieldProblem;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The wizard's column step for the two import options (fragment {@code admin/import-options}):
 * generated asset numbers ({@code assetNumbers.generate}, {@code assetNumbers.prefix}) and the
 * creation of missing units ({@code newUnits.create}, {@code newUnits.parentId}, empty for the
 * top of the institution), read from the form and put in the page's model; and the institution's
 * units to choose the default owning unit from ({@code default.orgUnit}: a unit's code, which the
 * rows' unit lookup reads like a unit named in the file).
 */
final class ImportOptionsForm {
    private ImportOptionsForm() {
    }

    /** The mapping the form asks for; a parent that is not a unit id is a field problem. */
    static ColumnMapping mapping(Map<String, Integer> columns, Map<String, String> defaults, Map<String, String> form) {
        AssetNumbering numbering = checked(form.get("assetNumbers.generate"))
                ? new AssetNumbering(form.getOrDefault("assetNumbers.prefix", "")) : null;
        NewUnits newUnits = null;
        if (checked(form.get("newUnits.create"))) {
            String parent = form.get("newUnits.parentId");
            try {
                newUnits = new NewUnits(parent == null || parent.isBlank() ? null : UUID.fromString(parent.strip()));
            } catch (IllegalArgumentException e) {
                throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", List.of(new FieldProblem(
                        "newUnits.parentId", "unknown", "import.unknown_parent", Map.of())));
            }
        }
        return new ColumnMapping(columns, defaults, numbering, newUnits);
    }

    /** The options as the form shows them, and the units a parent can be chosen from (for those who may create units). */
    static void model(Map<String, Object> model, ColumnMapping mapping, List<OrgUnit> units, boolean zh,
                      boolean mayCreateUnits) {
        model.put("mayCreateUnits", mayCreateUnits);
        model.put("generateNumbers", mapping.assetNumbers() != null);
        model.put("prefix", mapping.assetNumbers() == null ? AssetNumbering.DEFAULT_PREFIX
                : mapping.assetNumbers().prefixOrDefault());
        model.put("prefixMax", AssetNumbering.MAX_PREFIX);
        model.put("createUnits", mapping.newUnits() != null);
        String parent = mapping.newUnits() == null || mapping.newUnits().parentId() == null ? ""
                : mapping.newUnits().parentId().toString();
        List<Map<String, String>> parents = new ArrayList<>();
        for (OrgUnit u : units) {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("id", u.id().toString());
            p.put("label", u.code() + " · " + (zh ? u.nameZh() : u.nameEn()));
            p.put("selected", String.valueOf(u.id().toString().equals(parent)));
            parents.add(p);
        }
        model.put("parents", parents);
        model.put("unitChoices", unitChoices(units, mapping.defaults().get("orgUnit"), zh));
    }

    /**
     * The default owning unit's options: each unit by code with its name in the page's language,
     * the one the mapping names (by code or by name) selected; a default naming no unit (set through
     * the API) stays as an option of its own so that saving the form keeps it.
     */
    static List<Map<String, String>> unitChoices(List<OrgUnit> units, String current, boolean zh) {
        List<Map<String, String>> out = new ArrayList<>();
        String wanted = current == null ? "" : current.strip();
        boolean found = wanted.isEmpty();
        for (OrgUnit u : units) {
            boolean selected = !wanted.isEmpty() && (wanted.equalsIgnoreCase(u.code()) || wanted.equals(u.nameZh())
                    || wanted.equalsIgnoreCase(u.nameEn() == null ? "" : u.nameEn()));
            found |= selected;
            Map<String, String> o = new LinkedHashMap<>();
            o.put("value", u.code());
            o.put("label", (zh || u.nameEn() == null || u.nameEn().isBlank() ? u.nameZh() : u.nameEn()) + " (" + u.code() + ")");
            o.put("selected", String.valueOf(selected));
            out.add(o);
        }
        if (!found) {
            out.add(0, Map.of("value", wanted, "label", wanted, "selected", "true"));
        }
        return out;
    }

    private static boolean checked(String v) {
        return v != null && ("on".equals(v) || "true".equals(v));
    }
}

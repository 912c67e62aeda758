package org.labcommons.core.catalog.io;

import org.labcommons.core.catalog.Classifications;
import org.labcommons.core.catalog.Instrument;
import org.labcommons.core.catalog.InstrumentInput;
import org.labcommons.core.org.OrgUnitRow;
import org.labcommons.core.problem.ProblemException.FieldProblem;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * One spreadsheet row to one {@link InstrumentInput}. A row whose asset number is already in the
 * catalogue starts from the stored record, so columns the file does not have (services, documents,
 * a second contact...) keep their values and a re-import of the same file changes nothing; a new
 * record starts from the mapping's defaults. A mapped cell that is blank clears an optional field.
 * Names fall back on each other (a register without English names keeps the Chinese one in both).
 * Cells that cannot be read become field problems here; the bean constraints and the database
 * checks come after.
 */
final class RowMapper {
    /** An org unit of the tenant, as a register may name it. */
    record Unit(UUID id, String code, String nameZh, String nameEn) {
        static Unit of(OrgUnitRow u) {
            return new Unit(u.id(), u.code(), u.nameZh(), u.nameEn());
        }
    }

    /** What the mapping needs to look up: the tenant's units, the classification, stored records. */
    static final class References {
        private final Map<String, UUID> unitsByCode = new HashMap<>();
        private final Map<String, List<UUID>> unitsByName = new HashMap<>();
        private final Map<UUID, Unit> units = new HashMap<>();
        private final Map<String, List<String>> classesByName = new HashMap<>();
        private final Classifications classifications;
        private final Map<String, Instrument> existing;

        References(List<Unit> units, Classifications classifications, Map<String, Instrument> existing) {
            for (Unit u : units) {
                this.units.put(u.id(), u);
                unitsByCode.put(u.code().toLowerCase(Locale.ROOT), u.id());
                // a unit whose English name is its Chinese one (a unit an import created) is one unit, not two
                addOnce(unitsByName, u.nameZh().strip(), u.id());
                if (u.nameEn() != null) {
                    addOnce(unitsByName, u.nameEn().strip().toLowerCase(Locale.ROOT), u.id());
                }
            }
            this.classifications = classifications;
            for (Classifications.Entry e : classifications.all().values()) {
                if (e.level() == 3) {
                    addOnce(classesByName, e.nameZh().strip(), e.code());
                    if (e.nameEn() != null) {
                        addOnce(classesByName, e.nameEn().strip().toLowerCase(Locale.ROOT), e.code());
                    }
                }
            }
            this.existing = existing;
        }

        private static <T> void addOnce(Map<String, List<T>> byName, String name, T value) {
            List<T> values = byName.computeIfAbsent(name, k -> new ArrayList<>());
            if (!values.contains(value)) {
                values.add(value);
            }
        }

        Optional<Instrument> existing(String asset) {
            return Optional.ofNullable(asset == null ? null : existing.get(asset));
        }

        Unit unit(UUID id) {
            return units.get(id);
        }

        Map<String, Instrument> existingMap() {
            return existing;
        }
    }

    /** The row as it would be stored, and what is wrong with it; {@code cells} as read. */
    record Mapped(int rowNumber, InstrumentInput input, boolean exists, List<FieldProblem> problems, List<String> cells) {
    }

    private RowMapper() {
    }

    static Mapped map(int rowNumber, List<String> cells, ColumnMapping mapping, References refs) {
        return map(rowNumber, cells, mapping, refs, null);
    }

    /** {@code generated}: the row's asset number from {@link AssetNumbers}, or null to read it from its column. */
    static Mapped map(int rowNumber, List<String> cells, ColumnMapping mapping, References refs, String generated) {
        List<FieldProblem> problems = new ArrayList<>();
        String asset = generated != null ? generated : text(cell(cells, mapping, ImportField.ASSET_NUMBER));
        Optional<Instrument> stored = refs.existing(asset);
        Draft d = stored.map(Draft::of).orElseGet(Draft::new);
        d.assetNumber = asset;
        for (ImportField f : ImportField.values()) {
            if (f == ImportField.ASSET_NUMBER) {
                continue;
            }
            String raw = mapping.maps(f) ? cell(cells, mapping, f) : null;
            boolean blank = raw == null || raw.isBlank();
            if (blank && stored.isEmpty() && mapping.defaults().containsKey(f.key())) {
                raw = mapping.defaults().get(f.key());
                blank = raw == null || raw.isBlank();
            } else if (!mapping.maps(f)) {
                continue;   // not in the file: a stored record keeps its value
            }
            apply(d, f, blank ? null : raw.strip(), refs, problems);
        }
        if (blank(d.nameZh) && !blank(d.nameEn)) {
            d.nameZh = d.nameEn;
        }
        if (blank(d.nameEn) && !blank(d.nameZh)) {
            d.nameEn = d.nameZh;
        }
        return new Mapped(rowNumber, d.toInput(), stored.isPresent(), problems, cells);
    }

    private static String cell(List<String> cells, ColumnMapping mapping, ImportField f) {
        Integer index = mapping.columns().get(f.key());
        if (index == null || index < 0 || index >= cells.size()) {
            return null;
        }
        return CellValues.unneutralise(cells.get(index));
    }

    /**
     * The text of field {@code f}'s cell as a row reads it (the cell as {@link Spreadsheets} trimmed
     * it, our export's formula quote taken off, then stripped), or null when blank or unmapped;
     * {@link ImportUnits} reads the unit column the same way.
     */
    static String text(List<String> cells, ColumnMapping mapping, ImportField f) {
        return text(cell(cells, mapping, f));
    }

    private static String text(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static void apply(Draft d, ImportField f, String v, References refs, List<FieldProblem> problems) {
        switch (f) {
            case NAME_ZH -> d.nameZh = v;
            case NAME_EN -> d.nameEn = v;
            case MODEL -> d.model = v;
            case MANUFACTURER -> d.manufacturer = v;
            case COUNTRY -> d.countryCode = v == null ? null
                    : CellValues.country(v).orElseGet(() -> bad(problems, "countryCode", "unknown_country", v, null));
            case ORIGINAL_VALUE -> d.originalValueFen = v == null ? null
                    : CellValues.yuanToFen(v).orElseGet(() -> bad(problems, "originalValueFen", "invalid_number", v, null));
            case ORIGINAL_VALUE_WAN -> d.originalValueFen = v == null ? null
                    : CellValues.wanYuanToFen(v).orElseGet(() -> bad(problems, "originalValueFen", "invalid_number", v, null));
            case PURCHASE_DATE -> d.purchaseDate = v == null ? null
                    : CellValues.date(v).orElseGet(() -> bad(problems, "purchaseDate", "invalid_date", v, null));
            case CLASSIFICATION -> d.classificationCode = v == null ? null : classification(v, refs, problems);
            case ORG_UNIT -> d.orgUnitId = v == null ? null : unit(v, refs, problems);
            case BUILDING -> d.building = v;
            case ROOM -> d.room = v;
            case LATITUDE -> d.latitude = v == null ? null
                    : CellValues.decimal(v).orElseGet(() -> bad(problems, "latitude", "invalid_number", v, null));
            case LONGITUDE -> d.longitude = v == null ? null
                    : CellValues.decimal(v).orElseGet(() -> bad(problems, "longitude", "invalid_number", v, null));
            case COORDINATES -> {
                if (v == null) {
                    d.latitude = null;
                    d.longitude = null;
                } else {
                    Optional<BigDecimal[]> c = CellValues.coordinates(v);
                    if (c.isPresent()) {
                        d.latitude = c.get()[0];
                        d.longitude = c.get()[1];
                    } else {
                        bad(problems, "latitude", "invalid_coordinates", v, null);
                    }
                }
            }
            case STATUS -> d.status = v == null ? null
                    : CellValues.status(v).orElseGet(() -> bad(problems, "status", "unknown_value", v, null));
            case PURPOSE -> d.purpose = v == null ? null
                    : CellValues.purpose(v).orElseGet(() -> bad(problems, "purpose", "unknown_value", v, null));
            case RATED_ANNUAL_HOURS -> d.ratedAnnualHours = v == null ? null
                    : CellValues.integer(v).orElseGet(() -> bad(problems, "ratedAnnualHours", "invalid_number", v, null));
            case SHARING_SCOPE -> d.sharingScope = v == null ? null
                    : CellValues.scope(v).orElseGet(() -> bad(problems, "sharingScope", "unknown_value", v, null));
            case EXEMPTION_REASON -> d.exemptionReason = v == null ? null
                    : CellValues.exemption(v).orElseGet(() -> bad(problems, "exemptionReason", "unknown_value", v, null));
            case EXEMPTION_NOTE -> d.exemptionNote = v;
            case DESCRIPTION_ZH -> d.descriptionZh = v;
            case DESCRIPTION_EN -> d.descriptionEn = v;
            case FUND_SUBSIDISED, BENEFIT_EVALUATION, SHARED_PLATFORM, LISTED_IN_CERS, CUSTOMS_SUPERVISED -> {
                boolean value = v != null && CellValues.flag(v).orElseGet(() -> {
                    bad(problems, "flags." + f.key(), "unknown_value", v, null);
                    return false;
                });
                d.flags.put(f.key(), value);
            }
            case CONTACT_NAME -> d.contact(0).name = v;
            case CONTACT_PHONE -> d.contact(0).phone = v;
            case CONTACT_EMAIL -> d.contact(0).email = v;
            case CONTACT2_NAME -> d.contact(1).name = v;
            case CONTACT2_PHONE -> d.contact(1).phone = v;
            case CONTACT2_EMAIL -> d.contact(1).email = v;
            default -> { }
        }
    }

    private static <T> T bad(List<FieldProblem> problems, String field, String code, String value, T result) {
        problems.add(new FieldProblem(field, code, "import." + code, Map.of("value", shorten(value))));
        return result;
    }

    /**
     * {@code p} with the offending cell's text as read (argument {@code cell}, shortened), so the
     * user can find it in the spreadsheet: a blank cell is "", a field the file has no column for
     * gets no such argument.
     */
    static FieldProblem withCell(FieldProblem p, List<String> cells, Integer column) {
        if (column == null) {
            return p;
        }
        String raw = column < cells.size() ? CellValues.unneutralise(cells.get(column)) : null;
        Map<String, Object> args = new HashMap<>(p.args());
        args.put("cell", raw == null ? "" : shorten(raw));
        return new FieldProblem(p.field(), p.code(), p.messageKey(), args);
    }

    static String shorten(String v) {
        return v.length() > 60 ? v.substring(0, 57) + "..." : v;
    }

    private static String classification(String v, References refs, List<FieldProblem> problems) {
        Optional<String> code = CellValues.classificationCode(v);
        if (code.isPresent()) {
            return code.get();   // whether it exists is the service's check (validation.unknown_classification)
        }
        List<String> byName = refs.classesByName.getOrDefault(v.strip(),
                refs.classesByName.getOrDefault(v.strip().toLowerCase(Locale.ROOT), List.of()));
        if (byName.size() == 1) {
            return byName.get(0);
        }
        return bad(problems, "classificationCode", byName.isEmpty() ? "unknown_classification_name" : "ambiguous",
                v, null);
    }

    private static UUID unit(String v, References refs, List<FieldProblem> problems) {
        UUID byCode = refs.unitsByCode.get(v.strip().toLowerCase(Locale.ROOT));
        if (byCode != null) {
            return byCode;
        }
        List<UUID> byName = refs.unitsByName.getOrDefault(v.strip(),
                refs.unitsByName.getOrDefault(v.strip().toLowerCase(Locale.ROOT), List.of()));
        if (byName.size() == 1) {
            return byName.get(0);
        }
        return bad(problems, "orgUnitId", byName.isEmpty() ? "unknown_unit" : "ambiguous", v, null);
    }

    /** A mutable InstrumentInput. */
    private static final class Draft {
        String assetNumber;
        String nameZh;
        String nameEn;
        String model;
        String manufacturer;
        String countryCode;
        Long originalValueFen;
        LocalDate purchaseDate;
        String classificationCode;
        UUID orgUnitId;
        String building;
        String room;
        BigDecimal latitude;
        BigDecimal longitude;
        String status;
        String purpose;
        Integer ratedAnnualHours;
        final Map<String, Boolean> flags = new HashMap<>();
        String sharingScope;
        String exemptionReason;
        String exemptionNote;
        String descriptionZh;
        String descriptionEn;
        List<InstrumentInput.ServiceOffered> services;
        final List<ContactDraft> contacts = new ArrayList<>();

        static Draft of(Instrument i) {
            Draft d = new Draft();
            d.nameZh = i.nameZh();
            d.nameEn = i.nameEn();
            d.model = i.model();
            d.manufacturer = i.manufacturer();
            d.countryCode = i.countryCode();
            d.originalValueFen = i.originalValueFen();
            d.purchaseDate = i.purchaseDate();
            d.classificationCode = i.classificationCode();
            d.orgUnitId = i.orgUnitId();
            d.building = i.building();
            d.room = i.room();
            d.latitude = i.latitude();
            d.longitude = i.longitude();
            d.status = i.status();
            d.purpose = i.purpose();
            d.ratedAnnualHours = i.ratedAnnualHours();
            d.flags.put("fundSubsidised", i.flags().fundSubsidised());
            d.flags.put("benefitEvaluation", i.flags().benefitEvaluation());
            d.flags.put("sharedPlatform", i.flags().sharedPlatform());
            d.flags.put("listedInCers", i.flags().listedInCers());
            d.flags.put("customsSupervised", i.flags().customsSupervised());
            d.sharingScope = i.sharingScope();
            d.exemptionReason = i.exemptionReason();
            d.exemptionNote = i.exemptionNote();
            d.descriptionZh = i.descriptionZh();
            d.descriptionEn = i.descriptionEn();
            d.services = i.services().stream().map(s -> new InstrumentInput.ServiceOffered(s.id(), s.nameZh(),
                    s.nameEn(), s.sampleRequirements())).toList();
            for (InstrumentInput.Contact c : i.contacts()) {
                ContactDraft cd = new ContactDraft();
                cd.name = c.name();
                cd.role = c.role();
                cd.phone = c.phone();
                cd.email = c.email();
                d.contacts.add(cd);
            }
            return d;
        }

        ContactDraft contact(int index) {
            while (contacts.size() <= index) {
                contacts.add(new ContactDraft());
            }
            return contacts.get(index);
        }

        InstrumentInput toInput() {
            boolean anyFlag = !flags.isEmpty();
            InstrumentInput.Flags f = anyFlag ? new InstrumentInput.Flags(flags.getOrDefault("fundSubsidised", false),
                    flags.getOrDefault("benefitEvaluation", false), flags.getOrDefault("sharedPlatform", false),
                    flags.getOrDefault("listedInCers", false), flags.getOrDefault("customsSupervised", false)) : null;
            List<InstrumentInput.Contact> people = new ArrayList<>();
            for (ContactDraft c : contacts) {
                if (blank(c.name) && blank(c.phone) && blank(c.email)) {
                    continue;   // an empty contact slot: nobody to list
                }
                people.add(new InstrumentInput.Contact(c.name, c.role, c.phone, c.email));   // a name is optional
            }
            return new InstrumentInput(assetNumber, nameZh, nameEn, model, manufacturer, countryCode, originalValueFen,
                    purchaseDate, classificationCode, orgUnitId, building, room, latitude, longitude, status, purpose,
                    ratedAnnualHours, f, sharingScope, exemptionReason, exemptionNote, descriptionZh, descriptionEn,
                    services, people);
        }
    }

    private static final class ContactDraft {
        String name;
        String role;
        String phone;
        String email;
    }

    /** The mapping field a record field comes from (to name the column in a report). */
    static Optional<ImportField> sourceOf(String inputField, ColumnMapping mapping) {
        String f = inputField;
        List<ImportField> candidates = switch (f) {
            case "assetNumber" -> List.of(ImportField.ASSET_NUMBER);
            case "nameZh" -> List.of(ImportField.NAME_ZH, ImportField.NAME_EN);
            case "nameEn" -> List.of(ImportField.NAME_EN, ImportField.NAME_ZH);
            case "model" -> List.of(ImportField.MODEL);
            case "manufacturer" -> List.of(ImportField.MANUFACTURER);
            case "countryCode" -> List.of(ImportField.COUNTRY);
            case "originalValueFen" -> List.of(ImportField.ORIGINAL_VALUE, ImportField.ORIGINAL_VALUE_WAN);
            case "purchaseDate" -> List.of(ImportField.PURCHASE_DATE);
            case "classificationCode" -> List.of(ImportField.CLASSIFICATION);
            case "orgUnitId" -> List.of(ImportField.ORG_UNIT);
            case "building" -> List.of(ImportField.BUILDING);
            case "room" -> List.of(ImportField.ROOM);
            case "latitude" -> List.of(ImportField.LATITUDE, ImportField.COORDINATES);
            case "longitude" -> List.of(ImportField.LONGITUDE, ImportField.COORDINATES);
            case "status" -> List.of(ImportField.STATUS);
            case "purpose" -> List.of(ImportField.PURPOSE);
            case "ratedAnnualHours" -> List.of(ImportField.RATED_ANNUAL_HOURS);
            case "sharingScope" -> List.of(ImportField.SHARING_SCOPE);
            case "exemptionReason" -> List.of(ImportField.EXEMPTION_REASON, ImportField.SHARING_SCOPE);
            case "exemptionNote" -> List.of(ImportField.EXEMPTION_NOTE);
            case "descriptionZh" -> List.of(ImportField.DESCRIPTION_ZH);
            case "descriptionEn" -> List.of(ImportField.DESCRIPTION_EN);
            default -> {
                if (f.startsWith("flags.")) {
                    yield ImportField.byKey(f.substring(6)).map(List::of).orElse(List.of());
                }
                if (f.startsWith("contacts[0].")) {
                    yield contactField(f.substring(12), false);
                }
                if (f.startsWith("contacts[1].")) {
                    yield contactField(f.substring(12), true);
                }
                yield List.of();
            }
        };
        for (ImportField c : candidates) {
            if (mapping.maps(c)) {
                return Optional.of(c);
            }
        }
        return candidates.isEmpty() ? Optional.empty() : Optional.of(candidates.get(0));
    }

    private static List<ImportField> contactField(String sub, boolean second) {
        return switch (sub) {
            case "name" -> List.of(second ? ImportField.CONTACT2_NAME : ImportField.CONTACT_NAME);
            case "phone" -> List.of(second ? ImportField.CONTACT2_PHONE : ImportField.CONTACT_PHONE);
            case "email" -> List.of(second ? ImportField.CONTACT2_EMAIL : ImportField.CONTACT_EMAIL);
            default -> List.of();
        };
    }
}

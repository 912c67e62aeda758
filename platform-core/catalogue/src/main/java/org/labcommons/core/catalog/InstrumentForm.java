package org.labcommons.core.catalog;

import io.micronaut.core.annotation.Nullable;
import org.labcommons.core.problem.ProblemException.FieldProblem;

import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The instrument editor's form as the browser sent it (or as a stored record fills it): every
 * value kept as typed, so a form with errors comes back exactly as it was, and turned into an
 * {@link InstrumentInput} for the same service the API calls. The value is typed in yuan (up to
 * two decimals) and stored in fen; the classification is chosen level by level ({@code cls1},
 * {@code cls2}, {@code cls3}) and the most specific consistent choice is the code. Prices are a
 * grid: a row is what is charged for (machine time: empty, a saved service: its id, or a service row
 * of this same form: {@code #<row>}, renumbered when rows are removed), its unit and its notes; a
 * column is a rate group; a cell ({@code grid[r].amount.<group>}) is the amount in yuan (two decimals
 * at most, converted to fen with {@link BigDecimal}); an empty cell is a price not offered. Each
 * filled cell is one price of the {@link InstrumentInput}; a problem the service reports on a price
 * is put back on its cell (or on the row's unit, service or note).
 */
public final class InstrumentForm {
    /** The single-valued fields, as the form names them. */
    public static final List<String> FIELDS = List.of("assetNumber", "nameZh", "nameEn", "model", "manufacturer",
            "countryCode", "originalValue", "purchaseDate", "cls1", "cls2", "cls3", "orgUnitId", "building", "room",
            "latitude", "longitude", "status", "purpose", "ratedAnnualHours", "sharingScope", "exemptionReason",
            "exemptionNote", "descriptionZh", "descriptionEn", "version");
    public static final List<String> FLAGS = List.of("fundSubsidised", "benefitEvaluation", "sharedPlatform",
            "listedInCers", "customsSupervised");
    public static final List<String> SERVICE_FIELDS = List.of("id", "nameZh", "nameEn", "sampleRequirements");
    public static final List<String> CONTACT_FIELDS = List.of("name", "role", "phone", "email");
    /** A price row's own fields; its cells are {@code amount.<rate group code>}. */
    public static final List<String> PRICE_FIELDS = List.of("service", "unit", "noteZh", "noteEn");
    /** A cell's field name: {@code amount.} and a rate group's code. */
    static final java.util.regex.Pattern CELL = java.util.regex.Pattern.compile("amount\\.([A-Za-z0-9_-]{1,40})");
    /** The most rows of a list (services, contacts, price rows) the editor reads. */
    static final int MAX_PRICES = 200;

    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, Boolean> flags = new LinkedHashMap<>();
    private final List<Map<String, String>> services = new ArrayList<>();
    private final List<Map<String, String>> contacts = new ArrayList<>();
    private final List<Map<String, String>> prices = new ArrayList<>();
    /** For each price the service was given, the grid row and rate group of its cell (problems name the former). */
    private final List<Integer> priceRowOfInput = new ArrayList<>();
    private final List<String> priceGroupOfInput = new ArrayList<>();

    private InstrumentForm() {
        FIELDS.forEach(f -> values.put(f, ""));
        FLAGS.forEach(f -> flags.put(f, false));
    }

    /** An empty editor: in service, general purpose, shared within the institution, one blank row each. */
    public static InstrumentForm blank() {
        InstrumentForm form = new InstrumentForm();
        form.values.put("status", "in_service");
        form.values.put("purpose", "general");
        form.values.put("sharingScope", "tenant");
        form.addService();
        form.addContact();
        form.addPriceRow("", "hour");
        return form;
    }

    /** The editor filled from a stored record. */
    public static InstrumentForm of(Instrument i, Classifications classifications) {
        InstrumentForm form = new InstrumentForm();
        form.put("assetNumber", i.assetNumber());
        form.put("nameZh", i.nameZh());
        form.put("nameEn", i.nameEn());
        form.put("model", i.model());
        form.put("manufacturer", i.manufacturer());
        form.put("countryCode", i.countryCode());
        form.put("originalValue", PageFormat.yuan(i.originalValueFen()));
        form.put("purchaseDate", i.purchaseDate() == null ? null : i.purchaseDate().toString());
        List<Classifications.Entry> path = classifications.path(i.classificationCode());
        for (int level = 1; level <= path.size() && level <= 3; level++) {
            form.put("cls" + level, path.get(level - 1).code());
        }
        form.put("orgUnitId", i.orgUnitId() == null ? null : i.orgUnitId().toString());
        form.put("building", i.building());
        form.put("room", i.room());
        form.put("latitude", i.latitude() == null ? null : i.latitude().toPlainString());
        form.put("longitude", i.longitude() == null ? null : i.longitude().toPlainString());
        form.put("status", i.status());
        form.put("purpose", i.purpose());
        form.put("ratedAnnualHours", i.ratedAnnualHours() == null ? null : i.ratedAnnualHours().toString());
        form.put("sharingScope", i.sharingScope());
        form.put("exemptionReason", i.exemptionReason());
        form.put("exemptionNote", i.exemptionNote());
        form.put("descriptionZh", i.descriptionZh());
        form.put("descriptionEn", i.descriptionEn());
        form.put("version", Long.toString(i.version()));
        form.flags.put("fundSubsidised", i.flags().fundSubsidised());
        form.flags.put("benefitEvaluation", i.flags().benefitEvaluation());
        form.flags.put("sharedPlatform", i.flags().sharedPlatform());
        form.flags.put("listedInCers", i.flags().listedInCers());
        form.flags.put("customsSupervised", i.flags().customsSupervised());
        for (Instrument.Service s : i.services()) {
            Map<String, String> row = new LinkedHashMap<>();
            row.put("id", s.id().toString());
            row.put("nameZh", s.nameZh());
            row.put("nameEn", s.nameEn());
            row.put("sampleRequirements", nz(s.sampleRequirements()));
            form.services.add(row);
        }
        for (InstrumentInput.Contact p : i.contacts()) {
            Map<String, String> row = new LinkedHashMap<>();
            row.put("name", nz(p.name()));
            row.put("role", nz(p.role()));
            row.put("phone", nz(p.phone()));
            row.put("email", nz(p.email()));
            form.contacts.add(row);
        }
        // one grid row per (service, unit, notes): prices that differ only in their group share it
        Map<List<String>, Map<String, String>> byRow = new LinkedHashMap<>();
        for (Instrument.Price p : i.prices()) {
            String service = p.serviceId() == null ? "" : p.serviceId().toString();
            Map<String, String> row = byRow.computeIfAbsent(List.of(service, p.unit(), nz(p.noteZh()), nz(p.noteEn())), k -> {
                Map<String, String> r = blankRow(PRICE_FIELDS);
                r.put("service", service);
                r.put("unit", p.unit());
                r.put("noteZh", nz(p.noteZh()));
                r.put("noteEn", nz(p.noteEn()));
                return r;
            });
            row.put("amount." + p.rateGroup(), yuan2(p.amountFen()));
        }
        form.prices.addAll(byRow.values());
        // an empty row for machine time and for each service without a price yet
        if (form.prices.stream().noneMatch(r -> r.get("service").isEmpty())) {
            form.addPriceRow("", "hour");
        }
        for (Instrument.Service sv : i.services()) {
            if (form.prices.stream().noneMatch(r -> r.get("service").equals(sv.id().toString()))) {
                form.addPriceRow(sv.id().toString(), "sample");
            }
        }
        if (form.services.isEmpty()) {
            form.addService();
        }
        if (form.contacts.isEmpty()) {
            form.addContact();
        }
        return form;
    }

    /** Fen as yuan with two decimals ({@code 8000} → {@code 80.00}). */
    static String yuan2(long fen) {
        return BigDecimal.valueOf(fen, 2).toPlainString();
    }

    /**
     * The form from an {@code application/x-www-form-urlencoded} body: scalar fields by name,
     * {@code flag.<name>} checkboxes, and rows {@code services[i].<field>} / {@code contacts[i].<field>} /
     * {@code grid[i].<field>} (a price row with its cells {@code grid[i].amount.<group>}) in index
     * order; a row whose {@code _remove} box is ticked is dropped.
     */
    public static InstrumentForm parse(Map<String, List<String>> data) {
        InstrumentForm form = new InstrumentForm();
        for (String f : FIELDS) {
            form.put(f, first(data, f));
        }
        for (String f : FLAGS) {
            form.flags.put(f, data.containsKey("flag." + f));
        }
        TreeMap<Integer, Map<String, String>> services = indexedRows(data, "services", SERVICE_FIELDS);
        form.services.addAll(services.values());
        form.contacts.addAll(rows(data, "contacts", CONTACT_FIELDS));
        // a price naming a service row of this form follows that row to its new position
        Map<String, String> renumbered = new HashMap<>();
        int position = 0;
        for (Integer sent : services.keySet()) {
            renumbered.put("#" + sent, "#" + position++);
        }
        for (Map<String, String> row : rows(data, "grid", PRICE_FIELDS)) {
            String service = row.get("service").strip();
            if (service.startsWith("#")) {
                row.put("service", renumbered.getOrDefault(service, "#removed"));
            }
            form.prices.add(row);
        }
        return form;
    }

    private static List<Map<String, String>> rows(Map<String, List<String>> data, String list, List<String> fields) {
        return new ArrayList<>(indexedRows(data, list, fields).values());
    }

    /** The rows of {@code list} by the index the browser sent, without the removed ones. */
    private static TreeMap<Integer, Map<String, String>> indexedRows(Map<String, List<String>> data, String list,
                                                                    List<String> fields) {
        TreeMap<Integer, Map<String, String>> byIndex = new TreeMap<>();
        java.util.Set<Integer> removed = new java.util.HashSet<>();
        String prefix = list + "[";
        for (String key : data.keySet()) {
            if (!key.startsWith(prefix)) {
                continue;
            }
            int close = key.indexOf("].", prefix.length());
            if (close < 0) {
                continue;
            }
            int index;
            try {
                index = Integer.parseInt(key.substring(prefix.length(), close));
            } catch (NumberFormatException e) {
                continue;
            }
            if (index < 0 || index >= MAX_PRICES) {
                continue;
            }
            String field = key.substring(close + 2);
            if (field.equals("_remove")) {
                removed.add(index);
            } else if (fields.contains(field) || (fields == PRICE_FIELDS && CELL.matcher(field).matches())) {
                byIndex.computeIfAbsent(index, k -> blankRow(fields)).put(field, first(data, key));
            }
        }
        removed.forEach(byIndex::remove);
        return byIndex;
    }

    private static Map<String, String> blankRow(List<String> fields) {
        Map<String, String> row = new LinkedHashMap<>();
        fields.forEach(f -> row.put(f, ""));
        return row;
    }

    /** Parses an urlencoded body into its fields, in order, each with all its values. */
    public static Map<String, List<String>> decode(@Nullable String body) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (body == null || body.isEmpty()) {
            return out;
        }
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return out;
    }

    private static String first(Map<String, List<String>> data, String key) {
        List<String> v = data.get(key);
        return v == null || v.isEmpty() ? "" : v.get(0);
    }

    private static String nz(@Nullable String s) {
        return s == null ? "" : s;
    }

    private void put(String field, @Nullable String value) {
        values.put(field, nz(value));
    }

    // ---------------------------------------------------------------- for the template

    public String get(String field) {
        return values.getOrDefault(field, "");
    }

    public boolean flag(String name) {
        return flags.getOrDefault(name, false);
    }

    public List<Map<String, String>> getServices() {
        return services;
    }

    public List<Map<String, String>> getContacts() {
        return contacts;
    }

    /** The price grid's rows: {@code service}, {@code unit}, notes, and {@code amount.<group>} per filled cell. */
    public List<Map<String, String>> getPrices() {
        return prices;
    }

    /** One more (empty) price row: machine time in hours unless told otherwise. */
    public void addPrice() {
        addPriceRow("", "hour");
    }

    private void addPriceRow(String service, String unit) {
        Map<String, String> row = blankRow(PRICE_FIELDS);
        row.put("service", service);
        row.put("unit", unit);
        prices.add(row);
    }

    /** The amount typed into a cell of the grid ({@code ""} for an empty one). */
    public String cell(Map<String, String> row, String group) {
        return row.getOrDefault("amount." + group, "");
    }

    /**
     * What a price row can be charged for besides machine time: the service rows of this form that
     * have a name, a saved one by its id, a new one by its row ({@code #<row>}).
     */
    public List<CataloguePages.Option> serviceChoices(boolean zh) {
        List<CataloguePages.Option> out = new ArrayList<>();
        for (int k = 0; k < services.size(); k++) {
            Map<String, String> row = services.get(k);
            String name = zh ? row.get("nameZh") : row.get("nameEn");
            if (name == null || name.isBlank()) {
                name = zh ? row.get("nameEn") : row.get("nameZh");
            }
            if (name == null || name.isBlank()) {
                continue;
            }
            String id = row.getOrDefault("id", "");
            out.add(new CataloguePages.Option(id.isBlank() ? "#" + k : id, name.strip(), 1));
        }
        return out;
    }

    /** The grid row (0-based) of the {@code sent}-th price given to the service. */
    public int formRow(int sent) {
        return sent >= 0 && sent < priceRowOfInput.size() ? priceRowOfInput.get(sent) : sent;
    }

    /**
     * The form's name for a field a problem names: the service counts only the cells that were filled
     * in, one price each; the form shows them in a grid. A problem of the amount or the rate group is
     * put on the cell ({@code grid[r].amount.<group>}), one of the service, unit or notes on the row's
     * field.
     */
    public String formField(String field) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^prices\\[(\\d+)](?:\\.(\\w+))?$").matcher(field);
        if (!m.matches()) {
            return field;
        }
        int sent = Integer.parseInt(m.group(1));
        String prefix = "grid[" + formRow(sent) + "].";
        String cell = prefix + "amount." + (sent < priceGroupOfInput.size() ? priceGroupOfInput.get(sent) : "");
        String name = m.group(2) == null ? "" : m.group(2);
        return switch (name) {
            case "serviceId", "serviceIndex", "service" -> prefix + "service";
            case "unit", "noteZh", "noteEn" -> prefix + name;
            default -> cell;
        };
    }

    public void addService() {
        services.add(blankRow(SERVICE_FIELDS));
    }

    public void addContact() {
        contacts.add(blankRow(CONTACT_FIELDS));
    }

    /** The value in fen when it parses, for the policy hints (IoT, exemption). */
    @Nullable
    public Long valueFen() {
        try {
            return fen(get("originalValue"));
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }

    /** Whether the form as it stands needs an exemption reason: 500,000 RMB or more, kept private. */
    public boolean exemptionNeeded() {
        Long fen = valueFen();
        return fen != null && fen >= Instrument.NATIONAL_SCOPE_FEN && "private".equals(get("sharingScope"));
    }

    /** Whether the value reaches the IoT threshold (400,000 RMB). */
    public boolean iotRequired() {
        Long fen = valueFen();
        return fen != null && fen >= Instrument.IOT_THRESHOLD_FEN;
    }

    /** The optimistic version the editor was opened at, if any. */
    @Nullable
    public Long version() {
        try {
            String v = get("version").strip();
            return v.isEmpty() ? null : Long.parseLong(v);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- to the service's input

    /** An input for the service, and the problems found while reading the typed text. */
    public record Parsed(InstrumentInput input, List<FieldProblem> problems) {
    }

    public Parsed toInput(Classifications classifications) {
        List<FieldProblem> problems = new ArrayList<>();
        Long fen = null;
        if (!get("originalValue").isBlank()) {
            try {
                fen = fen(get("originalValue"));
            } catch (NumberFormatException | ArithmeticException e) {
                problems.add(invalid("originalValue", "validation.money_format"));
            }
        } else {
            problems.add(new FieldProblem("originalValue", "not_null", "validation.not_null", Map.of()));
            fen = 0L;
        }
        LocalDate purchased = null;
        if (!get("purchaseDate").isBlank()) {
            try {
                purchased = LocalDate.parse(get("purchaseDate").strip());
            } catch (DateTimeParseException e) {
                problems.add(invalid("purchaseDate", "validation.date_format"));
            }
        }
        BigDecimal lat = decimal("latitude", problems);
        BigDecimal lon = decimal("longitude", problems);
        Integer hours = null;
        if (!get("ratedAnnualHours").isBlank()) {
            try {
                hours = Integer.parseInt(get("ratedAnnualHours").strip());
            } catch (NumberFormatException e) {
                problems.add(invalid("ratedAnnualHours", "validation.invalid_format"));
            }
        }
        UUID unit = null;
        if (!get("orgUnitId").isBlank()) {
            try {
                unit = UUID.fromString(get("orgUnitId").strip());
            } catch (IllegalArgumentException e) {
                problems.add(invalid("orgUnitId", "validation.unknown_reference"));
            }
        }
        List<InstrumentInput.ServiceOffered> offered = new ArrayList<>();
        Map<String, Integer> offeredByRef = new HashMap<>();
        for (int k = 0; k < services.size(); k++) {
            Map<String, String> row = services.get(k);
            if (blankRow(row, "nameZh", "nameEn", "sampleRequirements")) {
                continue;
            }
            offeredByRef.put("#" + k, offered.size());
            if (!row.getOrDefault("id", "").isBlank()) {
                offeredByRef.put(row.get("id").strip(), offered.size());
            }
            UUID id = null;
            try {
                id = row.get("id").isBlank() ? null : UUID.fromString(row.get("id"));
            } catch (IllegalArgumentException e) {
                // an id we never handed out: treat the row as new
            }
            offered.add(new InstrumentInput.ServiceOffered(id, row.get("nameZh"), row.get("nameEn"),
                    orNull(row.get("sampleRequirements"))));
        }
        List<InstrumentInput.Contact> people = new ArrayList<>();
        for (Map<String, String> row : contacts) {
            if (blankRow(row, "name", "role", "phone", "email")) {
                continue;
            }
            people.add(new InstrumentInput.Contact(orNull(row.get("name")), orNull(row.get("role")), orNull(row.get("phone")),
                    orNull(row.get("email"))));
        }
        List<InstrumentInput.PriceInput> charged = new ArrayList<>();
        priceRowOfInput.clear();
        priceGroupOfInput.clear();
        for (int k = 0; k < prices.size(); k++) {
            Map<String, String> row = prices.get(k);
            String service = row.getOrDefault("service", "").strip();
            Integer index = null;
            boolean serviceKnown = true;
            if (!service.isEmpty()) {
                index = offeredByRef.get(service);
                serviceKnown = index != null;
            }
            for (Map.Entry<String, String> e : row.entrySet()) {
                java.util.regex.Matcher cell = CELL.matcher(e.getKey());
                if (!cell.matches() || e.getValue().isBlank()) {
                    continue;   // an empty cell: not offered
                }
                String at = "prices[" + charged.size() + "].";   // as the service counts them: see formField
                Long amount = null;
                try {
                    amount = fen(e.getValue());
                } catch (NumberFormatException | ArithmeticException ex) {
                    problems.add(invalid(at + "amount", "validation.money_format"));
                }
                if (!serviceKnown) {
                    problems.add(new FieldProblem(at + "service", "unknown", "validation.price_unknown_service",
                            Map.of("value", service)));
                    serviceKnown = true;   // said once per row
                }
                priceRowOfInput.add(k);
                priceGroupOfInput.add(cell.group(1));
                charged.add(new InstrumentInput.PriceInput(null, index, cell.group(1), row.getOrDefault("unit", "").strip(),
                        amount == null ? 0L : amount, orNull(row.get("noteZh")), orNull(row.get("noteEn"))));
            }
        }
        String country = orNull(get("countryCode"));
        InstrumentInput input = new InstrumentInput(get("assetNumber").strip(), get("nameZh").strip(),
                get("nameEn").strip(), orNull(get("model")), orNull(get("manufacturer")),
                country == null ? null : country.toUpperCase(Locale.ROOT), fen, purchased,
                classificationCode(classifications), unit, orNull(get("building")), orNull(get("room")), lat, lon,
                orNull(get("status")), orNull(get("purpose")), hours,
                new InstrumentInput.Flags(flag("fundSubsidised"), flag("benefitEvaluation"), flag("sharedPlatform"),
                        flag("listedInCers"), flag("customsSupervised")),
                orNull(get("sharingScope")), orNull(get("exemptionReason")), orNull(get("exemptionNote")),
                orNull(get("descriptionZh")), orNull(get("descriptionEn")), offered, people, charged);
        return new Parsed(input, problems);
    }

    /** The most specific level chosen whose parent is the level chosen above it. */
    @Nullable
    public String classificationCode(Classifications classifications) {
        String chosen = null;
        for (int level = 1; level <= 3; level++) {
            String code = get("cls" + level).strip();
            if (code.isEmpty()) {
                break;
            }
            Classifications.Entry e = classifications.find(code).orElse(null);
            if (e == null) {
                return code; // unknown: let the service say so next to the field
            }
            if (e.level() != level || (chosen != null && !chosen.equals(e.parentCode()))) {
                break;
            }
            chosen = code;
        }
        return chosen;
    }

    private BigDecimal decimal(String field, List<FieldProblem> problems) {
        String v = get(field).strip();
        if (v.isEmpty()) {
            return null;
        }
        try {
            return new BigDecimal(v);
        } catch (NumberFormatException e) {
            problems.add(invalid(field, "validation.invalid_format"));
            return null;
        }
    }

    /** Yuan as typed ({@code 500000}, {@code 500,000}, {@code ¥500000.5}) to fen; more than two decimals is an error. */
    static long fen(String typed) {
        String v = typed.strip().replace(",", "").replace("，", "").replace("¥", "").replace("￥", "").replace(" ", "");
        return new BigDecimal(v).movePointRight(2).longValueExact();
    }

    private static boolean blankRow(Map<String, String> row, String... fields) {
        for (String f : fields) {
            if (!row.getOrDefault(f, "").isBlank()) {
                return false;
            }
        }
        return true;
    }

    private static String orNull(@Nullable String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static FieldProblem invalid(String field, String key) {
        return new FieldProblem(field, "invalid_format", key, Map.of());
    }
}

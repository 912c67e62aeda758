package org.labcommons.core.catalog;

import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import org.labcommons.core.db.SqlStates;
import org.labcommons.core.org.OrgUnitRow;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.ProblemException.FieldProblem;

import java.sql.Connection;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The checks on an instrument record that need the database or cross several fields (the bean
 * constraints on {@link InstrumentInput} are checked by the caller: the API's validator, the
 * import's row mapper): the classification code exists, the owning unit exists, DOMAIN.md's
 * 500k-private rule, coordinates in pairs, the prices, and a contact with at least a name, a phone
 * or an e-mail address; and the problems a constraint
 * violation of the database becomes.
 */
@Singleton
public record InstrumentValidation(Classifications classifications, RateGroupRows rateGroupRows, OrgUnits orgUnits) {
    /** Caches what a batch looks up repeatedly: org units and rate groups of the bound tenant. */
    public static final class ReferenceCache {
        private Set<UUID> units;
        private List<String> rateGroups;
    }

    /** The codes of the bound tenant's rate groups (internal, consortium, external first). */
    private List<String> rateGroups(ReferenceCache cache) {
        if (cache.rateGroups == null) {
            cache.rateGroups = rateGroupRows.codes();
        }
        return cache.rateGroups;
    }

    private boolean unitExists(ReferenceCache cache, UUID unit) {
        if (cache.units == null) {
            cache.units = new HashSet<>(orgUnits.ofBoundTenant().stream().map(OrgUnitRow::id).toList());
        }
        return cache.units.contains(unit);
    }

    /** The problems with {@code input} (empty: fine); {@code cache} is shared by the rows of a batch. */
    List<FieldProblem> validate(Connection c, InstrumentInput in, ReferenceCache cache) {
        List<FieldProblem> out = new ArrayList<>();
        if (in.classificationCode() != null && !classifications.exists(in.classificationCode())) {
            out.add(new FieldProblem("classificationCode", "unknown", "validation.unknown_classification",
                    Map.of("value", in.classificationCode())));
        }
        if (in.orgUnitId() != null && !unitExists(cache, in.orgUnitId())) {
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
            validatePrices(in, rateGroups(cache), out);
        }
        List<InstrumentInput.Contact> contacts = in.contactsOrEmpty();
        for (int i = 0; i < contacts.size(); i++) {
            InstrumentInput.Contact p = contacts.get(i);
            if (p != null && blank(p.name()) && blank(p.phone()) && blank(p.email())) {
                out.add(new FieldProblem("contacts[" + i + "].name", "required", "validation.contact_unreachable",
                        Map.of()));
            }
        }
        return out;
    }

    /**
     * Each price names a rate group of the tenant, a unit, an amount within 0..1,000,000 RMB and at
     * most one service of the same request; no two prices share (service, rate group, unit).
     */
    private static void validatePrices(InstrumentInput in, List<String> groups, List<FieldProblem> out) {
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
    static Integer serviceIndex(InstrumentInput in, InstrumentInput.PriceInput p) {
        if (p.serviceIndex() != null) {
            return p.serviceIndex();
        }
        return p.serviceId() == null ? null : serviceIndexOf(in.servicesOrEmpty(), p.serviceId());
    }

    static void throwIfInvalid(List<FieldProblem> problems) {
        if (!problems.isEmpty()) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", problems);
        }
    }

    static ProblemException assetTaken() {
        return new ProblemException(HttpStatus.CONFLICT, "conflict", List.of(
                new FieldProblem("assetNumber", "taken", "validation.taken", Map.of())));
    }

    /** A constraint violation of the database as the problem it means (asset number taken, private without exemption). */
    static RuntimeException translate(RuntimeException e) {
        if (SqlStates.causedBy(e, SqlStates.UNIQUE_VIOLATION)) {
            return assetTaken();
        }
        if (SqlStates.causedBy(e, "23514") && mentions(e, "instrument_private_needs_exemption")) {
            return new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", List.of(new FieldProblem(
                    "exemptionReason", "required_for_private", "validation.exemption_required", Map.of())));
        }
        return e;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static boolean mentions(Throwable e, String text) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (String.valueOf(t.getMessage()).contains(text)) {
                return true;
            }
        }
        return false;
    }
}

package org.labcommons.core.catalog;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * What writing an {@link InstrumentInput} over a stored {@link Instrument} would change: nothing
 * (a re-import of the same file leaves the record and its version alone), or which fields (the
 * audit entry names them).
 */
public final class InstrumentDiff {
    private InstrumentDiff() {
    }

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
                && i.contacts().equals(in.contactsOrEmpty().stream().map(p -> new InstrumentInput.Contact(blankToNull(p.name()),
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
            Integer index = InstrumentValidation.serviceIndex(in, w);
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

    static List<String> changedFields(Instrument a, Instrument b) {
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

    /** The audit summary of a record. */
    static Map<String, Object> summary(Instrument i) {
        Map<String, Object> m = new HashMap<>();
        m.put("assetNumber", i.assetNumber());
        m.put("version", i.version());
        m.put("sharingScope", i.sharingScope());
        return m;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}

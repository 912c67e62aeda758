package org.labcommons.core.catalog;

import jakarta.inject.Singleton;
import org.labcommons.core.problem.ProblemException;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import static org.labcommons.core.catalog.InstrumentRow.blankToNull;

/**
 * An instrument record as rows: reads the {@code instrument} rows with their children and
 * assembles {@link Instrument}s; writes a record's row and children (services and prices keep their
 * ids where the request keeps them). No SQL here: the statements are {@link InstrumentRows}' and
 * {@link InstrumentPageRows}'. Call it inside the tenant's transaction.
 */
@Singleton
public class InstrumentRecords {
    private final InstrumentRows rows;
    private final InstrumentPageRows pages = new InstrumentPageRows();

    public InstrumentRecords(InstrumentRows rows) {
        this.rows = rows;
    }

    // ---------------------------------------------------------------- reading

    /** One page of the instruments matching {@code query} (without documents), and how many match. */
    InstrumentService.Page list(Connection c, InstrumentQuery query) throws SQLException {
        InstrumentPageRows.IdPage page = pages.page(c, query);
        return new InstrumentService.Page(read(page.ids(), false), page.total(), query.offset(), query.limit());
    }

    /** The record with its children and documents. */
    Optional<Instrument> find(UUID id) {
        return read(List.of(id), true).stream().findFirst();
    }

    /** Locks the row for update and reads it; 404 when absent. */
    Instrument lockForUpdate(UUID id) {
        if (rows.lock(id).isEmpty()) {
            throw ProblemException.notFound();
        }
        return find(id).orElseThrow();
    }

    Optional<UUID> findIdByAsset(String asset) {
        return rows.findIdByAssetNumber(asset);
    }

    /** Asset number to id, for every instrument of the bound tenant. */
    Map<String, UUID> assetIndex() {
        Map<String, UUID> out = new HashMap<>();
        rows.assetIds().forEach(a -> out.put(a.assetNumber(), a.id()));
        return out;
    }

    /** The given instruments with their children, in the order of {@code ids}. */
    private List<Instrument> read(List<UUID> ids, boolean documents) {
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<UUID, InstrumentRow> base = new HashMap<>();
        rows.findByIdIn(ids).forEach(r -> base.put(r.id(), r));
        Set<UUID> found = base.keySet();
        if (found.isEmpty()) {
            return List.of();
        }
        Map<UUID, List<Instrument.Service>> services = group(rows.servicesOf(found),
                InstrumentRows.ServiceRow::instrumentId, InstrumentRows.ServiceRow::toService);
        Map<UUID, List<InstrumentInput.Contact>> contacts = group(rows.contactsOf(found),
                InstrumentRows.ContactRow::instrumentId, InstrumentRows.ContactRow::toContact);
        Map<UUID, List<Instrument.Price>> prices = group(rows.pricesOf(found),
                InstrumentRows.PriceRow::instrumentId, InstrumentRows.PriceRow::toPrice);
        Map<UUID, List<Instrument.DocumentInfo>> docs = documents ? group(rows.documentsOf(found),
                InstrumentRows.DocumentRow::instrumentId, InstrumentRows.DocumentRow::toInfo) : Map.of();
        List<Instrument> out = new ArrayList<>(found.size());
        for (UUID id : ids) {
            InstrumentRow r = base.get(id);
            if (r != null) {
                out.add(r.toInstrument(services.getOrDefault(id, List.of()), contacts.getOrDefault(id, List.of()),
                        docs.getOrDefault(id, List.of()), prices.getOrDefault(id, List.of())));
            }
        }
        return out;
    }

    private static <R, T> Map<UUID, List<T>> group(Collection<R> children, Function<R, UUID> owner,
                                                   Function<R, T> value) {
        Map<UUID, List<T>> out = new LinkedHashMap<>();
        children.forEach(r -> out.computeIfAbsent(owner.apply(r), k -> new ArrayList<>()).add(value.apply(r)));
        return out;
    }

    // ---------------------------------------------------------------- writing

    /** Inserts the record's row for {@code tenant} (the bound one) and its children. */
    void insert(UUID tenant, UUID id, InstrumentInput in) {
        rows.save(InstrumentRow.of(tenant, id, in));
        List<UUID> serviceIds = writeServices(id, in, List.of());
        writeContacts(id, in);
        writePrices(id, in, serviceIds, List.of());
    }

    /** Writes {@code in} over the row (and un-archives it); the caller translates constraint violations. */
    void updateRow(UUID id, InstrumentInput in) {
        InstrumentRow r = InstrumentRow.of(null, id, in);
        rows.update(id, r.assetNumber(), r.nameZh(), r.nameEn(), r.model(), r.manufacturer(), r.countryCode(),
                r.originalValueFen(), r.purchaseDate(), r.classificationCode(), r.orgUnitId(), r.building(), r.room(),
                r.latitude(), r.longitude(), r.status(), r.purpose(), r.ratedAnnualHours(), r.fundSubsidised(),
                r.benefitEvaluation(), r.sharedPlatform(), r.listedInCers(), r.customsSupervised(), r.sharingScope(),
                r.exemptionReason(), r.exemptionNote(), r.descriptionZh(), r.descriptionEn());
    }

    /** Replaces the children of {@code before} with the request's. */
    void updateChildren(Instrument before, InstrumentInput in) {
        rows.deleteContacts(before.id());
        List<UUID> serviceIds = writeServices(before.id(), in, before.services());
        writeContacts(before.id(), in);
        writePrices(before.id(), in, serviceIds, before.prices());
    }

    void archive(UUID id) {
        rows.archive(id);
    }

    /**
     * Services keep their ids when the caller sends them back (sample requests refer to them).
     *
     * @return the ids of the services written, in the request's order (prices name them by position)
     */
    private List<UUID> writeServices(UUID instrument, InstrumentInput in, List<Instrument.Service> existing) {
        Set<UUID> known = new HashSet<>();
        existing.forEach(s -> known.add(s.id()));
        List<UUID> keep = new ArrayList<>();
        int position = 0;
        for (InstrumentInput.ServiceOffered s : in.servicesOrEmpty()) {
            UUID id = s.id() != null && known.contains(s.id()) ? s.id() : null;
            if (id != null) {
                rows.updateService(id, s.nameZh().strip(), s.nameEn().strip(), blankToNull(s.sampleRequirements()),
                        position++);
            } else {
                id = UUID.randomUUID();
                rows.addService(id, instrument, s.nameZh().strip(), s.nameEn().strip(),
                        blankToNull(s.sampleRequirements()), position++);
            }
            keep.add(id);
        }
        for (UUID old : known) {
            if (!keep.contains(old)) {
                rows.deleteService(old);   // its prices go with it (on delete cascade)
            }
        }
        return keep;
    }

    /**
     * Replaces the prices with the request's, unless it has none to say ({@code prices} null: the
     * stored ones stay). A price that keeps its (service, rate group, unit) keeps its id.
     */
    private void writePrices(UUID instrument, InstrumentInput in, List<UUID> serviceIds,
                             List<Instrument.Price> existing) {
        if (in.prices() == null) {
            return;
        }
        Map<String, UUID> known = new HashMap<>();
        existing.forEach(p -> known.put(priceKey(p.serviceId(), p.rateGroup(), p.unit()), p.id()));
        record Planned(UUID id, UUID service, InstrumentInput.PriceInput price) {
        }
        List<Planned> planned = new ArrayList<>();
        Set<UUID> kept = new HashSet<>();
        for (InstrumentInput.PriceInput p : in.prices()) {
            Integer index = InstrumentValidation.serviceIndex(in, p);
            UUID service = index == null ? null : serviceIds.get(index);
            UUID id = known.get(priceKey(service, p.rateGroup().strip(), p.unit()));
            if (id != null) {
                kept.add(id);
            }
            planned.add(new Planned(id, service, p));
        }
        for (Instrument.Price old : existing) {
            if (!kept.contains(old.id())) {
                rows.deletePrice(old.id());
            }
        }
        int position = 0;
        for (Planned row : planned) {
            InstrumentInput.PriceInput p = row.price();
            if (row.id() != null) {
                rows.updatePrice(row.id(), p.amountFen(), blankToNull(p.noteZh()), blankToNull(p.noteEn()), position++);
            } else {
                rows.addPrice(UUID.randomUUID(), instrument, row.service(), p.rateGroup().strip(), p.unit(),
                        p.amountFen(), blankToNull(p.noteZh()), blankToNull(p.noteEn()), position++);
            }
        }
    }

    private static String priceKey(UUID service, String rateGroup, String unit) {
        return service + "|" + rateGroup + "|" + unit;
    }

    private void writeContacts(UUID instrument, InstrumentInput in) {
        int position = 0;
        for (InstrumentInput.Contact p : in.contactsOrEmpty()) {
            rows.addContact(UUID.randomUUID(), instrument, blankToNull(p.name()), blankToNull(p.role()),
                    blankToNull(p.phone()), blankToNull(p.email()), position++);
        }
    }
}

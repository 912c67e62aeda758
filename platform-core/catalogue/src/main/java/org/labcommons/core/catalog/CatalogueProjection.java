package org.labcommons.core.catalog;

import jakarta.inject.Singleton;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The catalogue as read models see it: every instrument of a tenant (archived and unpublished
 * ones too) as the same public projection {@code catalog.instrument.v1} carries, with its version.
 * A projector that must rebuild (a full reindex, a tenant reactivated) reads this instead of
 * replaying the topic; the payload is built by the same code as the events', so the two never differ.
 */
@Singleton
public record CatalogueProjection(TenantTransactions tenants, InstrumentService instruments, CatalogueEvents events) {
    /** Records read per tenant-bound transaction. */
    static final int PAGE = 500;

    /** One record's projection at {@code version}, as an event's payload would carry it. */
    public record Projected(UUID id, TenantId tenantId, long version, Map<String, Object> payload) {
    }

    /** Hands every instrument of {@code tenant} to {@code sink}, page by page; returns the count. */
    public long forEach(TenantId tenant, Consumer<List<Projected>> sink) {
        long count = 0;
        for (int offset = 0; ; offset += PAGE) {
            int from = offset;
            List<Projected> page = tenants.inTenant(tenant, c -> {
                InstrumentQuery query = new InstrumentQuery(null, null, null, null, null, null, null, null, null, null,
                        null, true, "assetNumber", false, from, PAGE);
                List<Instrument> items = instruments.list(c, query).items();
                List<Projected> out = new java.util.ArrayList<>(items.size());
                for (Instrument i : items) {
                    out.add(new Projected(i.id(), tenant, i.version(), events.payload(c, i)));
                }
                return out;
            });
            if (!page.isEmpty()) {
                sink.accept(page);
            }
            count += page.size();
            if (page.size() < PAGE) {
                return count;
            }
        }
    }
}

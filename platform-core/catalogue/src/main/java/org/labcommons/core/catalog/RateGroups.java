package org.labcommons.core.catalog;

import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.util.List;

/**
 * A tenant's rate groups (V8 {@code rate_group}; onboarding creates internal, consortium and
 * external), read for published prices: a price names one by its code. The usual three come
 * first in that order, any others after them by code. Editing rate groups is not here.
 */
@Singleton
public record RateGroups(TenantTransactions tenants, RateGroupRows rows) {
    /** The groups onboarding provisions, in the order prices are shown. */
    public static final List<String> STANDARD = List.of("internal", "consortium", "external");

    /** A rate group with its names. */
    @Serdeable
    public record RateGroup(String code, String nameZh, String nameEn) {
        public String name(boolean zh) {
            return zh ? nameZh : nameEn;
        }
    }

    /** The tenant's groups. */
    public List<RateGroup> list(TenantId tenant) {
        return tenants.inTenant(tenant, c -> rows.ordered().stream()
                .map(r -> new RateGroup(r.code(), r.nameZh(), r.nameEn())).toList());
    }
}

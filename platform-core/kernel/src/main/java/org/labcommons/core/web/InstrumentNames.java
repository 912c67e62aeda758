package org.labcommons.core.web;

import org.labcommons.core.tenancy.TenantId;

import java.util.Collection;
import java.util.Map;
import java.util.UUID;

/**
 * Names of instruments for pages the kernel draws (the account page names the instrument a role is
 * scoped to instead of showing its id). The catalogue implements it; without the catalogue a page
 * names no instrument.
 */
public interface InstrumentNames {

    /** The names of those of {@code ids} the tenant has, in the language asked ({@code zh}: Chinese). */
    Map<UUID, String> names(TenantId tenant, Collection<UUID> ids, boolean zh);
}

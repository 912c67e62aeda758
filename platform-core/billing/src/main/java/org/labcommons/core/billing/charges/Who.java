package org.labcommons.core.billing.charges;

import io.micronaut.core.annotation.Nullable;
import org.labcommons.core.audit.AuditEntry;

import java.util.UUID;

/** Who changes a charge: the audit actor and the user (null: the platform, rating from events or the sweep). */
public record Who(AuditEntry.Actor audit, @Nullable UUID userId) {
    /** The platform itself. */
    public static final Who SYSTEM = new Who(AuditEntry.Actor.SYSTEM, null);

    /** As items and ledger postings name the actor: {@code user:<id>} or {@code system}. */
    public String label() {
        return userId == null ? "system" : "user:" + userId;
    }
}

package org.labcommons.core.billing;

import jakarta.inject.Singleton;
import org.labcommons.core.events.EventTopics;

import java.util.List;

/** The billing module's outbox topics (docs/events.md, docs/billing.md). */
@Singleton
public class BillingTopics implements EventTopics {
    /** A charge was created, adjusted, waived, approved, posted, disputed or its dispute resolved (key = charge id). */
    public static final String CHARGE = "billing.charge.v1";

    @Override
    public List<String> topics() {
        return List.of(CHARGE);
    }
}

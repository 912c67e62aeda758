package org.labcommons.core.billing;

import jakarta.inject.Singleton;
import org.labcommons.core.events.EventTopics;

import java.util.List;

/** The billing module's outbox topics (docs/events.md, docs/billing.md). */
@Singleton
public class BillingTopics implements EventTopics {
    /** A charge was created, adjusted, waived, approved, posted, disputed or its dispute resolved (key = charge id). */
    public static final String CHARGE = "billing.charge.v1";

    /**
     * Payer accounts opened, closed or reopened, deposits topped up, holds placed, captured and released, invoice
     * requests of single settlement (key = payer account id; a hold's: its booking's or sample request's id).
     */
    public static final String ACCOUNT = "billing.account.v1";
    /** Vouchers issued, claimed, returned and expired; the open-testing fund's shares and its exhaustion (key = voucher or fund id). */
    public static final String SUBSIDY = "billing.subsidy.v1";

    @Override
    public List<String> topics() {
        return List.of(CHARGE, ACCOUNT, SUBSIDY);
    }
}

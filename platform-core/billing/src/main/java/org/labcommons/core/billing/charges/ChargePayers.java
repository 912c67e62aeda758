package org.labcommons.core.billing.charges;

import java.sql.Connection;
import java.util.Optional;

/** B implements (one bean). Absent, or answering empty: the person's receivable 1122.person.<userId>. */
public interface ChargePayers {
    Optional<PayerLine> payerFor(Connection c, Charge charge);   // in the posting's tenant transaction
}

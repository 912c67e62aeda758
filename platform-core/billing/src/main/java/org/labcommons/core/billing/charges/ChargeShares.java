package org.labcommons.core.billing.charges;

import java.sql.Connection;
import java.util.List;

/** C implements (zero or more beans, applied in @Order): parts of the charge someone else pays. */
public interface ChargeShares {
    List<Share> sharesOf(Connection c, Charge charge, PayerLine payer, long remainingFen);
}

package org.labcommons.core.billing.payers;

import jakarta.inject.Singleton;
import org.labcommons.core.billing.charges.Charge;
import org.labcommons.core.billing.charges.ChargePayers;
import org.labcommons.core.billing.charges.PayerLine;

import java.sql.Connection;
import java.util.Optional;

/**
 * Who pays a charge ({@link ChargePayers}), in the posting's transaction: a user of another institution, that
 * institution ({@code 1122.tenant.<home>}, kind {@code tenant}); else the account the booking or request carried when
 * it is usable for the user on the service day (active, valid, the PI or an approved member): its receivable
 * {@code 1122.payer.<id>} (project, department, post-paid customer) or its deposit {@code 2203.deposit.<id>}
 * (prepaid, kind {@code deposit}); else empty (the person's receivable). The hold of the charge's booking or
 * request (or of the booking a usage session ran against) is captured when the account pays, else released.
 * Arrears do not stop a posting: they stop new bookings. The rule is {@link Payers#forCharge}'s.
 */
@Singleton
public record PayerCharges(Payers payers)
        implements ChargePayers {

    @Override
    public Optional<PayerLine> payerFor(Connection c, Charge charge) {
        return payers.forCharge(c, charge);
    }
}

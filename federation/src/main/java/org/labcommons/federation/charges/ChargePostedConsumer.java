package org.labcommons.federation.charges;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.labcommons.core.billing.BillingTopics;
import org.labcommons.core.billing.charges.Charge;
import org.labcommons.core.billing.interinst.HomePayables;
import org.labcommons.core.billing.interinst.HomePayables.ForeignCharge;
import org.labcommons.core.billing.interinst.HomePayables.Outcome;
import org.labcommons.core.events.EventEnvelope;
import org.labcommons.core.events.PoisonEventException;
import org.labcommons.core.events.ReliableConsumer;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.federation.booking.FederationSettings;
import org.labcommons.federation.booking.OutsideBookingProjector;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The home side of a cross-institution charge (docs/billing.md, "Between institutions"; docs/federation.md): consumes
 * {@code billing.charge.v1} (group {@code federation.charges}) and, for a {@code charge.posted} whose
 * {@code requesterTenantId} (the user's home) differs from the provider (the envelope's tenant) and which the provider
 * posted to {@code 1122.tenant.<home>} ({@code payerLedgerCode}), posts the home's payable through
 * {@link HomePayables#record} in one home transaction. Offsets are committed after it; redelivery adds nothing (the
 * ledger key {@code interinst:<provider>:<chargeId>:<seq>} and the payable's primary key); poison records go to
 * {@code billing.charge.v1.dlq}.
 *
 * <p>The amount is what the provider posted to the home's receivable: {@code postedFen} less the shares others paid
 * ({@code shares[].amountFen}, e.g. a subsidy), with the sign of {@code postedFen}. The item's {@code seq} is the
 * payload's {@code itemSeq} when present, else the envelope's {@code aggregateVersion} (the charge's version).
 */
@Singleton
@RequiresRole(PlatformRole.FEDERATION)
@Requires(property = "labcommons.federation.consumers-enabled", notEquals = "false")
public class ChargePostedConsumer extends ReliableConsumer {
    /** The charges' topic (billing's {@link BillingTopics#CHARGE}). */
    public static final String CHARGE_TOPIC = BillingTopics.CHARGE;
    public static final String POSTED = "charge.posted";
    private final HomePayables payables;
    private final JsonMapper json;

    public ChargePostedConsumer(HomePayables payables, JsonMapper json, FederationSettings settings,
                                @Value("${labcommons.kafka.bootstrap}") String bootstrap) {
        super("federation-charges", settings.getChargesGroup(), List.of(CHARGE_TOPIC), bootstrap, settings.policy());
        this.payables = payables;
        this.json = json;
    }

    @Override
    protected void handle(ConsumerRecord<String, String> record) {
        EventEnvelope event = OutsideBookingProjector.envelope(json, record);
        if (!POSTED.equals(event.type())) {
            return;
        }
        ForeignCharge foreign = foreign(event);
        if (foreign != null) {
            payables.record(foreign);
        }
    }

    /** Applies one event (specifications call this directly too). */
    public Outcome apply(EventEnvelope event) {
        ForeignCharge foreign = foreign(event);
        return foreign == null ? Outcome.NOTHING_TO_POST : payables.record(foreign);
    }

    /** The foreign charge an event names, or null when it is the provider's own business; poison when malformed. */
    static ForeignCharge foreign(EventEnvelope event) {
        Map<String, Object> p = event.payload();
        TenantId provider = new TenantId(event.tenantId());
        TenantId home = new TenantId(uuid(p, "requesterTenantId"));
        if (home.equals(provider)) {
            return null;
        }
        Object payerCode = p.get("payerLedgerCode");
        if (!("1122.tenant." + home.value()).equals(payerCode)) {
            return null; // the provider billed someone else (a deposit, a customer account): the home owes nothing
        }
        long posted = number(p, "postedFen", true);
        long shares = 0;
        if (p.get("shares") instanceof List<?> list) {
            for (Object s : list) {
                if (!(s instanceof Map<?, ?> share) || !(share.get("amountFen") instanceof Number n)) {
                    throw new PoisonEventException("a share without amountFen");
                }
                shares = Math.addExact(shares, Math.abs(n.longValue()));
            }
        }
        long amount = Long.signum(posted) * (Math.abs(posted) - shares);
        UUID chargeId = uuid(p, "id");
        if (!chargeId.toString().equals(event.aggregateId())) {
            throw new PoisonEventException("payload id differs from the aggregate id");
        }
        long seq = p.get("itemSeq") instanceof Number n ? n.longValue() : event.aggregateVersion();
        Charge charge = new Charge(chargeId, provider, text(p, "sourceType"), uuid(p, "sourceId"), text(p, "kind"),
                uuid(p, "instrumentId"), optionalUuid(p, "serviceId"), optionalUuid(p, "orgUnitId"), uuid(p, "userId"), home,
                p.get("accountCode") == null ? null : String.valueOf(p.get("accountCode")), text(p, "rateGroup"),
                optionalUuid(p, "feeStandardId"), (int) number(p, "feeStandardVersion", false), instant(p, "serviceStart", true),
                instant(p, "serviceEnd", false), decimal(p.get("quantity")), text(p, "unit"), number(p, "amountFen", false),
                p.get("status") == null ? "approved" : String.valueOf(p.get("status")),
                instant(p, "createdAt", false) == null ? event.occurredAt() : instant(p, "createdAt", false),
                event.aggregateVersion());
        return new ForeignCharge(charge, seq, amount, p.get("period") == null ? null : String.valueOf(p.get("period")),
                event.eventId());
    }

    private static UUID uuid(Map<String, Object> p, String field) {
        UUID u = optionalUuid(p, field);
        if (u == null) {
            throw new PoisonEventException("charge event without " + field);
        }
        return u;
    }

    private static UUID optionalUuid(Map<String, Object> p, String field) {
        Object v = p.get(field);
        try {
            return v == null ? null : UUID.fromString(String.valueOf(v));
        } catch (IllegalArgumentException e) {
            throw new PoisonEventException("charge event with a malformed " + field, e);
        }
    }

    private static String text(Map<String, Object> p, String field) {
        Object v = p.get(field);
        return v == null ? "" : String.valueOf(v);
    }

    private static long number(Map<String, Object> p, String field, boolean required) {
        Object v = p.get(field);
        if (v instanceof Number n) {
            return n.longValue();
        }
        if (required) {
            throw new PoisonEventException("charge event without a number " + field);
        }
        return 0;
    }

    private static Instant instant(Map<String, Object> p, String field, boolean required) {
        Object v = p.get(field);
        try {
            if (v != null) {
                return Instant.parse(String.valueOf(v));
            }
        } catch (RuntimeException e) {
            throw new PoisonEventException("charge event with a malformed " + field, e);
        }
        if (required) {
            throw new PoisonEventException("charge event without " + field);
        }
        return null;
    }

    private static BigDecimal decimal(Object v) {
        try {
            return v == null ? BigDecimal.ZERO : new BigDecimal(String.valueOf(v));
        } catch (NumberFormatException e) {
            throw new PoisonEventException("charge event with a malformed quantity", e);
        }
    }
}

package org.labcommons.core.billing.charges;

import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.billing.BillingTopics;
import org.labcommons.core.events.Outbox;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code billing.charge.v1} events (docs/events.md) and the audit entries of charges, written in the
 * transaction of the change: aggregate {@code charge}, {@code aggregateVersion} the charge's version, payload every
 * field of {@link Charge} (ids as strings, times ISO UTC, {@code userHomeTenant} as {@code requesterTenantId}) plus
 * the type's members.
 */
@Singleton
public record ChargeEvents(Outbox outbox, AuditLog audit) {

    /** Audits {@code charge.<type>} and emits the event of the same type. */
    public void changed(Connection c, Who who, String type, Charge charge, Map<String, Object> more) throws SQLException {
        Map<String, Object> details = new LinkedHashMap<>(more);
        details.put("amountFen", charge.amountFen());
        details.put("status", charge.status());
        audit.append(c, who.audit().entry("charge." + type, "charge", charge.id().toString(), details));
        emit(c, type, charge, more);
    }

    /** Emits {@code charge.<type>} without an audit entry (the posting is audited as the approval or item that made it). */
    public void emit(Connection c, String type, Charge charge, Map<String, Object> more) throws SQLException {
        Map<String, Object> p = payload(charge);
        p.putAll(more);
        outbox.append(c, new Outbox.Event(BillingTopics.CHARGE, "charge." + type, 1, "charge", charge.id().toString(),
                charge.version(), p));
    }

    /** Every field of a charge, as the event carries it. */
    static Map<String, Object> payload(Charge ch) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("id", ch.id().toString());
        p.put("tenantId", ch.tenant().toString());
        p.put("sourceType", ch.sourceType());
        p.put("sourceId", ch.sourceId().toString());
        p.put("kind", ch.kind());
        p.put("instrumentId", ch.instrumentId().toString());
        p.put("serviceId", ch.serviceId() == null ? null : ch.serviceId().toString());
        p.put("orgUnitId", ch.orgUnitId() == null ? null : ch.orgUnitId().toString());
        p.put("userId", ch.userId().toString());
        p.put("requesterTenantId", ch.userHomeTenant().toString());
        p.put("accountCode", ch.accountCode());
        p.put("rateGroup", ch.rateGroup());
        p.put("feeStandardId", ch.feeStandardId() == null ? null : ch.feeStandardId().toString());
        p.put("feeStandardVersion", ch.feeStandardVersion());
        p.put("serviceStart", ch.serviceStart().toString());
        p.put("serviceEnd", ch.serviceEnd() == null ? null : ch.serviceEnd().toString());
        p.put("quantity", ch.quantity());
        p.put("unit", ch.unit());
        p.put("amountFen", ch.amountFen());
        p.put("status", ch.status());
        p.put("createdAt", ch.createdAt().toString());
        p.put("version", ch.version());
        return p;
    }
}

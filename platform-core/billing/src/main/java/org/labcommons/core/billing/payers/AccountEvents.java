package org.labcommons.core.billing.payers;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.labcommons.core.billing.BillingTopics;
import org.labcommons.core.events.Outbox;
import org.labcommons.core.tenancy.TenantId;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The {@code billing.account.v1} events of payer accounts, deposits and holds (docs/events.md), appended in the
 * transaction of the change (next to its audit entry). Aggregate {@code payer_account}: record key the account's id,
 * {@code aggregateVersion} the account's version (top-ups and holds leave it as it is). Aggregate
 * {@code deposit_hold}: record key the booking's or sample request's id (one hold per source; its events stay in
 * order), version 1 placed, 2 captured or released. Every payload carries {@code tenantId}; ids only, no names.
 */
@Singleton
public record AccountEvents(Outbox outbox) {

    /** {@code account.opened} / {@code account.closed} / {@code account.reopened}. */
    public void account(Connection c, TenantId tenant, String type, PayerAccount a) throws SQLException {
        Map<String, Object> p = base(tenant);
        p.put("payerId", a.id().toString());
        p.put("code", a.code());
        p.put("kind", a.kind());
        p.put("settlement", a.settlement());
        p.put("status", a.status());
        p.put("ledgerCode", "prepaid".equals(a.settlement()) ? Payers.depositCode(a.id()) : Payers.receivableCode(a.id()));
        p.put("version", a.version());
        outbox.append(c, new Outbox.Event(BillingTopics.ACCOUNT, type, 1, "payer_account", a.id().toString(), a.version(), p));
    }

    /** {@code deposit.topped_up}: a top-up posted (not a replay of its key). */
    public void toppedUp(Connection c, TenantId tenant, PayerAccount a, long amountFen, String key, UUID transactionId, String period)
            throws SQLException {
        Map<String, Object> p = base(tenant);
        p.put("payerId", a.id().toString());
        p.put("amountFen", amountFen);
        p.put("key", key);
        p.put("ledgerTransactionId", transactionId.toString());
        p.put("period", period);
        outbox.append(c, new Outbox.Event(BillingTopics.ACCOUNT, "deposit.topped_up", 1, "payer_account", a.id().toString(),
                a.version(), p));
    }

    /** {@code hold.placed}, {@code hold.captured}, {@code hold.released} (with the reason: cancelled, unused, expired). */
    public void hold(Connection c, TenantId tenant, String type, PayerRows.HoldFact h, @Nullable String reason) throws SQLException {
        Map<String, Object> p = base(tenant);
        p.put("holdId", h.id().toString());
        p.put("payerId", h.payerId().toString());
        p.put("sourceType", h.sourceType());
        p.put("sourceId", h.sourceId().toString());
        p.put("amountFen", h.amountFen());
        p.put("state", h.state());
        p.put("chargeId", h.chargeId() == null ? null : h.chargeId().toString());
        if (reason != null) {
            p.put("reason", reason);
        }
        outbox.append(c, new Outbox.Event(BillingTopics.ACCOUNT, type, 1, "deposit_hold", h.sourceId().toString(),
                "hold.placed".equals(type) ? 1 : 2, p));
    }

    /** Any other event of the topic (the invoice requests of single settlement), keyed by the payer account. */
    public void emit(Connection c, TenantId tenant, String type, UUID payerId, long version, Map<String, Object> members) throws SQLException {
        Map<String, Object> p = base(tenant);
        p.put("payerId", payerId.toString());
        p.putAll(members);
        outbox.append(c, new Outbox.Event(BillingTopics.ACCOUNT, type, 1, "payer_account", payerId.toString(), version, p));
    }

    private static Map<String, Object> base(TenantId tenant) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("tenantId", tenant.value().toString());
        return p;
    }
}

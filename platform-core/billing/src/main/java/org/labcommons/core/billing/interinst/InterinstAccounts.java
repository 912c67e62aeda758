package org.labcommons.core.billing.interinst;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.labcommons.core.billing.ledger.Ledger;
import org.labcommons.core.billing.ledger.LedgerException;
import org.labcommons.core.billing.ledger.NewAccount;
import org.labcommons.core.tenancy.TenantId;

import java.util.UUID;

/**
 * The ledger accounts between institutions and of disbursement, created on first use ({@link Ledger#ensureAccount},
 * idempotent) with Chinese and English names. An account another part already created under the same code with
 * another holder is used as it is (its code is what the postings need).
 */
@Singleton
public record InterinstAccounts(Ledger ledger) {
    public static final String BANK = "1002.bank";
    public static final String CLEARING = "6001.clearing";

    public static String receivableFrom(UUID tenant) {
        return "1122.tenant." + tenant;
    }

    public static String payableTo(UUID tenant) {
        return "2202.tenant." + tenant;
    }

    public static String person(UUID user) {
        return "1122.person." + user;
    }

    /** {@code 2241.disbursement.<share>}: {@code lab.<unit>}, {@code department.<unit>} or {@code institution}. */
    public static String disbursement(String share) {
        return "2241.disbursement." + share;
    }

    void receivable(TenantId at, UUID other, String otherZh, String otherEn) {
        ensure(at, new NewAccount(receivableFrom(other), "asset", cut("应收单位款：" + otherZh), cut("Receivable from " + otherEn),
                "tenant", other));
    }

    void payable(TenantId at, UUID other, String otherZh, String otherEn) {
        ensure(at, new NewAccount(payableTo(other), "liability", cut("应付单位款：" + otherZh), cut("Payable to " + otherEn),
                "tenant", other));
    }

    void bank(TenantId at) {
        ensure(at, new NewAccount(BANK, "asset", "银行存款", "Bank", null, null));
    }

    void clearing(TenantId at) {
        ensure(at, new NewAccount(CLEARING, "revenue", "收入分配（拨款）", "Revenue disbursed", null, null));
    }

    void disbursementShare(TenantId at, String share, String nameZh, String nameEn, @Nullable UUID unit) {
        ensure(at, new NewAccount(disbursement(share), "liability", cut("应拨款：" + nameZh), cut("Disbursement due: " + nameEn),
                unit == null ? null : "org_unit", unit));
    }

    /** An account of a payer line at the home: receivables ({@code 1122.*}) are assets, anything else a liability. */
    void payer(TenantId at, String code, @Nullable UUID user) {
        boolean person = code.startsWith("1122.person.");
        ensure(at, new NewAccount(code, code.startsWith("1") ? "asset" : "liability",
                person ? "个人应收款" : cut("付款账户 " + code), person ? "Receivable from a person" : cut("Payer account " + code),
                person ? "person" : null, person ? user : null));
    }

    private void ensure(TenantId at, NewAccount account) {
        try {
            ledger.ensureAccount(at, account);
        } catch (LedgerException e) {
            if (!LedgerException.ACCOUNT_CONFLICT.equals(e.code())) {
                throw e;
            }
        }
    }

    private static String cut(String name) {
        return name.length() <= 200 ? name : name.substring(0, 200);
    }
}

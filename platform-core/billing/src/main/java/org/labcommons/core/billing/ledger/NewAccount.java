package org.labcommons.core.billing.ledger;

import io.micronaut.core.annotation.Nullable;

import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * An account to have: {@code code} is hierarchical, a four-digit head of the chart of accounts followed by
 * dot-separated lower-case parts ({@code 1122.project.<uuid>}, {@code 2203.deposit.<uuid>}, {@code 6001.lab.<uuid>},
 * {@code 2241.voucher}, {@code 6601.subsidy.open-testing}); {@code kind} is one of {@link #KINDS}; the holder (a
 * project account, a lab, another institution) is optional.
 */
public record NewAccount(String code, String kind, String nameZh, String nameEn, @Nullable String holderType,
                         @Nullable UUID holderId) {
    /** The kinds of account. */
    public static final Set<String> KINDS = Set.of("asset", "liability", "revenue", "expense", "equity");
    /** What a code looks like (also the database's check). */
    public static final Pattern CODE = Pattern.compile("^[0-9]{4}(\\.[a-z0-9][a-z0-9-]*)*$");
    private static final Pattern HOLDER_TYPE = Pattern.compile("^[a-z][a-z0-9_-]{0,63}$");

    /** Checks the fields; a {@link LedgerException} ({@code ledger_invalid}) names the first that is wrong. */
    public NewAccount {
        if (code == null || code.length() > 200 || !CODE.matcher(code).matches()) {
            throw LedgerException.invalid("code");
        }
        if (kind == null || !KINDS.contains(kind)) {
            throw LedgerException.invalid("kind");
        }
        if (nameZh == null || nameZh.isBlank() || nameZh.length() > 200) {
            throw LedgerException.invalid("nameZh");
        }
        if (nameEn == null || nameEn.isBlank() || nameEn.length() > 200) {
            throw LedgerException.invalid("nameEn");
        }
        if (holderType != null && !HOLDER_TYPE.matcher(holderType).matches()) {
            throw LedgerException.invalid("holderType");
        }
    }
}

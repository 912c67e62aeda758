package org.labcommons.core.billing.ledger;

import io.micronaut.core.annotation.Nullable;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A posting: its idempotency key (one transaction per key and tenant), its kind ({@code charge}, {@code payment},
 * ...), the source it comes from (a charge, a settlement; optional), a memo, the actor, and at least two
 * {@link Line}s that sum to zero, each naming an account once.
 */
public record NewTransaction(String idempotencyKey, String kind, @Nullable String sourceType, @Nullable String sourceId,
                             @Nullable String memo, String actor, List<Line> lines) {
    private static final Pattern KIND = Pattern.compile("^[a-z][a-z0-9_.-]{0,63}$");

    public NewTransaction {
        lines = lines == null ? List.of() : List.copyOf(lines);
    }

    /** Checks the posting; a {@link LedgerException} says what is wrong. Overflow of the sum is refused too. */
    void check() {
        checkHeader(idempotencyKey, kind, sourceType, sourceId, memo, actor);
        checkLines(lines);
    }

    /** The fields of a transaction other than its lines. */
    static void checkHeader(String idempotencyKey, String kind, @Nullable String sourceType, @Nullable String sourceId,
                            @Nullable String memo, String actor) {
        if (idempotencyKey == null || idempotencyKey.isBlank() || idempotencyKey.length() > 200) {
            throw LedgerException.invalid("idempotencyKey");
        }
        if (kind == null || !KIND.matcher(kind).matches()) {
            throw LedgerException.invalid("kind");
        }
        if (sourceType != null && (sourceType.isBlank() || sourceType.length() > 64)) {
            throw LedgerException.invalid("sourceType");
        }
        if (sourceId != null && (sourceId.isBlank() || sourceId.length() > 200)) {
            throw LedgerException.invalid("sourceId");
        }
        if (memo != null && memo.length() > 1000) {
            throw LedgerException.invalid("memo");
        }
        if (actor == null || actor.isBlank() || actor.length() > 200) {
            throw LedgerException.invalid("actor");
        }
    }

    /** At least two lines, none zero, each account once, summing to zero (exactly: {@code Math.addExact}). */
    static void checkLines(List<Line> lines) {
        if (lines.size() < 2) {
            throw new LedgerException(io.micronaut.http.HttpStatus.BAD_REQUEST, LedgerException.TOO_FEW_LINES, lines.size());
        }
        if (lines.size() > Short.MAX_VALUE) {
            throw LedgerException.invalid("lines");
        }
        Set<String> accounts = new HashSet<>();
        long sum = 0;
        for (Line l : lines) {
            if (l == null || l.accountCode() == null || l.amountFen() == 0 || !accounts.add(l.accountCode())) {
                throw LedgerException.invalid("lines");
            }
            try {
                sum = Math.addExact(sum, l.amountFen());
            } catch (ArithmeticException e) {
                throw LedgerException.invalid("lines");
            }
        }
        if (sum != 0) {
            throw new LedgerException(io.micronaut.http.HttpStatus.BAD_REQUEST, LedgerException.UNBALANCED, sum);
        }
    }
}
